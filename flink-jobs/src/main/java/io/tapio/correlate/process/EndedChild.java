package io.tapio.correlate.process;

import java.io.Serial;
import java.io.Serializable;

/**
 * How a helper's run ended, kept for a moment under its parent's pid: if the parent fails just
 * after, the child explains it.
 *
 * @param endedMillis when the child ended, wall clock
 * @param endedNs when the child ended, the kernel's clock (to tell a parent that started later,
 *     with the same pid, from the real one)
 * @param failure the child's failure; null when it was killed (its kill explains the parent's
 *     failure and is told by the OOM or kill patterns)
 */
record EndedChild(long endedMillis, long endedNs, Failure failure) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    boolean killed() {
        return failure == null;
    }
}
