package io.tapio.local;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.util.FileUtils;

/**
 * The checkpoints a data directory keeps, so that a run stopped in any way (Ctrl-C, a failure,
 * SIGKILL) resumes where the last completed checkpoint left its job: correlator and detector
 * state, the source's position, the history's uncommitted files.
 *
 * <p>Flink writes a job's checkpoints to {@code checkpoints/JOB/chk-N}; a checkpoint is complete
 * once its {@code _metadata} is there (Flink writes it under a temporary name and renames it,
 * last). Beside them each job's directory has {@link JobIdentity#FILE}, what the job read and
 * wrote, which a run must match to resume it. Flink keeps the newest checkpoint of a running job
 * and, when the job is cancelled or fails, leaves it; a new run removes every job's directory but
 * the one it resumes from, so that at most two checkpoints are on disk.
 */
public final class RetainedCheckpoints {
    /** Completed checkpoints Flink keeps of a running job: only the newest is ever resumed. */
    static final int RETAINED_PER_JOB = 1;

    private static final Pattern CHECKPOINT = Pattern.compile("chk-\\d+");
    private static final String METADATA = "_metadata";

    private final Path directory;

    public RetainedCheckpoints(Path dataDir) {
        this.directory = dataDir.toAbsolutePath().resolve("checkpoints");
    }

    /**
     * A completed checkpoint of an earlier run's job.
     *
     * @param path its {@code chk-N} directory
     * @param completedAt when its metadata was written, which completed it
     */
    public record Checkpoint(Path path, long id, Instant completedAt, JobIdentity job) {}

    /**
     * Where a run of {@code job} starts: from the newest completed checkpoint of the directory, or
     * fresh when there is none or {@code fresh} is asked for.
     *
     * @throws CannotResumeException the newest checkpoint is of another job, or cannot be read:
     *     resuming an older one instead could commit its rows to the history a second time
     */
    public Optional<Checkpoint> resumePoint(JobIdentity job, boolean fresh) throws IOException {
        if (fresh) {
            return Optional.empty();
        }
        Optional<Checkpoint> newest = newest();
        if (newest.isEmpty()) {
            return newest;
        }
        Checkpoint last = newest.get();
        String startOver = "; or start over with --fresh (the history keeps what it has)";
        if (!last.job().source().equals(job.source())) {
            throw new CannotResumeException("the last run in " + directory.getParent() + " read "
                    + last.job().source()
                    + ", this one would read " + job.source() + ": its checkpoint " + last.path()
                    + " resumes only the same source. Run with that --source to resume it" + startOver);
        }
        if (!last.job().history().equals(job.history())) {
            throw new CannotResumeException("the last run in " + directory.getParent() + " kept its history in "
                    + last.job().history() + ", this one would keep it in " + job.history()
                    + ": its checkpoint " + last.path() + " holds rows not yet committed there. Run with the same "
                    + "--catalog (and without --no-history, or with it, as that run) to resume it" + startOver);
        }
        readable(last);
        return newest;
    }

    /** The newest completed checkpoint of a job that has its identity; a {@code chk-N} without metadata is not one. */
    Optional<Checkpoint> newest() throws IOException {
        List<Checkpoint> completed = new ArrayList<>();
        for (Path job : children(directory)) {
            JobIdentity identity = JobIdentity.readFrom(job);
            if (identity == null) {
                continue; // not a job Tapio can tell the source of: never resumed
            }
            for (Path checkpoint : completed(job)) {
                completed.add(new Checkpoint(
                        checkpoint,
                        Long.parseLong(checkpoint.getFileName().toString().substring("chk-".length())),
                        Files.getLastModifiedTime(checkpoint.resolve(METADATA)).toInstant(),
                        identity));
            }
        }
        return completed.stream()
                .max(Comparator.comparing(Checkpoint::completedAt).thenComparingLong(Checkpoint::id));
    }

    /**
     * Flink's own reading of the checkpoint's metadata, as the restore would start: a damaged file
     * is refused here rather than failing the job at every restart.
     */
    private static void readable(Checkpoint checkpoint) {
        Path metadata = checkpoint.path().resolve(METADATA);
        try (InputStream in = Files.newInputStream(metadata)) {
            Checkpoints.loadCheckpointMetadata(
                    new DataInputStream(in),
                    RetainedCheckpoints.class.getClassLoader(),
                    checkpoint.path().toString());
        } catch (IOException | RuntimeException e) {
            throw new CannotResumeException(
                    "cannot resume from the last checkpoint, " + metadata + " cannot be read (" + e.getMessage()
                            + "); start over with --fresh (the history keeps what it has)",
                    e);
        }
    }

    /**
     * Makes the directory of a new job that starts from {@code from} (or fresh), with its identity.
     * Every other job's directory goes: their checkpoints are older than {@code from}, or
     * {@code --fresh} asked to start over.
     */
    public JobID newJob(JobIdentity identity, Optional<Checkpoint> from) throws IOException {
        Path keep = from.map(c -> c.path().getParent()).orElse(null);
        for (Path job : children(directory)) {
            if (!job.equals(keep)) {
                FileUtils.deleteFileOrDirectory(job.toFile());
            }
        }
        JobID job = JobID.generate();
        identity.writeTo(directory.resolve(job.toHexString()));
        return job;
    }

    /** Whether {@code job} has completed a checkpoint of its own (so its restore, if any, worked). */
    public boolean completedOne(JobID job) throws IOException {
        return !completed(directory.resolve(job.toHexString())).isEmpty();
    }

    /** A job's {@code chk-N} directories that have their metadata: the others were not completed. */
    private static List<Path> completed(Path job) throws IOException {
        return children(job).stream()
                .filter(c -> CHECKPOINT.matcher(c.getFileName().toString()).matches()
                        && Files.isRegularFile(c.resolve(METADATA)))
                .toList();
    }

    /**
     * Flink's settings for {@code job}: its id (so its checkpoints land in the directory made for
     * it), checkpoints kept when it is cancelled or fails, and the checkpoint it restores.
     * Without {@code execution.state-recovery.ignore-unclaimed-state}: every operator has a uid,
     * so a checkpoint's state maps to the same operator in a later version of the job; state no
     * operator claims (a stateful operator removed) stops the restore rather than being dropped.
     */
    public void configure(Configuration conf, JobID job, Optional<Checkpoint> from) {
        // An internal option, and the one Flink's application mode uses to fix its job's id.
        conf.set(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID, job.toHexString());
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, directory.toUri().toString());
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, RETAINED_PER_JOB);
        from.ifPresent(c ->
                conf.set(StateRecoveryOptions.SAVEPOINT_PATH, c.path().toUri().toString()));
    }

    private static List<Path> children(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).toList();
        }
    }
}
