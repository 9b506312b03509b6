package io.tapio.local;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.flink.client.deployment.executors.LocalExecutor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flink MiniCluster a run's job runs on, kept so that the run can stop it and wait until it
 * stopped. Flink's own local environment starts one cluster per job and shuts it down in the
 * background, and a job's cancel returns once the job master accepted it: the tasks then still
 * close their operators, and the history's writers finish their data files in the data
 * directory. A run that returned must have nothing of it left writing there.
 */
final class LocalCluster implements PipelineExecutorServiceLoader, PipelineExecutorFactory {
    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);

    private volatile MiniCluster cluster;

    /** An environment whose job {@code executeAsync} runs on a cluster of this configuration, held here. */
    StreamExecutionEnvironment environment(Configuration configuration) {
        Configuration local = new Configuration(configuration);
        local.set(DeploymentOptions.TARGET, LocalExecutor.NAME);
        local.set(DeploymentOptions.ATTACHED, true);
        return new StreamExecutionEnvironment(this, local, StreamExecutionEnvironment.class.getClassLoader());
    }

    /**
     * Cancels {@code job} unless it ended, and waits until its tasks have ended and the cluster
     * has stopped, at most {@code timeout}; past it, says in the log what may still be running.
     */
    void stop(JobClient job, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String step = "the job's tasks to end";
        try {
            if (!job.getJobExecutionResult().isDone()) {
                try {
                    job.cancel().get(remaining(deadline), TimeUnit.NANOSECONDS);
                } catch (ExecutionException endedMeanwhile) {
                    LOG.info(
                            "The job was not cancelled: {}",
                            endedMeanwhile.getCause().toString());
                }
            }
            try {
                job.getJobExecutionResult().get(remaining(deadline), TimeUnit.NANOSECONDS);
            } catch (ExecutionException cancelledOrFailed) {
                // Ended, which is all the stop waits for; how it ended is LocalTapio#failureMessage's.
            }
            step = "the local Flink cluster to stop";
            if (cluster != null) {
                cluster.closeAsync().get(remaining(deadline), TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException e) {
            LOG.warn(
                    "Stopped waiting for {} after {} s: what still runs of the job may write to the data "
                            + "directory (the history's data files, a checkpoint) until this process exits",
                    step,
                    timeout.toSeconds());
        } catch (ExecutionException e) {
            LOG.warn("Stopping the job failed while waiting for {}", step, e);
        }
    }

    /** The port the cluster's web UI listens on: the one configured, or the one the system chose for port 0. */
    int restPort() {
        MiniCluster running = cluster;
        if (running == null) {
            throw new IllegalStateException("the cluster has not started");
        }
        return running.getRestAddress().join().getPort();
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    @Override
    public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
        return this;
    }

    @Override
    public Stream<String> getExecutorNames() {
        return Stream.of(getName());
    }

    @Override
    public String getName() {
        return LocalExecutor.NAME;
    }

    @Override
    public boolean isCompatibleWith(Configuration configuration) {
        return true;
    }

    @Override
    public PipelineExecutor getExecutor(Configuration configuration) {
        return LocalExecutor.createWithFactory(configuration, this::start);
    }

    private MiniCluster start(MiniClusterConfiguration configuration) {
        if (cluster != null) {
            throw new IllegalStateException("a run runs one job on its cluster");
        }
        cluster = new MiniCluster(configuration);
        return cluster;
    }
}
