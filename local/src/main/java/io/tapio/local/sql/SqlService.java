package io.tapio.local.sql;

import io.tapio.history.HistoryConfig;
import io.tapio.history.LocalClusters;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.table.api.config.TableConfigOptions;
import org.apache.flink.table.gateway.api.endpoint.SqlGatewayEndpoint;
import org.apache.flink.table.gateway.api.endpoint.SqlGatewayEndpointFactoryUtils;
import org.apache.flink.table.gateway.rest.SqlGatewayRestEndpoint;
import org.apache.flink.table.gateway.service.SqlGatewayServiceImpl;
import org.apache.flink.table.gateway.service.context.DefaultContext;
import org.apache.flink.table.gateway.service.session.SessionManager;

/**
 * The resident SQL service: Flink's SQL Gateway over the history's catalog, with a MiniCluster
 * of its own that runs the statements, both on 127.0.0.1 only. The planner, the catalog and the
 * cluster stay loaded between statements, which is what makes {@code tapio sql} answer in a
 * fraction of a second. It answers a first statement before it registers, so that a client
 * never waits for it to warm up.
 */
public final class SqlService implements AutoCloseable {
    /** Statements running at once; more wait for a slot. */
    private static final int SLOTS = 2;
    /** The statement that warms the service up: the catalog, the planner and a job on the cluster. */
    static final String WARM_UP = "SELECT COUNT(*) FROM findings";

    private final MiniCluster cluster;
    private final String clusterId;
    private final SessionManager sessions;
    private final List<SqlGatewayEndpoint> endpoints;
    private final SqlServices registry = SqlServices.forThisUser();

    private SqlService(
            MiniCluster cluster, String clusterId, SessionManager sessions, List<SqlGatewayEndpoint> endpoints) {
        this.cluster = cluster;
        this.clusterId = clusterId;
        this.sessions = sessions;
        this.endpoints = endpoints;
    }

    /**
     * Serves the history {@code history} on {@code port} of 127.0.0.1 (0: any free port).
     *
     * @throws IllegalArgumentException when the catalog holds no history yet
     */
    public static SqlService start(HistoryConfig history, Path dataDir, int port) throws Exception {
        requireHistory(history, dataDir);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(clusterConfig())
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(SLOTS)
                .build());
        cluster.start();
        String clusterId = ServiceClusterExecutor.register(cluster);
        SqlService service = null;
        try {
            Configuration config = gatewayConfig(clusterId, port);
            SessionManager sessions =
                    new HistorySessions(SessionManager.create(new DefaultContext(config, List.of())), history);
            sessions.start();
            service = new SqlService(
                    cluster,
                    clusterId,
                    sessions,
                    SqlGatewayEndpointFactoryUtils.createSqlGatewayEndpoint(
                            new SqlGatewayServiceImpl(sessions), config));
            for (SqlGatewayEndpoint endpoint : service.endpoints) {
                endpoint.start();
            }
            try (ServiceSession first = ServiceSession.open(service.port())) {
                first.run(WARM_UP);
            }
            service.registry.register(service.port(), dataDir, history);
            return service;
        } catch (Exception | Error e) {
            if (service != null) {
                service.close();
            } else {
                ServiceClusterExecutor.unregister(clusterId);
                cluster.close();
            }
            throw e;
        }
    }

    private static void requireHistory(HistoryConfig history, Path dataDir) {
        if (!history.exists()) {
            throw new IllegalArgumentException("no history in " + dataDir + " to serve; tapio run writes it");
        }
    }

    /** The cluster that runs the statements: on loopback, one task manager. */
    private static Configuration clusterConfig() {
        Configuration config = LocalClusters.onLoopback(new Configuration());
        config.set(RestOptions.PORT, 0);
        return config;
    }

    /**
     * The gateway's REST endpoint on 127.0.0.1, and what each session starts with: batch mode, UTC,
     * statements run on the service's cluster, one slot each.
     */
    private static Configuration gatewayConfig(String clusterId, int port) {
        Configuration config = new Configuration();
        config.setString("sql-gateway.endpoint.type", "rest");
        config.setString("sql-gateway.endpoint.rest.address", "127.0.0.1");
        config.setString("sql-gateway.endpoint.rest.bind-address", "127.0.0.1");
        config.setString("sql-gateway.endpoint.rest.port", Integer.toString(port));
        config.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        config.set(TableConfigOptions.LOCAL_TIME_ZONE, "UTC");
        config.set(DeploymentOptions.TARGET, ServiceClusterExecutor.TARGET);
        config.set(ServiceClusterExecutor.SERVICE, clusterId);
        config.set(CoreOptions.DEFAULT_PARALLELISM, 1);
        // Iceberg would size each source by its splits, beyond the slots the cluster has.
        config.setString("table.exec.iceberg.infer-source-parallelism", "false");
        return config;
    }

    /** The port on 127.0.0.1 the service answers on. */
    public int port() {
        return ((SqlGatewayRestEndpoint) endpoints.getFirst())
                .getServerAddress()
                .getPort();
    }

    @Override
    public void close() throws Exception {
        registry.unregister();
        try {
            for (SqlGatewayEndpoint endpoint : endpoints) {
                endpoint.stop();
            }
            sessions.stop();
        } finally {
            ServiceClusterExecutor.unregister(clusterId);
            cluster.close();
        }
    }
}
