package io.tapio.ebpf.source.synthetic;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Checkpoint format of {@link SyntheticSplit}; version 1. */
public final class SyntheticSplitSerializer implements SimpleVersionedSerializer<SyntheticSplit> {
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(SyntheticSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(split.startTimestampNs());
            out.writeLong(split.emitted());
        }
        return bytes.toByteArray();
    }

    @Override
    public SyntheticSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown synthetic split version " + version + " (this build knows " + VERSION + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return new SyntheticSplit(in.readLong(), in.readLong());
        }
    }
}
