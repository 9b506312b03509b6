package io.tapio.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.tapio.model.Finding;
import io.tapio.model.Workload;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A finding's report as an OTLP log record: the summary as its body, the severity as
 * OpenTelemetry's, and the incident as attributes, Kubernetes' under the semantic conventions'
 * names ({@code k8s.pod.name}, ...) so that a collector's pipelines and backends join them with
 * the pod's other telemetry, Tapio's own under {@code tapio.}.
 */
final class FindingLogRecords {
    /** The log record's event name: what a pipeline routes Tapio's findings by. */
    static final String EVENT_NAME = "tapio.finding";

    static final AttributeKey<String> PATTERN = AttributeKey.stringKey("tapio.pattern");
    static final AttributeKey<String> SEVERITY = AttributeKey.stringKey("tapio.severity");
    static final AttributeKey<String> STATUS = AttributeKey.stringKey("tapio.status");
    static final AttributeKey<String> EPISODE = AttributeKey.stringKey("tapio.episode.id");
    static final AttributeKey<Long> COUNT = AttributeKey.longKey("tapio.count");
    static final AttributeKey<String> WORKLOAD = AttributeKey.stringKey("tapio.workload");
    static final AttributeKey<String> SUBJECT = AttributeKey.stringKey("tapio.subject");
    static final AttributeKey<String> FIRST_SEEN = AttributeKey.stringKey("tapio.first_seen");
    static final AttributeKey<String> LAST_SEEN = AttributeKey.stringKey("tapio.last_seen");
    static final AttributeKey<String> RECOMMENDATION = AttributeKey.stringKey("tapio.recommendation");
    static final AttributeKey<List<String>> EVIDENCE = AttributeKey.stringArrayKey("tapio.evidence");
    static final AttributeKey<String> UNIT = AttributeKey.stringKey("tapio.systemd.unit");
    static final AttributeKey<String> NODE = AttributeKey.stringKey("k8s.node.name");
    static final AttributeKey<String> NAMESPACE = AttributeKey.stringKey("k8s.namespace.name");
    static final AttributeKey<String> POD = AttributeKey.stringKey("k8s.pod.name");
    static final AttributeKey<String> POD_UID = AttributeKey.stringKey("k8s.pod.uid");
    static final AttributeKey<String> CONTAINER = AttributeKey.stringKey("k8s.container.name");
    static final AttributeKey<String> CONTAINER_ID = AttributeKey.stringKey("container.id");

    private static final int TEXT_CHARS = 4_096;
    private static final int EVIDENCE_CHARS = 512;

    private FindingLogRecords() {}

    static void emit(Logger logger, Finding finding) {
        Workload w = finding.workload();
        LogRecordBuilder record = logger.logRecordBuilder()
                .setEventName(EVENT_NAME)
                .setTimestamp(finding.detectedEpochMillis(), TimeUnit.MILLISECONDS)
                .setSeverity(severity(finding.severity()))
                .setSeverityText(finding.severity().label())
                .setBody(PlainText.of(finding.summary(), TEXT_CHARS))
                .setAttribute(PATTERN, finding.pattern())
                .setAttribute(SEVERITY, finding.severity().label())
                .setAttribute(STATUS, finding.status().name().toLowerCase(Locale.ROOT))
                .setAttribute(EPISODE, finding.episodeId())
                .setAttribute(COUNT, finding.count())
                .setAttribute(WORKLOAD, PlainText.of(w.key(), TEXT_CHARS))
                .setAttribute(
                        FIRST_SEEN,
                        Instant.ofEpochMilli(finding.firstSeenEpochMillis()).toString())
                .setAttribute(
                        LAST_SEEN,
                        Instant.ofEpochMilli(finding.lastSeenEpochMillis()).toString())
                .setAttribute(RECOMMENDATION, PlainText.of(finding.recommendation(), TEXT_CHARS))
                .setAttribute(EVIDENCE, evidence(finding))
                .setAttribute(NODE, w.node());
        optional(record, SUBJECT, finding.subject());
        optional(record, UNIT, w.unit());
        optional(record, NAMESPACE, w.pod().namespace());
        optional(record, POD, w.pod().name());
        optional(record, POD_UID, w.pod().uid());
        optional(record, CONTAINER, w.container().name());
        optional(record, CONTAINER_ID, w.container().id());
        if (!w.owner().name().isEmpty()) {
            // k8s.deployment.name, k8s.statefulset.name, k8s.daemonset.name, k8s.job.name, k8s.cronjob.name
            record.setAttribute(
                    AttributeKey.stringKey("k8s." + w.owner().kind().toLowerCase(Locale.ROOT) + ".name"),
                    w.owner().name());
        }
        record.emit();
    }

    /** Each event behind the finding on a line of its own: when, what, which process. */
    static List<String> evidence(Finding finding) {
        return finding.evidence().stream()
                .map(e -> PlainText.of(
                        Instant.ofEpochMilli(e.epochMillis()) + " " + e.type() + " pid " + e.pid() + " (" + e.comm()
                                + "): " + e.description(),
                        EVIDENCE_CHARS))
                .toList();
    }

    static Severity severity(io.tapio.model.Severity severity) {
        return switch (severity) {
            case INFO -> Severity.INFO;
            case WARNING -> Severity.WARN;
            case CRITICAL -> Severity.ERROR;
        };
    }

    private static void optional(LogRecordBuilder record, AttributeKey<String> key, String value) {
        if (!value.isEmpty()) {
            record.setAttribute(key, PlainText.of(value, TEXT_CHARS));
        }
    }
}
