package io.tapio.ebpf.libbpf;

/** libbpf's shared library cannot be loaded. */
public final class MissingLibbpfException extends RuntimeException {
    MissingLibbpfException(String library, Throwable cause) {
        super(
                library + " cannot be loaded: libbpf 1.x is not installed. Install it with "
                        + "'apt-get install libbpf1' (Debian, Ubuntu) or 'dnf install libbpf' (Fedora, RHEL)",
                cause);
    }
}
