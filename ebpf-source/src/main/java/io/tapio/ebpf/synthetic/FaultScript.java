package io.tapio.ebpf.synthetic;

import io.tapio.ebpf.abi.ConnectOutcome;
import io.tapio.ebpf.abi.EventPayload;
import io.tapio.ebpf.abi.EventSubject;
import io.tapio.ebpf.abi.Exec;
import io.tapio.ebpf.abi.Exit;
import io.tapio.ebpf.abi.ExitOrigin;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.abi.OomKill;
import io.tapio.ebpf.abi.OpenFailed;
import io.tapio.ebpf.abi.Signal;
import io.tapio.ebpf.abi.TcpConnect;
import io.tapio.ebpf.abi.TcpEndpoints;
import io.tapio.ebpf.abi.TcpState;
import io.tapio.ebpf.synthetic.InjectedFault.CrashLoop;
import io.tapio.ebpf.synthetic.InjectedFault.MissingFile;
import io.tapio.ebpf.synthetic.InjectedFault.OomLoop;
import io.tapio.ebpf.synthetic.InjectedFault.RefusedConnections;
import io.tapio.ebpf.synthetic.SyntheticEventGenerator.Pids;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;

/**
 * Plays one injected fault: at each occurrence, the events the kernel reports for it. The
 * events are exact (no randomness), so that a test can predict every one of them.
 */
final class FaultScript implements SyntheticEventGenerator.Stream {
    private static final int SIGKILL = 9;
    private static final int ECONNREFUSED = 111;
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final long CRASHING_RSS_BYTES = 48L << 20;
    private static final long OOM_OVERHEAD_BYTES = 64L << 20;
    private static final long SIGNAL_TO_MARK_NS = 2_000;
    private static final long KILL_TO_EXIT_NS = 2_000_000;
    private static final long REFUSAL_LATENCY_NS = 85_000;
    /** From a program's failed open of its configuration to its exit. */
    private static final long GIVE_UP_NS = 1_000_000;

    private final InjectedFault fault;
    private final long streamStartNs;
    private final Pids pids;
    /** The container runtime's shim: the parent that restarts the workload's process. */
    private final int shimPid;

    private final ArrayDeque<KernelEvent> pending = new ArrayDeque<>();
    private long occurrence;
    private int pid;
    private long processStartNs;

    FaultScript(InjectedFault fault, long streamStartNs, Pids pids) {
        this.fault = fault;
        this.streamStartNs = streamStartNs;
        this.pids = pids;
        this.shimPid = pids.next();
        this.pid = pids.next();
        this.processStartNs = fault.occurrenceNs(streamStartNs, 0) - restartDelayNs();
    }

    @Override
    public long nextTimestampNs() {
        if (pending.isEmpty()) {
            play(fault.occurrenceNs(streamStartNs, occurrence++));
        }
        return pending.getFirst().timestampNs();
    }

    @Override
    public KernelEvent take() {
        nextTimestampNs();
        return pending.removeFirst();
    }

    private void play(long at) {
        Workload workload = fault.workload();
        int cpu = (int) (occurrence % SyntheticEventGenerator.CPUS);
        switch (fault) {
            case OomLoop oom -> {
                // The kernel sends the SIGKILL before it marks the victim; the allocating task
                // that triggered the OOM is the victim itself.
                emit(at, cpu, new Signal(pid, pid, workload.comm(), workload.cgroupId(), SIGKILL, Signal.SI_KERNEL));
                emit(
                        at + SIGNAL_TO_MARK_NS,
                        cpu,
                        new OomKill(
                                pid,
                                pid,
                                workload.comm(),
                                workload.cgroupId(),
                                oom.memoryLimitBytes(),
                                oom.memoryLimitBytes(),
                                oom.memoryLimitBytes() + OOM_OVERHEAD_BYTES));
                exit(at + KILL_TO_EXIT_NS, cpu, 0, SIGKILL, oom.memoryLimitBytes());
                restart(at, cpu);
            }
            case CrashLoop crash -> {
                exit(at, cpu, crash.exitStatus(), 0, CRASHING_RSS_BYTES);
                restart(at, cpu);
            }
            case RefusedConnections refused -> {
                InetSocketAddress source = new InetSocketAddress(
                        sourceAddress(refused.destination().getAddress()),
                        Background.EPHEMERAL_PORTS_START + (int) (occurrence % Background.EPHEMERAL_PORTS));
                emit(
                        at,
                        cpu,
                        new TcpConnect(
                                new TcpEndpoints(source, refused.destination(), TcpState.CLOSE),
                                REFUSAL_LATENCY_NS,
                                ECONNREFUSED,
                                ConnectOutcome.REFUSED));
            }
            case MissingFile missing -> {
                emit(at, cpu, new OpenFailed(OpenFailed.ENOENT, O_RDONLY_CLOEXEC, missing.path()));
                exit(at + GIVE_UP_NS, cpu, 1, 0, CRASHING_RSS_BYTES);
                restart(at, cpu);
            }
        }
    }

    private void exit(long at, int cpu, int status, int signal, long maxRssBytes) {
        emit(at, cpu, new Exit(shimPid, status, signal, false, ExitOrigin.MAIN, at - processStartNs, maxRssBytes));
    }

    private void restart(long occurrenceNs, int cpu) {
        processStartNs = occurrenceNs + restartDelayNs();
        pid = pids.next();
        emit(
                processStartNs,
                cpu,
                new Exec(shimPid, "/usr/local/bin/" + fault.workload().comm()));
    }

    /** Half a period: the restart lands between two occurrences whatever the period. */
    private long restartDelayNs() {
        return fault.period().toNanos() / 2;
    }

    private void emit(long at, int cpu, EventPayload payload) {
        Workload workload = fault.workload();
        pending.addLast(
                KernelEvent.of(new EventSubject(at, cpu, pid, pid, workload.cgroupId(), workload.comm()), payload));
    }

    /** The workload's own address, of the destination's family, so that the socket is one family. */
    private InetAddress sourceAddress(InetAddress destination) {
        long id = fault.workload().cgroupId();
        byte[] address = destination instanceof Inet6Address
                ? new byte[] {
                    (byte) 0xfd,
                    0,
                    2,
                    0x45,
                    0,
                    0,
                    0,
                    0,
                    (byte) (id >>> 56),
                    (byte) (id >>> 48),
                    (byte) (id >>> 40),
                    (byte) (id >>> 32),
                    (byte) (id >>> 24),
                    (byte) (id >>> 16),
                    (byte) (id >>> 8),
                    (byte) id
                }
                : new byte[] {10, (byte) 245, (byte) (id >>> 8), (byte) id};
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }
}
