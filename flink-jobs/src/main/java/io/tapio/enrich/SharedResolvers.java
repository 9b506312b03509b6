package io.tapio.enrich;

import io.tapio.model.Workload;
import java.util.HashMap;
import java.util.Map;

/**
 * One resolver per configuration in a JVM, shared by every task that enriches: a task
 * manager running several parallel instances of the job still watches its node's pods once
 * and walks or opens its cgroups once. The last task to let go closes it.
 */
final class SharedResolvers {
    private static final Map<EnrichConfig, Shared> OPEN = new HashMap<>();

    private SharedResolvers() {}

    private static final class Shared {
        final NodeWorkloadResolver resolver;
        int users;

        Shared(NodeWorkloadResolver resolver) {
            this.resolver = resolver;
        }
    }

    /** The resolver for this configuration, started if no task holds it; close the lease to let go. */
    static synchronized Lease acquire(EnrichConfig config) {
        Shared shared = OPEN.computeIfAbsent(config, c -> new Shared(NodeWorkloadResolver.start(c)));
        shared.users++;
        return new Lease(config, shared.resolver);
    }

    private static synchronized void release(EnrichConfig config) {
        Shared shared = OPEN.get(config);
        if (shared != null && --shared.users == 0) {
            OPEN.remove(config);
            shared.resolver.close();
        }
    }

    /** One task's use of a shared resolver. */
    static final class Lease implements WorkloadResolver {
        private final EnrichConfig config;
        private final NodeWorkloadResolver resolver;
        private boolean closed;

        private Lease(EnrichConfig config, NodeWorkloadResolver resolver) {
            this.config = config;
            this.resolver = resolver;
        }

        @Override
        public Workload resolve(long cgroupId) {
            return resolver.resolve(cgroupId);
        }

        NodeWorkloadResolver resolver() {
            return resolver;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                release(config);
            }
        }
    }
}
