package io.tapio.ebpf.collector;

/**
 * The tracepoints a kernel has, asked before loading: a program whose tracepoint is missing
 * would fail the whole load, so it is attached elsewhere or its type left out.
 */
interface KernelTracepoints {
    /** A BTF-enabled tracepoint ({@code tp_btf/NAME}): the kernel's BTF has {@code btf_trace_NAME}. */
    boolean hasBtfTracepoint(String name);

    /** A classic tracepoint ({@code tracepoint/CATEGORY/NAME}), by its tracefs event directory. */
    boolean hasTracefsEvent(String event);
}
