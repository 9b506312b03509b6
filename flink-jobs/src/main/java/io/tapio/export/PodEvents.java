package io.tapio.export;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.tapio.model.Finding;
import io.tapio.model.Severity;
import io.tapio.model.Workload;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A finding's report as a Kubernetes Event (core v1) on the pod it is about, as kubelet writes
 * its own: {@code kubectl describe pod} and {@code kubectl get events} show it.
 *
 * <p>Every report of an episode maps to the same Event name, and the Event carries the whole
 * state of the report (the episode's event count, first and last time, the latest message), so
 * a later report overwrites it with a merge patch: no read of the Event is needed (the RBAC
 * grants create and patch only), and a restarted job continues the same Event.
 */
final class PodEvents {
    /** The message's bound: events.k8s.io/v1 caps its note at 1 kB; kubectl shows it on one line. */
    static final int MESSAGE_CHARS = 1024;
    /** source.component and reportingComponent. */
    static final String COMPONENT = "tapio";

    private static final int NAME_CHARS = 253;
    private static final int EPISODE_HEX = 16;

    private PodEvents() {}

    /** Whether the finding names a pod the API knows (namespace, name and uid), so an Event can be about it. */
    static boolean aboutAPod(Finding finding) {
        Workload w = finding.workload();
        return w.kind() == Workload.Kind.POD
                && !w.pod().namespace().isEmpty()
                && !w.pod().name().isEmpty()
                && !w.pod().uid().isEmpty();
    }

    /** The Event of this report; only for findings {@link #aboutAPod about a pod}. */
    static Event of(Finding finding) {
        Workload w = finding.workload();
        String container = w.container().name();
        return new EventBuilder()
                .withNewMetadata()
                .withNamespace(w.pod().namespace())
                .withName(name(finding))
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion("v1")
                .withKind("Pod")
                .withNamespace(w.pod().namespace())
                .withName(w.pod().name())
                .withUid(w.pod().uid())
                .withFieldPath(container.isEmpty() ? null : "spec.containers{" + container + "}")
                .endInvolvedObject()
                .withReason(reason(finding.pattern()))
                .withType(type(finding.severity()))
                .withMessage(message(finding))
                .withCount((int) Math.min(Integer.MAX_VALUE, Math.max(1, finding.count())))
                .withFirstTimestamp(timestamp(finding.firstSeenEpochMillis()))
                .withLastTimestamp(timestamp(finding.lastSeenEpochMillis()))
                .withNewSource()
                .withComponent(COMPONENT)
                .withHost(w.node())
                .endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(w.node())
                .build();
    }

    /**
     * One name per episode and pod: the pod's name (cut to fit), a dot, and a digest of the
     * episode id, as kubelet names its Events {@code POD.SUFFIX}.
     */
    static String name(Finding finding) {
        String suffix = "." + digest(finding.episodeId());
        String pod = finding.workload().pod().name();
        return pod.substring(0, Math.min(pod.length(), NAME_CHARS - suffix.length())) + suffix;
    }

    /** {@code crash_loop} becomes {@code TapioCrashLoop}. */
    static String reason(String pattern) {
        StringBuilder reason = new StringBuilder("Tapio");
        for (String word : pattern.split("[_\\-\\s]+")) {
            if (!word.isEmpty()) {
                reason.append(word.substring(0, 1).toUpperCase(Locale.ROOT))
                        .append(word.substring(1).toLowerCase(Locale.ROOT));
            }
        }
        return reason.toString();
    }

    /** Kubernetes knows two types: Warning for what needs a person, Normal for the rest. */
    static String type(Severity severity) {
        return severity.atLeast(Severity.WARNING) ? "Warning" : "Normal";
    }

    /** The summary and what to do, plain text, bounded; a resolved episode says so first. */
    static String message(Finding finding) {
        String text = finding.summary() + " " + finding.recommendation();
        if (finding.status() == Finding.Status.RESOLVED) {
            text = "Resolved: " + text;
        }
        return PlainText.of(text, MESSAGE_CHARS);
    }

    /** RFC 3339 in seconds, as the API's (legacy) timestamps are. */
    private static String timestamp(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String digest(String episodeId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(episodeId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, EPISODE_HEX);
        } catch (NoSuchAlgorithmException everyJavaHasIt) {
            throw new IllegalStateException(everyJavaHasIt);
        }
    }
}
