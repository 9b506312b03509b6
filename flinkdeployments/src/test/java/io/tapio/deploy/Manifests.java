package io.tapio.deploy;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The Kubernetes objects in flinkdeployments/k8s/, every document of every file. */
final class Manifests {
    /** A repeated key in YAML silently keeps the last value; here it is an error. */
    static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** One document: where it is, and what it says. */
    record Manifest(Path file, int index, ObjectNode body) {
        String kind() {
            return body.path("kind").asText();
        }

        String name() {
            return body.path("metadata").path("name").asText();
        }

        @Override
        public String toString() {
            return file.getFileName() + "#" + index + " " + kind() + "/" + name();
        }
    }

    private Manifests() {}

    static Path directory() {
        return Repository.path("flinkdeployments/k8s");
    }

    static List<Manifest> all() {
        List<Manifest> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(directory())) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                all.addAll(read(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    static List<Manifest> read(Path file) {
        List<Manifest> documents = new ArrayList<>();
        try (var parser = YAML.createParser(file.toFile())) {
            List<JsonNode> nodes = YAML.readValues(parser, JsonNode.class).readAll();
            for (JsonNode node : nodes) {
                if (!(node instanceof ObjectNode object)) {
                    throw new IllegalStateException(file + " document " + documents.size() + " is not a mapping");
                }
                documents.add(new Manifest(file, documents.size(), object));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
        return documents;
    }

    static List<Manifest> ofKind(String kind) {
        return all().stream().filter(m -> m.kind().equals(kind)).toList();
    }

    static Manifest named(String kind, String name) {
        return all().stream()
                .filter(m -> m.kind().equals(kind) && m.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in " + directory()));
    }
}
