package io.tapio.bench.accuracy;

import io.tapio.bench.accuracy.AccuracyRun.Incident;
import io.tapio.bench.accuracy.AccuracyRun.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The accuracy suite's figures over several runs, counting every incident of severity warning
 * or above the pipeline reported anywhere on the machine: the scenarios' own, the benign
 * corpus's, and those of workloads outside the experiment. An incident is true when it is the
 * one its scenario must make (or the pattern of a fault that harms others); every other is
 * false.
 *
 * <p>Targets: recall 100%, precision at least 99%, exactly one incident per injected fault,
 * none in the silent scenarios and none in the benign corpus.
 *
 * @param faultRuns runs with the scenarios beside the corpus
 * @param benignRuns runs of the corpus alone
 */
public record AccuracyReport(List<AccuracyRun.Result> faultRuns, List<AccuracyRun.Result> benignRuns) {
    public static final double PRECISION_TARGET = 0.99;

    /** A false incident, and where it was: which run, and whose workload. */
    public record FalseIncident(String where, Incident incident) {
        /** {@code benign run 1, benign program 'parallel build', 31.0 s into the run for 4.2 s: cpu_starvation ...}. */
        @Override
        public String toString() {
            return where + ": " + incident;
        }
    }

    private Stream<AccuracyRun.Result> allRuns() {
        return Stream.concat(faultRuns.stream(), benignRuns.stream());
    }

    private Stream<Outcome> faults() {
        return faultRuns.stream()
                .flatMap(r -> r.outcomes().stream())
                .filter(o -> !o.scenario().expected().nothing());
    }

    /** Faults made, over the runs. */
    public long injected() {
        return faults().count();
    }

    /** Faults whose incident was found. */
    public long detected() {
        return faults().filter(o -> o.found() != null).count();
    }

    public double recall() {
        return injected() == 0 ? 1 : (double) detected() / injected();
    }

    /** The incidents that are what was made to happen. */
    public long trueIncidents() {
        long found = detected();
        long elsewhere = allRuns()
                .mapToLong(r ->
                        everyOther(r).stream().filter(r::explainedElsewhere).count())
                .sum();
        return found + elsewhere;
    }

    /** Every other incident: extra ones in a scenario's workload, the silent scenarios', the corpus's, the outside's. */
    public List<FalseIncident> falseIncidents() {
        List<FalseIncident> all = new ArrayList<>();
        for (int r = 0; r < faultRuns.size(); r++) {
            addFalse(all, "fault run " + (r + 1), faultRuns.get(r));
        }
        for (int r = 0; r < benignRuns.size(); r++) {
            addFalse(all, "benign run " + (r + 1), benignRuns.get(r));
        }
        return all;
    }

    private static void addFalse(List<FalseIncident> all, String run, AccuracyRun.Result result) {
        everyOther(result).stream()
                .filter(i -> !result.explainedElsewhere(i))
                .forEach(i -> all.add(new FalseIncident(
                        String.format(
                                "%s, %s, %.1f s into the run for %.1f s",
                                run, result.workloadOf(i), result.secondsIntoRun(i), i.lastedSeconds()),
                        i)));
    }

    public double precision() {
        long reported = trueIncidents() + falseIncidents().size();
        return reported == 0 ? 1 : (double) trueIncidents() / reported;
    }

    /** Incidents in each fault's workload, over the runs: exactly 1 each is the target. */
    public List<Integer> incidentsPerFault() {
        return faultRuns.stream()
                .flatMap(r -> r.outcomes().stream()
                        .filter(o -> !o.scenario().expected().nothing())
                        .map(o -> r.ownIncidents(o).size()))
                .toList();
    }

    /**
     * The benign corpus's incidents, over all runs, but those a fault of the same run explains
     * (a CPU hog starves the corpus too): a fault of another run explains nothing.
     */
    public List<Incident> benignIncidents() {
        return allRuns()
                .flatMap(r -> r.benign().values().stream().flatMap(List::stream).filter(i -> !r.explainedElsewhere(i)))
                .toList();
    }

    public double benignProgramHours() {
        return allRuns().mapToDouble(AccuracyRun.Result::programHours).sum();
    }

    /** False incidents of the benign corpus per program-hour of it. */
    public double falseIncidentsPerBenignProgramHour() {
        double hours = benignProgramHours();
        return hours == 0 ? 0 : benignIncidents().size() / hours;
    }

    /**
     * Per scenario: what it must make, how often it was found, its own incidents in each run
     * ({@link AccuracyRun.Result#ownIncidents}), and the median time from the fault's start to
     * its incident.
     */
    public Map<String, String> byScenario() {
        Map<String, List<Outcome>> grouped = new LinkedHashMap<>();
        Map<String, List<Integer>> own = new LinkedHashMap<>();
        faultRuns.forEach(r -> r.outcomes().forEach(o -> {
            grouped.computeIfAbsent(o.scenario().name(), k -> new ArrayList<>()).add(o);
            own.computeIfAbsent(o.scenario().name(), k -> new ArrayList<>())
                    .add(r.ownIncidents(o).size());
        }));
        Map<String, String> lines = new LinkedHashMap<>();
        grouped.forEach((name, outcomes) -> {
            Scenario.Expected expected = outcomes.getFirst().scenario().expected();
            List<Long> times = outcomes.stream()
                    .filter(o -> o.found() != null)
                    .map(Outcome::timeToFindingMillis)
                    .sorted()
                    .toList();
            lines.put(
                    name,
                    String.format(
                            "%-44s %-8s %-10s %s",
                            expected,
                            expected.nothing() ? "-" : times.size() + "/" + outcomes.size(),
                            own.get(name).stream()
                                    .map(String::valueOf)
                                    .reduce((a, b) -> a + "," + b)
                                    .orElse(""),
                            times.isEmpty() ? "-" : String.format("%.1f s", times.get(times.size() / 2) / 1000.0)));
        });
        return lines;
    }

    /**
     * Of each found incident's first report: from the kernel's timestamp of the event that opened
     * it to the report. The first, because every incident has one and an event makes it; a later
     * report may come from a timer (none has a latency then) or from a failure that waited on
     * purpose ({@code ProcessTracker.PARENT_GRACE}), which would make the figure say which path an
     * incident's last report took rather than how fast the pipeline is.
     */
    public List<Long> pipelineLatenciesNanos() {
        return faults().map(Outcome::found)
                .filter(i -> i != null && i.first().latencyNanos() > 0)
                .map(i -> i.first().latencyNanos())
                .sorted()
                .toList();
    }

    public boolean meetsTargets() {
        return recall() == 1
                && precision() >= PRECISION_TARGET
                && incidentsPerFault().stream().allMatch(n -> n == 1)
                && benignIncidents().isEmpty()
                && silentIncidents() == 0;
    }

    /** Incidents in the workloads of scenarios that must stay silent. */
    public long silentIncidents() {
        return faultRuns.stream()
                .flatMap(r -> r.outcomes().stream())
                .filter(o -> o.scenario().expected().nothing())
                .mapToLong(o -> o.incidents().size())
                .sum();
    }

    /** A run's incidents other than the ones its faults must make. */
    private static List<Incident> everyOther(AccuracyRun.Result run) {
        List<Incident> other = new ArrayList<>();
        for (Outcome outcome : run.outcomes()) {
            Incident found = outcome.found();
            outcome.incidents().stream().filter(i -> i != found).forEach(other::add);
        }
        run.benign().values().forEach(other::addAll);
        other.addAll(run.outside());
        return other;
    }
}
