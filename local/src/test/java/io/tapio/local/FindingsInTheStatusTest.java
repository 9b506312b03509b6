package io.tapio.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tapio.correlate.CorrelationConfig;
import io.tapio.ebpf.synthetic.InjectedFault;
import io.tapio.ebpf.synthetic.SyntheticConfig;
import io.tapio.ebpf.synthetic.Workload;
import io.tapio.export.FindingExports;
import io.tapio.job.SourceSpec;
import io.tapio.rollup.RegressionConfig;
import io.tapio.status.TapioStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the job finds reaches what a person reads: a crash loop played by the synthetic source
 * is in the status that the live summary and {@code tapio check} show, with its cause.
 */
class FindingsInTheStatusTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aCrashLoopIsInTheStatusWhileTheRunGoesOn() throws Exception {
        InjectedFault missing = new InjectedFault.MissingFile(
                new Workload(30_001, "api"), Duration.ofSeconds(1), Duration.ZERO, "/etc/api/config.yaml");
        RunOptions options = new RunOptions(
                new SourceSpec.Synthetic(
                        SyntheticConfig.builder()
                                .eventsPerSecond(200)
                                .fault(missing)
                                .build(),
                        Long.MAX_VALUE,
                        true),
                null,
                dir.resolve("data"),
                0,
                0,
                0,
                null,
                Duration.ofSeconds(10),
                CorrelationConfig.defaults(),
                RegressionConfig.defaults(),
                null,
                FindingExports.NONE,
                true);
        List<TapioStatus.Finding> findings = List.of();
        try (LocalTapio tapio = LocalTapio.start(options)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (findings.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(500);
                findings = tapio.refresh().findings();
            }
        }
        TapioStatus.Finding found = findings.stream()
                .findFirst()
                .orElseThrow(() -> new AssertionError("no finding in the status within 90 s"));
        assertEquals("crash_loop", found.pattern());
        assertEquals("warning", found.severity());
        assertEquals(new TapioStatus.Cause("missing_file", "/etc/api/config.yaml"), found.cause());
    }
}
