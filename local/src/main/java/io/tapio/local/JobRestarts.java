package io.tapio.local;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobExecutionStatusEvent;
import org.apache.flink.core.execution.JobStatusChangedListener;
import org.apache.flink.core.execution.JobStatusChangedListenerFactory;

/**
 * When the local job restarted, as Flink's JobMaster tells its job-status listeners (it makes
 * them from this class's name in the MiniCluster's configuration). A restart takes about a
 * second, which a status sampled once a second mostly misses: counted here, a job restarting
 * in a loop shows in the status for as long as the loop lasts. It lives in the JVM, as the
 * local job does.
 */
public final class JobRestarts implements JobStatusChangedListenerFactory {
    /** System.nanoTime() of each restart, oldest first. */
    private static final Deque<Long> RESTARTS = new ArrayDeque<>();

    /** Forgets the restarts of an earlier run. */
    static void clear() {
        synchronized (RESTARTS) {
            RESTARTS.clear();
        }
    }

    /** How many times the job restarted within {@code interval} before now. */
    static int within(Duration interval) {
        long since = System.nanoTime() - interval.toNanos();
        synchronized (RESTARTS) {
            while (!RESTARTS.isEmpty() && RESTARTS.peekFirst() - since < 0) {
                RESTARTS.pollFirst();
            }
            return RESTARTS.size();
        }
    }

    @Override
    public JobStatusChangedListener createListener(Context context) {
        return event -> {
            if (event instanceof JobExecutionStatusEvent status && status.newStatus() == JobStatus.RESTARTING) {
                synchronized (RESTARTS) {
                    RESTARTS.addLast(System.nanoTime());
                }
            }
        };
    }
}
