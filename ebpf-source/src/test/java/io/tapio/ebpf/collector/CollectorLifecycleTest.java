package io.tapio.ebpf.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.testing.LoadedPrograms;
import io.tapio.testing.Commands;
import io.tapio.testing.JavaProcess;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Nothing stays attached: not after close, not after the JVM dies with a collector open. */
class CollectorLifecycleTest {
    @Test
    void closeDetachesAndUnloadsEveryProgram() {
        KernelCollector collector = KernelCollector.open(
                CollectorConfig.builder().ringBufferBytes(1 << 20).build());
        assertFalse(LoadedPrograms.named("tapio_").isEmpty(), "loaded while open");

        collector.close();

        assertEquals(List.of(), LoadedPrograms.awaitNone("tapio_"));
        collector.close(); // a second close is harmless
    }

    @ParameterizedTest
    @ValueSource(strings = {"halt", "throw"})
    void nothingStaysAttachedWhenTheJvmDiesWithTheCollectorOpen(String death) {
        Commands.Result child = Commands.run(JavaProcess.command(CollectorProcessMain.class, death));

        assertTrue(child.output().contains("attached 10 types"), child.output());
        assertTrue(child.exitCode() != 0, "the JVM died: " + child.exitCode());
        assertEquals(List.of(), LoadedPrograms.awaitNone("tapio_"));
    }

    /** The JVM exits while a reader still waits on the ring: the collector closes without a word. */
    @Test
    void aJvmThatExitsWhileAThreadWaitsOnTheRingSaysNothingOfIt() {
        Commands.Result child = Commands.run(JavaProcess.command(CollectorProcessMain.class, "exit-while-waiting"));

        assertEquals(5, child.exitCode(), child.output());
        assertFalse(child.output().contains("Exception"), child.output());
        assertEquals(List.of(), LoadedPrograms.awaitNone("tapio_"));
    }
}
