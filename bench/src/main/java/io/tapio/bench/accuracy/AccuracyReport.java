package io.tapio.bench.accuracy;

import io.tapio.model.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The accuracy suite's figures over several runs: recall and precision against the seed
 * guide's targets (98% each), false positives, and how fast faults became findings.
 *
 * @param faultRuns runs with the scenarios
 * @param benignRuns runs with the benign background alone
 */
public record AccuracyReport(List<AccuracyRun.Result> faultRuns, List<AccuracyRun.Result> benignRuns) {
    public static final double TARGET = 0.98;

    public long injected() {
        return faultRuns.stream().mapToLong(r -> r.outcomes().size()).sum();
    }

    public long detected() {
        return faultRuns.stream()
                .flatMap(r -> r.outcomes().stream())
                .filter(AccuracyRun.Outcome::detected)
                .count();
    }

    public double recall() {
        return injected() == 0 ? 1 : (double) detected() / injected();
    }

    public List<Finding> falsePositives() {
        List<Finding> all = new ArrayList<>();
        faultRuns.forEach(r -> all.addAll(r.falsePositives()));
        benignRuns.forEach(r -> all.addAll(r.falsePositives()));
        return all;
    }

    public long truePositives() {
        return faultRuns.stream().mapToLong(r -> r.truePositives().size()).sum();
    }

    public double precision() {
        long reported = truePositives() + falsePositives().size();
        return reported == 0 ? 1 : (double) truePositives() / reported;
    }

    /** Per scenario: how often found, and the median time from the fault's start to its finding. */
    public Map<String, String> byScenario() {
        Map<String, List<AccuracyRun.Outcome>> grouped = new TreeMap<>();
        faultRuns.forEach(r -> r.outcomes()
                .forEach(o -> grouped.computeIfAbsent(o.scenario().name(), k -> new ArrayList<>())
                        .add(o)));
        Map<String, String> lines = new TreeMap<>();
        grouped.forEach((name, outcomes) -> {
            List<Long> times = outcomes.stream()
                    .filter(AccuracyRun.Outcome::detected)
                    .map(AccuracyRun.Outcome::timeToFindingMillis)
                    .sorted()
                    .toList();
            lines.put(
                    name,
                    String.format(
                            "%d/%d found, median time to finding %s",
                            times.size(),
                            outcomes.size(),
                            times.isEmpty() ? "-" : String.format("%.1f s", times.get(times.size() / 2) / 1000.0)));
        });
        return lines;
    }

    /** From the kernel's timestamp of the event that completed a finding to the finding. */
    public List<Long> pipelineLatenciesNanos() {
        return faultRuns.stream()
                .flatMap(r -> r.truePositives().stream())
                .map(Finding::latencyNanos)
                .filter(l -> l > 0)
                .sorted()
                .toList();
    }

    public boolean meetsTargets() {
        return recall() >= TARGET && precision() >= TARGET;
    }
}
