package io.tapio.ebpf.testing;

import io.tapio.ebpf.libbpf.BpfObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** The BPF programs only tests load (bpf/test/). */
public final class TestPrograms {
    private static final MethodHandle GETPPID = Linker.nativeLinker()
            .downcallHandle(
                    Linker.nativeLinker().defaultLookup().find("getppid").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT));

    private TestPrograms() {}

    public static BpfObject open() {
        return BpfObject.open("tapio_test", bytes("tapio-test.bpf.o"));
    }

    /** An object of the tapio-bpf test-jar, by its file name (bpf/Makefile's {@code tests}). */
    public static byte[] bytes(String object) {
        try (InputStream in = TestPrograms.class.getResourceAsStream("/io/tapio/bpf/" + object)) {
            if (in == null) {
                throw new IllegalStateException(object + " is not in the tapio-bpf test-jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The syscall that triggers tapio_test_records. */
    public static void getppid() {
        try {
            int ignored = (int) GETPPID.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
