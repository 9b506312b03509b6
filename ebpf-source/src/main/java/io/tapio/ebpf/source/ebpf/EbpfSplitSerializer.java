package io.tapio.ebpf.source.ebpf;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Checkpoint format of {@link EbpfSplit}; version 1. */
public final class EbpfSplitSerializer implements SimpleVersionedSerializer<EbpfSplit> {
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(EbpfSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(split, out);
        }
        return bytes.toByteArray();
    }

    @Override
    public EbpfSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException(
                    "unknown eBPF split serialization version " + version + " (this build knows " + VERSION + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return read(in);
        }
    }

    static void write(EbpfSplit split, DataOutputStream out) throws IOException {
        out.writeUTF(split.node());
        out.writeLong(split.recordsRead());
        out.writeLong(split.lostInRing());
        out.writeLong(split.malformed());
        out.writeInt(split.restarts());
        out.writeLong(split.unobservedMillis());
        out.writeLong(split.checkpointEpochMillis());
    }

    static EbpfSplit read(DataInputStream in) throws IOException {
        return new EbpfSplit(
                in.readUTF(), in.readLong(), in.readLong(), in.readLong(), in.readInt(), in.readLong(), in.readLong());
    }
}
