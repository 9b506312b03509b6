package io.tapio.ebpf.libbpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where libbpf's messages go. Everything is logged; warnings and information printed while
 * an operation runs under {@link #capture} are also kept, so that an error can show what
 * libbpf said, such as the verifier's log for a rejected program.
 */
final class LibbpfLog {
    private static final Logger LOG = LoggerFactory.getLogger("libbpf");
    private static final int WARN = 0;
    private static final int INFO = 1;
    /** Large enough for a verifier log, which libbpf prints as one message. */
    private static final int MESSAGE_CAPACITY = 1 << 20;

    private static final ThreadLocal<MemorySegment> BUFFER =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(MESSAGE_CAPACITY));
    private static final ThreadLocal<StringBuilder> CAPTURED = new ThreadLocal<>();

    private LibbpfLog() {}

    /** libbpf's print callback. It must never throw into native code. */
    static int print(int level, MemorySegment format, MemorySegment vaList) {
        try {
            String message = LibC.vformat(BUFFER.get(), format, vaList);
            StringBuilder captured = CAPTURED.get();
            if (captured != null && level <= INFO) {
                captured.append(message); // the caller reports it if the operation fails
                LOG.debug("{}", message.stripTrailing());
            } else if (level == WARN) {
                LOG.warn("{}", message.stripTrailing());
            } else {
                LOG.debug("{}", message.stripTrailing());
            }
        } catch (Throwable t) {
            LOG.warn("could not format a libbpf message", t);
        }
        return 0;
    }

    /** Runs {@code operation}, keeping what libbpf says meanwhile on this thread. */
    static <T> Captured<T> capture(Supplier<T> operation) {
        StringBuilder previous = CAPTURED.get();
        StringBuilder captured = new StringBuilder();
        CAPTURED.set(captured);
        try {
            T result = operation.get();
            return new Captured<>(result, captured.toString());
        } finally {
            CAPTURED.set(previous);
        }
    }

    record Captured<T>(T result, String log) {}
}
