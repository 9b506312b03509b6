package io.tapio.ebpf.collector;

import io.tapio.ebpf.abi.BpfMaps;
import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.KernelConfig;
import io.tapio.ebpf.abi.PathPrefixKey;
import io.tapio.ebpf.abi.Program;
import io.tapio.ebpf.libbpf.BpfException;
import io.tapio.ebpf.libbpf.BpfLink;
import io.tapio.ebpf.libbpf.BpfMap;
import io.tapio.ebpf.libbpf.BpfObject;
import io.tapio.ebpf.libbpf.BpfProgram;
import io.tapio.ebpf.libbpf.ProgramRunTime;
import io.tapio.ebpf.ring.RingBufferReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tapio's BPF programs, loaded and attached on this node, and the ring buffer they write to.
 *
 * <pre>{@code
 * try (KernelCollector collector = KernelCollector.open(CollectorConfig.defaults())) {
 *     collector.reader().poll(handler, 1024, Duration.ofMillis(10));
 * }
 * }</pre>
 *
 * <p>Closing detaches every program and frees the maps and the mapping. A collector left
 * open is closed by a JVM shutdown hook, and in any case the kernel detaches the programs
 * when the process exits: their links are file descriptors, never pinned.
 *
 * <p>A type whose tracepoint this kernel lacks, or with a program its verifier rejects, is
 * left out and reported by {@link #unavailable()}; the other types still run. A type whose
 * tracepoint came with a later kernel may attach to an older one instead, reported with what
 * it loses by {@link #limitations()}.
 */
public final class KernelCollector implements AutoCloseable {
    private static final String OBJECT_RESOURCE = "/io/tapio/bpf/tapio.bpf.o";
    private static final Set<KernelCollector> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> List.copyOf(OPEN).forEach(KernelCollector::closeAtExit), "tapio-collector-shutdown"));
    }

    /**
     * Closes a collector the JVM exits with. Its programs are detached first; a thread still
     * waiting on its ring (a reader the exit interrupted) keeps the ring's memory from being
     * unmapped here, and the kernel unmaps it as the process ends: that is no error to report.
     */
    private static void closeAtExit(KernelCollector collector) {
        try {
            collector.close();
        } catch (IllegalStateException ringInUse) {
            // the kernel unmaps the ring as the process ends
        }
    }

    private final BpfObject object;
    private final Map<EventType, List<BpfProgram>> programs;
    private final Map<EventType, String> unavailable;
    private final Map<EventType, String> limitations;
    private final Map<EventType, List<BpfLink>> links = new EnumMap<>(EventType.class);
    private final BpfMap configMap;
    private final BpfMap statsMap;
    private final BpfMap ignoredComms;
    private final BpfMap ignoredCgroups;
    private final BpfMap openPrefixes;
    private final ReaderWakeup wakeup;
    private final RingBufferReader reader;
    private CollectorConfig config;
    private boolean closed;

    private KernelCollector(LoadedObject loaded) {
        this.object = loaded.object();
        this.programs = loaded.programs();
        this.unavailable = loaded.unavailable();
        this.limitations = loaded.limitations();
        this.configMap = object.map(BpfMaps.CONFIG);
        this.statsMap = object.map(BpfMaps.STATS);
        this.ignoredComms = object.map(BpfMaps.IGNORED_COMMS);
        this.ignoredCgroups = object.map(BpfMaps.IGNORED_CGROUPS);
        this.openPrefixes = object.map(BpfMaps.OPEN_PREFIXES);
        this.wakeup = new ReaderWakeup(object.map(BpfMaps.READER));
        this.reader = RingBufferReader.open(object.map(BpfMaps.EVENTS), wakeup);
    }

    /**
     * Checks the machine, loads the programs this kernel accepts, writes the configuration and
     * attaches the programs of every enabled type.
     *
     * @throws MissingRequirementException when a privilege, BTF or tracefs is missing
     * @throws io.tapio.ebpf.libbpf.MissingLibbpfException when libbpf is not installed
     * @throws io.tapio.ebpf.libbpf.BpfLoadException when the kernel refuses the object itself
     *     (a map, say); a program it rejects only makes its type unavailable
     */
    public static KernelCollector open(CollectorConfig config) {
        Preflight.checkKernelBtf();
        Preflight.checkPrivileges();
        try (RunningKernel kernel = new RunningKernel()) {
            return open(config, objectBytes(), kernel);
        }
    }

    /** {@link #open(CollectorConfig)} with another object than Tapio's and a kernel's tracepoints as given. */
    static KernelCollector open(CollectorConfig config, byte[] elf, KernelTracepoints kernel) {
        LoadedObject loaded = LoadedObject.load(elf, config.ringBufferBytes(), kernel);
        KernelCollector collector = null;
        try {
            collector = new KernelCollector(loaded);
            collector.apply(config);
            OPEN.add(collector);
            return collector;
        } catch (RuntimeException | Error e) {
            if (collector != null) {
                collector.close();
            } else {
                loaded.object().close();
            }
            throw e;
        }
    }

    /** The ring buffer the programs write to. */
    public RingBufferReader reader() {
        return reader;
    }

    /**
     * The ring buffer map itself, for a consumer other than {@link #reader()} (the benchmark's
     * libbpf reference). Never read it while {@link #reader()} does.
     */
    public BpfMap ringBufferMap() {
        return object.map(BpfMaps.EVENTS);
    }

    /** The kernel's counters: candidates per type, and what became of them. */
    public KernelStats kernelStats() {
        return KernelStats.read(statsMap);
    }

    /**
     * Each loaded program's runs and run time so far, attached or not: counted only while
     * {@link io.tapio.ebpf.libbpf.RunTimeStats} are enabled.
     */
    public synchronized Map<Program, ProgramRunTime> programRunTimes() {
        Map<Program, ProgramRunTime> runTimes = new EnumMap<>(Program.class);
        programs.values().forEach(list -> list.forEach(p -> runTimes.put(Program.named(p.name()), p.runTime())));
        return runTimes;
    }

    /**
     * Types this kernel cannot provide, with the reason: a tracepoint it lacks, or a program
     * its verifier rejected, with the verifier's last word.
     */
    public Map<EventType, String> unavailable() {
        return unavailable;
    }

    /**
     * Types whose programs attach elsewhere on this kernel than on current ones, with what
     * their events lose there (block I/O before Linux 6.5: the I/O scheduler's wait).
     */
    public Map<EventType, String> limitations() {
        return limitations;
    }

    /** Types whose programs are attached now. */
    public synchronized Set<EventType> attachedTypes() {
        return Set.copyOf(links.keySet());
    }

    public synchronized CollectorConfig config() {
        return config;
    }

    /**
     * Applies a new configuration to the running programs: filters, thresholds and ignore
     * lists take effect at once, and the programs of newly enabled or disabled types are
     * attached or detached. The ring buffer's size cannot change.
     */
    public synchronized void reconfigure(CollectorConfig next) {
        if (next.ringBufferBytes() != config.ringBufferBytes()) {
            throw new IllegalArgumentException("the ring buffer's size cannot change while running ("
                    + config.ringBufferBytes() + " -> " + next.ringBufferBytes() + " bytes)");
        }
        apply(next);
    }

    private void apply(CollectorConfig next) {
        CollectorConfig previous = config;
        // Detach before the kernel stops counting them as disabled; attach after it starts.
        for (EventType type : EventType.values()) {
            if (!next.enabled(type)) {
                detach(type);
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(KernelConfig.LAYOUT);
            next.kernelConfig().writeTo(value);
            configMap.update(arena.allocate(ValueLayout.JAVA_INT), value);
            syncSet(
                    ignoredComms,
                    previous == null ? Set.of() : previous.ignoredComms(),
                    next.ignoredComms(),
                    KernelCollector::commKey,
                    arena);
            syncSet(
                    ignoredCgroups,
                    previous == null ? Set.of() : previous.ignoredCgroups(),
                    next.ignoredCgroups(),
                    KernelCollector::cgroupKey,
                    arena);
            syncPathRules(previous == null ? List.of() : previous.pathRules(), next.pathRules(), arena);
        }
        for (EventType type : next.enabledTypes()) {
            attach(type);
        }
        config = next;
    }

    private void attach(EventType type) {
        if (links.containsKey(type) || !programs.containsKey(type)) {
            return;
        }
        List<BpfLink> attached = new ArrayList<>();
        try {
            for (BpfProgram program : programs.get(type)) {
                attached.add(program.attach());
            }
        } catch (BpfException e) {
            attached.forEach(BpfLink::close);
            throw e;
        }
        links.put(type, attached);
    }

    private void detach(EventType type) {
        List<BpfLink> attached = links.remove(type);
        if (attached != null) {
            attached.forEach(BpfLink::close);
        }
    }

    private interface KeyWriter<T> {
        MemorySegment key(T value, Arena arena);
    }

    private static <T> void syncSet(BpfMap map, Set<T> previous, Set<T> next, KeyWriter<T> keys, Arena arena) {
        MemorySegment present = arena.allocate(ValueLayout.JAVA_BYTE);
        present.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
        for (T gone : previous) {
            if (!next.contains(gone)) {
                map.delete(keys.key(gone, arena));
            }
        }
        for (T added : next) {
            map.update(keys.key(added, arena), present);
        }
    }

    private void syncPathRules(List<PathRule> previous, List<PathRule> next, Arena arena) {
        Set<String> nextPrefixes = new HashSet<>();
        next.forEach(rule -> nextPrefixes.add(rule.prefix()));
        for (PathRule gone : previous) {
            if (!nextPrefixes.contains(gone.prefix())) {
                openPrefixes.delete(prefixKey(gone.prefix(), arena));
            }
        }
        MemorySegment action = arena.allocate(ValueLayout.JAVA_BYTE);
        for (PathRule rule : next) {
            action.set(ValueLayout.JAVA_BYTE, 0, (byte) (rule.report() ? 0 : 1));
            openPrefixes.update(prefixKey(rule.prefix(), arena), action);
        }
    }

    private static MemorySegment commKey(String comm, Arena arena) {
        MemorySegment key = arena.allocate(16);
        byte[] bytes = comm.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(bytes, 0, key, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return key;
    }

    private static MemorySegment cgroupKey(Long cgroupId, Arena arena) {
        return arena.allocateFrom(ValueLayout.JAVA_LONG, cgroupId);
    }

    private static MemorySegment prefixKey(String prefix, Arena arena) {
        MemorySegment key = arena.allocate(PathPrefixKey.LAYOUT);
        PathPrefixKey.write(key, prefix);
        return key;
    }

    static byte[] objectBytes() {
        try (InputStream in = KernelCollector.class.getResourceAsStream(OBJECT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(OBJECT_RESOURCE + " is not on the class path: the tapio-bpf jar "
                        + "is missing (build it with 'mvn -pl bpf package')");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + OBJECT_RESOURCE, e);
        }
    }

    /** Detaches every program, unmaps the ring buffer and unloads the object. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        OPEN.remove(this);
        try {
            List.copyOf(links.keySet()).forEach(this::detach);
            reader.close();
            wakeup.close();
        } finally {
            object.close();
        }
    }
}
