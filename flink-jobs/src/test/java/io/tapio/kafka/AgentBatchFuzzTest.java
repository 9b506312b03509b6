package io.tapio.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.FuzzedRecords;
import io.tapio.model.Workload;
import io.tapio.model.WorkloadCodec;
import io.tapio.testing.Fuzz;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The job's decoder of the agents' Kafka records ({@link AgentBatchDeserializer}, what its
 * KafkaSource runs), fuzzed ({@link Fuzz}; README, "Building and testing by hand", for the long
 * run): batches of random workloads and records, with counts and indexes now right, now wrong,
 * often damaged. Every record becomes either all its events or exactly one dead letter that
 * keeps the record untouched and says why; nothing is thrown, and a record allocates in
 * proportion to its size, never to a count read from inside it.
 */
class AgentBatchFuzzTest {
    private static final String TOPIC = "tapio.events";
    /**
     * What one length of the format can cost before the bytes behind it are found missing: a
     * string of 65535 bytes ({@code DataInputStream.readUTF} sizes its byte and char arrays by
     * the length, 192 KiB), or a record of 64 KiB.
     */
    private static final long ONE_FIELD = 200 * 1024;

    @Test
    void everyRecordIsAllItsEventsOrOneDeadLetter() {
        List<String> reached = new ArrayList<>(List.of("events"));
        Arrays.stream(UndecodableBatchException.Problem.values())
                .map(UndecodableBatchException.Problem::label)
                .forEach(reached::add);
        Fuzz.ofBytes("agent batches", AgentBatchFuzzTest::batch)
                .allocatingAtMost(value -> ONE_FIELD + 32L * value.length)
                .reaching(reached)
                .check(AgentBatchFuzzTest::deserialize);
    }

    private static String deserialize(byte[] value) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(TOPIC, 3, 42L, new byte[] {1}, value);
        List<FromAgent> out = new ArrayList<>();
        new AgentBatchDeserializer().deserialize(record, collector(out));
        if (out.size() == 1 && out.getFirst() instanceof FromAgent.DeadLetter letter) {
            assertSame(value, letter.value(), "a dead letter keeps the record untouched");
            assertEquals(TOPIC + "-3@42", letter.source());
            assertNotNull(letter.problem());
            assertTrue(letter.reason().length() <= 500, letter.reason());
            return letter.problem().label();
        }
        out.forEach(item -> assertTrue(item instanceof FromAgent.Event, () -> "a dead letter among events: " + out));
        return "events";
    }

    /** A batch as an agent frames it, with random parts, damaged three times in four. */
    private static byte[] batch(SplittableRandom random) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            out.write(random.nextInt(16) == 0 ? FuzzedRecords.bytes(random, 4) : AgentBatchFormat.MAGIC);
            out.writeByte(random.nextInt(16) == 0 ? random.nextInt(256) : AgentBatchFormat.VERSION);
            out.writeUTF(text(random));
            out.writeLong(random.nextLong());
            int workloads = random.nextInt(4);
            out.writeShort(random.nextInt(16) == 0 ? random.nextInt(0x10000) : workloads);
            for (int i = 0; i < workloads; i++) {
                WorkloadCodec.write(workload(random), out);
            }
            int events = random.nextInt(8);
            out.writeInt(random.nextInt(16) == 0 ? random.nextInt() : events);
            for (int i = 0; i < events; i++) {
                out.writeShort(
                        random.nextInt(16) == 0 ? random.nextInt(0x10000) : random.nextInt(Math.max(1, workloads)));
                byte[] event =
                        random.nextInt(4) == 0 ? FuzzedRecords.misframed(random) : FuzzedRecords.wellFramed(random);
                out.writeShort(event.length);
                out.write(event);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Fuzz.damage(bytes.toByteArray(), random);
    }

    private static Workload workload(SplittableRandom random) {
        Map<String, String> labels = new HashMap<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            labels.put(text(random), text(random));
        }
        Workload.Kind[] kinds = Workload.Kind.values();
        return new Workload(
                kinds[random.nextInt(kinds.length)],
                new Workload.Cgroup(text(random), random.nextLong(), text(random)),
                new Workload.Pod(text(random), text(random), text(random), text(random), labels),
                new Workload.Container(text(random), text(random), text(random), text(random)),
                new Workload.Owner(text(random), text(random)),
                text(random));
    }

    /** Mostly short names, with control characters, other scripts and unpaired surrogates among them. */
    private static String text(SplittableRandom random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            text.append((char)
                    switch (random.nextInt(4)) {
                        case 0 -> random.nextInt(0x20);
                        case 1 -> random.nextInt(0x10000);
                        default -> random.nextInt('a', 'z' + 1);
                    });
        }
        return text.toString();
    }

    private static Collector<FromAgent> collector(List<FromAgent> into) {
        return new Collector<>() {
            @Override
            public void collect(FromAgent record) {
                into.add(record);
            }

            @Override
            public void close() {}
        };
    }
}
