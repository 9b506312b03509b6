package io.tapio.model;

import java.io.Serial;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * Keys events by their workload ({@link Workload#key()}). Workload identities are shared
 * objects (the enricher and the serializer cache them) and consecutive events mostly share
 * one, so the key of the last one is kept rather than built again for every event.
 */
public final class WorkloadKey implements KeySelector<EnrichedEvent, String> {
    @Serial
    private static final long serialVersionUID = 1L;

    private transient Workload last;
    private transient String lastKey;

    @Override
    public String getKey(EnrichedEvent event) {
        Workload workload = event.workload();
        if (workload != last) {
            lastKey = workload.key();
            last = workload;
        }
        return lastKey;
    }
}
