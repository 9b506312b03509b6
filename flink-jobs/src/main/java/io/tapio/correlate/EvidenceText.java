package io.tapio.correlate;

import io.tapio.ebpf.abi.BlockIoLatency;
import io.tapio.ebpf.abi.Exec;
import io.tapio.ebpf.abi.Exit;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.abi.OomKill;
import io.tapio.ebpf.abi.OpenFailed;
import io.tapio.ebpf.abi.RunqLatency;
import io.tapio.ebpf.abi.Signal;
import io.tapio.ebpf.abi.TcpConnect;
import io.tapio.ebpf.abi.TcpReset;
import io.tapio.ebpf.abi.TcpRetransmit;
import io.tapio.model.Finding;
import java.net.InetSocketAddress;

/** How one event reads in a finding's evidence. */
public final class EvidenceText {
    private EvidenceText() {}

    public static Finding.Evidence of(KernelEvent event, long epochMillis) {
        return new Finding.Evidence(epochMillis, event.type().label(), event.pid(), event.comm(), describe(event));
    }

    static String describe(KernelEvent event) {
        return switch (event.payload()) {
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
                        + e.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                        + (e.latencyNs() > 0 ? " after " + duration(e.latencyNs()) : "");
            case TcpReset e -> "reset by " + address(e.endpoints().destination());
            case TcpRetransmit e ->
                "retransmit to " + address(e.endpoints().destination()) + " (" + e.totalRetransmits()
                        + " on this socket)";
            case RunqLatency e -> "waited " + duration(e.latencyNs()) + " for a CPU";
            case BlockIoLatency e ->
                e.op().name().toLowerCase(java.util.Locale.ROOT) + " of " + e.bytes() + " bytes on " + e.deviceName()
                        + " took " + duration(e.latencyNs());
        };
    }

    /** A socket address without a name lookup: {@code 10.0.0.7:5432}. */
    public static String address(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    static String errno(int errno) {
        return switch (errno) {
            case OpenFailed.ENOENT -> "no such file (ENOENT)";
            case OpenFailed.EACCES -> "permission denied (EACCES)";
            case 1 -> "operation not permitted (EPERM)";
            default -> "errno " + errno;
        };
    }

    static String duration(long nanos) {
        if (nanos < 1_000_000) {
            return String.format("%.0f µs", nanos / 1e3);
        }
        if (nanos < 1_000_000_000) {
            return String.format("%.1f ms", nanos / 1e6);
        }
        return String.format("%.1f s", nanos / 1e9);
    }

    static String mebibytes(long bytes) {
        return String.format("%.0f MiB", bytes / 1048576.0);
    }
}
