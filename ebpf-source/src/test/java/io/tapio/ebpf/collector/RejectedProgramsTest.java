package io.tapio.ebpf.collector;

import static io.tapio.ebpf.testing.RecordingReader.eventOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.Exec;
import io.tapio.ebpf.abi.Exit;
import io.tapio.ebpf.testing.RecordingReader;
import io.tapio.ebpf.testing.TestPrograms;
import io.tapio.testing.Commands;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A kernel that refuses some programs still gets every other type: Tapio's object with the
 * signal and run-queue programs replaced by ones this kernel rejects (bpf/test/rejected_programs.bpf.c),
 * loaded as the collector loads its own. Runs as root.
 */
class RejectedProgramsTest {
    private static final CollectorConfig CONFIG = CollectorConfig.builder()
            .ringBufferBytes(4 << 20)
            .runqThreshold(Duration.ZERO)
            .build();

    private static KernelCollector collector;
    private static RecordingReader events;

    @BeforeAll
    static void load() {
        try (RunningKernel kernel = new RunningKernel()) {
            collector = KernelCollector.open(CONFIG, TestPrograms.bytes("tapio-with-rejected.bpf.o"), kernel);
        }
        events = new RecordingReader(collector.reader());
    }

    @AfterAll
    static void unload() {
        events.close();
        collector.close();
    }

    @Test
    void eachRejectedTypeIsUnavailableWithTheVerifiersReason() {
        Map<EventType, String> unavailable = collector.unavailable();

        assertEquals(Set.of(EventType.SIGNAL, EventType.RUNQ_LATENCY), unavailable.keySet(), unavailable.toString());
        String signal = unavailable.get(EventType.SIGNAL);
        assertTrue(
                signal.startsWith("this kernel rejected program tapio_signal: failed to resolve CO-RE relocation ")
                        && signal.contains("task_struct___no_kernel_has_it.tapio_missing_field"),
                signal);
        assertEquals(
                "this kernel rejected program tapio_sched_switch: R0 invalid mem access 'map_value_or_null'",
                unavailable.get(EventType.RUNQ_LATENCY));
        assertEquals(Map.of(), collector.limitations());
    }

    @Test
    void everyOtherTypeIsAttached() {
        Set<EventType> expected = EnumSet.copyOf(CONFIG.enabledTypes());
        expected.removeAll(List.of(EventType.SIGNAL, EventType.RUNQ_LATENCY));

        assertEquals(expected, collector.attachedTypes());
    }

    @Test
    void theAcceptedProgramsDeliverRealEvents() throws InterruptedException {
        Process target = Commands.start(List.of("/bin/sleep", "30"));
        Commands.Result killer = Commands.run("/bin/sh", "-c", "kill -9 " + target.pid());
        assertTrue(target.waitFor(10, TimeUnit.SECONDS));

        events.await(
                "exec of sleep",
                e -> eventOf(EventType.EXEC, target.pid()).test(e)
                        && e.payload(Exec.class).filename().equals("/bin/sleep"));
        assertEquals(
                9,
                events.await("exit of sleep", eventOf(EventType.EXIT, target.pid()))
                        .payload(Exit.class)
                        .signal());
        events.await("exit of the killer", eventOf(EventType.EXIT, killer.pid()));
        assertEquals(List.of(), events.matching(e -> e.type() == EventType.SIGNAL));
        assertEquals(List.of(), events.matching(e -> e.type() == EventType.RUNQ_LATENCY));
    }
}
