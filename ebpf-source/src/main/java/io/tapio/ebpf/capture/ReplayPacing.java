package io.tapio.ebpf.capture;

/**
 * When to emit each event of a replay. It returns how long to wait instead of waiting, so that
 * a caller on a Flink task thread can hand the wait to a timer and stay responsive to
 * checkpoints and cancellation.
 */
@FunctionalInterface
public interface ReplayPacing {
    /**
     * How long to wait before emitting the event with kernel timestamp {@code timestampNs};
     * 0 when it is due. Events are never held back to restore an order: one that is late
     * (or earlier than the anchor) is due at once.
     *
     * @param nowNanos {@link System#nanoTime()} now
     */
    long delayNanos(long timestampNs, long nowNanos);

    static ReplayPacing asFastAsPossible() {
        return (timestampNs, nowNanos) -> 0;
    }

    /**
     * Replays with the gaps between events as recorded, divided by {@code speed}: the event at
     * {@code firstTimestampNs} is due at {@code replayStartNanos}, and every other one as much
     * later as it happened, {@code speed} times sooner (1: as recorded; 60: an hour in a minute).
     * Anchoring on {@link CaptureHeader#startMonotonicNs()} also replays the quiet before the
     * first event; anchoring on the first event's timestamp starts at once.
     */
    static ReplayPacing atSpeed(double speed, long firstTimestampNs, long replayStartNanos) {
        checkSpeed(speed);
        return (timestampNs, nowNanos) ->
                Math.max(0, (long) ((timestampNs - firstTimestampNs) / speed) - (nowNanos - replayStartNanos));
    }

    /**
     * {@code speed}, if it is one: a positive factor of the recorded speed, infinite for as fast
     * as possible.
     *
     * @throws IllegalArgumentException zero, negative or NaN
     */
    static double checkSpeed(double speed) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("a replay's speed is a positive factor, not " + speed);
        }
        return speed;
    }
}
