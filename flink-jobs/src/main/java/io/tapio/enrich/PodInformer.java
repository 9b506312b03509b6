package io.tapio.enrich;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the pods of one node (field selector spec.nodeName: the API server sends this node
 * only its own pods) and keeps the {@link PodIndex} up to date. It never blocks its caller:
 * the initial list and the watch run on the client's threads, and while the API is
 * unreachable the informer keeps retrying with back-off.
 */
final class PodInformer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PodInformer.class);

    private final KubernetesClient client;
    private final SharedIndexInformer<Pod> informer;
    private final AtomicBoolean closed;

    private PodInformer(KubernetesClient client, SharedIndexInformer<Pod> informer, AtomicBoolean closed) {
        this.client = client;
        this.informer = informer;
        this.closed = closed;
    }

    static PodInformer start(KubernetesClient client, String node, PodIndex index) {
        OwnerChain owners = new OwnerChain(client);
        AtomicBoolean failing = new AtomicBoolean();
        AtomicBoolean closed = new AtomicBoolean();
        SharedIndexInformer<Pod> informer =
                client.pods().inAnyNamespace().withField("spec.nodeName", node).runnableInformer(0);
        informer.exceptionHandler((started, error) -> {
            if (closed.get()) {
                return false; // closing: the failure is ours
            }
            if (failing.compareAndSet(false, true)) {
                LOG.warn(
                        "The Kubernetes API at {} does not answer ({}); retrying. Until it does, pods are named "
                                + "by uid from their cgroup paths",
                        client.getMasterUrl(),
                        error.toString());
            }
            return true;
        });
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                index.put(PodInfo.of(pod, owners.of(pod)));
            }

            @Override
            public void onUpdate(Pod before, Pod pod) {
                index.put(PodInfo.of(pod, owners.of(pod)));
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                index.deleted(PodInfo.cgroupUid(pod));
            }
        });
        informer.start().whenComplete((done, error) -> {
            if (error == null) {
                failing.set(false);
                LOG.info(
                        "Watching the pods of node {} through the Kubernetes API at {} ({} now)",
                        node,
                        client.getMasterUrl(),
                        index.size());
            }
        });
        return new PodInformer(client, informer, closed);
    }

    @Override
    public void close() {
        closed.set(true);
        informer.close();
        client.close();
    }
}
