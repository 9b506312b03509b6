package io.tapio.ebpf.abi;

/** A byte sequence that is not a well-formed record of Tapio's event ABI. */
public final class MalformedRecordException extends IllegalArgumentException {
    private final Malformation malformation;

    public MalformedRecordException(Malformation malformation, long length) {
        super("not a Tapio event record (" + malformation + ", " + length + " bytes)");
        this.malformation = malformation;
    }

    public Malformation malformation() {
        return malformation;
    }
}
