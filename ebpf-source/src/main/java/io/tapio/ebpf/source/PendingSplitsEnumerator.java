package io.tapio.ebpf.source;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Hands out a fixed set of splits, one per request, to whichever reader asks (the replay
 * and synthetic sources: their splits can be read anywhere). A reader that asks when none
 * are left is told there will be no more. Splits of a failed reader come back and go out
 * again.
 */
public final class PendingSplitsEnumerator<S extends SourceSplit> implements SplitEnumerator<S, List<S>> {
    private final SplitEnumeratorContext<S> context;
    private final Deque<S> pending;

    public PendingSplitsEnumerator(SplitEnumeratorContext<S> context, Collection<S> splits) {
        this.context = context;
        this.pending = new ArrayDeque<>(splits);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        S split = pending.poll();
        if (split == null) {
            context.signalNoMoreSplits(subtaskId);
        } else {
            context.assignSplit(split, subtaskId);
        }
    }

    @Override
    public void addSplitsBack(List<S> splits, int subtaskId) {
        splits.forEach(pending::addFirst);
    }

    @Override
    public void addReader(int subtaskId) {
        // readers ask for splits themselves
    }

    @Override
    public List<S> snapshotState(long checkpointId) {
        return new ArrayList<>(pending);
    }

    @Override
    public void close() {}
}
