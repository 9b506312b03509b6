package io.tapio.ebpf.abi;

import static io.tapio.ebpf.abi.Layouts.struct;
import static io.tapio.ebpf.abi.Layouts.u32;

import java.lang.foreign.StructLayout;

/**
 * {@code struct tapio_reader_state}: the only entry of the {@link BpfMaps#READER} map, which the
 * reader maps into its memory. A reader about to sleep sets {@code sleeping}; the next record
 * written clears it and wakes the reader.
 */
public final class ReaderState {
    public static final StructLayout LAYOUT = struct("tapio_reader_state", u32("sleeping"), u32("pad"));

    /** Where {@code sleeping} is, from the start of the entry. */
    public static final long SLEEPING_OFFSET = Layouts.offset(LAYOUT, "sleeping");

    private ReaderState() {}
}
