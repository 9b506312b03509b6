package io.tapio.correlate.patterns;

/** What an event is to a pattern. */
public enum Role {
    /** Nothing: the pattern ignores it. */
    IGNORE,
    /** One more of what the pattern counts (a failure, a refused connect, a slow wait). */
    OCCURRENCE,
    /** The workload started again (an exec): what a loop needs between its failures. */
    RESTART
}
