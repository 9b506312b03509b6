package io.tapio.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tapio.deploy.FlinkRest.Job;
import io.tapio.deploy.FlinkRest.Subtask;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tapio's streaming job on a real Flink session cluster of separate JVMs on loopback (a
 * JobManager, TaskManagers on 127.0.0.2 and 127.0.0.3), submitted as the job jar through
 * Flink's REST API: each TaskManager reads a kernel, and the job survives losing one.
 * Needs root, like every test that loads the BPF programs.
 */
class LocalClusterTest {
    private static final long WAIT_SECONDS = 90;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void everyTaskManagerReadsItsKernelAndTheJobRecoversWhenOneIsLost() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(dir)) {
            FlinkRest rest = new FlinkRest(cluster.restUrl());
            try {
                awaitTaskManagers(rest, 2);
                String job = cluster.submit();

                Job running = await(rest, job, j -> j.runningWith(2) && allReadingWithEvents(j), "running on both");
                assertEquals(Set.of("127.0.0.2", "127.0.0.3"), hosts(running), "one reader per TaskManager");

                cluster.killTaskManager(2);
                Job survived = await(
                        rest,
                        job,
                        j -> j.runningWith(1) && allReadingWithEvents(j),
                        "running again on the TaskManager that is left");
                assertEquals(Set.of("127.0.0.2"), hosts(survived));
                assertFalse(rest.exceptionHistory(job).isEmpty(), "the lost TaskManager is in the job's exceptions");

                cluster.startTaskManager(2);
                Job grown = await(
                        rest,
                        job,
                        j -> j.runningWith(2) && allReadingWithEvents(j) && hosts(j).size() == 2,
                        "back on both once the TaskManager returns");
                assertEquals(Set.of("127.0.0.2", "127.0.0.3"), hosts(grown));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n" + cluster.diagnostics(), e);
            }
            cluster.close();
            assertEquals(List.of(), cluster.livePids(), "stop leaves no process behind");
        }
    }

    private static boolean allReadingWithEvents(Job job) {
        return job.sources().stream().allMatch(s -> s.readsKernel() && s.events() > 0);
    }

    private static Set<String> hosts(Job job) {
        return job.sources().stream().map(Subtask::host).collect(Collectors.toSet());
    }

    private static void awaitTaskManagers(FlinkRest rest, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            try {
                if (rest.taskManagers() == count) {
                    return;
                }
            } catch (java.io.IOException starting) {
                // the JobManager's REST endpoint is not up yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError(count + " TaskManagers never registered");
    }

    /**
     * Polls the job until it is as expected, making a little kernel activity meanwhile (a
     * process that starts and exits) so that every reader has events to show.
     */
    private static Job await(FlinkRest rest, String job, Predicate<Job> expected, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        Job last = null;
        while (System.nanoTime() < deadline) {
            new ProcessBuilder("/bin/sh", "-c", "exit 3").start().waitFor();
            last = rest.job(job);
            if (expected.test(last)) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the job was never " + what + "; last seen: " + last);
    }
}
