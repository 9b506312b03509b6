package io.tapio.ebpf.libbpf;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapio.testing.SchedulerSlices;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The scheduler slice a thread asks for, as the kernel reports it back and as {@code /proc}
 * shows the thread: kept within the kernel's bounds on Linux 6.12 and later; before, nothing
 * changes and the request says so. Each request runs on a thread of its own, ended with the test.
 */
class ThreadSliceTest {
    @Test
    void aThreadRunsInTheSliceItAskedForWhereTheKernelTakesOne() throws Exception {
        Granted granted = onNewThread(Duration.ofNanos(150_000));
        if (SchedulerSlices.kernelTakesSlices()) {
            assertThat(granted.reported()).isEqualTo(Duration.ofNanos(150_000));
            assertThat(granted.after()).as("se.slice of the thread").hasValue(150_000);
        } else {
            assertThat(granted.reported()).isEqualTo(Duration.ZERO);
            assertThat(granted.after())
                    .as("the scheduler's own slice, unchanged")
                    .isEqualTo(granted.before());
        }
    }

    @Test
    void theKernelKeepsASliceWithinATenthOfAMillisecondAndAHundredMilliseconds() throws Exception {
        Granted tooShort = onNewThread(Duration.ofNanos(10_000));
        Granted tooLong = onNewThread(Duration.ofSeconds(1));
        if (SchedulerSlices.kernelTakesSlices()) {
            assertThat(tooShort.reported()).isEqualTo(Duration.ofNanos(100_000));
            assertThat(tooLong.reported()).isEqualTo(Duration.ofMillis(100));
            assertThat(tooLong.after()).hasValue(100_000_000);
        } else {
            assertThat(tooShort.reported()).isEqualTo(Duration.ZERO);
            assertThat(tooLong.reported()).isEqualTo(Duration.ZERO);
        }
    }

    /** What a thread's request gave: the kernel's answer, and the thread's slice in /proc before and after. */
    private record Granted(Duration reported, OptionalLong before, OptionalLong after) {}

    private static Granted onNewThread(Duration slice) throws Exception {
        AtomicReference<Granted> granted = new AtomicReference<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().start(() -> {
            try {
                OptionalLong before = SchedulerSlices.ofCallingThread();
                Duration reported = ThreadSlice.request(slice);
                granted.set(new Granted(reported, before, SchedulerSlices.ofCallingThread()));
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        thread.join();
        if (failed.get() != null) {
            throw new AssertionError("the request failed", failed.get());
        }
        return granted.get();
    }
}
