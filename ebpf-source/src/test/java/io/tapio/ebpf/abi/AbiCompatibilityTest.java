package io.tapio.ebpf.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.testing.BtfDump;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Holds the Java side of the event ABI to the compiled object: every struct's members must
 * have the same names, offsets and sizes as in the object's BTF, every enum the same values,
 * every constant the same value as in tapio_events.h. A change on one side only fails here.
 */
class AbiCompatibilityTest {
    private static BtfDump btf;

    @BeforeAll
    static void dump() {
        btf = BtfDump.ofResource("/io/tapio/bpf/tapio.bpf.o");
    }

    static Stream<StructLayout> layouts() {
        List<StructLayout> layouts = new ArrayList<>();
        for (EventType type : EventType.values()) {
            layouts.add(type.layout());
        }
        layouts.add(EventHeader.LAYOUT);
        layouts.add(TcpEndpoints.LAYOUT);
        layouts.add(KernelConfig.LAYOUT);
        layouts.add(PathPrefixKey.LAYOUT);
        layouts.add(ReaderState.LAYOUT);
        return layouts.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void structMatchesTheObjectsBtf(StructLayout layout) {
        String name = layout.name().orElseThrow();
        List<BtfDump.Member> java = new ArrayList<>();
        for (MemoryLayout member : layout.memberLayouts()) {
            String memberName = member.name().orElseThrow();
            java.add(new BtfDump.Member(
                    memberName, layout.byteOffset(PathElement.groupElement(memberName)), member.byteSize()));
        }
        assertEquals(btf.struct(name), java, name);
        assertEquals(btf.structSize(name), layout.byteSize(), "size of " + name);
    }

    @Test
    void eventTypeCodesMatch() {
        Map<String, Long> java = new LinkedHashMap<>();
        for (EventType type : EventType.values()) {
            java.put("TAPIO_EVENT_" + type.name(), (long) type.code());
        }
        java.put("TAPIO_EVENT_TYPE_LIMIT", (long) EventType.CODE_LIMIT);
        assertEquals(btf.enumValues("tapio_event_type"), java);
    }

    @Test
    void reasonsMatch() {
        Map<String, Long> java = ordinals("TAPIO_REASON_", Reason.values());
        java.put("TAPIO_REASON_COUNT", (long) Reason.values().length);
        assertEquals(btf.enumValues("tapio_reason"), java);
    }

    @Test
    void connectOutcomesBlockOpsAndExitOriginsMatch() {
        assertEquals(btf.enumValues("tapio_connect_outcome"), ordinals("TAPIO_CONNECT_", ConnectOutcome.values()));
        assertEquals(btf.enumValues("tapio_block_op"), ordinals("TAPIO_BLOCK_", BlockOp.values()));
        assertEquals(btf.enumValues("tapio_exit_origin"), ordinals("TAPIO_ORIGIN_", ExitOrigin.values()));
    }

    @Test
    void everyProgramOfTheObjectIsKnownAndEveryKnownProgramIsInTheObject() {
        Set<String> java = new TreeSet<>();
        for (Program program : Program.values()) {
            java.add(program.objectName());
        }
        assertEquals(new TreeSet<>(btf.functions()), java);
    }

    @Test
    void everyMapUserSpaceOpensIsInTheObject() {
        Set<String> maps = Set.copyOf(btf.variables(".maps"));
        for (String name : BpfMaps.ALL) {
            assertTrue(maps.contains(name), name + " is not a map of the object, which has " + maps);
        }
    }

    @Test
    void constantsMatchTheHeader() throws IOException {
        Map<String, Long> defines = defines("/io/tapio/bpf/tapio_events.h");
        assertEquals((long) EventHeader.MAGIC, defines.get("TAPIO_EVENT_MAGIC"));
        assertEquals((long) EventHeader.ABI_VERSION, defines.get("TAPIO_ABI_VERSION"));
        assertEquals((long) EventHeader.COMM_LEN, defines.get("TAPIO_COMM_LEN"));
        assertEquals((long) EventHeader.PATH_LEN, defines.get("TAPIO_PATH_LEN"));
        assertEquals((long) PathPrefixKey.PREFIX_LEN, defines.get("TAPIO_PREFIX_LEN"));
    }

    private static Map<String, Long> ordinals(String prefix, Enum<?>[] values) {
        Map<String, Long> result = new LinkedHashMap<>();
        for (Enum<?> value : values) {
            result.put(prefix + value.name(), (long) value.ordinal());
        }
        return result;
    }

    private static Map<String, Long> defines(String resource) throws IOException {
        Map<String, Long> defines = new LinkedHashMap<>();
        try (InputStream in = AbiCompatibilityTest.class.getResourceAsStream(resource)) {
            String header = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("#define (\\w+) (0x[0-9A-Fa-f]+|\\d+)").matcher(header);
            while (m.find()) {
                defines.put(m.group(1), Long.decode(m.group(2)));
            }
        }
        return defines;
    }
}
