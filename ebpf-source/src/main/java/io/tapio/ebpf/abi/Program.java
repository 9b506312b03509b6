package io.tapio.ebpf.abi;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every program in {@code tapio.bpf.o}, by its name in the object, with the event type it
 * produces. A type's programs are attached and detached together. AbiCompatibilityTest holds
 * this list to the object's functions, both ways.
 */
public enum Program {
    EXEC("tapio_exec", EventType.EXEC),
    EXIT("tapio_exit", EventType.EXIT),
    OOM_KILL("tapio_oom_kill", EventType.OOM_KILL),
    SIGNAL("tapio_signal", EventType.SIGNAL),
    OPENAT_ENTER("tapio_openat_enter", EventType.OPEN_FAILED),
    OPENAT_EXIT("tapio_openat_exit", EventType.OPEN_FAILED),
    TCP_STATE("tapio_tcp_state", EventType.TCP_CONNECT),
    TCP_RESET("tapio_tcp_reset", EventType.TCP_RESET),
    TCP_RETRANSMIT("tapio_tcp_retransmit", EventType.TCP_RETRANSMIT),
    SCHED_WAKEUP("tapio_sched_wakeup", EventType.RUNQ_LATENCY),
    SCHED_WAKEUP_NEW("tapio_sched_wakeup_new", EventType.RUNQ_LATENCY),
    SCHED_SWITCH("tapio_sched_switch", EventType.RUNQ_LATENCY),
    BLOCK_IO_START("tapio_block_io_start", EventType.BLOCK_IO_LATENCY),
    BLOCK_IO_DONE("tapio_block_io_done", EventType.BLOCK_IO_LATENCY);

    private static final Map<String, Program> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Program::objectName, Function.identity()));

    private final String objectName;
    private final EventType type;

    Program(String objectName, EventType type) {
        this.objectName = objectName;
        this.type = type;
    }

    /** The program's (C function's) name in the object. */
    public String objectName() {
        return objectName;
    }

    /** The type of the events it produces. */
    public EventType type() {
        return type;
    }

    /**
     * The program of this name.
     *
     * @throws IllegalStateException for a program this list does not know: the object and the
     *     Java side were built from different versions
     */
    public static Program named(String objectName) {
        Program program = BY_NAME.get(objectName);
        if (program == null) {
            throw new IllegalStateException(
                    "BPF program " + objectName + " belongs to no event type: add it to " + Program.class.getName());
        }
        return program;
    }
}
