package io.tapio.testing;

import java.nio.file.Files;

/**
 * A JVM that makes a workload cgroup (named by its argument), starts a long sleep in it, once it runs there says
 * {@code ready PID PATH} with the sleep's pid and the cgroup's path, and waits to be stopped without closing anything.
 */
public final class LeavesAWorkload {
    private LeavesAWorkload() {}

    public static void main(String[] args) throws Exception {
        WorkloadCgroup cgroup = WorkloadCgroup.create(args[0]);
        Process sleep = new ProcessBuilder(cgroup.wrap("/bin/sleep 300"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        while (!Files.readAllLines(cgroup.path().resolve("cgroup.procs")).contains(Long.toString(sleep.pid()))) {
            Thread.sleep(10); // its shell moves itself in, then becomes the sleep
        }
        System.out.println("ready " + sleep.pid() + " " + cgroup.path());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
