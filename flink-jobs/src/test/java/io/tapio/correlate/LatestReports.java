package io.tapio.correlate;

import io.tapio.model.Finding;
import io.tapio.model.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The incidents a stream of reports tells about one workload, each by its latest report before it resolved. */
final class LatestReports {
    private LatestReports() {}

    /** The latest report of each incident of the workload with cgroup {@code cgroupId}, in order. */
    static List<Finding> of(List<Finding> findings, long cgroupId) {
        Map<String, Finding> latest = new LinkedHashMap<>();
        findings.stream()
                .filter(f -> f.workload().cgroup().id() == cgroupId && f.status() != Finding.Status.RESOLVED)
                .forEach(f -> latest.put(f.episodeId(), f));
        return List.copyOf(latest.values());
    }

    /** Its incidents of severity warning or above, as {@code pattern subject [cause-pattern cause-subject]}. */
    static Set<String> described(List<Finding> findings, long cgroupId) {
        return of(findings, cgroupId).stream()
                .filter(f -> f.severity().atLeast(Severity.WARNING))
                .map(f -> f.pattern() + " " + f.subject()
                        + (f.cause() == null
                                ? ""
                                : " [" + f.cause().pattern() + " " + f.cause().subject() + "]"))
                .collect(Collectors.toSet());
    }
}
