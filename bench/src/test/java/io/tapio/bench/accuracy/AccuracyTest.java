package io.tapio.bench.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault suite on this machine, as {@code ./tapio bench accuracy} runs it: real faults,
 * the real BPF programs and the real pipeline, with benign activity around. Root.
 */
class AccuracyTest {
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void everyRealFaultIsFoundAndNothingElseIsReported() throws Exception {
        AccuracyRun.Result result = AccuracyRun.run(Scenarios.all(), Scenarios.correlation(), System.out::println);

        for (AccuracyRun.Outcome outcome : result.outcomes()) {
            assertTrue(
                    outcome.detected(),
                    outcome.scenario().name() + " was not found as "
                            + outcome.scenario().expectedPattern() + "; findings: " + result.truePositives()
                            + result.falsePositives());
        }
        assertEquals(List.of(), result.falsePositives());
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aBenignMachineProducesNoFindingOfSeverityWarningOrAbove() throws Exception {
        AccuracyRun.Result result = AccuracyRun.run(List.of(), Scenarios.correlation(), System.out::println);

        assertEquals(List.of(), result.falsePositives());
    }
}
