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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The jars a cluster runs (the job's, the command line's) carry Tapio and what it needs beyond
 * Flink, and nothing Flink's distribution has: a second copy on the user class path, which Flink
 * loads child-first, only causes class clashes.
 */
class ClusterJarsTest {
    private static Set<String> flink;

    @BeforeAll
    static void distribution() throws IOException {
        flink = new HashSet<>();
        for (Path jar : Build.flinkDistribution()) {
            flink.addAll(classes(jar));
        }
    }

    static Stream<Path> clusterJars() {
        return Stream.of(Repository.jobJar(), Repository.cliJar());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusterJars")
    void aClusterJarDuplicatesNoClassOfTheFlinkDistribution(Path jar) throws IOException {
        Set<String> duplicated = new TreeSet<>(classes(jar));
        duplicated.retainAll(flink);
        assertEquals(
                Set.of(),
                duplicated.stream()
                        .map(c -> c.substring(0, c.lastIndexOf('/')))
                        .collect(Collectors.toCollection(TreeSet::new)),
                "packages in both " + jar.getFileName() + " and Flink's lib/: manage their artifact with scope "
                        + "provided in the parent pom");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusterJars")
    void aClusterJarCarriesTheBpfObjectTheCollectorLoads(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            assertNotNull(file.getEntry("io/tapio/bpf/tapio.bpf.o"));
        }
    }

    @Test
    void theJobJarCarriesNoCommandLine() throws IOException {
        assertEquals(
                List.of(),
                classes(Repository.jobJar()).stream()
                        .filter(c -> c.startsWith("io/tapio/cli/") || c.startsWith("io/tapio/bench/"))
                        .toList(),
                "the job jar is the streaming job and what it needs");
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
