package io.tapio.bench.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tapio.bench.accuracy.AccuracyRun.Incident;
import io.tapio.bench.accuracy.AccuracyRun.Outcome;
import io.tapio.bench.accuracy.AccuracyRun.Result;
import io.tapio.model.Finding;
import io.tapio.model.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the accuracy report counts as false, and where it says each false incident was. */
class AccuracyReportTest {
    private static final Scenario HOG =
            new Scenario("CPU hog", Scenario.Expected.pattern("cpu_starvation"), 0, true, cgroup -> {});
    private static final long HOG_CGROUP = 10;
    private static final long BUILD_CGROUP = 20;
    private static final long STARTED = 1_800_000_000_000L;

    @Test
    void aHogExplainsStarvationInItsOwnRunButNotInABenignRun() {
        Incident hogs = incident("hog", HOG_CGROUP, "cpu_starvation");
        Incident starvedBesideTheHog = incident("beside", BUILD_CGROUP, "cpu_starvation");
        Result faultRun = run(List.of(new Outcome(HOG, HOG_CGROUP, 0, List.of(hogs))), starvedBesideTheHog);
        Incident starvedAlone = incident("alone", BUILD_CGROUP, "cpu_starvation");
        Result benignRun = run(List.of(), starvedAlone);

        AccuracyReport report = new AccuracyReport(List.of(faultRun), List.of(benignRun));

        assertEquals(List.of(starvedAlone), report.benignIncidents());
        assertEquals(
                List.of(new AccuracyReport.FalseIncident(
                        "benign run 1, benign program 'parallel build', 31.5 s into the run for 0.5 s", starvedAlone)),
                report.falseIncidents());
        assertEquals(2, report.trueIncidents());
        assertFalse(report.meetsTargets());
    }

    @Test
    void anIncidentNobodyExplainsIsFalseWhereverItIs() {
        Incident outside = incident("outside", 99, "crash_loop");
        Result faultRun = new Result(
                List.of(new Outcome(HOG, HOG_CGROUP, 0, List.of(incident("hog", HOG_CGROUP, "cpu_starvation")))),
                Map.of(),
                List.of(outside),
                0.1,
                1,
                List.of(),
                new AccuracyRun.Filtering(0, 0, 0),
                STARTED);

        AccuracyReport report = new AccuracyReport(List.of(faultRun), List.of());

        assertEquals(
                List.of(new AccuracyReport.FalseIncident(
                        "fault run 1, outside the experiment, 31.5 s into the run for 0.5 s", outside)),
                report.falseIncidents());
        assertEquals(0.5, report.precision());
    }

    @Test
    void thePipelineLatencyIsOfEachFoundIncidentsFirstReport() {
        // A helper's failure that waited its parent's grace reports again ~2 s after its event:
        // the latency of how the incident's last report came, not of the pipeline.
        Finding opened = finding("hog", HOG_CGROUP, "cpu_starvation", Finding.Status.OPEN, 1_200_000);
        Finding waited = finding("hog", HOG_CGROUP, "cpu_starvation", Finding.Status.UPDATE, 2_900_000_000L);
        Result faultRun = run(
                List.of(new Outcome(HOG, HOG_CGROUP, 0, List.of(new Incident(HOG_CGROUP, opened, waited)))),
                incident("alone", BUILD_CGROUP, "cpu_starvation"));

        AccuracyReport report = new AccuracyReport(List.of(faultRun), List.of());

        assertEquals(List.of(1_200_000L), report.pipelineLatenciesNanos());
    }

    private static Result run(List<Outcome> outcomes, Incident build) {
        return new Result(
                outcomes,
                Map.of("parallel build", List.of(build)),
                List.of(),
                0.1,
                1,
                List.of(),
                new AccuracyRun.Filtering(0, 0, 0),
                STARTED);
    }

    private static Incident incident(String episode, long cgroup, String pattern) {
        Finding finding = finding(episode, cgroup, pattern, Finding.Status.OPEN, 0);
        return new Incident(cgroup, finding, finding);
    }

    private static Finding finding(
            String episode, long cgroup, String pattern, Finding.Status status, long latencyNanos) {
        return new Finding(
                episode,
                status,
                pattern,
                Severity.WARNING,
                null,
                "",
                STARTED + 31_500,
                STARTED + 32_000,
                1,
                pattern + " in " + cgroup,
                "",
                List.of(),
                0,
                latencyNanos,
                null);
    }
}
