package io.tapio.model.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * State values of an immutable type are copied as themselves (Flink copies state values at
 * every access in places, such as the heap backend's cleanup of map state with a time-to-live),
 * and are written exactly as before: state written by either serializer reads with the other.
 */
class JavaSerializerTest {
    record Sample(String name, List<Long> values) implements Serializable {}

    private static final Sample SAMPLE = new Sample("exit", List.of(1L, 2L, 3L));

    @Test
    void anImmutableTypesCopyIsTheValueItselfAndAnyOtherTypesIsADeepCopy() {
        TypeSerializer<Sample> immutable =
                JavaSerializer.typeOfImmutable(Sample.class).createSerializer(null);
        TypeSerializer<Sample> plain = JavaSerializer.typeOf(Sample.class).createSerializer(null);

        assertTrue(immutable.isImmutableType());
        assertSame(SAMPLE, immutable.copy(SAMPLE));
        Sample copy = plain.copy(SAMPLE);
        assertNotSame(SAMPLE, copy);
        assertEquals(SAMPLE, copy);
    }

    @Test
    void stateWrittenWithEitherReadsWithTheOther() throws Exception {
        TypeSerializer<Sample> immutable =
                JavaSerializer.typeOfImmutable(Sample.class).createSerializer(null);
        TypeSerializer<Sample> plain = JavaSerializer.typeOf(Sample.class).createSerializer(null);

        assertEquals(SAMPLE, plain.deserialize(new DataInputDeserializer(written(immutable))));
        assertEquals(SAMPLE, immutable.deserialize(new DataInputDeserializer(written(plain))));
        assertTrue(immutable
                .snapshotConfiguration()
                .resolveSchemaCompatibility(plain.snapshotConfiguration())
                .isCompatibleAsIs());
    }

    private static byte[] written(TypeSerializer<Sample> serializer) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(SAMPLE, out);
        return out.getCopyOfBuffer();
    }
}
