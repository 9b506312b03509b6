package io.tapio.local.sql;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.client.deployment.ClusterClientJobClientAdapter;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.client.program.MiniClusterClient;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * Runs the gateway's statements on the SQL service's own cluster, in the same JVM: the graph goes
 * to the cluster as it is and the answer comes back by RPC, with no REST round trip and no graph
 * written to a file and uploaded, as a remote target would; that is a third of what a small
 * query costs. Flink finds executors through {@link java.util.ServiceLoader}, so a session names
 * this one by its target and the service by its id.
 */
public final class ServiceClusterExecutor implements PipelineExecutorFactory {
    static final String TARGET = "tapio-sql-service";

    static final ConfigOption<String> SERVICE = ConfigOptions.key("tapio.sql-service")
            .stringType()
            .noDefaultValue()
            .withDescription("The SQL service whose cluster runs the statement.");

    private static final Map<String, MiniCluster> CLUSTERS = new ConcurrentHashMap<>();

    /** Makes the cluster a target for sessions whose configuration names the id returned. */
    static String register(MiniCluster cluster) {
        String id = UUID.randomUUID().toString();
        CLUSTERS.put(id, cluster);
        return id;
    }

    static void unregister(String id) {
        CLUSTERS.remove(id);
    }

    @Override
    public String getName() {
        return TARGET;
    }

    @Override
    public boolean isCompatibleWith(Configuration config) {
        return TARGET.equals(config.get(DeploymentOptions.TARGET));
    }

    @Override
    public PipelineExecutor getExecutor(Configuration config) {
        return (pipeline, statement, classLoader) -> {
            MiniCluster cluster = CLUSTERS.get(statement.get(SERVICE));
            if (cluster == null) {
                throw new IllegalStateException("the SQL service " + statement.get(SERVICE) + " has stopped");
            }
            StreamGraph graph = PipelineExecutorUtils.getStreamGraph(pipeline, statement);
            graph.serializeUserDefinedInstances();
            return new MiniClusterClient(statement, cluster)
                    .submitJob(graph)
                    .thenApply(job -> new ClusterClientJobClientAdapter<>(
                            () -> new MiniClusterClient(statement, cluster), job, classLoader));
        };
    }
}
