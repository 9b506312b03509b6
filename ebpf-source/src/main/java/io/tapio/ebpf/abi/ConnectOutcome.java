package io.tapio.ebpf.abi;

/** {@code enum tapio_connect_outcome}: how an active TCP open ended. */
public enum ConnectOutcome {
    ESTABLISHED,
    /** A RST answered the SYN: nothing listens on that port. */
    REFUSED,
    RESET,
    /** No answer to the SYN and its retransmits. */
    TIMED_OUT,
    /** An ICMP host or network unreachable. */
    UNREACHABLE,
    FAILED,
    /** The application closed the socket before the handshake completed. */
    ABORTED;

    private static final ConnectOutcome[] VALUES = values();

    public static ConnectOutcome ofCode(int code) {
        return code >= 0 && code < VALUES.length ? VALUES[code] : FAILED;
    }

    public boolean failed() {
        return this != ESTABLISHED;
    }
}
