package io.tapio.correlate;

import io.tapio.ebpf.batch.AdaptiveBatchSize;
import io.tapio.model.EnrichedEvent;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.util.function.BiConsumerWithException;

/**
 * Each key's events waiting to be correlated together: they wait until the key's batch is full,
 * or until the task has handed over the records the source read with them, whichever comes first
 * (the {@link Correlator} ends the partial batches then). The batches live beside the operator,
 * not in keyed state: a partial batch never outlasts the hand-over of its records, and the
 * correlator ends every one before a checkpoint, so no checkpoint holds a waiting event (in
 * keyed state, each event cost a list append, a count update and their hash lookups).
 *
 * <p>The batch size is the operator's, and moves between its bounds so that batching itself adds
 * no more than the latency target: doubled when a batch filled within half the target (counting,
 * for a batch of one, from the key's previous event), halved when one took longer to fill or its
 * burst ended first. A busy key fills its batches at once and gets large ones, which is when
 * batching pays; a quiet key gets batches of one, which do not wait. Latency that builds up before
 * the correlator (queueing under load) does not shrink the batches: smaller ones would only make
 * catching up slower.
 */
final class KeyedBatches {
    private static final int KEYS_TIMED = 4096;
    /**
     * Emptied batches kept for reuse: more than the keys a hand-over holds waiting on a busy node
     * (replaying a capture of 200 workloads, 64 were too few: a new batch, and its arrays, for 4%
     * of the task's bytes). At most 3 KB each (arrays of the largest batch), 3 MB in all.
     */
    private static final int SPARES = 1024;

    private final AdaptiveBatchSize size;
    private final Map<String, Batch> waiting = new HashMap<>();
    private final ArrayDeque<Batch> spares = new ArrayDeque<>();
    /**
     * Per key with none waiting, when its last batch began (System.nanoTime; a waiting batch holds
     * its own), held for the most recent {@link #KEYS_TIMED} keys: a batch of one's fill time. A
     * key not among them counts as one whose fill time is unknown. Touched once a batch, not once
     * an event: an access-ordered map relinks its entry at every access (7% of the task's samples
     * replaying a capture, when each event looked its key up here).
     */
    private final Map<String, long[]> since = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > KEYS_TIMED;
        }
    };

    KeyedBatches(AdaptiveBatchSize.Settings settings) {
        this.size = new AdaptiveBatchSize(settings);
    }

    AdaptiveBatchSize size() {
        return size;
    }

    /**
     * Adds the key's next event.
     *
     * @return the key's batch, full, to correlate now and then {@link #recycle}; null while it waits
     */
    Batch add(String key, long epochMillis, EnrichedEvent event) {
        long now = System.nanoTime();
        Batch batch = waiting.get(key);
        if (batch == null) {
            batch = spare();
        }
        batch.add(epochMillis, event);
        if (batch.size() < size.size()) {
            if (batch.size() == 1) {
                waiting.put(key, batch);
                batch.firstArrival(now);
            }
            return null;
        }
        // The batch is full; a batch of one is timed from the key's last batch, and a key seen
        // first has no fill time.
        long[] keySince = since(key);
        long from = batch.size() == 1 ? keySince[0] : batch.firstArrival();
        size.filled(from > now ? Long.MAX_VALUE : now - from);
        keySince[0] = now;
        if (batch.size() > 1) {
            waiting.remove(key);
        }
        return batch;
    }

    private long[] since(String key) {
        return since.computeIfAbsent(key, k -> new long[] {Long.MAX_VALUE});
    }

    /** A batch that ends before it fills: its key's last batch began when it did. */
    private void endedPartial(String key, Batch batch) {
        since(key)[0] = batch.firstArrival();
    }

    /** An event that waited in a checkpoint of an earlier version: it waits again, for the next end. */
    void restore(String key, long epochMillis, EnrichedEvent event) {
        waiting.computeIfAbsent(key, k -> spare()).add(epochMillis, event);
    }

    /**
     * The task has handed over what the source read: every partial batch goes to {@code correlate}
     * (key, batch), then is recycled. Each such batch ended before it filled.
     */
    void endAll(BiConsumerWithException<String, Batch, Exception> correlate) throws Exception {
        for (Map.Entry<String, Batch> entry : waiting.entrySet()) {
            size.adjust(true, false); // its burst ended before it filled
            endedPartial(entry.getKey(), entry.getValue());
            correlate.accept(entry.getKey(), entry.getValue());
            recycle(entry.getValue());
        }
        waiting.clear();
    }

    /**
     * Before an event-time timer of the key: its waiting events, whatever the batch's size, so
     * that nothing older than the watermark is correlated after what the watermark triggers.
     *
     * @return the key's waiting batch, to correlate and then {@link #recycle}; null when none waits
     */
    Batch take(String key) {
        Batch batch = waiting.remove(key);
        if (batch != null) {
            endedPartial(key, batch);
        }
        return batch;
    }

    /** A batch correlated: emptied, and kept to be filled again. */
    void recycle(Batch batch) {
        batch.clear();
        if (spares.size() < SPARES) {
            spares.push(batch);
        }
    }

    private Batch spare() {
        Batch batch = spares.poll();
        return batch != null ? batch : new Batch();
    }
}
