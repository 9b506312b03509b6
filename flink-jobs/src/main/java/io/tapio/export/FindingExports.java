package io.tapio.export;

import io.tapio.model.Finding;
import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Where findings go besides Tapio's own history and screens: Kubernetes Events on their pods,
 * and OTLP log records for an OpenTelemetry pipeline. Each is a sink chained to the correlator
 * that hands reports to a sender thread and never waits for it.
 *
 * @param events off, or how Events are posted
 * @param otlp the OTLP receiver; null for none
 */
public record FindingExports(EventsConfig events, OtlpConfig otlp) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** No export. */
    public static final FindingExports NONE = new FindingExports(EventsConfig.of(EventsConfig.Mode.OFF), null);

    public FindingExports {
        Objects.requireNonNull(events, "events");
    }

    /** Adds a sink for each export that is on. */
    public void attach(DataStream<Finding> findings) {
        if (events.mode() != EventsConfig.Mode.OFF) {
            findings.sinkTo(new KubernetesEventsSink(events))
                    .name("kubernetes events")
                    .uid("kubernetes-events");
        }
        if (otlp != null) {
            findings.sinkTo(new OtlpFindingsSink(otlp)).name("otlp findings").uid("otlp-findings");
        }
    }
}
