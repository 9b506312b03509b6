package io.tapio.bench.collector;

import io.tapio.ebpf.abi.EventHeader;
import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.Malformation;
import io.tapio.ebpf.collector.KernelCollector;
import io.tapio.ebpf.libbpf.LibbpfRingBuffer;
import io.tapio.ebpf.ring.RingBufferReader;
import java.lang.foreign.MemorySegment;
import java.time.Duration;

/**
 * The two ways a benchmark reads the ring: Tapio's mapped reader, and libbpf's consumer with
 * a Java callback per record. Both do the same work per record: validate it, read its
 * timestamp, count it.
 */
public enum RingConsumer {
    JAVA_MMAP("java-mmap") {
        @Override
        Session open(KernelCollector collector) {
            RingBufferReader reader = collector.reader();
            Counter counter = new Counter();
            return new Session(counter) {
                @Override
                int poll(Duration timeout) {
                    return reader.poll((ring, offset, length) -> counter.add(ring, offset), BATCH, timeout);
                }

                @Override
                int drain() {
                    return reader.drain((ring, offset, length) -> counter.add(ring, offset), BATCH);
                }

                @Override
                public void close() {
                    // the collector owns the reader
                }
            };
        }
    },
    LIBBPF_CALLBACK("libbpf-callback") {
        @Override
        Session open(KernelCollector collector) {
            Counter counter = new Counter();
            LibbpfRingBuffer ring = LibbpfRingBuffer.open(collector.ringBufferMap(), record -> {
                if (Malformation.find(record, 0, record.byteSize()) == null) {
                    counter.add(record, 0);
                } else {
                    counter.malformed++;
                }
            });
            return new Session(counter) {
                @Override
                int poll(Duration timeout) {
                    return ring.poll((int) Math.max(1, timeout.toMillis()));
                }

                @Override
                int drain() {
                    return ring.consume();
                }

                @Override
                public void close() {
                    ring.close();
                }
            };
        }
    };

    public static final int BATCH = 1 << 16;

    private final String label;

    RingConsumer(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    abstract Session open(KernelCollector collector);

    /**
     * Counts what a consumer read, and of it the failed opens the load makes: the other
     * programs keep writing while a round is measured, so only those add up exactly. The
     * checksum keeps the timestamp reads from being optimized away.
     */
    static final class Counter {
        long records;
        long failedOpens;
        long malformed;
        long checksum;

        void add(MemorySegment record, long offset) {
            records++;
            checksum ^= EventHeader.timestampNs(record, offset);
            if (EventHeader.typeCode(record, offset) == EventType.OPEN_FAILED.code()) {
                failedOpens++;
            }
        }
    }

    /** One consumer reading; used by a single thread. */
    abstract static class Session implements AutoCloseable {
        final Counter counter;

        Session(Counter counter) {
            this.counter = counter;
        }

        /** Waits up to {@code timeout} for data and reads what there is. */
        abstract int poll(Duration timeout);

        /** Reads what there is without waiting. */
        abstract int drain();

        @Override
        public abstract void close();
    }
}
