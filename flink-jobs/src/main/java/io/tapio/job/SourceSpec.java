package io.tapio.job;

import io.tapio.ebpf.collector.CollectorConfig;
import io.tapio.ebpf.source.ebpf.Coalescing;
import io.tapio.ebpf.source.ebpf.EbpfSourceOptions;
import io.tapio.kafka.AgentTopic;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Where the streaming job's kernel events come from. */
public sealed interface SourceSpec extends Serializable {
    /** A short name for status and logs: {@code ebpf}, {@code synthetic}, {@code replay:FILE}. */
    String label();

    /** Whether event timestamps are this machine's clock now, so latency can be measured. */
    boolean live();

    /**
     * This node's kernel, through Tapio's BPF programs.
     *
     * @param coalescing how long records gather on a busy ring before the job reads them
     * @param readerSlice the scheduler slice the reader's threads ask for; zero leaves the scheduler's
     */
    record Ebpf(CollectorConfig collector, Coalescing coalescing, Duration readerSlice) implements SourceSpec {
        @Serial
        private static final long serialVersionUID = 3L;

        /** With the default coalescing and slice. */
        public Ebpf(CollectorConfig collector) {
            this(collector, Coalescing.DEFAULT, EbpfSourceOptions.DEFAULT_READER_SLICE);
        }

        @Override
        public String label() {
            return "ebpf";
        }

        @Override
        public boolean live() {
            return true;
        }
    }

    /**
     * Generated events, paced in real time (live timestamps), or as fast as possible up to a
     * count (deterministic, replayable).
     */
    record Synthetic(io.tapio.ebpf.synthetic.SyntheticConfig config, long maxEvents, boolean paced)
            implements SourceSpec {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public String label() {
            return "synthetic";
        }

        @Override
        public boolean live() {
            return paced;
        }
    }

    /**
     * A capture written by {@code tapio record}, replayed at {@code speed} times the speed it was
     * recorded ({@link Double#POSITIVE_INFINITY}: as fast as possible).
     */
    record Replay(Path file, double speed) implements SourceSpec {
        @Serial
        private static final long serialVersionUID = 2L;

        public static Replay asFastAsPossible(Path file) {
            return new Replay(file, Double.POSITIVE_INFINITY);
        }

        @Override
        public String label() {
            return "replay:" + file;
        }

        @Override
        public boolean live() {
            return false;
        }
    }

    /**
     * Node agents' batches from Kafka ({@code tapio agent}): events already enriched on their
     * nodes. A record that is not a batch goes to the topic's dead-letter topic.
     */
    record Kafka(AgentTopic topic) implements SourceSpec {
        @Serial
        private static final long serialVersionUID = 1L;

        public Kafka(
                String bootstrapServers,
                String topic,
                String deadLetterTopic,
                String groupId,
                Map<String, String> properties) {
            this(new AgentTopic(bootstrapServers, topic, deadLetterTopic, groupId, properties));
        }

        @Override
        public String label() {
            return topic.label();
        }

        /** No: the kernel's timestamps are the monotonic clocks of other machines. */
        @Override
        public boolean live() {
            return false;
        }
    }
}
