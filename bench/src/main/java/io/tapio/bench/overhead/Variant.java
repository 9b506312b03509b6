package io.tapio.bench.overhead;

import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.collector.CollectorConfig;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * How a traced run is set up: which programs are attached and how their ring is read. Run side
 * by side in the same rounds, variants separate what the programs cost from what waking their
 * reader costs, and one group of programs from the others.
 *
 * @param leftOut a type whose programs stay detached, or none
 */
public record Variant(Reader reader, Optional<EventType> leftOut) {
    /** Every program attached and read as the eBPF source reads them: what a node runs. */
    public static final Variant TRACED = new Variant(Reader.WOKEN, Optional.empty());

    /** How the ring is read while the workload runs. */
    public enum Reader {
        /** As the eBPF source: drained until empty, then asleep until the next record wakes it. */
        WOKEN("reader woken on data"),
        /** Drained, then a 10 ms sleep that asks for no wakeup: a reader on a timer. */
        NAPPING("reader naps 10 ms"),
        /** Not read: no reader, no wakeups; what the programs alone cost (the ring only fills). */
        UNREAD("ring not read");

        private final String description;

        Reader(String description) {
            this.description = description;
        }
    }

    /** Every program attached, the ring read as {@code reader} says. */
    public static Variant reading(Reader reader) {
        return new Variant(reader, Optional.empty());
    }

    /** Every program but {@code type}'s, read as the eBPF source reads them. */
    public static Variant without(EventType type) {
        return new Variant(Reader.WOKEN, Optional.of(type));
    }

    public String description() {
        return leftOut.map(type -> "without " + type.label()).orElse("all programs") + ", " + reader.description;
    }

    CollectorConfig config() {
        Set<EventType> types = EnumSet.allOf(EventType.class);
        leftOut.ifPresent(types::remove);
        return CollectorConfig.builder().enabledTypes(types).build();
    }
}
