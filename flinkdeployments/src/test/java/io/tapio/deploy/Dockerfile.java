package io.tapio.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * flinkdeployments/Dockerfile read as Docker reads it: instructions with their arguments
 * (continuation lines joined, comments dropped), so that tests can hold it to the build and
 * the manifests; no registry is reachable here to build it.
 */
record Dockerfile(List<Instruction> instructions, String text) {
    record Instruction(String keyword, List<String> arguments) {
        String argument(int i) {
            return arguments.get(i);
        }
    }

    static Dockerfile read() {
        Path file = Repository.path("flinkdeployments/Dockerfile");
        try {
            String text = Files.readString(file);
            List<Instruction> instructions = new ArrayList<>();
            StringBuilder pending = new StringBuilder();
            for (String line : text.split("\n")) {
                if (pending.isEmpty() && (line.isBlank() || line.stripLeading().startsWith("#"))) {
                    continue;
                }
                if (line.endsWith("\\")) {
                    pending.append(line, 0, line.length() - 1).append(' ');
                    continue;
                }
                pending.append(line);
                String[] words = pending.toString().trim().split("\\s+");
                instructions.add(
                        new Instruction(words[0].toUpperCase(), List.of(words).subList(1, words.length)));
                pending.setLength(0);
            }
            return new Dockerfile(instructions, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The image of a FROM, with or without a stage name. */
    List<String> baseImages() {
        return all("FROM").stream().map(i -> i.argument(0)).toList();
    }

    /** Where a COPY from the build context puts {@code source}. */
    String copyDestination(String source) {
        return all("COPY").stream()
                .filter(c -> c.arguments().contains(source))
                .map(c -> c.arguments().getLast())
                .findFirst()
                .orElseThrow(() -> new AssertionError("the Dockerfile copies no " + source));
    }
}
