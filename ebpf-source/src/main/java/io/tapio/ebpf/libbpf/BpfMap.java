package io.tapio.ebpf.libbpf;

import java.lang.foreign.MemorySegment;

/** A map of a {@link BpfObject}. Keys and values are passed as native or heap segments. */
public final class BpfMap {
    /** Update flag: create or replace. */
    public static final long ANY = 0;

    private static final int ENOENT = 2;

    private final MemorySegment map;
    private final String name;

    BpfMap(MemorySegment map, String name) {
        this.map = map;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** How many slots a per-CPU map's value has: the number of possible CPUs. */
    public static int possibleCpus() {
        try {
            int cpus = (int) LibBpf.get().numPossibleCpus.invokeExact();
            if (cpus <= 0) {
                throw new BpfException("cannot tell the number of possible CPUs", -cpus);
            }
            return cpus;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** The map's file descriptor; valid once the object is loaded. */
    public int fd() {
        try {
            int fd = (int) LibBpf.get().mapFd.invokeExact(map);
            if (fd < 0) {
                throw new BpfException("map " + name + " has no file descriptor (not loaded?)", -fd);
            }
            return fd;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public int maxEntries() {
        try {
            return (int) LibBpf.get().mapMaxEntries.invokeExact(map);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Sizes the map; only before loading. For a ring buffer, the size in bytes. */
    public void setMaxEntries(int maxEntries) {
        try {
            int error = (int) LibBpf.get().mapSetMaxEntries.invokeExact(map, maxEntries);
            check(error, "resize to " + maxEntries);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public void update(MemorySegment key, MemorySegment value) {
        try {
            int error = (int) LibBpf.get().mapUpdateElem.invokeExact(fd(), key, value, ANY);
            check(error, "update");
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Reads the value of {@code key} into {@code value} (for a per-CPU map, one slot per
     * possible CPU, each rounded up to 8 bytes).
     *
     * @return false when there is no such key
     */
    public boolean lookup(MemorySegment key, MemorySegment value) {
        try {
            int error = (int) LibBpf.get().mapLookupElem.invokeExact(fd(), key, value);
            if (error == -ENOENT) {
                return false;
            }
            check(error, "lookup");
            return true;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @return false when there was no such key */
    public boolean delete(MemorySegment key) {
        try {
            int error = (int) LibBpf.get().mapDeleteElem.invokeExact(fd(), key);
            if (error == -ENOENT) {
                return false;
            }
            check(error, "delete");
            return true;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Writes the key after {@code key} (the first key when {@code key} is NULL) into
     * {@code next}.
     *
     * @return false after the last key
     */
    public boolean nextKey(MemorySegment key, MemorySegment next) {
        try {
            int error = (int) LibBpf.get().mapGetNextKey.invokeExact(fd(), key, next);
            if (error == -ENOENT) {
                return false;
            }
            check(error, "iterate");
            return true;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private void check(int error, String operation) {
        if (error < 0) {
            throw new BpfException(
                    operation + " of map " + name + " failed: " + LibBpf.get().errorMessage(error) + " (errno " + -error
                            + ")",
                    -error);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
