package io.tapio.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
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

    /**
     * Every class of Tapio's that a class in the jar uses is in the jar: a module left out of its
     * runtime class path (a test-scoped dependency shadowing a compile one) fails here, not on
     * a node at the first benchmark.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("clusterJars")
    void aClusterJarHoldsEveryTapioClassItsClassesUse(Path jar) throws IOException {
        JavaClasses inJar = new ClassFileImporter()
                .withImportOption(location -> location.contains("!/io/tapio/")) // Tapio's own, not its libraries
                .importJar(new JarFile(jar.toFile()));
        Set<String> missing = new TreeSet<>();
        for (JavaClass c : inJar) {
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                JavaClass target = d.getTargetClass().getBaseComponentType();
                if (target.getPackageName().startsWith("io.tapio") && !inJar.contain(target.getName())) {
                    missing.add(target.getName() + " (used by " + c.getName() + ")");
                }
            }
        }
        assertEquals(Set.of(), missing, jar.getFileName() + " lacks classes its own classes use");
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
