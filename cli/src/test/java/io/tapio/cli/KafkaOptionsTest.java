package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.job.SourceSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** What {@code tapio run --source kafka} and {@code tapio agent} make of their options, and what they refuse. */
class KafkaOptionsTest {
    @Test
    void runWithTheKafkaSourceReadsTheAgentsTopicAndSendsDeadLettersBesideIt() throws Exception {
        SourceOption option = parse(
                "--source",
                "kafka",
                "--bootstrap-servers",
                "kafka-0:9092,kafka-1:9092",
                "--kafka-property",
                "security.protocol=SSL");
        assertEquals(
                new SourceSpec.Kafka(
                        "kafka-0:9092,kafka-1:9092",
                        "tapio.events",
                        "tapio.events.dlq",
                        "tapio",
                        Map.of("security.protocol", "SSL")),
                option.resolve());
        assertEquals(
                "other.dlq",
                ((SourceSpec.Kafka) parse(
                                        "--source",
                                        "kafka",
                                        "--bootstrap-servers",
                                        "k:9092",
                                        "--topic",
                                        "other",
                                        "--dead-letter-topic",
                                        "other.dlq")
                                .resolve())
                        .topic()
                        .deadLetterTopic());
    }

    @Test
    @Timeout(30) // a refusal that is missed would start an agent
    void whatCannotWorkIsRefusedBeforeAnythingStarts() {
        assertRefused("--source kafka needs --bootstrap-servers HOST:PORT", "run", "--source", "kafka");
        assertRefused("Missing required option: '--bootstrap-servers", "agent");
        assertRefused(
                "unknown compression 'brotli'",
                "agent",
                "--bootstrap-servers",
                "127.0.0.1:9",
                "--compression",
                "brotli");
        assertRefused(
                "the buffer (0 bytes) must hold at least one batch",
                "agent",
                "--bootstrap-servers",
                "127.0.0.1:9",
                "--buffer-mib",
                "0");
    }

    private static SourceOption parse(String... args) {
        SourceOption option = new SourceOption();
        new CommandLine(option).parseArgs(args);
        return option;
    }

    private static void assertRefused(String message, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = Tapio.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        assertEquals(Tapio.CANNOT_RUN, cli.execute(args), err.toString());
        assertTrue(err.toString().contains(message), err.toString());
    }
}
