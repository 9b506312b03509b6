package io.tapio.bench.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault suite on this machine, as {@code ./tapio bench accuracy} runs it, once: real faults,
 * things that must stay silent and the benign corpus of real programs, read by the real BPF
 * programs and pipeline. Root.
 */
class AccuracyTest {
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void everyFaultIsOneIncidentAndNothingElseIsReported() throws Exception {
        AccuracyRun.Result result = AccuracyRun.run(Scenarios.all(), Scenarios.correlation(), System.out::println);
        AccuracyReport report = new AccuracyReport(List.of(result), List.of());

        List<String> wrong = new ArrayList<>();
        for (AccuracyRun.Outcome outcome : result.outcomes()) {
            Scenario.Expected expected = outcome.scenario().expected();
            System.out.println(outcome.scenario().name() + ": " + outcome.incidents());
            if (expected.nothing() ? !outcome.incidents().isEmpty() : outcome.found() == null) {
                wrong.add(outcome.scenario().name() + " must make " + expected + ", made " + outcome.incidents());
            } else if (!expected.nothing() && result.ownIncidents(outcome).size() != 1) {
                wrong.add(outcome.scenario().name() + " must be one incident, not " + result.ownIncidents(outcome));
            }
        }
        result.benign().forEach((program, incidents) -> {
            List<AccuracyRun.Incident> own = incidents.stream()
                    .filter(i -> !result.explainedElsewhere(i)) // a CPU hog starves everything on its CPU
                    .toList();
            if (!own.isEmpty()) {
                wrong.add(program + " is benign, made " + own);
            }
        });
        assertEquals(List.of(), wrong);
        assertEquals(List.of(), result.missing(), "the whole corpus runs on the machines Tapio is tested on");
        result.outside().forEach(i -> System.out.println("outside the experiment: " + i));
        System.out.printf("precision %.3f, recall %.3f%n", report.precision(), report.recall());
    }
}
