package io.tapio.ebpf.collector;

import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.libbpf.BpfProgram;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each program attaches on a kernel: at the tracepoint its section names, or, where that
 * tracepoint came with a later kernel, at an older one the same program runs at, with what the
 * events lose there. A type with a program that can attach nowhere is unavailable as a whole.
 */
final class AttachPlan {
    /**
     * Tracepoints some supported kernels lack, each with the older tracepoint its programs attach
     * to there (its first argument is the same) and what the events lose, if anything. The
     * programs' sources say why each stands in (bpf/src/block.bpf.c).
     */
    private static final Map<String, Alternative> ALTERNATIVES = Map.of(
            "block_io_start",
            new Alternative("block_rq_issue", "6.5", Optional.of("the wait in the I/O scheduler is not counted")),
            "block_io_done",
            new Alternative("block_rq_complete", "6.5", Optional.empty()));

    private record Alternative(String tracepoint, String since, Optional<String> lost) {}

    private final Map<String, String> attachTargets;
    private final Map<EventType, String> unavailable;
    private final Map<EventType, String> limitations;

    private AttachPlan(
            Map<String, String> attachTargets, Map<EventType, String> unavailable, Map<EventType, String> limitations) {
        this.attachTargets = Collections.unmodifiableMap(attachTargets);
        this.unavailable = Collections.unmodifiableMap(unavailable);
        this.limitations = Collections.unmodifiableMap(limitations);
    }

    static AttachPlan of(Map<EventType, List<BpfProgram>> programs, KernelTracepoints kernel) {
        Map<String, String> attachTargets = new HashMap<>();
        Map<EventType, String> unavailable = new EnumMap<>(EventType.class);
        Map<EventType, String> limitations = new EnumMap<>(EventType.class);
        programs.forEach((type, list) -> {
            Map<String, String> targets = new HashMap<>();
            List<String> lost = new ArrayList<>();
            for (BpfProgram program : list) {
                Optional<String> missing = missingTracepoint(program.section(), kernel);
                if (missing.isEmpty()) {
                    continue;
                }
                String tracepoint = missing.get();
                Alternative alternative = ALTERNATIVES.get(tracepoint);
                if (alternative == null || !kernel.hasBtfTracepoint(alternative.tracepoint())) {
                    unavailable.put(
                            type,
                            "this kernel has no tracepoint " + tracepoint
                                    + (alternative == null ? "" : " (nor " + alternative.tracepoint() + ")"));
                    break;
                }
                targets.put(program.name(), alternative.tracepoint());
                alternative
                        .lost()
                        .ifPresent(what -> lost.add("this kernel has no " + tracepoint + " (" + alternative.since()
                                + "+), so they are timed from " + alternative.tracepoint() + ": " + what));
            }
            if (!unavailable.containsKey(type)) {
                attachTargets.putAll(targets);
                if (!lost.isEmpty()) {
                    limitations.put(type, String.join("; ", lost));
                }
            }
        });
        return new AttachPlan(attachTargets, unavailable, limitations);
    }

    /** The tracepoint a program's section names, when this kernel lacks it. */
    private static Optional<String> missingTracepoint(String section, KernelTracepoints kernel) {
        return ProgramSection.btfTracepoint(section)
                .filter(tracepoint -> !kernel.hasBtfTracepoint(tracepoint))
                .or(() -> ProgramSection.tracefsEvent(section).filter(event -> !kernel.hasTracefsEvent(event)));
    }

    /** Where the program attaches instead of its section's tracepoint, if elsewhere. */
    Optional<String> attachTarget(String program) {
        return Optional.ofNullable(attachTargets.get(program));
    }

    /** Types with a program that can attach nowhere on this kernel, with why. */
    Map<EventType, String> unavailable() {
        return unavailable;
    }

    /** Types whose programs attach elsewhere on this kernel, with what their events lose there. */
    Map<EventType, String> limitations() {
        return limitations;
    }
}
