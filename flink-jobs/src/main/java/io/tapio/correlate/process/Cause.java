package io.tapio.correlate.process;

import io.tapio.ebpf.abi.ConnectOutcome;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.abi.OpenFailed;
import io.tapio.ebpf.abi.TcpConnect;
import io.tapio.model.EventText;
import java.io.Serializable;

/**
 * What a process met that can explain why it failed: a file it could not open, or a
 * destination it could not connect to. On its own it is evidence, never an alarm: programs
 * probe optional files and ports all the time.
 *
 * @param kind what went wrong, named as the pattern that reports it when it lasts
 * @param subject the path or the destination
 * @param event the kernel's event
 */
public record Cause(Kind kind, String subject, KernelEvent event) implements Serializable {
    /** A cause outlasts the hand-over of its event (a failure's, an episode's): it keeps a copy of a lent one. */
    public Cause {
        event = event.kept();
    }

    private static final int EPERM = 1;

    /** What went wrong, by the name of the pattern that reports it. */
    public enum Kind {
        MISSING_FILE("missing_file"),
        PERMISSION_DENIED("permission_denied"),
        UNREACHABLE("dependency_unreachable");

        private final String pattern;

        Kind(String pattern) {
            this.pattern = pattern;
        }

        public String pattern() {
            return pattern;
        }
    }

    /**
     * The cause {@code event} can be, or null: a failed open (missing, or refused by
     * permissions) or a failed connect. A connect the program abandoned itself is not one.
     */
    public static Cause of(KernelEvent event) {
        Kind kind = kindOf(event);
        return switch (event.payload()) {
            case OpenFailed open when kind != null -> new Cause(kind, open.path(), event);
            case TcpConnect connect
            when kind != null ->
                new Cause(kind, EventText.address(connect.endpoints().destination()), event);
            default -> null;
        };
    }

    /** What {@link #of} would name {@code event}'s cause, or null; without making the cause. */
    public static Kind kindOf(KernelEvent event) {
        return switch (event.type()) {
            case OPEN_FAILED ->
                switch (OpenFailed.errorOf(event)) { // most failed opens never need their path
                    case OpenFailed.ENOENT -> Kind.MISSING_FILE;
                    case OpenFailed.EACCES, EPERM -> Kind.PERMISSION_DENIED;
                    default -> null;
                };
            case TCP_CONNECT -> {
                ConnectOutcome outcome = event.payload(TcpConnect.class).outcome();
                yield outcome.failed() && outcome != ConnectOutcome.ABORTED ? Kind.UNREACHABLE : null;
            }
            default -> null;
        };
    }

    /** The incident this cause makes when it lasts: its pattern and subject, as an episode key. */
    public String key() {
        return key(kind.pattern(), subject);
    }

    /** The episode key of {@code pattern} about {@code subject}. */
    public static String key(String pattern, String subject) {
        return pattern + "|" + subject;
    }

    /** As in a sentence: {@code open /etc/app.yaml: ENOENT (no such file)}. */
    public String describe() {
        return EventText.describe(event.payload());
    }
}
