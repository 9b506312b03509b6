package io.tapio.export;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per pod: a pod's Events may come {@code burst} at once, then
 * {@code perMinute} a minute. A pod whose workload keeps failing must not flood the API server
 * (kubelet's own event recorder limits itself the same way). Used by one thread.
 *
 * <p>At most {@link #PODS} buckets are kept, the least recently used forgotten: a forgotten pod
 * starts again with a full bucket, which a node never running that many failing pods at once
 * does not notice.
 */
final class PodRateLimit {
    static final int PODS = 10_000;
    private static final double NANOS_PER_MINUTE = 60e9;

    private final double burst;
    private final double perNano;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > PODS;
        }
    };

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.refilledAt = at;
        }
    }

    PodRateLimit(int burst, double perMinute, LongSupplier nanoTime) {
        if (burst < 1) {
            throw new IllegalArgumentException("a pod's burst of Events must be at least 1, not " + burst);
        }
        if (!(perMinute >= 0) || Double.isInfinite(perMinute)) {
            throw new IllegalArgumentException("Events per minute must be 0 or more, not " + perMinute);
        }
        this.burst = burst;
        this.perNano = perMinute / NANOS_PER_MINUTE;
        this.nanoTime = nanoTime;
    }

    /** Takes a token of this pod's bucket: false when it is empty (the report is to be dropped). */
    boolean tryAcquire(String pod) {
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.computeIfAbsent(pod, p -> new Bucket(burst, now));
        bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.refilledAt) * perNano);
        bucket.refilledAt = now;
        if (bucket.tokens < 1) {
            return false;
        }
        bucket.tokens--;
        return true;
    }
}
