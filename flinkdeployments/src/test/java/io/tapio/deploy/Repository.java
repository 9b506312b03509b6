package io.tapio.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the repository and beside it, found from wherever the tests run. */
final class Repository {
    private Repository() {}

    /** The repository's root: the first directory upwards that holds launcher/jvm.options. */
    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("launcher/jvm.options"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "not inside the Tapio repository: " + Path.of("").toAbsolutePath());
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    /** The operator's published CRDs, kept in the repository (flinkdeployments/crds/README.md). */
    static Path operatorCrds() {
        return path("flinkdeployments/crds/flink-kubernetes-operator-1.15.0");
    }

    /** The job jar the build makes (flink-jobs, maven-shade-plugin): present after mvn package. */
    static Path jobJar() {
        return built("flink-jobs/target/tapio-job.jar");
    }

    /** The command line's jar for a cluster image (cli, maven-shade-plugin): present after mvn package. */
    static Path cliJar() {
        return built("cli/target/tapio-cli.jar");
    }

    private static Path built(String relative) {
        Path jar = path(relative);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: it is made in the package phase (mvn verify)");
        }
        return jar;
    }
}
