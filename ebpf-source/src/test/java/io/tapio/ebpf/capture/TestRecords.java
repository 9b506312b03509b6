package io.tapio.ebpf.capture;

import io.tapio.ebpf.abi.EventHeader;
import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.abi.Layouts;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Well-formed records crafted by hand, as the kernel would write them. */
final class TestRecords {
    static final int RUNQ_LATENCY_SIZE = EventType.RUNQ_LATENCY.size();

    private TestRecords() {}

    static KernelEvent runqLatency(long timestampNs, int pid, String comm, long latencyNs) {
        EventType type = EventType.RUNQ_LATENCY;
        ByteBuffer record = ByteBuffer.allocate(type.size()).order(ByteOrder.nativeOrder());
        record.putShort(headerOffset("magic"), (short) EventHeader.MAGIC);
        record.put(headerOffset("version"), (byte) EventHeader.ABI_VERSION);
        record.put(headerOffset("type"), (byte) type.code());
        record.putShort(headerOffset("size"), (short) type.size());
        record.putShort(headerOffset("cpu"), (short) (pid % 4));
        record.putLong(headerOffset("timestamp_ns"), timestampNs);
        record.putInt(headerOffset("pid"), pid);
        record.putInt(headerOffset("tid"), pid + 1);
        record.putLong(headerOffset("cgroup_id"), 4242L + pid);
        byte[] name = comm.getBytes(StandardCharsets.UTF_8);
        record.put(headerOffset("comm"), name, 0, Math.min(name.length, EventHeader.COMM_LEN - 1));
        record.putLong((int) Layouts.offset(type.layout(), "latency_ns"), latencyNs);
        return KernelEvent.of(record.array());
    }

    private static int headerOffset(String field) {
        return (int) Layouts.offset(EventHeader.LAYOUT, field);
    }
}
