package io.tapio.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.PartitionStatisticsFile;
import org.apache.iceberg.ReachableFileUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * Removes the files under a table's location that no snapshot, manifest or metadata file
 * refers to: what a writer that failed between writing a file and committing it left behind.
 * Only files older than a minimum age are removed, because a running writer's files are
 * unreferenced until its next commit: the age must exceed the longest time between a file's
 * creation and its commit (a checkpoint interval plus its duration, with margin).
 */
final class OrphanFiles {
    private OrphanFiles() {}

    /** Removes the orphans older than {@code minAge}; returns how many. */
    static int remove(Table table, Duration minAge) {
        Set<String> referenced = referenced(table);
        long before = Instant.now().minus(minAge).toEpochMilli();
        int removed = 0;
        for (String dir : new String[] {"/data/", "/metadata/"}) {
            for (FileInfo file : list(table, table.location() + dir)) {
                if (file.createdAtMillis() < before && !referenced.contains(key(file.location()))) {
                    table.io().deleteFile(file.location());
                    removed++;
                }
            }
        }
        return removed;
    }

    /**
     * The files under {@code prefix}, none when it does not exist yet. Local files are listed
     * here: Hadoop's local listing runs ls(1) for each file, slowly, and fails on a file the
     * writer replaces meanwhile; object stores are listed by the table's FileIO.
     */
    private static List<FileInfo> list(Table table, String prefix) {
        URI uri = URI.create(prefix);
        if (uri.getScheme() == null || uri.getScheme().equals("file")) {
            List<FileInfo> files = new ArrayList<>();
            listLocal(Path.of(uri.getScheme() == null ? prefix : uri.getPath()), files);
            return files;
        }
        if (!(table.io() instanceof SupportsPrefixOperations listing)) {
            throw new IllegalStateException("the FileIO of " + table.name() + " ("
                    + table.io().getClass().getName()
                    + ") cannot list files; remove orphans with the storage's lifecycle rules instead");
        }
        List<FileInfo> files = new ArrayList<>();
        listing.listPrefix(prefix).forEach(files::add);
        return files;
    }

    private static void listLocal(Path dir, List<FileInfo> files) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                try {
                    BasicFileAttributes a = Files.readAttributes(entry, BasicFileAttributes.class);
                    if (a.isDirectory()) {
                        listLocal(entry, files);
                    } else if (!entry.getFileName()
                            .toString()
                            .endsWith(".crc")) { // Hadoop's checksums go with their file
                        files.add(new FileInfo(
                                entry.toUri().toString(),
                                a.size(),
                                a.lastModifiedTime().toMillis()));
                    }
                } catch (NoSuchFileException replacedMeanwhile) {
                    // a writer renamed or removed it since the directory was read: not an orphan
                }
            }
        } catch (NoSuchFileException | NotDirectoryException nothingWrittenYet) {
            // a table nothing was written to has no data directory
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file the table's metadata refers to, in every snapshot it still has. */
    private static Set<String> referenced(Table table) {
        FileIO io = table.io();
        Set<String> files = new HashSet<>();
        ReachableFileUtil.metadataFileLocations(table, true).forEach(f -> files.add(key(f)));
        files.add(key(ReachableFileUtil.versionHintLocation(table)));
        ReachableFileUtil.statisticsFilesLocations(table).forEach(f -> files.add(key(f)));
        for (PartitionStatisticsFile f : table.partitionStatisticsFiles()) {
            files.add(key(f.path()));
        }
        Set<String> manifests = new HashSet<>();
        for (Snapshot snapshot : table.snapshots()) {
            files.add(key(snapshot.manifestListLocation()));
            for (ManifestFile manifest : snapshot.allManifests(io)) {
                if (manifests.add(manifest.path())) {
                    files.add(key(manifest.path()));
                    addContents(table, manifest, files);
                }
            }
        }
        return files;
    }

    private static void addContents(Table table, ManifestFile manifest, Set<String> files) {
        try (CloseableIterable<? extends ContentFile<?>> contents = manifest.content() == ManifestContent.DATA
                ? ManifestFiles.read(manifest, table.io(), table.specs())
                : ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
            for (ContentFile<?> f : contents) {
                files.add(key(f.location()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** file:/x, file:///x and /x are one file; s3://bucket/x keeps its bucket. */
    private static String key(String location) {
        URI uri = URI.create(location);
        return (uri.getAuthority() == null ? "" : uri.getAuthority()) + uri.getPath();
    }
}
