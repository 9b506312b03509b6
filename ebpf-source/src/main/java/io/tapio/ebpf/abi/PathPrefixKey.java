package io.tapio.ebpf.abi;

import static io.tapio.ebpf.abi.Layouts.chars;
import static io.tapio.ebpf.abi.Layouts.field;
import static io.tapio.ebpf.abi.Layouts.struct;
import static io.tapio.ebpf.abi.Layouts.u32;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * {@code struct tapio_path_prefix_key}: a key of the {@link BpfMaps#OPEN_PREFIXES} trie, where
 * the longest prefix of a failed open's path decides whether it is reported.
 */
public final class PathPrefixKey {
    /** {@code TAPIO_PREFIX_LEN}: prefixes longer than this many bytes cannot be matched in the kernel. */
    public static final int PREFIX_LEN = 64;

    public static final StructLayout LAYOUT =
            struct("tapio_path_prefix_key", u32("prefix_bits"), chars("path", PREFIX_LEN));

    private static final VarHandle PREFIX_BITS = field(LAYOUT, "prefix_bits");
    private static final long PATH = Layouts.offset(LAYOUT, "path");

    private PathPrefixKey() {}

    /** Writes the key of {@code prefix} (at most {@link #PREFIX_LEN} bytes of UTF-8) at the start of {@code s}. */
    public static void write(MemorySegment s, String prefix) {
        byte[] bytes = prefix.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > PREFIX_LEN) {
            throw new IllegalArgumentException("a path prefix has at most " + PREFIX_LEN + " bytes: " + prefix);
        }
        s.fill((byte) 0);
        PREFIX_BITS.set(s, 0L, bytes.length * 8);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, s, PATH, bytes.length);
    }
}
