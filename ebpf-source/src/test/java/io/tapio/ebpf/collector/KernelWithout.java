package io.tapio.ebpf.collector;

import java.util.Set;

/**
 * A kernel's tracepoints less some: an older kernel as far as the collector's choice of
 * attach points can tell. Only that choice; the programs still load into the real kernel.
 */
record KernelWithout(KernelTracepoints kernel, Set<String> missing) implements KernelTracepoints {
    /** Every tracepoint but the missing ones: for a plan alone, with nothing loaded. */
    static KernelWithout everythingBut(String... missing) {
        return new KernelWithout(
                new KernelTracepoints() {
                    @Override
                    public boolean hasBtfTracepoint(String name) {
                        return true;
                    }

                    @Override
                    public boolean hasTracefsEvent(String event) {
                        return true;
                    }
                },
                Set.of(missing));
    }

    @Override
    public boolean hasBtfTracepoint(String name) {
        return !missing.contains(name) && kernel.hasBtfTracepoint(name);
    }

    @Override
    public boolean hasTracefsEvent(String event) {
        return !missing.contains(event) && kernel.hasTracefsEvent(event);
    }
}
