package io.tapio.model.types;

import io.tapio.ebpf.types.SerializerTypeInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Java serialization as a Flink serializer, for the job's low-rate control types (findings,
 * rollups, regressions, episode state): immutable records with lists and maps that Flink's
 * POJO serializer would hand to Kryo. The event stream itself has a fast serializer of its own.
 */
public final class JavaSerializer<T extends Serializable> extends TypeSerializer<T> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final boolean immutable;

    private JavaSerializer(Class<T> type, boolean immutable) {
        this.type = type;
        this.immutable = immutable;
    }

    /** The Flink type of {@code type}, serialized with Java serialization. */
    public static <T extends Serializable> SerializerTypeInfo<T> typeOf(Class<T> type) {
        return new SerializerTypeInfo<>(type, new JavaSerializer<>(type, false));
    }

    /**
     * The Flink type of {@code type}, whose values never change (records of immutable values all
     * the way down): a copy is the value itself. Flink copies state values where it cannot know
     * better, and a copy by Java serialization costs microseconds and kilobytes: the heap
     * backend's incremental cleanup of a map state with a time-to-live copies every value of
     * the map it visits, at every access of the state.
     */
    public static <T extends Serializable> SerializerTypeInfo<T> typeOfImmutable(Class<T> type) {
        return new SerializerTypeInfo<>(type, new JavaSerializer<>(type, true));
    }

    @Override
    public boolean isImmutableType() {
        return immutable;
    }

    @Override
    public TypeSerializer<T> duplicate() {
        return this;
    }

    @Override
    public T createInstance() {
        return null;
    }

    @Override
    public T copy(T from) {
        if (from == null || immutable) {
            return from;
        }
        return from instanceof Copyable<?> copyable ? type.cast(copyable.copy()) : read(write(from));
    }

    @Override
    public T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(T record, DataOutputView target) throws IOException {
        byte[] bytes = write(record);
        target.writeInt(bytes.length);
        target.write(bytes);
    }

    @Override
    public T deserialize(DataInputView source) throws IOException {
        byte[] bytes = new byte[source.readInt()];
        source.readFully(bytes);
        return read(bytes);
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int length = source.readInt();
        target.writeInt(length);
        target.write(source, length);
    }

    private byte[] write(T record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(record);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize a " + type.getSimpleName(), e);
        }
        return bytes.toByteArray();
    }

    private T read(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return type.cast(in.readObject());
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot deserialize a " + type.getSimpleName(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JavaSerializer<?> other && other.type.equals(type) && other.immutable == immutable;
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + Boolean.hashCode(immutable);
    }

    @Override
    public TypeSerializerSnapshot<T> snapshotConfiguration() {
        return new Snapshot<>(type);
    }

    /**
     * Remembers the class; Java serialization itself handles the class's evolution. Whether the
     * values are immutable changes no byte written, so state written either way reads either way.
     */
    public static final class Snapshot<T extends Serializable> implements TypeSerializerSnapshot<T> {
        private Class<T> type;

        public Snapshot() {}

        Snapshot(Class<T> type) {
            this.type = type;
        }

        @Override
        public int getCurrentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeUTF(type.getName());
        }

        @Override
        @SuppressWarnings("unchecked")
        public void readSnapshot(int version, DataInputView in, ClassLoader loader) throws IOException {
            try {
                type = (Class<T>) Class.forName(in.readUTF(), false, loader);
            } catch (ClassNotFoundException e) {
                throw new IOException(e);
            }
        }

        @Override
        public TypeSerializer<T> restoreSerializer() {
            return new JavaSerializer<>(type, false);
        }

        @Override
        public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> old) {
            return old instanceof Snapshot<?> s && s.type.equals(type)
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
