package io.tapio.job;

import io.tapio.ebpf.event.KernelEvent;
import io.tapio.ebpf.source.NodeName;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Workload;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/** Every event's workload is its cgroup on this node. */
final class NodeWorkloads extends RichMapFunction<KernelEvent, EnrichedEvent> {
    private transient String node;

    @Override
    public void open(OpenContext context) {
        node = NodeName.local();
    }

    @Override
    public EnrichedEvent map(KernelEvent event) {
        return new EnrichedEvent(event, Workload.host(node, event.cgroupId(), ""));
    }
}
