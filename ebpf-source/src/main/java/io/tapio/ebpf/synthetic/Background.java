package io.tapio.ebpf.synthetic;

import io.tapio.ebpf.abi.BlockIoLatency;
import io.tapio.ebpf.abi.BlockOp;
import io.tapio.ebpf.abi.ConnectOutcome;
import io.tapio.ebpf.abi.EventPayload;
import io.tapio.ebpf.abi.EventSubject;
import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.Exec;
import io.tapio.ebpf.abi.Exit;
import io.tapio.ebpf.abi.ExitOrigin;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.abi.OomKill;
import io.tapio.ebpf.abi.OpenFailed;
import io.tapio.ebpf.abi.RunqLatency;
import io.tapio.ebpf.abi.Signal;
import io.tapio.ebpf.abi.TcpConnect;
import io.tapio.ebpf.abi.TcpEndpoints;
import io.tapio.ebpf.abi.TcpReset;
import io.tapio.ebpf.abi.TcpRetransmit;
import io.tapio.ebpf.abi.TcpState;
import io.tapio.ebpf.synthetic.SyntheticEventGenerator.Pids;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The ordinary life of a node, at a fixed rate: short processes come and go, services connect
 * and wait for CPUs and disks, and now and then something fails, always in a way that does
 * not repeat like an injected fault (varied paths and destinations, mostly clean exits).
 */
final class Background implements SyntheticEventGenerator.Stream {
    static final int EPHEMERAL_PORTS_START = 32_768;
    static final int EPHEMERAL_PORTS = 28_232; // the kernel's default ip_local_port_range: 32768-60999

    /** Reported latencies start at the collector's default thresholds, as the kernel filters below them. */
    private static final long RUNQ_THRESHOLD_NS = 10_000_000;

    private static final long BLOCK_THRESHOLD_NS = 50_000_000;
    private static final long CONNECT_THRESHOLD_NS = 50_000_000;

    private static final double CLEAN_EXITS = 0.97;
    private static final double FAILED_EXITS = 0.99; // the rest are killed by a signal
    private static final double ESTABLISHED_CONNECTS = 0.97;
    private static final int MAX_LIVE_PROCESSES = 4096;

    private static final int SIGKILL = 9;
    private static final int SIGPIPE = 13;
    private static final int SIGTERM = 15;
    private static final int ETIMEDOUT = 110;
    private static final int ECONNREFUSED = 111;
    private static final int EHOSTUNREACH = 113;
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final int NVME_DEVICE = 259 << 20;
    private static final long SECOND_NS = 1_000_000_000;

    private static final String[] SERVICES = {
        "nginx",
        "postgres",
        "java",
        "node",
        "python3",
        "redis-server",
        "envoy",
        "gunicorn",
        "php-fpm",
        "ruby",
        "dotnet",
        "mysqld",
        "memcached",
        "haproxy",
        "etcd",
        "coredns"
    };
    private static final String[] TOOLS = {
        "sh",
        "bash",
        "curl",
        "wget",
        "grep",
        "sed",
        "awk",
        "cat",
        "date",
        "sleep",
        "ls",
        "ps",
        "find",
        "tar",
        "gzip",
        "openssl",
        "pg_isready",
        "redis-cli",
        "jq",
        "git"
    };
    private static final int TOOLS_PER_WORKLOAD = 4;
    private static final int[] SERVICE_PORTS = {5432, 6379, 8080, 443, 80, 9092, 3306, 27017};
    private static final int SERVICE_DESTINATIONS = 16;

    /** A background workload: its main process runs throughout; its tools come and go. */
    private record Tenant(
            long cgroupId,
            int mainPid,
            String mainComm,
            List<String> tools,
            long memoryLimitBytes,
            InetAddress address) {}

    private record Process(Tenant tenant, int pid, String comm, long startNs) {}

    private final SplittableRandom random;
    private final long startNs;
    private final long rate;
    private final EventType[] types = EventType.values();
    private final double[] cumulativeWeights = new double[types.length];
    private final Pids pids;
    private final int kubeletPid;
    private final List<Tenant> tenants = new ArrayList<>();
    private final List<InetSocketAddress> services = new ArrayList<>();
    private final List<Process> live = new ArrayList<>();
    private long index;

    Background(SyntheticConfig config, long startNs, Pids pids) {
        this.random = new SplittableRandom(config.seed());
        this.startNs = startNs;
        this.rate = config.eventsPerSecond();
        this.pids = pids;
        double total = 0;
        for (int i = 0; i < types.length; i++) {
            total += config.mix().get(types[i]);
            cumulativeWeights[i] = total;
        }
        kubeletPid = pids.next();
        for (int i = 0; i < config.workloads(); i++) {
            tenants.add(tenant(i));
        }
        for (int i = 0; i < SERVICE_DESTINATIONS; i++) {
            services.add(new InetSocketAddress(address(10, 96, 0, 10 + i), SERVICE_PORTS[i % SERVICE_PORTS.length]));
        }
    }

    /** Evenly spaced, so that any second holds exactly the configured number of events. */
    @Override
    public long nextTimestampNs() {
        return rate == 0 ? Long.MAX_VALUE : startNs + index / rate * SECOND_NS + index % rate * SECOND_NS / rate;
    }

    @Override
    public KernelEvent take() {
        long at = nextTimestampNs();
        index++;
        int cpu = random.nextInt(SyntheticEventGenerator.CPUS);
        return switch (drawType()) {
            case EXEC -> exec(at, cpu);
            case EXIT -> exit(at, cpu);
            case OOM_KILL -> oomKill(at, cpu);
            case SIGNAL -> signal(at, cpu);
            case OPEN_FAILED -> openFailed(at, cpu);
            case TCP_CONNECT -> tcpConnect(at, cpu);
            case TCP_RESET -> {
                Process owner = main(anyTenant());
                yield event(at, cpu, owner, new TcpReset(established(owner.tenant())));
            }
            case TCP_RETRANSMIT -> {
                Process owner = main(anyTenant());
                yield event(at, cpu, owner, new TcpRetransmit(established(owner.tenant()), random.nextInt(1, 9)));
            }
            case RUNQ_LATENCY ->
                event(at, cpu, anyProcess(), new RunqLatency(RUNQ_THRESHOLD_NS + exponential(5_000_000)));
            case BLOCK_IO_LATENCY -> blockIo(at, cpu);
        };
    }

    private EventType drawType() {
        double draw = random.nextDouble(cumulativeWeights[types.length - 1]);
        for (int i = 0; i < types.length; i++) {
            if (draw < cumulativeWeights[i]) {
                return types[i];
            }
        }
        throw new AssertionError("a draw below the total falls in some type");
    }

    private KernelEvent exec(long at, int cpu) {
        Tenant tenant = anyTenant();
        Process process = new Process(tenant, pids.next(), pick(tenant.tools()), at);
        if (live.size() < MAX_LIVE_PROCESSES) {
            live.add(process);
        } else {
            live.set(random.nextInt(live.size()), process); // the one replaced lives on unobserved
        }
        return event(at, cpu, process, new Exec(tenant.mainPid(), "/usr/bin/" + process.comm()));
    }

    private KernelEvent exit(long at, int cpu) {
        Process process;
        if (live.isEmpty()) {
            Tenant tenant = anyTenant();
            process = new Process(tenant, pids.next(), pick(tenant.tools()), at - random.nextLong(1, SECOND_NS));
        } else {
            int i = random.nextInt(live.size());
            process = live.get(i);
            Process last = live.removeLast();
            if (i < live.size()) {
                live.set(i, last);
            }
        }
        double outcome = random.nextDouble();
        int status = outcome >= CLEAN_EXITS && outcome < FAILED_EXITS ? random.nextInt(1, 3) : 0;
        int signal = outcome >= FAILED_EXITS ? (random.nextBoolean() ? SIGPIPE : SIGTERM) : 0;
        long maxRss = random.nextLong(256, 16_384) * 4096;
        return event(
                at,
                cpu,
                process,
                new Exit(
                        process.tenant().mainPid(),
                        status,
                        signal,
                        false,
                        ExitOrigin.CHILD,
                        at - process.startNs(),
                        maxRss));
    }

    private KernelEvent oomKill(long at, int cpu) {
        Process victim = main(anyTenant());
        long limit = victim.tenant().memoryLimitBytes();
        return event(
                at,
                cpu,
                victim,
                new OomKill(
                        victim.pid(),
                        victim.pid(),
                        victim.comm(),
                        victim.tenant().cgroupId(),
                        limit,
                        limit,
                        limit + random.nextLong(1, 1L << 30)));
    }

    private KernelEvent signal(long at, int cpu) {
        int signal = random.nextInt(5) == 0 ? SIGKILL : SIGTERM;
        return event(
                at,
                cpu,
                anyProcess(),
                new Signal(
                        kubeletPid,
                        kubeletPid,
                        "kubelet",
                        SyntheticConfig.BACKGROUND_CGROUP_ID,
                        signal,
                        Signal.SI_USER));
    }

    private KernelEvent openFailed(long at, int cpu) {
        Process process = anyProcess();
        String hex = HexFormat.of().toHexDigits(random.nextInt());
        String path = switch (random.nextInt(5)) {
            case 0 -> "/proc/" + random.nextInt(1, 4_194_304) + "/status";
            case 1 -> "/tmp/tmp" + hex;
            case 2 -> "/var/cache/" + process.comm() + "/" + hex + ".cache";
            case 3 -> "/etc/ssl/certs/" + hex + ".0";
            default -> "/usr/lib/" + process.comm() + "/plugins/" + hex + ".so";
        };
        int error = random.nextInt(10) == 0 ? OpenFailed.EACCES : OpenFailed.ENOENT;
        return event(at, cpu, process, new OpenFailed(error, O_RDONLY_CLOEXEC, path));
    }

    private KernelEvent tcpConnect(long at, int cpu) {
        Process owner = main(anyTenant());
        InetSocketAddress source = new InetSocketAddress(owner.tenant().address(), ephemeralPort());
        if (random.nextDouble() < ESTABLISHED_CONNECTS) {
            return event(
                    at,
                    cpu,
                    owner,
                    new TcpConnect(
                            new TcpEndpoints(source, pick(services), TcpState.ESTABLISHED),
                            CONNECT_THRESHOLD_NS + exponential(40_000_000),
                            0,
                            ConnectOutcome.ESTABLISHED));
        }
        // Failures go to ever different destinations, unlike a workload that keeps being refused.
        InetSocketAddress destination = new InetSocketAddress(
                address(10, random.nextInt(256), random.nextInt(256), random.nextInt(1, 255)),
                random.nextInt(1024, 65_536));
        TcpEndpoints endpoints = new TcpEndpoints(source, destination, TcpState.CLOSE);
        return event(
                at,
                cpu,
                owner,
                switch (random.nextInt(3)) {
                    case 0 ->
                        new TcpConnect(
                                endpoints, random.nextLong(3, 130) * SECOND_NS, ETIMEDOUT, ConnectOutcome.TIMED_OUT);
                    case 1 ->
                        new TcpConnect(
                                endpoints, random.nextLong(1, 3) * SECOND_NS, EHOSTUNREACH, ConnectOutcome.UNREACHABLE);
                    default ->
                        new TcpConnect(
                                endpoints, random.nextLong(50_000, 1_000_000), ECONNREFUSED, ConnectOutcome.REFUSED);
                });
    }

    private KernelEvent blockIo(long at, int cpu) {
        int op = random.nextInt(100);
        return event(
                at,
                cpu,
                main(anyTenant()),
                new BlockIoLatency(
                        BLOCK_THRESHOLD_NS + exponential(30_000_000),
                        random.nextLong(1L << 31),
                        4096 << random.nextInt(6),
                        NVME_DEVICE,
                        op < 60 ? BlockOp.READ : op < 95 ? BlockOp.WRITE : BlockOp.FLUSH));
    }

    private TcpEndpoints established(Tenant tenant) {
        return new TcpEndpoints(
                new InetSocketAddress(tenant.address(), ephemeralPort()), pick(services), TcpState.ESTABLISHED);
    }

    private Tenant tenant(int i) {
        List<String> tools = new ArrayList<>(List.of(TOOLS));
        for (int t = 0; t < TOOLS_PER_WORKLOAD; t++) {
            Collections.swap(tools, t, random.nextInt(t, tools.size()));
        }
        int host = i + 2; // .0 and .1 are the pod network's own
        return new Tenant(
                SyntheticConfig.BACKGROUND_CGROUP_ID + 1 + i,
                pids.next(),
                SERVICES[i % SERVICES.length],
                List.copyOf(tools.subList(0, TOOLS_PER_WORKLOAD)),
                (256L << 20) << random.nextInt(4),
                address(10, 244, host >>> 8, host & 0xFF));
    }

    private Tenant anyTenant() {
        return pick(tenants);
    }

    private Process main(Tenant tenant) {
        return new Process(tenant, tenant.mainPid(), tenant.mainComm(), startNs);
    }

    /** A short-lived tool or, as often, a workload's main process. */
    private Process anyProcess() {
        return !live.isEmpty() && random.nextBoolean() ? pick(live) : main(anyTenant());
    }

    private <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    private int ephemeralPort() {
        return EPHEMERAL_PORTS_START + random.nextInt(EPHEMERAL_PORTS);
    }

    /** StrictMath, so that the same seed gives the same latencies on every machine. */
    private long exponential(double meanNs) {
        return (long) (-meanNs * StrictMath.log(1 - random.nextDouble()));
    }

    private static KernelEvent event(long at, int cpu, Process process, EventPayload payload) {
        return KernelEvent.of(
                new EventSubject(
                        at, cpu, process.pid(), process.pid(), process.tenant().cgroupId(), process.comm()),
                payload);
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new AssertionError("4 bytes are always an address", e);
        }
    }
}
