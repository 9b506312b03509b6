package io.tapio.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Flink Kubernetes Operator's CRDs as published (FlinkDeployment, FlinkSessionJob), and
 * the check of a custom resource against them, done as the API server does it: apiVersion and
 * kind name a served version, metadata is an ObjectMeta, and the rest follows that version's
 * openAPIV3Schema (strictly: see {@link StructuralSchema}).
 */
final class CustomResourceDefinitions {
    /** A served version of a kind: its schema. */
    private record Served(String apiVersion, String kind, StructuralSchema schema) {}

    private final Map<String, Served> byApiVersionAndKind = new HashMap<>();

    private CustomResourceDefinitions(List<JsonNode> crds) {
        for (JsonNode crd : crds) {
            String group = crd.path("spec").path("group").asText();
            String kind = crd.path("spec").path("names").path("kind").asText();
            for (JsonNode version : crd.path("spec").path("versions")) {
                if (version.path("served").asBoolean(false)) {
                    String apiVersion = group + "/" + version.path("name").asText();
                    byApiVersionAndKind.put(
                            apiVersion + " " + kind,
                            new Served(
                                    apiVersion,
                                    kind,
                                    new StructuralSchema(version.path("schema").path("openAPIV3Schema"))));
                }
            }
        }
    }

    static CustomResourceDefinitions flinkOperator() {
        List<JsonNode> crds = new ArrayList<>();
        try (Stream<Path> files = Files.list(Repository.operatorCrds())) {
            for (Path file : files.filter(
                            f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
                    .toList()) {
                crds.add(Manifests.YAML.readTree(file.toFile()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new CustomResourceDefinitions(crds);
    }

    boolean defines(String kind) {
        return byApiVersionAndKind.values().stream().anyMatch(s -> s.kind().equals(kind));
    }

    /** What is wrong with the custom resource; empty when the API server would take it as it is. */
    List<String> validate(ObjectNode resource) {
        String apiVersion = resource.path("apiVersion").asText();
        String kind = resource.path("kind").asText();
        Served served = byApiVersionAndKind.get(apiVersion + " " + kind);
        if (served == null) {
            return List.of("no CRD serves " + kind + " in " + apiVersion);
        }
        List<String> errors = new ArrayList<>(StrictKubernetes.problems(
                resource.path("metadata"), io.fabric8.kubernetes.api.model.ObjectMeta.class, "metadata"));
        ObjectNode rest = resource.deepCopy();
        rest.remove(List.of("apiVersion", "kind", "metadata"));
        errors.addAll(served.schema().validate(rest, kind));
        return errors;
    }
}
