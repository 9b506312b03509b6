package io.tapio.ebpf.capture;

import java.util.Objects;

/**
 * What a capture file says about itself.
 *
 * @param formatVersion the version of the file format
 * @param abiVersion the version of the event ABI its records follow ({@code EventHeader.ABI_VERSION})
 * @param node the node it was recorded on
 * @param startEpochNs the wall-clock time the capture started, in nanoseconds since the epoch
 * @param startMonotonicNs the same instant on the clock of kernel timestamps ({@link System#nanoTime()})
 */
public record CaptureHeader(int formatVersion, int abiVersion, String node, long startEpochNs, long startMonotonicNs) {

    public CaptureHeader {
        Objects.requireNonNull(node, "node");
    }

    /** The wall-clock time, in nanoseconds since the epoch, of a kernel timestamp taken during the capture. */
    public long epochNanosOf(long timestampNs) {
        return startEpochNs + (timestampNs - startMonotonicNs);
    }
}
