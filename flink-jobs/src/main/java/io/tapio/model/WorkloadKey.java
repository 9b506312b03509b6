package io.tapio.model;

import java.io.Serial;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * Keys events by their workload ({@link Workload#key()}). Workload identities are shared
 * objects (the enricher and the serializer cache them), and a node's events interleave a few
 * workloads at a time, so the keys of the recent ones are kept by identity rather than built
 * again, a string each, for every event. A new identity object (a new pod) is a new entry;
 * the entries are forgotten all at once when they reach {@link #REMEMBERED}.
 */
public final class WorkloadKey implements KeySelector<EnrichedEvent, String> {
    @Serial
    private static final long serialVersionUID = 1L;

    static final int REMEMBERED = 1024;

    private transient Map<Workload, String> keys;
    private transient Workload last;
    private transient String lastKey;

    @Override
    public String getKey(EnrichedEvent event) {
        Workload workload = event.workload();
        if (workload != last) {
            if (keys == null) {
                keys = new IdentityHashMap<>();
            }
            String key = keys.get(workload);
            if (key == null) {
                if (keys.size() >= REMEMBERED) {
                    keys.clear();
                }
                key = workload.key();
                keys.put(workload, key);
            }
            last = workload;
            lastKey = key;
        }
        return lastKey;
    }
}
