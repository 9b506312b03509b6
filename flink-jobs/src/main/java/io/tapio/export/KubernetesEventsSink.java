package io.tapio.export;

import io.tapio.enrich.KubernetesAccess;
import io.tapio.model.Finding;
import java.io.Serial;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Findings as Kubernetes Events on their pods ({@link EventPoster}): each subtask hands its
 * reports to a poster of its own and goes on at once. At most once: a report is an
 * announcement, and the next report of an episode carries its whole state.
 */
public final class KubernetesEventsSink implements Sink<Finding> {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesEventsSink.class);

    private final EventsConfig config;

    public KubernetesEventsSink(EventsConfig config) {
        this.config = config;
    }

    @Override
    public SinkWriter<Finding> createWriter(WriterInitContext context) {
        if (config.mode() == EventsConfig.Mode.AUTO && !KubernetesAccess.inPod(System.getenv())) {
            LOG.info("not in a pod with a service account: findings are not posted as Kubernetes Events");
            return new Writer(null);
        }
        return new Writer(EventPoster.start(config));
    }

    private static final class Writer implements SinkWriter<Finding> {
        private final EventPoster poster;

        Writer(EventPoster poster) {
            this.poster = poster;
        }

        @Override
        public void write(Finding finding, Context context) {
            if (poster != null) {
                poster.offer(finding);
            }
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() throws InterruptedException {
            if (poster != null) {
                poster.close();
            }
        }
    }
}
