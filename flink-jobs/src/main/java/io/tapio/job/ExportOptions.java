package io.tapio.job;

import io.tapio.export.EventsConfig;
import io.tapio.export.FindingExports;
import io.tapio.export.OtlpConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where findings go besides the history: the command-line options of {@code tapio run} and of
 * the cluster entry point, in one place. They differ in one default: Kubernetes Events are off
 * for a local run and on for the cluster job wherever it runs in a pod.
 */
public final class ExportOptions {
    @Option(
            names = "--k8s-events",
            paramLabel = "auto|on|off",
            description = "Post findings as Kubernetes Events on their pods: auto where the job runs in a pod with a "
                    + "service account, on (also with a kubeconfig), off. Default: off for tapio run, auto for the "
                    + "cluster job.")
    String events;

    @Option(
            names = "--k8s-events-burst",
            defaultValue = "" + EventsConfig.DEFAULT_BURST,
            paramLabel = "N",
            description = "Events a pod may get at once (default: ${DEFAULT-VALUE}).")
    int burst;

    @Option(
            names = "--k8s-events-per-minute",
            defaultValue = "" + EventsConfig.DEFAULT_PER_MINUTE,
            paramLabel = "R",
            description = "Events a pod may get a minute after its burst; the rest are dropped and counted "
                    + "(default: ${DEFAULT-VALUE}).")
    double perMinute;

    @Option(
            names = "--otlp-endpoint",
            paramLabel = "URL",
            description = "Send findings as OTLP log records over HTTP to this receiver, e.g. http://127.0.0.1:4318 "
                    + "(/v1/logs is appended); default: OTEL_EXPORTER_OTLP_LOGS_ENDPOINT or "
                    + "OTEL_EXPORTER_OTLP_ENDPOINT, else none.")
    String otlpEndpoint;

    @Option(
            names = "--otlp-header",
            paramLabel = "KEY=VALUE",
            description =
                    "A header for the OTLP receiver (an API key); repeatable; adds to OTEL_EXPORTER_OTLP_HEADERS.")
    Map<String, String> otlpHeaders = new LinkedHashMap<>();

    /**
     * @param eventsByDefault the Events' mode without {@code --k8s-events}
     * @throws IllegalArgumentException a mode, rate or OTLP endpoint that is not one
     */
    public FindingExports exports(EventsConfig.Mode eventsByDefault) {
        EventsConfig.Mode mode = events == null ? eventsByDefault : mode(events);
        return new FindingExports(
                EventsConfig.of(mode).withRate(burst, perMinute),
                OtlpConfig.resolve(otlpEndpoint, otlpHeaders, System.getenv()).orElse(null));
    }

    private static EventsConfig.Mode mode(String value) {
        try {
            return EventsConfig.Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--k8s-events " + value + ": use auto, on or off");
        }
    }
}
