package io.tapio.ebpf.abi;

import java.util.List;

/**
 * The names of the maps in {@code tapio.bpf.o} that user space opens, as {@code bpf/src} declares
 * them; AbiCompatibilityTest finds each in the object.
 */
public final class BpfMaps {
    /** The ring buffer every record goes to. */
    public static final String EVENTS = "tapio_events";
    /** {@link ReaderState}, mapped into the reader's memory. */
    public static final String READER = "tapio_reader";
    /** {@link KernelConfig}. */
    public static final String CONFIG = "tapio_config";
    /** Per-CPU counters, key {@code type * Reason.values().length + reason}: see {@link Reason}. */
    public static final String STATS = "tapio_stats";
    /** comm (a {@code char[EventHeader.COMM_LEN]}) to 1: events of these tasks are not delivered. */
    public static final String IGNORED_COMMS = "tapio_ignored_comms";
    /** cgroup id to 1: events of these cgroups are not delivered. */
    public static final String IGNORED_CGROUPS = "tapio_ignored_cgroups";
    /** {@link PathPrefixKey} to 0 (report) or 1 (ignore). */
    public static final String OPEN_PREFIXES = "tapio_open_prefixes";

    public static final List<String> ALL =
            List.of(EVENTS, READER, CONFIG, STATS, IGNORED_COMMS, IGNORED_CGROUPS, OPEN_PREFIXES);

    private BpfMaps() {}
}
