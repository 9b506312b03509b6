package io.tapio.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The job jar carries Tapio and what it needs beyond Flink, and nothing Flink's distribution has. */
class JobJarTest {
    @Test
    void theJobJarDuplicatesNoClassOfTheFlinkDistribution() throws IOException {
        Set<String> flink = new HashSet<>();
        for (Path jar : Build.flinkDistribution()) {
            flink.addAll(classes(jar));
        }
        Set<String> duplicated = new TreeSet<>(classes(Repository.jobJar()));
        duplicated.retainAll(flink);
        assertEquals(
                Set.of(),
                duplicated.stream()
                        .map(c -> c.substring(0, c.lastIndexOf('/')))
                        .collect(java.util.stream.Collectors.toCollection(TreeSet::new)),
                "packages in both the job jar and Flink's lib/: exclude their artifact in flink-jobs' shade configuration");
    }

    @Test
    void theJobJarCarriesTheBpfObjectTheCollectorLoads() throws IOException {
        try (JarFile jar = new JarFile(Repository.jobJar().toFile())) {
            assertNotNull(jar.getEntry("io/tapio/bpf/tapio.bpf.o"));
        }
    }

    private static List<String> classes(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream()
                    .map(JarEntry::getName)
                    .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/") && !n.equals("module-info.class"))
                    .toList();
        }
    }
}
