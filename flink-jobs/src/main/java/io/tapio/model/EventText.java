package io.tapio.model;

import io.tapio.ebpf.abi.BlockIoLatency;
import io.tapio.ebpf.abi.EventPayload;
import io.tapio.ebpf.abi.Exec;
import io.tapio.ebpf.abi.Exit;
import io.tapio.ebpf.abi.OomKill;
import io.tapio.ebpf.abi.OpenFailed;
import io.tapio.ebpf.abi.RunqLatency;
import io.tapio.ebpf.abi.Signal;
import io.tapio.ebpf.abi.TcpConnect;
import io.tapio.ebpf.abi.TcpReset;
import io.tapio.ebpf.abi.TcpRetransmit;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * How an event reads to a person, in one place: a finding's evidence and the history's
 * {@code events.detail} column say the same thing the same way.
 */
public final class EventText {
    private static final int EPERM = 1;

    private EventText() {}

    /** One line about the event: {@code exited with status 1 after 2.1 s, peak RSS 12 MiB}. */
    public static String describe(EventPayload payload) {
        return switch (payload) {
            case Exec e -> "started " + e.filename();
            case Exit e ->
                (e.signal() != 0
                                ? "killed by signal " + e.signal() + (e.coreDumped() ? " (core dumped)" : "")
                                : "exited with status " + e.exitStatus())
                        + " after " + duration(e.lifetimeNs())
                        + ", peak RSS " + mebibytes(e.maxRssBytes());
            case OomKill e ->
                "OOM-killed"
                        + (e.cgroupLimited()
                                ? " at its memory limit of " + mebibytes(e.memcgLimitBytes()) + " (usage "
                                        + mebibytes(e.memcgUsageBytes()) + ")"
                                : " (the node ran out of memory)")
                        + ", triggered by " + e.triggerComm();
            case Signal e -> "signal " + e.signal() + " from " + e.senderComm() + " (pid " + e.senderPid() + ")";
            case OpenFailed e -> "open of " + e.path() + " failed: " + errno(e.error());
            case TcpConnect e ->
                "connect to " + address(e.endpoints().destination()) + " "
                        + e.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                        + (e.latencyNs() > 0 ? " after " + duration(e.latencyNs()) : "");
            case TcpReset e -> "reset by " + address(e.endpoints().destination());
            case TcpRetransmit e ->
                "retransmit to " + address(e.endpoints().destination()) + " (" + e.totalRetransmits()
                        + " on this socket)";
            case RunqLatency e -> "waited " + duration(e.latencyNs()) + " for a CPU";
            case BlockIoLatency e ->
                e.op().name().toLowerCase(Locale.ROOT) + " of " + e.bytes() + " bytes on " + e.deviceName() + " took "
                        + duration(e.latencyNs());
        };
    }

    /**
     * A socket address without a name lookup, as a URL writes it: {@code 10.0.0.7:5432},
     * {@code [::1]:7}.
     */
    public static String address(InetSocketAddress address) {
        String host = address.getAddress() instanceof Inet6Address v6
                ? "[" + compressed(v6) + "]"
                : address.getAddress().getHostAddress();
        return host + ":" + address.getPort();
    }

    /** RFC 5952's form: lower case, the longest run of zero groups as {@code ::}. */
    private static String compressed(Inet6Address address) {
        byte[] bytes = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not compressed
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append(i == 0 ? "::" : ":");
                i += bestLength - 1;
                continue;
            }
            text.append(Integer.toHexString(groups[i]));
            if (i < 7) {
                text.append(':');
            }
        }
        return text.toString();
    }

    public static String errno(int errno) {
        return switch (errno) {
            case OpenFailed.ENOENT -> "no such file (ENOENT)";
            case OpenFailed.EACCES -> "permission denied (EACCES)";
            case EPERM -> "operation not permitted (EPERM)";
            default -> "errno " + errno;
        };
    }

    public static String duration(long nanos) {
        if (nanos < 1_000_000) {
            return String.format("%.0f µs", nanos / 1e3);
        }
        if (nanos < 1_000_000_000) {
            return String.format("%.1f ms", nanos / 1e6);
        }
        return String.format("%.1f s", nanos / 1e9);
    }

    public static String mebibytes(long bytes) {
        return String.format("%.0f MiB", bytes / 1048576.0);
    }
}
