package io.tapio.ebpf.abi;

/** {@code enum tapio_block_op}: what a block I/O request did. */
public enum BlockOp {
    READ,
    WRITE,
    FLUSH,
    DISCARD,
    OTHER;

    private static final BlockOp[] VALUES = values();

    public static BlockOp ofCode(int code) {
        return code >= 0 && code < VALUES.length ? VALUES[code] : OTHER;
    }
}
