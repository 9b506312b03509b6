package io.tapio.local;

import io.tapio.model.Finding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * The latest report of each recent episode, for {@code tapio run}'s summary and
 * {@code tapio check}. It lives in the JVM: a local run's job and its status endpoint share
 * one. On a cluster, findings go to the history instead.
 */
public final class FindingsBoard implements Sink<Finding> {
    private static final int KEPT = 200;
    private static final Map<String, Finding> EPISODES = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Finding> eldest) {
            return size() > KEPT;
        }
    };

    /** The latest report of each episode, newest first. */
    public static List<Finding> latest() {
        synchronized (EPISODES) {
            List<Finding> all = new ArrayList<>(EPISODES.values());
            all.sort(Comparator.comparingLong(Finding::lastSeenEpochMillis).reversed());
            return all;
        }
    }

    /** Forgets everything: a new run starts with an empty board. */
    public static void clear() {
        synchronized (EPISODES) {
            EPISODES.clear();
        }
    }

    @Override
    public SinkWriter<Finding> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(Finding finding, Context context) {
                synchronized (EPISODES) {
                    EPISODES.put(finding.episodeId(), finding);
                }
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
