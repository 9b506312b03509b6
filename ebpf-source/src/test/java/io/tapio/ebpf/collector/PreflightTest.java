package io.tapio.ebpf.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.testing.Commands;
import io.tapio.testing.JavaProcess;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Missing privileges and a missing tracefs are named, with their fix, before anything loads. */
class PreflightTest {
    @Test
    void withoutCapabilitiesTheErrorNamesTheMissingOnesAndTheFix() {
        // Root, but with an empty bounding set: the child JVM has no capabilities at all.
        List<String> command = new ArrayList<>(
                List.of("setpriv", "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all", "--"));
        command.addAll(JavaProcess.command(CollectorProcessMain.class, "halt"));

        Commands.Result child = Commands.run(command);

        assertEquals(3, child.exitCode(), child.output());
        assertTrue(child.output().contains("lacks CAP_BPF and CAP_PERFMON"), child.output());
        assertTrue(child.output().contains("Run it as root"), child.output());
        assertTrue(child.output().contains("--source synthetic"), child.output());
    }

    @Test
    void anUnmountedTracefsIsMountedAgain() {
        if (Files.isDirectory(Preflight.TRACEFS.resolve("events"))) {
            Commands.check("umount", Preflight.TRACEFS.toString());
        }
        assertTrue(!Files.isDirectory(Preflight.TRACEFS.resolve("events")), "tracefs is unmounted");

        Preflight.ensureTracefs();

        assertTrue(Files.isDirectory(Preflight.TRACEFS.resolve("events/syscalls/sys_enter_openat")));
    }
}
