package io.tapio.ebpf.abi;

/** The kernel's TCP states (include/net/tcp_states.h), by their numbers. */
public enum TcpState {
    UNKNOWN,
    ESTABLISHED,
    SYN_SENT,
    SYN_RECV,
    FIN_WAIT1,
    FIN_WAIT2,
    TIME_WAIT,
    CLOSE,
    CLOSE_WAIT,
    LAST_ACK,
    LISTEN,
    CLOSING,
    NEW_SYN_RECV,
    BOUND_INACTIVE;

    private static final TcpState[] VALUES = values();

    public static TcpState ofCode(int code) {
        return code > 0 && code < VALUES.length ? VALUES[code] : UNKNOWN;
    }
}
