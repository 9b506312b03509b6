package io.tapio.ebpf.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.ConnectOutcome;
import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.TcpConnect;
import io.tapio.ebpf.abi.TcpRetransmit;
import io.tapio.ebpf.testing.RecordingReader;
import io.tapio.testing.Commands;
import io.tapio.testing.TestNetns;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A connect whose SYNs are silently dropped, inside a network namespace the test creates
 * (loopback only, an nftables drop rule, one SYN retry), so that it times out in seconds.
 */
class TcpFailuresTest {
    private static final int DROPPED_PORT = 9;

    @Test
    void droppedSynsAreRetransmittedAndTheConnectTimesOut() {
        try (TestNetns netns = new TestNetns();
                KernelCollector collector = KernelCollector.open(CollectorConfig.builder()
                        .ringBufferBytes(1 << 20)
                        .enabledTypes(List.of(EventType.TCP_CONNECT, EventType.TCP_RETRANSMIT))
                        .build());
                RecordingReader events = new RecordingReader(collector.reader())) {
            netns.sysctl("ipv4/tcp_syn_retries", "1");
            netns.exec(
                    "nft",
                    "add table inet tapio; add chain inet tapio out { type filter hook output priority 0; }; "
                            + "add rule inet tapio out tcp dport " + DROPPED_PORT + " drop");

            // Bounded by the single SYN retry: gives up after about 3 s.
            Commands.Result client =
                    Commands.run(netns.inside("/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + DROPPED_PORT));
            assertNotEquals(0, client.exitCode(), "the connect must fail: " + client.output());

            TcpRetransmit retransmit = events.await(
                            "SYN retransmit",
                            e -> e.type() == EventType.TCP_RETRANSMIT
                                    && e.payload(TcpRetransmit.class)
                                                    .endpoints()
                                                    .destination()
                                                    .getPort()
                                            == DROPPED_PORT,
                            Duration.ofSeconds(10))
                    .payload(TcpRetransmit.class);
            assertTrue(retransmit.totalRetransmits() >= 1);

            var timedOut = events.await(
                    "timed-out connect",
                    e -> e.type() == EventType.TCP_CONNECT
                            && e.payload(TcpConnect.class)
                                            .endpoints()
                                            .destination()
                                            .getPort()
                                    == DROPPED_PORT,
                    Duration.ofSeconds(10));
            TcpConnect connect = timedOut.payload(TcpConnect.class);
            assertEquals(ConnectOutcome.TIMED_OUT, connect.outcome());
            assertEquals(110, connect.error());
            assertTrue(connect.latencyNs() >= Duration.ofSeconds(2).toNanos(), "SYN, one retry, then give up");
            assertEquals(client.pid(), timedOut.pid(), "attributed to the process that called connect");
            assertEquals("bash", timedOut.comm());
        }
    }
}
