package io.tapio.ebpf.collector;

import io.tapio.ebpf.event.EventType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which BPF programs produce which event type, and what each needs from the kernel. A
 * type's programs are attached and detached together.
 */
final class EventPrograms {
    private static final Map<String, EventType> TYPES = Map.ofEntries(
            Map.entry("tapio_exec", EventType.EXEC),
            Map.entry("tapio_exit", EventType.EXIT),
            Map.entry("tapio_oom_kill", EventType.OOM_KILL),
            Map.entry("tapio_signal", EventType.SIGNAL),
            Map.entry("tapio_openat_enter", EventType.OPEN_FAILED),
            Map.entry("tapio_openat_exit", EventType.OPEN_FAILED),
            Map.entry("tapio_tcp_state", EventType.TCP_CONNECT),
            Map.entry("tapio_tcp_reset", EventType.TCP_RESET),
            Map.entry("tapio_tcp_retransmit", EventType.TCP_RETRANSMIT),
            Map.entry("tapio_sched_wakeup", EventType.RUNQ_LATENCY),
            Map.entry("tapio_sched_wakeup_new", EventType.RUNQ_LATENCY),
            Map.entry("tapio_sched_switch", EventType.RUNQ_LATENCY),
            Map.entry("tapio_block_io_start", EventType.BLOCK_IO_LATENCY),
            Map.entry("tapio_block_io_done", EventType.BLOCK_IO_LATENCY));

    private static final String BTF_TRACEPOINT = "tp_btf/";
    private static final String CLASSIC_TRACEPOINT = "tracepoint/";

    private EventPrograms() {}

    static EventType typeOf(String program) {
        EventType type = TYPES.get(program);
        if (type == null) {
            throw new IllegalStateException("BPF program " + program + " belongs to no event type: add it to "
                    + EventPrograms.class.getSimpleName());
        }
        return type;
    }

    static boolean needsTracefs(String section) {
        return section.startsWith(CLASSIC_TRACEPOINT);
    }

    /** The BTF-enabled tracepoint a {@code tp_btf/NAME} section attaches to. */
    static Optional<String> btfTracepoint(String section) {
        return section.startsWith(BTF_TRACEPOINT)
                ? Optional.of(section.substring(BTF_TRACEPOINT.length()))
                : Optional.empty();
    }

    /** The tracefs event directory a {@code tracepoint/CATEGORY/NAME} section attaches to. */
    static Optional<String> tracefsEvent(String section) {
        return needsTracefs(section) ? Optional.of(section.substring(CLASSIC_TRACEPOINT.length())) : Optional.empty();
    }

    static List<String> programs() {
        return List.copyOf(TYPES.keySet());
    }
}
