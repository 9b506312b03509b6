package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every command's help is what the user reads first: it must render as written, and every
 * option it offers must be documented in README.md.
 */
class UsageHelpTest {
    /** Picocli formats help text with String.format: a lone '%' prints the raw text and a warning. */
    @Test
    void everyCommandsHelpRendersWithoutAWarning() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            commandLines().forEach(CommandLine::getUsageMessage);
        } finally {
            System.setErr(stderr);
        }
        assertEquals("", warnings.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyOptionOfEveryCommandIsInTheReadme() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        List<String> undocumented = new ArrayList<>();
        List<CommandSpec> commands = commands();
        for (CommandSpec command : commands) {
            for (OptionSpec option : command.options()) {
                boolean standard = option.usageHelp() || option.versionHelp();
                if (!standard
                        && Stream.of(option.names())
                                .filter(name -> name.startsWith("--"))
                                .noneMatch(readme::contains)) {
                    undocumented.add(command.qualifiedName() + " " + option.longestName());
                }
            }
        }
        assertTrue(commands.size() > 10, "the whole command tree was walked: " + commands.size());
        assertEquals(List.of(), undocumented);
    }

    private static List<CommandSpec> commands() {
        return commandLines().stream().map(CommandLine::getCommandSpec).toList();
    }

    private static List<CommandLine> commandLines() {
        List<CommandLine> all = new ArrayList<>();
        collect(Tapio.commandLine(), all);
        return all;
    }

    private static void collect(CommandLine cli, List<CommandLine> into) {
        into.add(cli);
        cli.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, into));
    }
}
