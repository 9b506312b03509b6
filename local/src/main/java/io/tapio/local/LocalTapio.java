package io.tapio.local;

import io.micrometer.core.instrument.Metrics;
import io.tapio.ebpf.metrics.MetricsEndpoint;
import io.tapio.ebpf.node.NodeName;
import io.tapio.history.LocalClusters;
import io.tapio.job.TapioJob;
import io.tapio.local.RetainedCheckpoints.Checkpoint;
import io.tapio.model.Finding;
import io.tapio.status.JobState;
import io.tapio.status.RunningInstances;
import io.tapio.status.StatusSampler;
import io.tapio.status.StatusServer;
import io.tapio.status.StatusStore;
import io.tapio.status.TapioStatus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ClusterOptions;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.RpcOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Tapio on one machine: the streaming job in a local Flink MiniCluster with its web UI, the
 * Prometheus endpoint, and the status endpoint {@code tapio check} reads, all on loopback; the
 * history is committed to Iceberg at each checkpoint. A run resumes from the last completed
 * checkpoint of the same job in its data directory ({@link RetainedCheckpoints}).
 */
public final class LocalTapio implements AutoCloseable {
    /** Enough for the few low-rate exchanges left (the history's committables). */
    private static final MemorySize NETWORK_MEMORY = MemorySize.ofMebiBytes(8);
    /**
     * How long a stop waits for the cancelled job's tasks and the cluster to end: about a second
     * usually; a task stuck in a write is given long enough to finish it.
     */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final RunOptions options;
    private final MetricsEndpoint metrics;
    private final StatusSampler sampler;
    private final StatusStore store;
    private final RunningInstances instances = RunningInstances.forThisUser();
    private final StatusServer statusServer;
    private final Recording profile;
    private final RetainedCheckpoints checkpoints;
    private final Checkpoint resumedFrom;
    private final JobID jobId;
    private final LocalCluster cluster = new LocalCluster();
    private final JobClient job;
    private final Instant startedAt = Instant.now();
    private volatile TapioStatus latest;

    private LocalTapio(RunOptions options) throws Exception {
        this.options = options;
        this.store = new StatusStore(options.dataDir());
        store.runningInstance().ifPresent(other -> {
            throw new CannotResumeException("another tapio run (pid " + other.pid() + ") keeps its state in "
                    + options.dataDir() + ": stop it, or give this run another --data-dir");
        });
        this.checkpoints = new RetainedCheckpoints(options.dataDir());
        JobIdentity identity = JobIdentity.of(options.source(), options.history());
        Optional<Checkpoint> resume = checkpoints.resumePoint(identity, options.fresh());
        this.resumedFrom = resume.orElse(null);
        this.jobId = checkpoints.newJob(identity, resume);
        this.profile = options.profile() == null ? null : startProfile();
        this.metrics = MetricsEndpoint.start(options.metricsPort());
        String node = NodeName.local();
        this.sampler = new StatusSampler(
                Metrics.globalRegistry,
                options.source().label(),
                node,
                startedAt,
                () -> FindingsBoard.latest().stream().map(LocalTapio::statusOf).toList());
        resume.ifPresent(c -> sampler.note("resumed from checkpoint " + c.id() + " of " + c.completedAt() + ", "
                + ageAtStart(c).toSeconds() + " s before this run started (" + c.path() + ")"));
        StreamExecutionEnvironment env = cluster.environment(flinkConfig());
        FindingsBoard.clear();
        JobRestarts.clear();
        TapioJob.Outputs outputs =
                TapioJob.define(env, options.source(), options.correlation(), options.regression(), null);
        outputs.findings().sinkTo(new FindingsBoard()).name("findings board").uid("findings-board");
        if (options.history() != null) {
            outputs.writeHistory(options.history());
        }
        outputs.exportFindings(options.exports());
        this.job = env.executeAsync(TapioJob.NAME);
        this.latest = sampler.sample(true);
        this.statusServer = StatusServer.start(options.statusPort(), () -> latest);
        StatusStore.Instance instance =
                new StatusStore.Instance(ProcessHandle.current().pid(), statusServer.port());
        store.writeInstance(instance);
        instances.register(instance, options.dataDir());
    }

    /**
     * @throws CannotResumeException the data directory's last checkpoint is of another job or
     *     cannot be read, or another run uses the directory: nothing was started
     */
    public static LocalTapio start(RunOptions options) throws Exception {
        return new LocalTapio(options);
    }

    /** The checkpoint this run resumed from; empty when it started fresh. */
    public Optional<Checkpoint> resumedFrom() {
        return Optional.ofNullable(resumedFrom);
    }

    /** How old {@code checkpoint} was when this run started. */
    public Duration ageAtStart(Checkpoint checkpoint) {
        return Duration.between(checkpoint.completedAt(), startedAt);
    }

    private static TapioStatus.Finding statusOf(Finding f) {
        return new TapioStatus.Finding(
                f.pattern(),
                f.status() == Finding.Status.RESOLVED ? "info" : f.severity().label(),
                f.workload().displayName(),
                Instant.ofEpochMilli(f.firstSeenEpochMillis()).toString(),
                Instant.ofEpochMilli(f.lastSeenEpochMillis()).toString(),
                f.count(),
                f.summary(),
                f.recommendation(),
                f.episodeId(),
                f.subject(),
                f.cause() == null
                        ? null
                        : new TapioStatus.Cause(f.cause().pattern(), f.cause().subject()));
    }

    /** Everything listens on loopback; the web UI with flame graphs on the chosen port. */
    private org.apache.flink.configuration.Configuration flinkConfig() {
        var conf = LocalClusters.onLoopback(new org.apache.flink.configuration.Configuration());
        conf.set(RestOptions.PORT, options.uiPort());
        conf.set(RestOptions.ENABLE_FLAMEGRAPH, true);
        // One reader on one node: the job runs as one chained task (TapioJob's node-local path)
        // in one slot, so the MiniCluster needs little network memory and no managed memory
        // (the keyed state is on the heap); the defaults would reserve hundreds of MB unused.
        conf.set(CoreOptions.DEFAULT_PARALLELISM, 1);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 1);
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, NETWORK_MEMORY);
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, NETWORK_MEMORY);
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ZERO);
        // One job, one slot, one user of the web UI: threads sized for that, not for the
        // machine (the defaults start 4 REST handlers, 4 cluster I/O threads and up to 8 RPC
        // dispatchers, each with its stack, for nothing to do).
        conf.set(RestOptions.SERVER_NUM_THREADS, 1);
        conf.set(ClusterOptions.CLUSTER_IO_EXECUTOR_POOL_SIZE, 1);
        conf.set(RpcOptions.FORK_JOIN_EXECUTOR_PARALLELISM_MIN, 1);
        conf.set(RpcOptions.FORK_JOIN_EXECUTOR_PARALLELISM_MAX, 2);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "failure-rate");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_MAX_FAILURES_PER_INTERVAL, JobState.MAX_FAILURES);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_FAILURE_RATE_INTERVAL, JobState.FAILURE_INTERVAL);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_DELAY, JobState.RESTART_DELAY);
        conf.set(DeploymentOptions.JOB_STATUS_CHANGED_LISTENERS, List.of(JobRestarts.class.getName()));
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, options.checkpointInterval());
        checkpoints.configure(conf, jobId, resumedFrom());
        return conf;
    }

    private Recording startProfile() throws IOException, java.text.ParseException {
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.setToDisk(true);
        recording.setDestination(options.profile());
        recording.start();
        return recording;
    }

    /** Takes a fresh status (call about once a second: rates and latency cover the time since the last call). */
    public TapioStatus refresh() {
        latest = sampler.sample(true, jobState());
        store.writeStatus(latest);
        return latest;
    }

    public TapioStatus latest() {
        return latest;
    }

    /** The web UI's port: {@code --ui-port}, or the one the system chose when that was 0. */
    public int uiPort() {
        return cluster.restPort();
    }

    public int metricsPort() {
        return metrics.port();
    }

    public int statusPort() {
        return statusServer.port();
    }

    /** Whether the job is still running (false once it finished or failed). */
    public boolean jobRunning() {
        return !job.getJobExecutionResult().isDone();
    }

    /** Why the job stopped, if it failed: the message of the exception at the root of the failure. */
    public String failureMessage() {
        if (jobRunning()) {
            return null;
        }
        try {
            job.getJobExecutionResult().get(0, TimeUnit.SECONDS);
            return null;
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String message = root.getMessage() != null ? root.getMessage() : root.toString();
            return restoreUnproven() ? message + resumeHint() : message;
        }
    }

    /** Whether the job resumed from a checkpoint and has not completed one of its own since. */
    private boolean restoreUnproven() {
        try {
            return resumedFrom != null && !checkpoints.completedOne(jobId);
        } catch (IOException e) {
            return true;
        }
    }

    private String resumeHint() {
        return " (the job resumed from " + resumedFrom.path()
                + " and failed before its first checkpoint: if that checkpoint is what fails it, "
                + "tapio run --fresh starts over without it; the history keeps what it has)";
    }

    private JobState jobState() {
        String failure = failureMessage();
        return failure != null
                ? JobState.failed(failure)
                : JobState.restarted(JobRestarts.within(JobState.FAILURE_INTERVAL));
    }

    /**
     * Stops the job and everything around it, and returns once nothing of the run writes to the
     * data directory any more (see {@link LocalCluster#stop}); the final status stays there.
     */
    @Override
    public void close() throws Exception {
        // Taken before the cancel, which would read as a failure of its own.
        String failure = failureMessage();
        try {
            cluster.stop(job, STOP_TIMEOUT);
        } finally {
            latest = sampler.sample(false, failure == null ? JobState.FINE : JobState.failed(failure));
            store.writeStatus(latest);
            store.clearInstance();
            instances.unregister(ProcessHandle.current().pid());
            statusServer.close();
            metrics.close();
            if (profile != null) {
                profile.stop();
                profile.close();
            }
        }
    }
}
