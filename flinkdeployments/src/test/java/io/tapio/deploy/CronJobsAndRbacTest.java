package io.tapio.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.tapio.cli.Tapio;
import io.tapio.deploy.Manifests.Manifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The CronJobs run commands this build's CLI takes, against a cluster the manifests define;
 * the TaskManagers' identity can read pods and their owners, and write nothing but the Events
 * it posts findings as.
 */
class CronJobsAndRbacTest {
    private static final Set<String> READ = Set.of("get", "list", "watch");
    /** What posting a finding as an Event needs, and all its identity may write. */
    private static final Set<String> EVENTS = Set.of("create", "patch");

    static Stream<Manifest> cronJobs() {
        return Manifests.ofKind("CronJob").stream();
    }

    /** The CronJobs that submit through Flink's client (the benchmark runs on a node of its own instead). */
    static Stream<Manifest> cronJobsSubmittingToFlink() {
        return cronJobs()
                .filter(cron -> DeploymentRequirementsTest.cronPod(cron)
                        .getContainers()
                        .getFirst()
                        .getCommand()
                        .getFirst()
                        .endsWith("/flink"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cronJobs")
    void eachCronJobRunsATapioCommandLineThisBuildParses(Manifest cron) {
        CronCommand command = CronCommand.of(
                DeploymentRequirementsTest.cronPod(cron).getContainers().getFirst());
        assertEquals(Tapio.class.getName(), command.mainClass());
        CommandLine cli = new CommandLine(new Tapio());
        String subcommand = command.tapioArguments().getFirst();
        assertTrue(
                cli.getSubcommands().containsKey(subcommand), "'tapio " + subcommand + "' is a command of this build");
        CommandLine.ParseResult parsed = cli.parseArgs(command.tapioArguments().toArray(String[]::new));
        assertEquals(subcommand, parsed.subcommand().commandSpec().name());
        assertEquals(List.of(), parsed.unmatched(), "every argument is an option of 'tapio " + subcommand + "'");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cronJobsSubmittingToFlink")
    void aCronJobThatSubmitsToFlinkNamesTheBatchSessionCluster(Manifest cron) {
        CronCommand command = CronCommand.of(
                DeploymentRequirementsTest.cronPod(cron).getContainers().getFirst());
        Manifest session = Manifests.named("FlinkDeployment", "tapio-batch");
        assertTrue(session.body().at("/spec/job").isMissingNode(), "tapio-batch is a session cluster (no job)");
        assertEquals("remote", command.flinkProperties().get("execution.target"));
        // The operator exposes a FlinkDeployment's REST API as the Service NAME-rest on 8081.
        assertEquals(session.name() + "-rest", command.flinkProperties().get("rest.address"));
        assertEquals("8081", command.flinkProperties().get("rest.port"));
        assertEquals(session.body().at("/metadata/namespace"), cron.body().at("/metadata/namespace"));
    }

    /**
     * Flink 2.1.1's own client takes the CronJob's options and starts io.tapio.cli.Tapio from the
     * command line's jar. Tapio's arguments are replaced by --version, which contacts no cluster: what the
     * commands do is their own tests' business.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cronJobsSubmittingToFlink")
    void flinksClientTakesTheCommandLineOfACronJobThatSubmits(Manifest cron, @TempDir Path conf) throws Exception {
        List<String> command = DeploymentRequirementsTest.cronPod(cron)
                .getContainers()
                .getFirst()
                .getCommand();
        Files.writeString(conf.resolve("config.yaml"), "");
        String jarInImage = CronCommand.of(
                        DeploymentRequirementsTest.cronPod(cron).getContainers().getFirst())
                .classPath();
        List<String> client = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + Repository.path("launcher/jvm.options"),
                "-cp",
                String.join(
                        ":",
                        Build.flinkDistribution().stream().map(Path::toString).toList()),
                "org.apache.flink.client.cli.CliFrontend"));
        for (String word : command.subList(1, command.indexOf(jarInImage))) {
            client.add(word);
        }
        client.add(Repository.cliJar().toString());
        client.add("--version");
        ProcessBuilder builder = new ProcessBuilder(client).redirectErrorStream(true);
        builder.environment().put("FLINK_CONF_DIR", conf.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("tapio 0.1.0"), output);
    }

    @Test
    void taskManagersReadPodsAndTheirOwnersEverywhereAndWriteOnlyEvents() {
        String account = DeploymentRequirementsTest.flinkConfig(
                        Manifests.named("FlinkDeployment", "tapio").body())
                .get("kubernetes.taskmanager.service-account");
        Manifests.named("ServiceAccount", account);
        List<PolicyRule> clusterWide = clusterRules(account);
        List<PolicyRule> all = new ArrayList<>(clusterWide);
        all.addAll(namespaceRules(account));
        for (PolicyRule rule : all) {
            boolean events = rule.getApiGroups().equals(List.of(""))
                    && rule.getResources().equals(List.of("events"));
            assertTrue(
                    events ? EVENTS.containsAll(rule.getVerbs()) : READ.containsAll(rule.getVerbs()),
                    "read-only but for creating and patching Events, not " + rule.getVerbs() + " on "
                            + rule.getResources());
            assertTrue(
                    rule.getResourceNames() == null || rule.getResourceNames().isEmpty(), "no rule names objects");
        }
        for (String[] owner : new String[][] {
            {"", "pods"},
            {"apps", "replicasets"},
            {"apps", "deployments"},
            {"apps", "statefulsets"},
            {"apps", "daemonsets"},
            {"batch", "jobs"},
            {"batch", "cronjobs"}
        }) {
            assertTrue(
                    clusterWide.stream()
                            .anyMatch(r -> r.getApiGroups().contains(owner[0])
                                    && r.getResources().contains(owner[1])
                                    && r.getVerbs().containsAll(READ)),
                    "can get, list and watch " + owner[1] + " in every namespace");
        }
    }

    /** The findings' Events go on pods in every namespace: create, and patch for an episode's later reports. */
    @Test
    void taskManagersCreateAndPatchEventsInEveryNamespace() {
        String account = DeploymentRequirementsTest.flinkConfig(
                        Manifests.named("FlinkDeployment", "tapio").body())
                .get("kubernetes.taskmanager.service-account");
        assertTrue(
                clusterRules(account).stream()
                        .anyMatch(r -> r.getApiGroups().contains("")
                                && r.getResources().contains("events")
                                && r.getVerbs().containsAll(EVENTS)),
                "can create and patch events in every namespace");
    }

    @Test
    void jobManagersManageTheirTaskManagerPodsInTheirNamespaceOnly() {
        String account = Manifests.named("FlinkDeployment", "tapio")
                .body()
                .at("/spec/serviceAccount")
                .asText();
        Manifests.named("ServiceAccount", account);
        assertTrue(clusterRules(account).isEmpty(), "nothing cluster-wide");
        assertTrue(namespaceRules(account).stream()
                .anyMatch(r -> r.getResources().contains("pods")
                        && r.getVerbs().containsAll(List.of("create", "delete", "watch"))));
        assertFalse(
                account.equals(DeploymentRequirementsTest.flinkConfig(
                                Manifests.named("FlinkDeployment", "tapio").body())
                        .get("kubernetes.taskmanager.service-account")),
                "the pods with BPF capabilities have another identity");
    }

    private static List<PolicyRule> clusterRules(String account) {
        List<PolicyRule> rules = new ArrayList<>();
        for (Manifest m : Manifests.ofKind("ClusterRoleBinding")) {
            ClusterRoleBinding binding = StrictKubernetes.read(m.body(), ClusterRoleBinding.class);
            if (binds(binding.getSubjects(), account)) {
                rules.addAll(StrictKubernetes.read(
                                Manifests.named(
                                                "ClusterRole",
                                                binding.getRoleRef().getName())
                                        .body(),
                                ClusterRole.class)
                        .getRules());
            }
        }
        return rules;
    }

    private static List<PolicyRule> namespaceRules(String account) {
        List<PolicyRule> rules = new ArrayList<>();
        for (Manifest m : Manifests.ofKind("RoleBinding")) {
            RoleBinding binding = StrictKubernetes.read(m.body(), RoleBinding.class);
            if (binds(binding.getSubjects(), account)) {
                rules.addAll(StrictKubernetes.read(
                                Manifests.named(
                                                binding.getRoleRef().getKind(),
                                                binding.getRoleRef().getName())
                                        .body(),
                                Role.class)
                        .getRules());
            }
        }
        return rules;
    }

    private static boolean binds(List<Subject> subjects, String account) {
        return subjects.stream()
                .anyMatch(s -> s.getKind().equals("ServiceAccount")
                        && s.getName().equals(account)
                        && s.getNamespace().equals("tapio-system"));
    }
}
