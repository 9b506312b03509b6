package io.tapio.ebpf.source.synthetic;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * The generator's position: how many events it has handed downstream, and the timestamp it
 * started from. On virtual time that is everything needed to regenerate exactly the rest.
 *
 * @param startTimestampNs the generator's start on the monotonic clock; 0 means "when the
 *     reader opens the split", which is what paced generation uses
 */
public record SyntheticSplit(long startTimestampNs, long emitted) implements SourceSplit {
    @Override
    public String splitId() {
        return "synthetic";
    }
}
