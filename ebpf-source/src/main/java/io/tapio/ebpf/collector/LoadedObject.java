package io.tapio.ebpf.collector;

import io.tapio.ebpf.abi.BpfMaps;
import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.Program;
import io.tapio.ebpf.libbpf.BpfLoadException;
import io.tapio.ebpf.libbpf.BpfObject;
import io.tapio.ebpf.libbpf.BpfProgram;
import io.tapio.ebpf.libbpf.RejectedProgram;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tapio's object loaded into a kernel with every type the kernel accepts. A program whose
 * tracepoint the kernel lacks attaches where the {@link AttachPlan} says, or its type is left
 * out; a program the verifier rejects fails the whole load, so its type is left out and the
 * object opened and loaded again without it (a failed object cannot be loaded twice).
 *
 * @param programs the loaded programs, by type
 * @param unavailable the types left out, with why
 * @param limitations the types attached elsewhere than on current kernels, with what their
 *     events lose there
 */
record LoadedObject(
        BpfObject object,
        Map<EventType, List<BpfProgram>> programs,
        Map<EventType, String> unavailable,
        Map<EventType, String> limitations) {
    private static final Logger LOG = LoggerFactory.getLogger(LoadedObject.class);

    /**
     * @throws BpfLoadException when the load fails for another reason than a program of a type
     *     not yet left out (a map the kernel cannot create, say)
     */
    static LoadedObject load(byte[] elf, int ringBufferBytes, KernelTracepoints kernel) {
        AttachPlan plan = null;
        Map<EventType, String> leftOut = new EnumMap<>(EventType.class);
        // Each retry leaves out the type of one more program, or the load fails: there are
        // fewer retries than programs.
        while (true) {
            BpfObject object = BpfObject.open("tapio", elf);
            try {
                object.map(BpfMaps.EVENTS).setMaxEntries(ringBufferBytes);
                Map<EventType, List<BpfProgram>> programs = byType(object);
                if (plan == null) {
                    plan = AttachPlan.of(programs, kernel);
                    plan.unavailable()
                            .forEach((type, why) -> LOG.warn("{} events are unavailable: {}", type.label(), why));
                    plan.limitations().forEach((type, what) -> LOG.warn("{} events: {}", type.label(), what));
                    leftOut.putAll(plan.unavailable());
                }
                leftOut.keySet().forEach(type -> programs.remove(type).forEach(p -> p.setAutoload(false)));
                for (List<BpfProgram> list : programs.values()) {
                    for (BpfProgram program : list) {
                        plan.attachTarget(program.name()).ifPresent(program::setAttachTarget);
                    }
                }
                Optional<RejectedProgram> rejected = tryLoad(object, programs);
                if (rejected.isEmpty()) {
                    Map<EventType, String> limitations = new EnumMap<>(EventType.class);
                    limitations.putAll(plan.limitations());
                    limitations.keySet().removeAll(leftOut.keySet());
                    return new LoadedObject(
                            object,
                            programs,
                            Collections.unmodifiableMap(leftOut),
                            Collections.unmodifiableMap(limitations));
                }
                object.close();
                RejectedProgram program = rejected.get();
                leftOut.put(
                        Program.named(program.name()).type(),
                        "this kernel rejected program " + program.name() + ": " + program.reason());
            } catch (RuntimeException | Error e) {
                object.close();
                throw e;
            }
        }
    }

    /**
     * Loads the object, or says which of {@code programs} the kernel rejected.
     *
     * @throws BpfLoadException when the load failed otherwise
     */
    private static Optional<RejectedProgram> tryLoad(BpfObject object, Map<EventType, List<BpfProgram>> programs) {
        try {
            object.load();
            return Optional.empty();
        } catch (BpfLoadException e) {
            RejectedProgram rejected = e.rejectedProgram()
                    .filter(p -> programs.values().stream()
                            .flatMap(List::stream)
                            .anyMatch(loaded -> loaded.name().equals(p.name())))
                    .orElseThrow(() -> e);
            LOG.warn(
                    "{} events are unavailable: this kernel rejected program {}; libbpf and the verifier said:\n{}",
                    Program.named(rejected.name()).type().label(),
                    rejected.name(),
                    e.libbpfLog().strip());
            return Optional.of(rejected);
        }
    }

    private static Map<EventType, List<BpfProgram>> byType(BpfObject object) {
        Map<EventType, List<BpfProgram>> programs = new EnumMap<>(EventType.class);
        for (BpfProgram program : object.programs()) {
            programs.computeIfAbsent(Program.named(program.name()).type(), t -> new ArrayList<>())
                    .add(program);
        }
        return programs;
    }
}
