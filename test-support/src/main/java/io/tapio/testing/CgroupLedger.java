package io.tapio.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The workload cgroups this JVM has made and not removed yet, on file in {@link #DIR} (a tmpfs,
 * which a reboot empties as it empties the cgroups), so that none outlives the run that made it:
 * at this JVM's exit (Ctrl-C, SIGTERM, a test fork's end) they are removed with what runs in them,
 * and those of a JVM that could not remove its own (SIGKILL, a CI job's timeout) are removed by
 * the next JVM that makes one. A CPU hog or a fork loop left running would otherwise load every
 * later measurement and test on the machine.
 *
 * <p>A file is named for its JVM's pid and start time: a pid the kernel gave again to another
 * process does not make the file look owned.
 */
final class CgroupLedger {
    static final Path DIR = Path.of("/run/tapio/workload-cgroups");
    /** The suffix of a ledger being saved, moved over the ledger once written. */
    private static final String NEW = ".new";

    private static final System.Logger LOG = System.getLogger(CgroupLedger.class.getName());

    private static CgroupLedger mine;

    private final Path file;
    /** Oldest first: parents before their children. */
    private final Set<Path> live = new LinkedHashSet<>();

    private CgroupLedger(Path file) {
        this.file = file;
    }

    /**
     * This JVM's ledger. The first call removes the cgroups of JVMs that ended without removing
     * theirs, and arranges for this JVM's to be removed at its exit.
     */
    static synchronized CgroupLedger mine() {
        if (mine == null) {
            removeOrphans();
            mine = new CgroupLedger(
                    DIR.resolve(fileName(ProcessHandle.current()).orElseThrow()));
            Runtime.getRuntime().addShutdownHook(new Thread(mine::removeAll, "remove-workload-cgroups"));
        }
        return mine;
    }

    synchronized void made(List<Path> dirs) {
        live.addAll(dirs);
        save();
    }

    synchronized void removed(List<Path> dirs) {
        dirs.forEach(live::remove);
        save();
    }

    /** Removes every cgroup still on this JVM's ledger, newest first, with what runs in it. */
    private synchronized void removeAll() {
        remove(new ArrayList<>(live), "this process ended without removing it");
        live.clear();
        save();
    }

    private void save() {
        try {
            if (live.isEmpty()) {
                Files.deleteIfExists(file);
                return;
            }
            Files.createDirectories(DIR);
            Path written = Files.write(
                    file.resolveSibling(file.getFileName() + NEW),
                    live.stream().map(Path::toString).toList());
            Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the ledger of workload cgroups in " + file, e);
        }
    }

    /** Removes the cgroups on the ledgers of JVMs that are gone, and their ledgers. */
    private static void removeOrphans() {
        if (!Files.isDirectory(DIR)) {
            return;
        }
        try (DirectoryStream<Path> ledgers = Files.newDirectoryStream(DIR)) {
            for (Path ledger : ledgers) {
                String name = ledger.getFileName().toString();
                if (ownerAlive(name.endsWith(NEW) ? name.substring(0, name.length() - NEW.length()) : name)) {
                    continue;
                }
                // A ".new" is a save its JVM was killed in: the ledger beside it lists every
                // cgroup made (each is on file before it is made), so it only goes.
                if (!name.endsWith(NEW)) {
                    List<Path> dirs =
                            Files.readAllLines(ledger).stream().map(Path::of).toList();
                    remove(dirs, "process " + name.substring(0, name.indexOf('-')) + " ended without removing it");
                }
                Files.delete(ledger);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ledgers of workload cgroups in " + DIR, e);
        }
    }

    /** Removes {@code dirs}, newest first, saying which were there and why. */
    private static void remove(List<Path> dirs, String why) {
        for (Path dir : dirs.reversed()) {
            if (!Files.exists(dir)) {
                continue;
            }
            try {
                int stopped = WorkloadCgroup.remove(dir);
                LOG.log(
                        Level.WARNING,
                        "removed workload cgroup {0} and stopped the {1} process(es) in it: {2}",
                        dir,
                        stopped,
                        why);
            } catch (IllegalStateException stillUsed) {
                // A parent that another live JVM's cgroup has since been made under.
                LOG.log(Level.WARNING, "left workload cgroup {0} ({1}): {2}", dir, why, stillUsed.getMessage());
            }
        }
    }

    /** Whether the JVM that a ledger named {@code name} belongs to still runs. */
    private static boolean ownerAlive(String name) {
        long pid;
        try {
            pid = Long.parseLong(name.substring(0, name.indexOf('-')));
        } catch (RuntimeException notALedger) {
            return true; // leave it be
        }
        Optional<ProcessHandle> owner = ProcessHandle.of(pid);
        return owner.isPresent()
                && fileName(owner.get()).map(name::equals).orElse(true); // unknown start: maybe the owner
    }

    /** {@code PID-STARTMILLIS}, or empty when the process's start time cannot be read. */
    private static Optional<String> fileName(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).map(start -> process.pid() + "-" + start);
    }
}
