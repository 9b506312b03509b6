package io.tapio.correlate;

import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.synthetic.InjectedFault;
import io.tapio.ebpf.synthetic.SyntheticConfig;

/** The synthetic node the job's tests run on: busy, and failing only where a fault is injected. */
public final class BusyNode {
    private BusyNode() {}

    /**
     * A thousand events a second, without failures of their own: exits, signals and OOM kills
     * come only from {@code faults}.
     */
    public static SyntheticConfig with(long seed, InjectedFault... faults) {
        SyntheticConfig.Builder builder = SyntheticConfig.builder()
                .seed(seed)
                .eventsPerSecond(1_000)
                .weight(EventType.EXIT, 0)
                .weight(EventType.SIGNAL, 0)
                .weight(EventType.OOM_KILL, 0);
        for (InjectedFault fault : faults) {
            builder.fault(fault);
        }
        return builder.build();
    }
}
