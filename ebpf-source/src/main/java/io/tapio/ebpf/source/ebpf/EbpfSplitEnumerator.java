package io.tapio.ebpf.source.ebpf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each node's split to a reader running on that node, so that every TaskManager reads
 * its own kernel and no kernel is read twice. A node's split is created when the first
 * reader registers from there ({@link ReaderInfo#getLocation()}); further readers on the
 * same node get nothing to read. A split that comes back from a failed reader waits for the
 * next reader on its node.
 */
public final class EbpfSplitEnumerator implements SplitEnumerator<EbpfSplit, EbpfEnumeratorState> {
    private static final Logger LOG = LoggerFactory.getLogger(EbpfSplitEnumerator.class);

    /** The location of readers in a local MiniCluster, which has no host names. */
    static final String LOCAL = "local";

    private final SplitEnumeratorContext<EbpfSplit> context;
    private final Map<String, EbpfSplit> unassigned = new HashMap<>();
    private final Set<String> assignedNodes = new HashSet<>();

    EbpfSplitEnumerator(SplitEnumeratorContext<EbpfSplit> context, EbpfEnumeratorState state) {
        this.context = context;
        state.unassigned().forEach(split -> unassigned.put(split.node(), split));
    }

    @Override
    public void start() {}

    @Override
    public void addReader(int subtaskId) {
        ReaderInfo reader = context.registeredReaders().get(subtaskId);
        String node = reader.getLocation().isEmpty() ? LOCAL : reader.getLocation();
        if (assignedNodes.contains(node)) {
            LOG.info("reader {} on {}: that node's kernel is read by another reader already", subtaskId, node);
            context.signalNoMoreSplits(subtaskId);
            return;
        }
        EbpfSplit split = unassigned.containsKey(node) ? unassigned.remove(node) : EbpfSplit.of(node);
        LOG.info("assigning the kernel of {} to reader {}", node, subtaskId);
        context.assignSplit(split, subtaskId);
        assignedNodes.add(node);
    }

    @Override
    public void addSplitsBack(List<EbpfSplit> splits, int subtaskId) {
        for (EbpfSplit split : splits) {
            assignedNodes.remove(split.node());
            unassigned.put(split.node(), split);
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // splits are pushed when a reader registers
    }

    @Override
    public EbpfEnumeratorState snapshotState(long checkpointId) {
        return new EbpfEnumeratorState(new ArrayList<>(unassigned.values()));
    }

    @Override
    public void close() {}
}
