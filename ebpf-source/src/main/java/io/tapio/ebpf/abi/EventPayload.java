package io.tapio.ebpf.abi;

/** The type-specific part of a kernel event, decoded from its record. */
public sealed interface EventPayload
        permits Exec,
                Exit,
                OomKill,
                Signal,
                OpenFailed,
                TcpConnect,
                TcpReset,
                TcpRetransmit,
                RunqLatency,
                BlockIoLatency {}
