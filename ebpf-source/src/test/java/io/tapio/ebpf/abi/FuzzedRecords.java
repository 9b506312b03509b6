package io.tapio.ebpf.abi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Records for the decoders' fuzzing, as a broken kernel, a damaged file or a foreign agent
 * could hand them over: half of them a valid header of a random type over random bytes (comm,
 * payload, string lengths, enum codes, address families), half byte strings of any length up to
 * twice the largest record that are no record, some of those with Tapio's magic and version so
 * that the type and size checks are reached.
 */
public final class FuzzedRecords {
    public static final int LARGEST =
            Arrays.stream(EventType.values()).mapToInt(EventType::size).max().orElseThrow();

    private static final EventType[] TYPES = EventType.values();

    private FuzzedRecords() {}

    public static byte[] next(SplittableRandom random) {
        return random.nextBoolean() ? wellFramed(random) : misframed(random);
    }

    /** A record of a random type with a valid header; everything else random. */
    public static byte[] wellFramed(SplittableRandom random) {
        EventType type = TYPES[random.nextInt(TYPES.length)];
        byte[] record = bytes(random, type.size());
        header(record, type.code(), type.size());
        return record;
    }

    /** No record, or not quite one. */
    public static byte[] misframed(SplittableRandom random) {
        if (random.nextBoolean()) {
            return bytes(random, random.nextInt(2 * LARGEST + 1));
        }
        byte[] record = bytes(random, random.nextInt(EventHeader.SIZE, 2 * LARGEST + 1));
        EventType like = TYPES[random.nextInt(TYPES.length)];
        // A known type with a length that does not match, or a type code this ABI does not know.
        header(
                record,
                random.nextBoolean() ? like.code() : random.nextInt(256),
                random.nextBoolean() ? like.size() : random.nextInt(0x10000));
        return record;
    }

    public static byte[] bytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static void header(byte[] record, int type, int size) {
        ByteBuffer b = ByteBuffer.wrap(record).order(ByteOrder.nativeOrder());
        b.putShort(offset("magic"), (short) EventHeader.MAGIC);
        b.put(offset("version"), (byte) EventHeader.ABI_VERSION);
        b.put(offset("type"), (byte) type);
        b.putShort(offset("size"), (short) size);
    }

    private static int offset(String field) {
        return (int) Layouts.offset(EventHeader.LAYOUT, field);
    }
}
