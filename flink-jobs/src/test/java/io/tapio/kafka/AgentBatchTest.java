package io.tapio.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.kafka.UndecodableBatchException.Problem;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Workload;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The framing of a node agent's batch: what goes in comes out, and what is not a batch says why. */
class AgentBatchTest {
    private static final String NODE = "node-a";
    private static final long EPOCH_AT_ZERO = 1_700_000_000_000_000_000L;

    @Test
    void eventsComeOutInOrderWithTheirWorkloadsEachDecodedOncePerBatch() throws Exception {
        Workload checkout = TestEvents.pod(NODE, 11, "uid-1");
        Workload host = Workload.host(new Workload.Cgroup(NODE, 12, "/system.slice/cron.service"));
        AgentBatchWriter writer = new AgentBatchWriter(NODE, EPOCH_AT_ZERO, 100, 64 * 1024);
        List<EnrichedEvent> written = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Workload workload = i % 3 == 0 ? host : checkout;
            KernelEvent event = TestEvents.failedOpen(
                    5_000_000_000L + i, 100 + i, workload.cgroup().id(), "/etc/app-" + i);
            assertTrue(writer.add(event, workload));
            written.add(new EnrichedEvent(event, workload));
        }

        AgentBatch batch = AgentBatchReader.read(writer.seal());

        assertEquals(NODE, batch.node());
        assertEquals(written, batch.events());
        assertSame(batch.events().get(1).workload(), batch.events().get(2).workload(), "one instance per workload");
        assertEquals(
                (EPOCH_AT_ZERO + 5_000_000_000L) / 1_000_000,
                batch.epochMillis(batch.events().get(0).event()));
        assertEquals(0, writer.events(), "sealing starts the next batch");
        assertEquals(List.of(), AgentBatchReader.read(writer.seal()).events());
    }

    @Test
    void aBatchIsFullAtItsEventOrByteLimitAndTheWorkloadTableCountsIn() {
        Workload workload = TestEvents.pod(NODE, 11, "uid-1");
        KernelEvent event = TestEvents.failedOpen(1, 1, 11, "/etc/app");
        AgentBatchWriter byCount = new AgentBatchWriter(NODE, EPOCH_AT_ZERO, 3, 64 * 1024);
        for (int i = 0; i < 3; i++) {
            assertTrue(byCount.add(event, workload));
        }
        assertFalse(byCount.add(event, workload));
        assertEquals(3, byCount.events());

        AgentBatchWriter bySize = new AgentBatchWriter(NODE, EPOCH_AT_ZERO, 1000, 4096);
        while (bySize.add(event, workload)) {
            assertTrue(bySize.bytes() <= 4096);
        }
        assertEquals(bySize.bytes(), bySize.seal().length, "the size it counts is the size it writes");
    }

    @Test
    void whatIsNotAWholeWellFormedBatchIsRefusedWithWhatIsWrong() {
        AgentBatchWriter writer = new AgentBatchWriter(NODE, EPOCH_AT_ZERO, 100, 64 * 1024);
        Workload workload = TestEvents.pod(NODE, 11, "uid-1");
        writer.add(TestEvents.failedOpen(1, 1, 11, "/etc/app"), workload);
        byte[] good = writer.seal();

        assertProblem(Problem.NOT_A_BATCH, "{\"event\":\"exec\"}".getBytes(StandardCharsets.UTF_8), "magic");
        assertProblem(Problem.NOT_A_BATCH, null, "no value");
        byte[] nextVersion = good.clone();
        nextVersion[4] = 2;
        assertProblem(Problem.UNSUPPORTED_VERSION, nextVersion, "version 2");
        assertProblem(Problem.WRONG_LENGTH, Arrays.copyOf(good, good.length - 10), "ends early");
        assertProblem(Problem.WRONG_LENGTH, Arrays.copyOf(good, good.length + 3), "3 bytes after");
        byte[] badRecord = good.clone();
        badRecord[good.length - TestEvents.failedOpen(1, 1, 11, "/etc/app").size()] ^= 0x5A; // the record's magic
        assertProblem(Problem.MALFORMED_CONTENT, badRecord, "not a Tapio event record");
    }

    @Test
    void aWorkloadCountTheBytesCannotHoldIsAWrongLengthBeforeAnythingIsSizedByIt() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(AgentBatchFormat.MAGIC);
        out.writeByte(AgentBatchFormat.VERSION);
        out.writeUTF(NODE);
        out.writeLong(EPOCH_AT_ZERO);
        out.writeShort(0xFFFF);
        out.write(new byte[40]);

        assertProblem(Problem.WRONG_LENGTH, bytes.toByteArray(), "a count of 65535 workloads in 40 remaining bytes");
    }

    private static void assertProblem(Problem problem, byte[] value, String reasonPart) {
        UndecodableBatchException e = assertThrows(UndecodableBatchException.class, () -> AgentBatchReader.read(value));
        assertEquals(problem, e.problem());
        assertTrue(e.getMessage().contains(reasonPart), e.getMessage());
    }
}
