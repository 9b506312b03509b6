package io.tapio.ebpf.collector;

import java.util.Optional;

/** What a program's ELF section says about where it attaches, and so what it needs from the kernel. */
final class ProgramSection {
    private static final String BTF_TRACEPOINT = "tp_btf/";
    private static final String CLASSIC_TRACEPOINT = "tracepoint/";

    private ProgramSection() {}

    /** The BTF-enabled tracepoint a {@code tp_btf/NAME} section attaches to. */
    static Optional<String> btfTracepoint(String section) {
        return section.startsWith(BTF_TRACEPOINT)
                ? Optional.of(section.substring(BTF_TRACEPOINT.length()))
                : Optional.empty();
    }

    /** The tracefs event directory a {@code tracepoint/CATEGORY/NAME} section attaches to. */
    static Optional<String> tracefsEvent(String section) {
        return section.startsWith(CLASSIC_TRACEPOINT)
                ? Optional.of(section.substring(CLASSIC_TRACEPOINT.length()))
                : Optional.empty();
    }
}
