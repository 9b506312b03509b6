package io.tapio.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.flink.configuration.ClusterOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a command needs for the Flink jobs it runs and waits for (a statement, an append to the
 * history, a compaction) when it runs on a machine rather than submitted to a cluster: Flink then
 * starts a MiniCluster for each job and closes it asynchronously once the job ends, so a command
 * that exits right after would leave that cluster's working directory ({@code minicluster_*})
 * and its 21 MB RPC jar in the machine's temporary directory, one set a run; and those clusters
 * listen on every interface by default.
 *
 * <p>{@link #configuration()} is for the job's environment: the clusters bind to loopback and
 * work in a directory of this object's, which {@link #close} removes once they have closed (and
 * with that removed their RPC jars). Only bind and directory options are set: under {@code flink
 * run} the same configuration reaches a real cluster's client, which still finds its cluster
 * where {@code rest.address} says. {@link #onLoopback} is for a cluster a process starts and
 * keeps itself ({@code tapio run}'s, the SQL service's).
 */
public final class LocalClusters implements AutoCloseable {
    /** Closing a MiniCluster takes well under a second; one still open after this is not waited for. */
    private static final long CLOSE_MILLIS = 10_000;

    private static final String CLUSTER_DIR_PREFIX = "minicluster_";
    private static final String LOOPBACK = "127.0.0.1";
    private static final Logger LOG = LoggerFactory.getLogger(LocalClusters.class);

    private final Path dir;

    private LocalClusters(Path dir) {
        this.dir = dir;
    }

    /** A directory of its own in the machine's temporary directory. */
    public static LocalClusters open() {
        try {
            return new LocalClusters(Files.createTempDirectory("tapio-flink-"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a working directory for Flink", e);
        }
    }

    /** The options to start the job's environment with: {@link #bindToLoopback}, and this object's directory. */
    public Configuration configuration() {
        Configuration flink = new Configuration();
        flink.set(ClusterOptions.PROCESS_WORKING_DIR_BASE, dir.toString());
        flink.set(WebOptions.TMP_DIR, dir.toString());
        return bindToLoopback(flink);
    }

    /**
     * A cluster that this process starts itself, on loopback only: its endpoints bind there
     * ({@link #bindToLoopback}) and say they are there.
     */
    public static Configuration onLoopback(Configuration flink) {
        flink.set(RestOptions.ADDRESS, LOOPBACK);
        flink.set(JobManagerOptions.ADDRESS, LOOPBACK);
        flink.set(TaskManagerOptions.HOST, LOOPBACK);
        return bindToLoopback(flink);
    }

    /**
     * Binds a local cluster's REST endpoint, job manager and task managers to loopback (Flink's
     * default is every interface), and nothing else, so that under {@code flink run} a client
     * still finds its cluster where {@code rest.address} says.
     */
    public static Configuration bindToLoopback(Configuration flink) {
        flink.set(RestOptions.BIND_ADDRESS, LOOPBACK);
        flink.set(JobManagerOptions.BIND_HOST, LOOPBACK);
        flink.set(TaskManagerOptions.BIND_HOST, LOOPBACK);
        return flink;
    }

    /**
     * Waits until the clusters have closed, for a few seconds at most: a cluster removes its
     * working directory last, after its RPC jar (extracted to the JVM's temporary directory). Then
     * removes the directory with what else they left there (the REST endpoint's upload
     * directory). Best effort: the job it served has ended, for better or worse, and a directory
     * that cannot be removed is a warning, not that job's failure.
     */
    @Override
    public void close() {
        try {
            long deadline = System.nanoTime() + CLOSE_MILLIS * 1_000_000;
            while (clusterOpen() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> left = Files.walk(dir)) {
            for (Path p : left.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not remove Flink's working directory {}: {}", dir, e.toString());
        }
    }

    private boolean clusterOpen() {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.anyMatch(p -> p.getFileName().toString().startsWith(CLUSTER_DIR_PREFIX));
        } catch (IOException e) {
            return false; // gone or unreadable: nothing to wait for
        }
    }
}
