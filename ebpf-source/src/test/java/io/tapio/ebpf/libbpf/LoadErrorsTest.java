package io.tapio.ebpf.libbpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.testing.TestPrograms;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a user sees when libbpf or the kernel refuses. */
class LoadErrorsTest {
    @Test
    void aProgramTheVerifierRejectsFailsWithTheVerifiersLog() {
        try (BpfObject object = TestPrograms.open()) {
            object.program("tapio_test_rejected").setAutoload(true);

            BpfLoadException e = assertThrows(BpfLoadException.class, object::load);

            assertTrue(e.getMessage().contains("tapio_test_rejected"), e.getMessage());
            assertTrue(e.libbpfLog().contains("invalid mem access 'map_value_or_null'"), e.libbpfLog());
            assertEquals(13, e.errno(), "EACCES: the verifier said no");
            assertEquals(
                    Optional.of(
                            new RejectedProgram("tapio_test_rejected", "R0 invalid mem access 'map_value_or_null'")),
                    e.rejectedProgram(),
                    "the program and the verifier's last word, for the collector to load the others without it");
        }
    }

    @Test
    void aMissingLibbpfSaysHowToInstallIt() {
        MissingLibbpfException e =
                assertThrows(MissingLibbpfException.class, () -> LibBpf.lookup("libbpf-not-installed.so.1"));

        assertTrue(e.getMessage().contains("apt-get install libbpf1"), e.getMessage());
    }

    @Test
    void anObjectThatIsNotElfIsRefusedWithoutCrashing() {
        BpfException e = assertThrows(BpfException.class, () -> BpfObject.open("garbage", new byte[] {1, 2, 3}));

        assertTrue(e.getMessage().contains("garbage"), e.getMessage());
    }
}
