package io.tapio.correlate.process;

/**
 * When the correlator's event-time timers fire: at whole seconds, so that a busy key registers
 * at most one timer a second however many events ask for one. Ending an episode, or giving up
 * on a helper's parent, up to a second late is harmless.
 *
 * <p>The key's process records whose exit was lost are swept at whole minutes: any timer of
 * the key at a whole minute sweeps. Sweeping up to a minute late is harmless too, and costs a key
 * at most one sweep a minute.
 */
public final class EventTimers {
    private static final long SWEEP_MILLIS = 60_000;

    private EventTimers() {}

    /** The first whole second after {@code epochMillis}. */
    public static long at(long epochMillis) {
        return (epochMillis / 1000 + 1) * 1000;
    }

    /** The first whole minute after {@code epochMillis}: when state that expires then is swept. */
    public static long sweepAfter(long epochMillis) {
        return (epochMillis / SWEEP_MILLIS + 1) * SWEEP_MILLIS;
    }

    /** Whether the timer at {@code epochMillis} is one that sweeps. */
    public static boolean sweeps(long epochMillis) {
        return epochMillis % SWEEP_MILLIS == 0;
    }
}
