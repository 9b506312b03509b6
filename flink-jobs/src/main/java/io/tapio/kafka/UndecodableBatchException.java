package io.tapio.kafka;

import java.util.Locale;

/** A Kafka record that is not a batch a node agent of this version wrote. */
public final class UndecodableBatchException extends Exception {
    /** What is wrong, in a few words that make a metric label. */
    public enum Problem {
        /** Not written by a Tapio node agent: the magic is missing. */
        NOT_A_BATCH,
        /** Written by an agent of another format version. */
        UNSUPPORTED_VERSION,
        /** Ends before the batch does, or goes on after it. */
        WRONG_LENGTH,
        /** A workload or an event record inside is not well-formed. */
        MALFORMED_CONTENT;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Problem problem;

    UndecodableBatchException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
