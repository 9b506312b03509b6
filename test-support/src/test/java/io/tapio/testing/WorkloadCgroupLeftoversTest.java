package io.tapio.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A workload cgroup does not outlive the JVM that made it with what runs in it, however that JVM
 * ends: a workload left running (a CPU hog, a fork loop) would load every later test and
 * measurement on the machine. Real cgroups and processes (root).
 */
class WorkloadCgroupLeftoversTest {
    @Test
    void aJvmStoppedAsCtrlCStopsItRemovesItsCgroupAndStopsWhatRunsInIt() throws Exception {
        Leftover left = startAndStop(false);

        assertFalse(Files.exists(left.cgroup()), "the cgroup is removed as the JVM ends: " + left.cgroup());
        assertFalse(left.workload().isAlive(), "the workload in it is stopped as the JVM ends");
    }

    @Test
    void theCgroupOfAKilledJvmIsRemovedWithWhatRunsInItByTheNextThatMakesOne() throws Exception {
        Leftover left = startAndStop(true);
        assertTrue(Files.exists(left.cgroup()), "a killed JVM cannot remove its cgroup: " + left.cgroup());
        assertTrue(left.workload().isAlive(), "nor stop what runs in it");
        // As if it had been killed saving its ledger, too.
        Path ledger = ledgersOf(left.jvm()).getFirst();
        Files.copy(ledger, ledger.resolveSibling(ledger.getFileName() + ".new"));

        try (WorkloadCgroup next = WorkloadCgroup.create()) {
            assertFalse(Files.exists(left.cgroup()), "the next cgroup made removes the leftover " + left.cgroup());
            assertTrue(
                    left.workload().onExit().get(5, TimeUnit.SECONDS) != null
                            && !left.workload().isAlive(),
                    "and stops the workload left in it");
            assertTrue(Files.exists(next.path()), "and is made itself");
            assertEquals(
                    List.of(),
                    ledgersOf(left.jvm()),
                    "the killed JVM's ledger, and the save it was killed in, are gone");
        }
    }

    private record Leftover(long jvm, Path cgroup, ProcessHandle workload) {}

    /** The ledger files of the JVM with pid {@code jvm}. */
    private static List<Path> ledgersOf(long jvm) throws IOException {
        try (Stream<Path> all = Files.list(CgroupLedger.DIR)) {
            return all.filter(f -> f.getFileName().toString().startsWith(jvm + "-"))
                    .toList();
        }
    }

    /** Runs {@link LeavesAWorkload} until its workload runs, then stops it with SIGKILL or SIGTERM. */
    private static Leftover startAndStop(boolean kill) throws Exception {
        String name = "tapio-leftover-" + UUID.randomUUID();
        Process jvm = new ProcessBuilder(JavaProcess.command(LeavesAWorkload.class, name))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            String ready =
                    new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertTrue(ready != null && ready.startsWith("ready "), "the JVM started its workload: " + ready);
            String[] said = ready.split(" ");
            ProcessHandle workload = ProcessHandle.of(Long.parseLong(said[1])).orElseThrow();
            Path cgroup = Path.of(said[2]);
            assertEquals(
                    "0::/" + name,
                    Files.readString(Path.of("/proc", said[1], "cgroup"))
                            .lines()
                            .filter(line -> line.startsWith("0::"))
                            .findFirst()
                            .orElse(""),
                    "the workload runs in the cgroup");
            if (kill) {
                jvm.destroyForcibly();
            } else {
                jvm.destroy();
            }
            assertTrue(jvm.waitFor(30, TimeUnit.SECONDS), "the JVM ended");
            return new Leftover(jvm.pid(), cgroup, workload);
        } finally {
            jvm.destroyForcibly();
        }
    }
}
