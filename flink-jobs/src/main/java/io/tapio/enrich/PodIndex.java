package io.tapio.enrich;

import io.tapio.model.Workload;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pods of this node by the uid their cgroup paths carry, as the informer last saw them. Every change bumps a
 * generation, so that identities completed from an older state are completed again (a pod
 * the API did not know yet, a container whose id its status did not report yet). A deleted
 * pod stays for the grace period: the events of its last moments arrive after it is gone.
 */
final class PodIndex {
    private final Map<String, PodInfo> pods = new ConcurrentHashMap<>();
    private final Map<String, Long> deletedAt = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final long graceNanos;

    PodIndex(Duration grace) {
        this.graceNanos = grace.toNanos();
    }

    void put(PodInfo pod) {
        pods.put(pod.cgroupUid(), pod);
        generation.incrementAndGet();
    }

    void deleted(String cgroupUid) {
        deletedAt.put(cgroupUid, System.nanoTime());
    }

    /** Forgets pods deleted longer ago than the grace period. */
    void sweep() {
        long now = System.nanoTime();
        deletedAt.entrySet().removeIf(deleted -> {
            boolean expired = now - deleted.getValue() > graceNanos;
            if (expired) {
                pods.remove(deleted.getKey());
                generation.incrementAndGet();
            }
            return expired;
        });
    }

    long generation() {
        return generation.get();
    }

    int size() {
        return pods.size();
    }

    /** A pod identity from a cgroup path completed by what the API says, or unchanged when it says nothing yet. */
    Workload describe(Workload fromPath) {
        PodInfo pod = pods.get(fromPath.pod().uid());
        if (pod == null) {
            return fromPath;
        }
        Workload.Container container =
                pod.containers().getOrDefault(fromPath.container().id(), Workload.Container.NONE);
        return fromPath.describedBy(
                new Workload.Pod(pod.namespace(), pod.name(), pod.cgroupUid(), pod.qosClass(), pod.labels()),
                container,
                pod.owner());
    }
}
