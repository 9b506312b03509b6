package io.tapio.ebpf.ring;

import io.tapio.ebpf.abi.Malformation;
import java.util.Map;

/**
 * What a {@link RingBufferReader} has read so far.
 *
 * @param records well-formed records handed to the handler
 * @param bytes their total size
 * @param malformed records skipped, by what was wrong with them
 */
public record ReaderStats(long records, long bytes, Map<Malformation, Long> malformed) {
    public ReaderStats {
        malformed = Map.copyOf(malformed);
    }

    public long malformedTotal() {
        return malformed.values().stream().mapToLong(Long::longValue).sum();
    }
}
