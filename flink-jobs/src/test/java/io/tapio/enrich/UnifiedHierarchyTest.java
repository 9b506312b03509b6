package io.tapio.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Finding the cgroup v2 hierarchy in mount tables as the kernel writes them. */
class UnifiedHierarchyTest {
    @Test
    void hybridNodesMountItBelowTheV1Controllers() {
        assertEquals(
                Optional.of(Path.of("/sys/fs/cgroup/unified")),
                UnifiedHierarchy.find(List.of(
                        "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
                        "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
                        "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw")));
    }

    @Test
    void pureV2NodesMountItAtTheTopAndBindMountsOfSubtreesAreSkipped() {
        assertEquals(
                Optional.of(Path.of("/host/sys fs/cgroup")),
                UnifiedHierarchy.find(
                        List.of(
                                "1200 1100 0:26 /kubepods.slice /sys/fs/cgroup ro,nosuid - cgroup2 cgroup rw,nsdelegate",
                                "1201 1100 0:26 / /host/sys\\040fs/cgroup rw,nosuid shared:9 - cgroup2 cgroup2 rw,nsdelegate")));
    }

    @Test
    void noCgroup2MountIsNone() {
        assertEquals(
                Optional.empty(),
                UnifiedHierarchy.find(
                        List.of("32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu", "garbage", "")));
    }

    @Test
    void thisMachineHasOne() {
        assertEquals(true, UnifiedHierarchy.find().isPresent());
    }
}
