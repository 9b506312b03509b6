package io.tapio.ebpf.source.ebpf;

import java.util.List;

/**
 * What the enumerator checkpoints: the splits of nodes that no reader holds right now (their
 * reader failed and the split came back), to be handed to the next reader on that node.
 */
public record EbpfEnumeratorState(List<EbpfSplit> unassigned) {
    public EbpfEnumeratorState {
        unassigned = List.copyOf(unassigned);
    }
}
