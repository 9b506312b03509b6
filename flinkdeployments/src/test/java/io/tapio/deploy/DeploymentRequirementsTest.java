package io.tapio.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.tapio.deploy.Manifests.Manifest;
import io.tapio.history.HistoryConfig;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * What no schema can tell: that the manifests, the Dockerfile and the build agree, and that a
 * TaskManager pod has what the BPF programs need to load.
 */
class DeploymentRequirementsTest {
    /** What loading and attaching the programs needs (Preflight): CAP_BPF, CAP_PERFMON, and CAP_SYS_RESOURCE for the ring's locked memory on kernels before 5.11. */
    static final Set<String> BPF_CAPABILITIES = Set.of("BPF", "PERFMON", "SYS_RESOURCE");
    /** The kernel's types (CO-RE), tracepoint ids (tracefs), cgroups (attribution). */
    static final List<String> HOST_PATHS = List.of("/sys/kernel/btf", "/sys/kernel/tracing", "/sys/fs/cgroup");

    private final Dockerfile dockerfile = Dockerfile.read();
    private final List<Manifest> deployments = Manifests.ofKind("FlinkDeployment");
    private final JsonNode streaming =
            Manifests.named("FlinkDeployment", "tapio").body();

    @Test
    void flinkVersionsAgreeAcrossThePomTheDeploymentsAndTheImage() {
        String flink = Build.property("flink.version");
        String[] parts = flink.split("\\.");
        for (Manifest deployment : deployments) {
            assertEquals(
                    "v" + parts[0] + "_" + parts[1],
                    deployment.body().at("/spec/flinkVersion").asText(),
                    deployment + " flinkVersion");
        }
        String flinkImage = dockerfile.baseImages().getFirst();
        assertTrue(flinkImage.startsWith("flink:" + flink + "-"), "the image's Flink is " + flinkImage);
        assertTrue(dockerfile.text().contains("flink-s3-fs-hadoop-" + flink + ".jar"), "S3 plugin of Flink " + flink);
        String java = Build.property("maven.compiler.release");
        assertTrue(
                dockerfile.baseImages().getLast().startsWith("eclipse-temurin:" + java + "-"),
                "Java " + java + " at run time, like the build: "
                        + dockerfile.baseImages().getLast());
    }

    @Test
    void everyPodRunsTheImageThisBuildMakes() {
        String tag = Build.imageTag();
        assertTrue(dockerfile.text().contains("-t " + tag + " "), "the Dockerfile's build command tags " + tag);
        for (Manifest deployment : deployments) {
            assertEquals(tag, deployment.body().at("/spec/image").asText(), deployment.toString());
        }
        commandPods().forEach((what, pod) -> {
            for (Container container : pod.getContainers()) {
                assertEquals(tag, container.getImage(), what);
            }
        });
    }

    @Test
    void theImageCarriesTheJarsTheBuildMakesWhereTheDeploymentsAndCommandsLookForThem() {
        String jobJar = dockerfile.copyDestination(
                Repository.root().relativize(Repository.jobJar()).toString());
        for (Manifest deployment : deployments) {
            if (!deployment.body().at("/spec/job").isMissingNode()) {
                assertEquals(
                        "local://" + jobJar,
                        deployment.body().at("/spec/job/jarURI").asText(),
                        deployment.toString());
            }
        }
        String cliJar = dockerfile.copyDestination(
                Repository.root().relativize(Repository.cliJar()).toString());
        commandPods()
                .forEach((what, pod) -> assertTrue(
                        CronCommand.of(pod.getContainers().getFirst())
                                .classPath()
                                .contains(cliJar),
                        what + " runs the command line's jar at " + cliJar));
    }

    @Test
    void theEntryClassesAreInTheirJarsAndStartOnAFlinkClassPath() throws Exception {
        String entryClass = streaming.at("/spec/job/entryClass").asText();
        try (JarFile jar = new JarFile(Repository.jobJar().toFile())) {
            assertEquals(
                    entryClass,
                    jar.getManifest().getMainAttributes().getValue("Main-Class"),
                    "the jar's Main-Class is the streaming job, for a plain REST run");
        }
        assertStartsOnAFlinkClassPath(List.of(entryClass), Repository.jobJar());
        List<String> commands = new java.util.ArrayList<>();
        commandPods()
                .values()
                .forEach(pod -> commands.add(
                        CronCommand.of(pod.getContainers().getFirst()).mainClass()));
        assertStartsOnAFlinkClassPath(commands, Repository.cliJar());
    }

    private static void assertStartsOnAFlinkClassPath(List<String> mains, Path jar) throws Exception {
        try (var loader = Build.clusterClassLoader(jar)) {
            for (String main : mains) {
                Method method = Class.forName(main, false, loader).getMethod("main", String[].class);
                assertTrue(Modifier.isStatic(method.getModifiers()), main + ".main is static, in " + jar);
            }
        }
    }

    @Test
    void everyFlinkJvmGetsTapiosJvmOptions() {
        String options = dockerfile.copyDestination("launcher/jvm.options");
        for (Manifest deployment : deployments) {
            assertEquals("@" + options, flinkConfig(deployment.body()).get("env.java.opts.all"), deployment.toString());
        }
        Container bench = cronPod(Manifests.named("CronJob", "tapio-bench"))
                .getContainers()
                .getFirst();
        assertTrue(bench.getCommand().contains("@" + options), "the benchmark's JVM too");
        assertTrue(agentPod().getContainers().getFirst().getCommand().contains("@" + options), "the agents' JVMs too");
    }

    @Test
    void taskManagersHaveWhatTheBpfProgramsNeedAndNoMore() {
        PodSpec pod = taskManagerPod();
        assertTrue(Boolean.TRUE.equals(pod.getHostPID()), "hostPID: processes of every pod by their host PID");
        assertBpfReady(pod, "the streaming TaskManager");
        assertBpfReady(cronPod(Manifests.named("CronJob", "tapio-bench")), "the benchmark");
        Container jobManagerSide =
                Manifests.YAML.convertValue(streaming.at("/spec/podTemplate/spec/containers/0"), Container.class);
        assertEquals(
                List.of("ALL"),
                jobManagerSide.getSecurityContext().getCapabilities().getDrop(),
                "other pods drop every capability");
        List<String> added =
                jobManagerSide.getSecurityContext().getCapabilities().getAdd();
        assertTrue(added == null || added.isEmpty(), "the JobManager gets none: " + added);
    }

    @Test
    void oneTaskManagerPerNodeOneSlotEachAndTheJobFollowsTheNodes() {
        List<PodAffinityTerm> required =
                taskManagerPod().getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        assertEquals(1, required.size());
        assertEquals("kubernetes.io/hostname", required.getFirst().getTopologyKey());
        // The labels Flink's native Kubernetes mode puts on the TaskManager pods it creates.
        Map<String, String> taskManagerLabels =
                Map.of("app", "tapio", "component", "taskmanager", "type", "flink-native-kubernetes");
        Map<String, String> selector = required.getFirst().getLabelSelector().getMatchLabels();
        assertTrue(
                taskManagerLabels.entrySet().containsAll(selector.entrySet()) && selector.containsKey("component"),
                "the anti-affinity selects this deployment's TaskManagers: " + selector);
        Map<String, String> config = flinkConfig(streaming);
        assertEquals("1", config.get("taskmanager.numberOfTaskSlots"));
        assertEquals("adaptive", config.get("jobmanager.scheduler"));
        assertEquals(
                config.get("taskmanager.rpc.port"),
                taskManagerPod()
                        .getContainers()
                        .getFirst()
                        .getLivenessProbe()
                        .getTcpSocket()
                        .getPort()
                        .getValue()
                        .toString(),
                "the liveness probe watches the TaskManager's RPC port");
    }

    @Test
    void resourcesAndPriorityAreTheGuides() {
        JsonNode resource = streaming.at("/spec/taskManager/resource");
        Map<String, String> config = flinkConfig(streaming);
        double limitCpu = resource.path("cpu").asDouble()
                * Double.parseDouble(config.get("kubernetes.taskmanager.cpu.limit-factor"));
        double limitMemory = mebibytes(resource.path("memory").asText())
                * Double.parseDouble(config.get("kubernetes.taskmanager.memory.limit-factor"));
        assertEquals(2.0, resource.path("cpu").asDouble(), "requests: cpu 2");
        assertEquals(4096, mebibytes(resource.path("memory").asText()), "requests: memory 4Gi");
        assertEquals(4.0, limitCpu, "limits: cpu 4");
        assertEquals(8192, limitMemory, "limits: memory 8Gi");

        PriorityClass critical = StrictKubernetes.read(
                Manifests.named("PriorityClass", "tapio-critical").body(), PriorityClass.class);
        assertEquals(1000, critical.getValue());
        assertFalse(critical.getGlobalDefault());
        assertEquals("tapio-critical", taskManagerPod().getPriorityClassName());
        assertEquals(
                "tapio-critical",
                streaming.at("/spec/podTemplate/spec/priorityClassName").asText(),
                "the JobManager too");
    }

    @Test
    void checkpointsAndHighAvailabilityGoToObjectStorage() {
        for (Manifest deployment : deployments) {
            Map<String, String> config = flinkConfig(deployment.body());
            for (String key : List.of("execution.checkpointing.dir", "high-availability.storageDir")) {
                assertTrue(config.getOrDefault(key, "").startsWith("s3://"), deployment + " " + key);
            }
            assertEquals("kubernetes", config.get("high-availability.type"), deployment.toString());
        }
        assertTrue(flinkConfig(streaming)
                .get("execution.checkpointing.savepoint-dir")
                .startsWith("s3://"));
        assertTrue(flinkConfig(streaming).containsKey("execution.checkpointing.interval"));
        assertTrue(dockerfile.text().contains("/opt/flink/plugins/s3-fs-hadoop/"), "the S3 file system is a plugin");
    }

    @Test
    void theWebUiIsBehindAnIngressAndCannotRunJars() {
        assertFalse(streaming.at("/spec/ingress/template").asText().isBlank());
        assertFalse(streaming.at("/spec/ingress/annotations").isEmpty(), "authentication at the ingress");
        assertEquals("false", flinkConfig(streaming).get("web.submit.enable"));
        assertEquals("false", flinkConfig(streaming).get("web.cancel.enable"));
    }

    @Test
    void theBenchmarkRunsEverySixHoursOnTheBenchNode() {
        JsonNode bench = Manifests.named("CronJob", "tapio-bench").body();
        assertEquals("0 */6 * * *", bench.at("/spec/schedule").asText());
        assertEquals("Forbid", bench.at("/spec/concurrencyPolicy").asText());
        assertEquals(
                List.of("bench", "job"),
                CronCommand.of(cronPod(Manifests.named("CronJob", "tapio-bench"))
                                .getContainers()
                                .getFirst())
                        .tapioArguments()
                        .subList(0, 2));
        assertEquals(
                Map.of("tapio.io/bench-node", "true"),
                cronPod(Manifests.named("CronJob", "tapio-bench")).getNodeSelector());
    }

    /**
     * Whatever reads or writes the history (the streaming job's JobManager, the batch CronJobs)
     * finds its --catalog file where the catalog ConfigMap is mounted, and the file is a catalog
     * Tapio can load.
     */
    @Test
    void everyHistoryUserMountsTheCatalogItNames() throws Exception {
        for (Manifest deployment : deployments) {
            if (deployment.body().at("/spec/job").isMissingNode()) {
                continue; // the batch session cluster: its jobs' clients (the CronJobs) read the catalog
            }
            PodSpec jobManager = StrictKubernetes.read(deployment.body().at("/spec/jobManager/podTemplate"), Pod.class)
                    .getSpec();
            assertCatalogMounted(
                    jobManager,
                    jobManager.getContainers().getFirst(),
                    jobArgs(deployment.body()),
                    deployment + "'s JobManager");
        }
        for (Manifest cron : Manifests.ofKind("CronJob")) {
            PodSpec pod = cronPod(cron);
            assertCatalogMounted(
                    pod,
                    pod.getContainers().getFirst(),
                    CronCommand.of(pod.getContainers().getFirst()).tapioArguments(),
                    cron.toString());
        }
    }

    /**
     * The node agents load the BPF programs like the node-local TaskManagers, publish where
     * the Kafka job reads, with a command line this build takes; that job's TaskManagers get
     * no capability at all.
     */
    @Test
    void theAgentsReadTheKernelAndPublishWhereTheKafkaJobReads() {
        PodSpec agent = agentPod();
        assertTrue(Boolean.TRUE.equals(agent.getHostPID()), "hostPID: processes of every pod by their host PID");
        assertBpfReady(agent, "the node agent");
        CronCommand command = CronCommand.of(agent.getContainers().getFirst());
        assertEquals(io.tapio.cli.Tapio.class.getName(), command.mainClass());
        var parsed = new picocli.CommandLine(new io.tapio.cli.Tapio())
                .parseArgs(command.tapioArguments().toArray(String[]::new))
                .subcommand();
        assertEquals("agent", parsed.commandSpec().name());

        JsonNode kafkaJob = Manifests.named("FlinkDeployment", "tapio-kafka").body();
        List<String> jobArgs = jobArgs(kafkaJob);
        assertEquals("kafka", jobArgs.get(jobArgs.indexOf("--source") + 1));
        for (String option : List.of("--bootstrap-servers", "--topic")) {
            assertEquals(parsed.matchedOptionValue(option, ""), jobArgs.get(jobArgs.indexOf(option) + 1), option);
        }
        assertTrue(
                kafkaJob.at("/spec/taskManager/podTemplate/spec/containers").isMissingNode(),
                "the Kafka job's TaskManagers read no kernel: no capabilities, no host mounts");
        Container common =
                Manifests.YAML.convertValue(kafkaJob.at("/spec/podTemplate/spec/containers/0"), Container.class);
        assertEquals(
                List.of("ALL"), common.getSecurityContext().getCapabilities().getDrop());
    }

    private static PodSpec agentPod() {
        return StrictKubernetes.read(
                        Manifests.named("DaemonSet", "tapio-agent").body(),
                        io.fabric8.kubernetes.api.model.apps.DaemonSet.class)
                .getSpec()
                .getTemplate()
                .getSpec();
    }

    /** The pods that run a Tapio command of their own (the CronJobs, the agents), by what they are. */
    private static Map<String, PodSpec> commandPods() {
        Map<String, PodSpec> pods = new java.util.LinkedHashMap<>();
        Manifests.ofKind("CronJob").forEach(cron -> pods.put(cron.toString(), cronPod(cron)));
        pods.put("the node agents", agentPod());
        return pods;
    }

    private static List<String> jobArgs(JsonNode deployment) {
        return Manifests.YAML.convertValue(deployment.at("/spec/job/args"), new TypeReference<>() {});
    }

    private static void assertCatalogMounted(PodSpec pod, Container container, List<String> args, String what)
            throws Exception {
        int option = args.indexOf("--catalog");
        assertTrue(option >= 0, what + " names the history's catalog: " + args);
        java.nio.file.Path file = java.nio.file.Path.of(args.get(option + 1));
        VolumeMount mount = container.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals(file.getParent().toString()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(what + " mounts nothing at " + file.getParent()));
        Volume volume = pod.getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(what + " has no volume " + mount.getName()));
        ConfigMap catalog = StrictKubernetes.read(
                Manifests.named("ConfigMap", volume.getConfigMap().getName()).body(), ConfigMap.class);
        String properties = catalog.getData().get(file.getFileName().toString());
        assertNotEquals(
                null, properties, what + ": " + catalog.getMetadata().getName() + " has no " + file.getFileName());
        java.nio.file.Path copy = java.nio.file.Files.createTempFile("catalog", ".properties");
        try {
            java.nio.file.Files.writeString(copy, properties);
            String warehouse =
                    HistoryConfig.load(copy.getParent(), copy).properties().get("warehouse");
            assertTrue(
                    warehouse.startsWith("s3://"),
                    "the history is on object storage, which every pod reaches: " + warehouse);
        } finally {
            java.nio.file.Files.delete(copy);
        }
    }

    private static void assertBpfReady(PodSpec pod, String what) {
        Container container = pod.getContainers().getFirst();
        var security = container.getSecurityContext();
        assertNotEquals(Boolean.TRUE, security.getPrivileged(), what + " is not privileged");
        assertEquals(BPF_CAPABILITIES, Set.copyOf(security.getCapabilities().getAdd()), what + " capabilities");
        assertEquals(List.of("ALL"), security.getCapabilities().getDrop(), what + " drops the rest");
        // Added capabilities reach only a root process (Kubernetes grants no ambient ones).
        assertEquals(0L, security.getRunAsUser(), what + " runs as root");
        for (String path : HOST_PATHS) {
            Volume volume = pod.getVolumes().stream()
                    .filter(v -> v.getHostPath() != null
                            && path.equals(v.getHostPath().getPath()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(what + " has no hostPath volume for " + path));
            VolumeMount mount = container.getVolumeMounts().stream()
                    .filter(m -> m.getName().equals(volume.getName()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(what + " does not mount " + path));
            assertEquals(path, mount.getMountPath(), what + " mounts the host's " + path + " at the same path");
        }
        EnvVar node = container.getEnv().stream()
                .filter(e -> e.getName().equals("NODE_NAME"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(what + " has no NODE_NAME"));
        assertEquals("spec.nodeName", node.getValueFrom().getFieldRef().getFieldPath());
    }

    private PodSpec taskManagerPod() {
        return StrictKubernetes.read(streaming.at("/spec/taskManager/podTemplate"), Pod.class)
                .getSpec();
    }

    static PodSpec cronPod(Manifest cron) {
        return StrictKubernetes.read(cron.body(), io.fabric8.kubernetes.api.model.batch.v1.CronJob.class)
                .getSpec()
                .getJobTemplate()
                .getSpec()
                .getTemplate()
                .getSpec();
    }

    static Map<String, String> flinkConfig(JsonNode deployment) {
        return Manifests.YAML.convertValue(
                deployment.at("/spec/flinkConfiguration"), new TypeReference<Map<String, String>>() {});
    }

    private static double mebibytes(String flinkMemory) {
        if (flinkMemory.endsWith("m")) {
            return Double.parseDouble(flinkMemory.substring(0, flinkMemory.length() - 1));
        }
        if (flinkMemory.endsWith("g")) {
            return 1024 * Double.parseDouble(flinkMemory.substring(0, flinkMemory.length() - 1));
        }
        throw new AssertionError("write Flink memory sizes as NNNm or NNg: " + flinkMemory);
    }
}
