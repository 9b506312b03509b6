package io.tapio.ebpf.source;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Checkpoint format of a list of splits, each written by the split's own serializer. */
public final class SplitListSerializer<S> implements SimpleVersionedSerializer<List<S>> {
    private final SimpleVersionedSerializer<S> splits;

    public SplitListSerializer(SimpleVersionedSerializer<S> splits) {
        this.splits = splits;
    }

    @Override
    public int getVersion() {
        return splits.getVersion();
    }

    @Override
    public byte[] serialize(List<S> list) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(list.size());
            for (S split : list) {
                byte[] serialized = splits.serialize(split);
                out.writeInt(serialized.length);
                out.write(serialized);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public List<S> deserialize(int version, byte[] serialized) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            int count = in.readInt();
            List<S> list = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] split = new byte[in.readInt()];
                in.readFully(split);
                list.add(splits.deserialize(version, split));
            }
            return list;
        }
    }
}
