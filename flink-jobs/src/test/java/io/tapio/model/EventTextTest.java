package io.tapio.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tapio.ebpf.abi.Exit;
import io.tapio.ebpf.abi.ExitOrigin;
import io.tapio.ebpf.abi.OpenFailed;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class EventTextTest {
    @Test
    void addressesReadAsInAUrlWithoutANameLookup() throws UnknownHostException {
        assertEquals("10.0.0.7:5432", address("10.0.0.7", 5432));
        assertEquals("[::1]:7", address("::1", 7));
        assertEquals("[fe80::1]:80", address("fe80:0:0:0:0:0:0:1", 80));
        assertEquals("[2001:db8::]:1", address("2001:db8:0:0:0:0:0:0", 1));
        assertEquals("[1:0:0:1::1]:2", address("1:0:0:1:0:0:0:1", 2));
        assertEquals("[2001:db8:0:1:1:1:1:1]:3", address("2001:db8:0:1:1:1:1:1", 3), "one zero group stays");
    }

    @Test
    void anEventReadsTheSameInEvidenceAndInTheHistory() {
        assertEquals(
                "exited with status 1 after 2.1 s, peak RSS 12 MiB",
                EventText.describe(new Exit(1, 1, 0, false, ExitOrigin.MAIN, 2_100_000_000L, 12L << 20)));
        assertEquals(
                "open of /etc/app.yaml failed: no such file (ENOENT)",
                EventText.describe(new OpenFailed(OpenFailed.ENOENT, 0, "/etc/app.yaml")));
    }

    private static String address(String ip, int port) throws UnknownHostException {
        return EventText.address(new InetSocketAddress(InetAddress.getByName(ip), port));
    }
}
