package io.tapio.ebpf.source.ebpf;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Checkpoint format of {@link EbpfEnumeratorState}; version 1. */
public final class EbpfEnumeratorStateSerializer implements SimpleVersionedSerializer<EbpfEnumeratorState> {
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(EbpfEnumeratorState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(state.unassigned().size());
            for (EbpfSplit split : state.unassigned()) {
                EbpfSplitSerializer.write(split, out);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public EbpfEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException(
                    "unknown eBPF enumerator state version " + version + " (this build knows " + VERSION + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            int count = in.readInt();
            List<EbpfSplit> splits = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                splits.add(EbpfSplitSerializer.read(in));
            }
            return new EbpfEnumeratorState(splits);
        }
    }
}
