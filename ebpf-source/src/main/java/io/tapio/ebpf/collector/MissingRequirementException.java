package io.tapio.ebpf.collector;

/**
 * Something the kernel collector needs is missing from this machine or this process. The
 * message says what, and how to provide it.
 */
public final class MissingRequirementException extends RuntimeException {
    public MissingRequirementException(String message) {
        super(message);
    }

    public MissingRequirementException(String message, Throwable cause) {
        super(message, cause);
    }
}
