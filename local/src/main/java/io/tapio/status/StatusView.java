package io.tapio.status;

import java.util.Map;
import java.util.stream.Collectors;

/** The status as one screen of text. */
public final class StatusView {
    private StatusView() {}

    public static String render(TapioStatus s) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                "Tapio on %s: %s (source %s, started %s)   %s%n",
                s.node(),
                s.running() ? "running" : "NOT RUNNING",
                s.source(),
                s.startedAt(),
                s.health().healthy() ? "HEALTHY" : "NEEDS ATTENTION"));
        out.append(String.format(
                "events/s   %,.0f  %s%n",
                s.eventsPerSecond().total(), shares(s.eventsPerSecond().byType())));
        out.append(String.format("processed  %,d events since the start%n", s.eventsProcessed()));
        TapioStatus.Latency l = s.latency();
        out.append(
                l.p99() == null
                        ? "latency    (no events in the last interval)\n"
                        : String.format(
                                "latency    p50 %s  p99 %s  p999 %s  (kernel to end of job)%n",
                                duration(l.p50()), duration(l.p99()), duration(l.p999())));
        TapioStatus.Kernel k = s.kernel();
        out.append(String.format(
                "kernel     %,d candidates: %,d delivered, %,d filtered in the kernel (%.1f%%), "
                        + "%,d lost; ring %.1f%% full%n",
                k.candidates(),
                k.delivered(),
                k.filtered(),
                100 * k.filteredRatio(),
                k.lost(),
                100 * s.ringFillRatio()));
        out.append("drops      ")
                .append(
                        s.drops().isEmpty()
                                ? "none"
                                : s.drops().entrySet().stream()
                                        .map(e -> e.getKey() + " " + e.getValue())
                                        .collect(Collectors.joining(", ")))
                .append('\n');
        if (s.findings().isEmpty()) {
            out.append("findings   none\n");
        } else {
            out.append("findings\n");
            for (TapioStatus.Finding f : s.findings()) {
                out.append(String.format(
                        "  %-8s %s  (%s, %d events, last %s)%n    -> %s%n",
                        f.severity().toUpperCase(),
                        f.summary(),
                        f.pattern(),
                        f.count(),
                        f.lastSeen(),
                        f.recommendation()));
            }
        }
        for (TapioStatus.Problem p : s.health().problems()) {
            out.append("problem    ")
                    .append(p.symptom())
                    .append("\n           -> ")
                    .append(p.hint())
                    .append('\n');
        }
        for (String note : s.health().notes()) {
            out.append("note       ").append(note).append('\n');
        }
        return out.toString();
    }

    private static String shares(Map<String, Double> byType) {
        return byType.entrySet().stream()
                .filter(e -> e.getValue() >= 0.5)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> String.format("%s %,.0f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", ", "(", ")"))
                .replace("()", "");
    }

    static String duration(Double seconds) {
        if (seconds == null) {
            return "-";
        }
        if (seconds < 1e-3) {
            return String.format("%.0f µs", seconds * 1e6);
        }
        if (seconds < 1) {
            return String.format("%.1f ms", seconds * 1e3);
        }
        return String.format("%.2f s", seconds);
    }
}
