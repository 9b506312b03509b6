package io.tapio.local.sql;

import io.tapio.history.HistoryConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.gateway.api.session.SessionEnvironment;
import org.apache.flink.table.gateway.api.session.SessionHandle;
import org.apache.flink.table.gateway.service.session.Session;
import org.apache.flink.table.gateway.service.session.SessionManager;

/**
 * The gateway's sessions, each opened with the history's catalog registered as {@value
 * HistoryConfig#CATALOG} and in use, with its {@code history} database, as in {@code tapio sql}'s own
 * process: a session opened over REST names only its configuration, and a query names {@code
 * findings}, not {@code tapio.history.findings}.
 */
final class HistorySessions implements SessionManager {
    private final SessionManager sessions;
    private final Map<String, String> catalog;

    HistorySessions(SessionManager sessions, HistoryConfig history) {
        this.sessions = sessions;
        this.catalog = new HashMap<>(history.catalogOptions());
        catalog.put("default-database", HistoryConfig.database());
    }

    @Override
    public Session openSession(SessionEnvironment asked) {
        SessionEnvironment.Builder environment = SessionEnvironment.newBuilder()
                .setSessionEndpointVersion(asked.getSessionEndpointVersion())
                .addSessionConfig(asked.getSessionConfig())
                .registerCatalogCreator(
                        HistoryConfig.CATALOG,
                        (config, classLoader) ->
                                FactoryUtil.createCatalog(HistoryConfig.CATALOG, catalog, config, classLoader))
                .setDefaultCatalog(HistoryConfig.CATALOG);
        asked.getSessionName().ifPresent(environment::setSessionName);
        return sessions.openSession(environment.build());
    }

    @Override
    public Session getSession(SessionHandle handle) {
        return sessions.getSession(handle);
    }

    @Override
    public void closeSession(SessionHandle handle) {
        sessions.closeSession(handle);
    }

    @Override
    public void start() {
        sessions.start();
    }

    @Override
    public void stop() {
        sessions.stop();
    }
}
