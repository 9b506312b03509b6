package io.tapio.ebpf.source.ebpf;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * The kernel of one node: the only split of that node, read by the reader running there.
 *
 * <p>Kernel events cannot be replayed: a checkpoint keeps no position to resume from, only
 * what was read and lost so far, so that the totals survive restarts and each restart's
 * blind spot is counted.
 *
 * @param node the node, as the TaskManager's location names it
 * @param recordsRead records handed downstream, over every run of this split
 * @param lostInRing events the kernel could not write because the ring was full
 * @param malformed records skipped as malformed
 * @param restarts how often the split was restored from a checkpoint
 * @param unobservedMillis time, over all restarts, from the last checkpoint to the programs
 *     being attached again: events in it were either read and not checkpointed, or never seen
 * @param checkpointEpochMillis when this state was checkpointed; 0 before the first checkpoint
 */
public record EbpfSplit(
        String node,
        long recordsRead,
        long lostInRing,
        long malformed,
        int restarts,
        long unobservedMillis,
        long checkpointEpochMillis)
        implements SourceSplit {
    public static EbpfSplit of(String node) {
        return new EbpfSplit(node, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public String splitId() {
        return node;
    }

    /** This state, stamped with the time of the checkpoint that keeps it. */
    public EbpfSplit withCheckpointTime(long epochMillis) {
        return new EbpfSplit(node, recordsRead, lostInRing, malformed, restarts, unobservedMillis, epochMillis);
    }

    /** Whether this state comes from a checkpoint of an earlier run. */
    public boolean restored() {
        return checkpointEpochMillis > 0;
    }
}
