package io.tapio.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.tapio.deploy.Manifests.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every object in flinkdeployments/k8s/ is what the API server would take as it is: the
 * operator's resources against its published CRD schemas, Kubernetes' own objects as fabric8's
 * model types, both strictly (an unknown field fails, where the API server would drop it
 * silently). And the checks are strict: a misspelt field, a wrong type or a value outside an
 * enum is caught with its path.
 */
class ManifestSchemaTest {
    private static final CustomResourceDefinitions CRDS = CustomResourceDefinitions.flinkOperator();

    static Stream<Manifest> manifests() {
        return Manifests.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void everyObjectIsValidAsItIs(Manifest manifest) {
        assertEquals(List.of(), problems(manifest.body()), manifest.toString());
    }

    @Test
    void theManifestsHoldTheStreamingJobTheBatchJobsAndTheObjectsAroundThem() {
        List<String> kinds =
                Manifests.all().stream().map(Manifest::kind).distinct().sorted().toList();
        assertEquals(
                List.of(
                        "ClusterRole",
                        "ClusterRoleBinding",
                        "ConfigMap",
                        "CronJob",
                        "DaemonSet",
                        "FlinkDeployment",
                        "Namespace",
                        "PriorityClass",
                        "Role",
                        "RoleBinding",
                        "ServiceAccount"),
                kinds);
    }

    @Test
    void aFieldTheFlinkDeploymentSchemaDoesNotNameFails() {
        ObjectNode streaming = streaming();
        ((ObjectNode) streaming.path("spec").path("taskManager")).put("replica", 3);
        assertProblem(streaming, "FlinkDeployment.spec.taskManager.replica: unknown field");
    }

    @Test
    void aMisspeltFieldDeepInAPodTemplateFails() {
        ObjectNode streaming = streaming();
        ObjectNode container = (ObjectNode) streaming.at("/spec/taskManager/podTemplate/spec/containers/0");
        container.set("securityContex", container.remove("securityContext"));
        assertProblem(streaming, "containers[0].securityContex: unknown field");
    }

    @Test
    void aValueOutsideAnEnumOrOfTheWrongTypeFails() {
        ObjectNode streaming = streaming();
        ((ObjectNode) streaming.path("spec")).put("flinkVersion", "v2_9");
        ((ObjectNode) streaming.at("/spec/taskManager/resource")).put("cpu", "two");
        assertProblem(streaming, "FlinkDeployment.spec.flinkVersion: \"v2_9\" is not one of");
        assertProblem(streaming, "FlinkDeployment.spec.taskManager.resource.cpu: must be a number");
    }

    @Test
    void aFlinkSessionJobIsCheckedAgainstItsOwnSchema() {
        ObjectNode job = Manifests.YAML.createObjectNode();
        job.put("apiVersion", "flink.apache.org/v1beta1").put("kind", "FlinkSessionJob");
        job.putObject("metadata").put("name", "example");
        ObjectNode spec = job.putObject("spec").put("deploymentName", "tapio-batch");
        spec.putObject("job")
                .put("jarURI", "local:///opt/flink/usrlib/tapio-job.jar")
                .put("parallelizm", 2);
        assertProblem(job, "FlinkSessionJob.spec.job.parallelizm: unknown field");
        ((ObjectNode) spec.path("job")).remove("parallelizm");
        assertEquals(List.of(), problems(job));
    }

    @Test
    void aMisspeltFieldInAKubernetesObjectFails() {
        ObjectNode cron = Manifests.named("CronJob", "tapio-bench").body().deepCopy();
        ObjectNode cronSpec = (ObjectNode) cron.path("spec");
        cronSpec.set("schedul", cronSpec.remove("schedule"));
        assertProblem(cron, "CronJob.spec.schedul: Unrecognized field");

        ObjectNode role =
                Manifests.named("ClusterRole", "tapio-attribution").body().deepCopy();
        ((ObjectNode) role.at("/rules/0")).put("verbs", "get");
        assertFalse(problems(role).isEmpty(), "verbs must be a list");

        ObjectNode priority =
                Manifests.named("PriorityClass", "tapio-critical").body().deepCopy();
        ((ObjectNode) priority.path("metadata")).put("nmae", "x");
        assertProblem(priority, "PriorityClass.metadata.nmae: Unrecognized field");
    }

    private static ObjectNode streaming() {
        return Manifests.named("FlinkDeployment", "tapio").body().deepCopy();
    }

    /** Everything wrong with one object, as the API server (and the operator) would see it. */
    static List<String> problems(ObjectNode object) {
        String kind = object.path("kind").asText();
        if (!CRDS.defines(kind)) {
            return StrictKubernetes.problems(object);
        }
        List<String> problems = new ArrayList<>(CRDS.validate(object));
        // The CRD describes pod templates loosely in places (e.g. resource quantities are
        // strings); fabric8's Pod type holds them to Kubernetes' own rules as well.
        for (String at :
                List.of("/spec/podTemplate", "/spec/jobManager/podTemplate", "/spec/taskManager/podTemplate")) {
            JsonNode template = object.at(at);
            if (!template.isMissingNode()) {
                problems.addAll(StrictKubernetes.problems(template, Pod.class, kind + at.replace('/', '.')));
            }
        }
        return problems;
    }

    private static void assertProblem(ObjectNode object, String expected) {
        List<String> problems = problems(object);
        assertTrue(
                problems.stream().anyMatch(p -> p.contains(expected)),
                "expected a problem containing '" + expected + "', got " + problems);
    }
}
