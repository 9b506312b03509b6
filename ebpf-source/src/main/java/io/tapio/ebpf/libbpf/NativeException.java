package io.tapio.ebpf.libbpf;

/** A native call failed with an errno. */
public class NativeException extends RuntimeException {
    private final int errno;

    public NativeException(String operation, int errno) {
        super(operation + " failed: " + LibC.strerror(errno) + " (errno " + errno + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
