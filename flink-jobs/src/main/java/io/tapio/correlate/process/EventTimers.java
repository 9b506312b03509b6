package io.tapio.correlate.process;

/**
 * When the correlator's event-time timers fire: at whole seconds, so that a busy key registers
 * at most one timer a second however many events ask for one. Ending an episode, or giving up
 * on a helper's parent, up to a second late is harmless.
 */
public final class EventTimers {
    private EventTimers() {}

    /** The first whole second after {@code epochMillis}. */
    public static long at(long epochMillis) {
        return (epochMillis / 1000 + 1) * 1000;
    }
}
