package io.tapio.ebpf.source.ebpf;

import io.tapio.ebpf.libbpf.NativeException;
import io.tapio.ebpf.libbpf.ThreadSlice;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler slice of the reader's two threads: the source's task, which reads the ring and
 * runs decode, enrichment and the correlator chained behind it, and the ring's waiter. Each
 * handing-over wakes one and then the other, and with the scheduler's default slice (about a
 * millisecond and a half on two CPUs) a woken thread could wait that long behind whatever held
 * the CPU: the JIT, the collector, the load. Asking for a short slice lets them preempt it when
 * they wake (EEVDF, Linux 6.12+) without taking more CPU: they run as often as before, in
 * shorter turns. Older kernels ignore the request; the reader then runs as it always did.
 */
final class ReaderSlice {
    private static final Logger LOG = LoggerFactory.getLogger(ReaderSlice.class);

    private ReaderSlice() {}

    /**
     * Asks for {@code slice} for the calling thread, one of the reader's; zero asks nothing.
     * Never fails the reader: a refusal is logged.
     *
     * @return the slice the thread now runs in; zero when the scheduler's own
     */
    static Duration request(Duration slice, String thread) {
        if (slice.isZero()) {
            return Duration.ZERO;
        }
        try {
            Duration granted = ThreadSlice.request(slice);
            if (granted.isZero()) {
                LOG.info(
                        "the {} runs in the scheduler's default slices: this kernel takes no slice request "
                                + "(Linux 6.12+)",
                        thread);
            } else {
                LOG.info("the {} runs in scheduler slices of {} µs", thread, granted.toNanos() / 1_000);
            }
            return granted;
        } catch (NativeException e) {
            LOG.warn("the {} runs in the scheduler's default slices: {}", thread, e.getMessage());
            return Duration.ZERO;
        }
    }
}
