package io.tapio.ebpf.libbpf;

/** libbpf refused an operation on a BPF object, program or map. */
public class BpfException extends RuntimeException {
    private final int errno;

    public BpfException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The (positive) error number libbpf reported. */
    public int errno() {
        return errno;
    }
}
