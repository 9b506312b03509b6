package io.tapio.ebpf.libbpf;

import java.util.Optional;

/**
 * Loading a BPF object failed; the message carries what libbpf said, which for a program
 * the verifier rejected is the verifier's log.
 */
public final class BpfLoadException extends BpfException {
    private final String libbpfLog;

    BpfLoadException(String object, int errno, String reason, String libbpfLog) {
        super(
                "loading BPF object '" + object + "' failed: " + reason + " (errno " + errno + ")"
                        + (libbpfLog.isBlank() ? "" : "\n--- libbpf and the verifier said ---\n" + libbpfLog.strip()),
                errno);
        this.libbpfLog = libbpfLog;
    }

    /**
     * The program the kernel refused, when one did (rather than, say, a map it could not
     * create), with the verifier's reason: the others may load without it.
     */
    public Optional<RejectedProgram> rejectedProgram() {
        return RejectedProgram.in(libbpfLog);
    }

    /** Everything libbpf printed while loading, the verifier's log included. */
    public String libbpfLog() {
        return libbpfLog;
    }
}
