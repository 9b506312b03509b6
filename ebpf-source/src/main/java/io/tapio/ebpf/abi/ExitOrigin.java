package io.tapio.ebpf.abi;

/**
 * {@code enum tapio_exit_origin}: what an exiting process was to its workload. The correlator
 * judges an exit status by it: the main process exiting non-zero is a failure, a helper's
 * status (grep, test, readlink) is the helper's business.
 */
public enum ExitOrigin {
    /** Records from before the field existed, or from a producer that does not fill it. */
    UNKNOWN,
    /** A container's first process, or a host process started from another cgroup (systemd, a runtime). */
    MAIN,
    /** Started by a process of its own cgroup: a helper of the workload's processes. */
    CHILD,
    /** Started from another cgroup into a container's pid namespace: an exec probe, {@code kubectl exec}. */
    VISITOR;

    private static final ExitOrigin[] VALUES = values();

    /** The origin of a record's code; a code this version does not know is {@link #UNKNOWN}. */
    public static ExitOrigin ofCode(int code) {
        return code >= 0 && code < VALUES.length ? VALUES[code] : UNKNOWN;
    }
}
