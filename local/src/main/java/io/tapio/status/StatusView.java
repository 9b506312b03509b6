package io.tapio.status;

import io.tapio.ebpf.abi.SafeText;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The status as one screen of text. Every string in a status may come from outside (a
 * process's name or path in a finding, a pod's name, a job's failure message, or a damaged
 * status file), so each is shown through {@link SafeText}: nothing in it moves the cursor,
 * recolours the screen or starts a line of its own.
 */
public final class StatusView {
    private StatusView() {}

    public static String render(TapioStatus s) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                "Tapio on %s: %s (source %s, started %s)   %s%n",
                SafeText.of(s.node()),
                s.running() ? "running" : "NOT RUNNING",
                SafeText.of(s.source()),
                SafeText.of(s.startedAt()),
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
                                        .map(e -> SafeText.of(e.getKey()) + " " + e.getValue())
                                        .collect(Collectors.joining(", ")))
                .append('\n');
        if (s.findings().isEmpty()) {
            out.append("findings   none\n");
        } else {
            out.append("findings\n");
            for (TapioStatus.Finding f : s.findings()) {
                out.append(String.format(
                        "  %-8s %s  (%s, %d events, last %s)%n    -> %s%n",
                        SafeText.of(f.severity().toUpperCase(Locale.ROOT)),
                        SafeText.of(f.summary()),
                        SafeText.of(f.pattern()),
                        f.count(),
                        SafeText.of(f.lastSeen()),
                        SafeText.of(f.recommendation())));
            }
        }
        for (TapioStatus.Problem p : s.health().problems()) {
            out.append("problem    ")
                    .append(SafeText.of(p.symptom()))
                    .append("\n           -> ")
                    .append(SafeText.of(p.hint()))
                    .append('\n');
        }
        for (String note : s.health().notes()) {
            out.append("note       ").append(SafeText.of(note)).append('\n');
        }
        return out.toString();
    }

    private static String shares(Map<String, Double> byType) {
        return byType.entrySet().stream()
                .filter(e -> e.getValue() >= 0.5)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> String.format("%s %,.0f", SafeText.of(e.getKey()), e.getValue()))
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
