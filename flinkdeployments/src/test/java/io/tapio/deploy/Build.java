package io.tapio.deploy;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** What the build says: the parent POM's versions, and the class paths it makes. */
final class Build {
    private Build() {}

    /** A property of the parent POM, e.g. flink.version. */
    static String property(String name) {
        Element properties = (Element) parentPom()
                .getDocumentElement()
                .getElementsByTagName("properties")
                .item(0);
        return properties.getElementsByTagName(name).item(0).getTextContent().trim();
    }

    static String projectVersion() {
        Element project = parentPom().getDocumentElement();
        for (var node = project.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element e && e.getTagName().equals("version")) {
                return e.getTextContent().trim();
            }
        }
        throw new IllegalStateException("the parent POM has no version");
    }

    /** The image the manifests run: Tapio's version and the Flink it is built on. */
    static String imageTag() {
        return "tapio:" + projectVersion().replace("-SNAPSHOT", "") + "-flink" + property("flink.version");
    }

    /** The jars of the Flink distribution the job runs on (flinkdeployments' runtime scope). */
    static List<Path> flinkDistribution() {
        Path file = Repository.path("flinkdeployments/target/flink-dist.classpath");
        try {
            List<Path> jars = new ArrayList<>();
            for (String entry : Files.readString(file).trim().split(":")) {
                jars.add(Path.of(entry));
            }
            return jars;
        } catch (IOException e) {
            throw new IllegalStateException(file + " is made by the build (generate-resources)", e);
        }
    }

    /**
     * Classes as a Flink cluster sees them: the distribution in the parent loader, a user jar
     * (the job's, the command line's) in the child (Flink's user-code class loader).
     */
    static URLClassLoader clusterClassLoader(Path userJar) {
        try {
            List<URL> dist = new ArrayList<>();
            for (Path jar : flinkDistribution()) {
                dist.add(jar.toUri().toURL());
            }
            URLClassLoader flink =
                    new URLClassLoader("flink-dist", dist.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
            return new URLClassLoader("user-code", new URL[] {userJar.toUri().toURL()}, flink);
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Document parentPom() {
        try {
            return DocumentBuilderFactory.newInstance()
                    .newDocumentBuilder()
                    .parse(Repository.path("pom.xml").toFile());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the parent POM", e);
        }
    }
}
