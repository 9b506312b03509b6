package io.tapio.agent;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a node agent has done since it started.
 *
 * @param read events the kernel delivered
 * @param filtered events left out as irrelevant (clean exits): the job's filter, applied on the node
 * @param published events in batches Kafka acknowledged
 * @param dropped events lost, by reason (ring_full and malformed in the kernel's ring; the
 *     agent's agent_buffer_full, kafka_rejected, unsent_at_exit)
 * @param bufferedBytes bytes waiting for Kafka
 * @param bufferBytes the bound on them
 * @param kafkaSilentFor how long Kafka has acknowledged nothing while batches wait
 * @param kafkaError why Kafka last failed the agent, or ""
 */
public record AgentStats(
        String node,
        long read,
        long filtered,
        long published,
        Map<String, Long> dropped,
        long bufferedBytes,
        long bufferBytes,
        Duration kafkaSilentFor,
        String kafkaError) {
    public AgentStats {
        dropped = Map.copyOf(dropped);
    }

    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** One line for a person: rates since {@code previous} ({@code interval} ago), totals, buffer, Kafka. */
    public String line(AgentStats previous, Duration interval) {
        double seconds = Math.max(interval.toMillis(), 1) / 1000.0;
        String drops = droppedTotal() == 0
                ? "0 dropped"
                : String.format(
                        "%,d dropped (%s)",
                        droppedTotal(),
                        dropped.entrySet().stream()
                                .filter(e -> e.getValue() > 0)
                                .sorted(Map.Entry.comparingByKey())
                                .map(e -> String.format("%s %,d", e.getKey(), e.getValue()))
                                .collect(Collectors.joining(", ")));
        String kafka = kafkaSilentFor.compareTo(BatchPublisher.SILENCE_WORTH_A_WARNING) < 0
                ? "Kafka ok"
                : "Kafka silent for " + kafkaSilentFor.toSeconds() + " s"
                        + (kafkaError.isEmpty() ? "" : " (" + kafkaError + ")") + ", buffering";
        return String.format(
                "%s: %,.0f events/s read, %,.0f/s published | %,d read, %,d filtered, %,d published, %s"
                        + " | buffer %.1f of %.1f MiB | %s",
                node,
                (read - previous.read) / seconds,
                (published - previous.published) / seconds,
                read,
                filtered,
                published,
                drops,
                bufferedBytes / 1048576.0,
                bufferBytes / 1048576.0,
                kafka);
    }
}
