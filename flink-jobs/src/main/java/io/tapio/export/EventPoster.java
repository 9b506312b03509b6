package io.tapio.export;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.tapio.ebpf.metrics.MetricNames;
import io.tapio.enrich.KubernetesAccess;
import io.tapio.model.Finding;
import io.tapio.model.Workload;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts findings' reports as Events on their pods, from a thread of its own: {@link #offer}
 * never waits for the API. A report is dropped, and counted by reason, when its pod's bucket is
 * empty ({@code rate_limited}), when the queue is full because the API is slow or down
 * ({@code queue_full}), when the API refuses it ({@code api_refused}: an HTTP error such as 403
 * or 500) or cannot be reached in time ({@code api_unreachable}), when its pod is not known to the
 * API yet ({@code pod_unknown}), or when the poster closes before sending it
 * ({@code unsent_at_exit}). Processes outside pods get no Events, and are not counted.
 *
 * <p>A failed call is not retried: the episode's next report carries its whole state anyway.
 */
public final class EventPoster implements AutoCloseable {
    static final List<String> DROP_REASONS =
            List.of("rate_limited", "queue_full", "api_refused", "api_unreachable", "pod_unknown", "unsent_at_exit");
    /** How long {@link #close} lets the sender finish what is queued before it gives up on the API. */
    static final Duration DRAIN = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(EventPoster.class);
    /** Event names this poster created or patched, so that the next report patches at once. */
    private static final int KNOWN_EVENTS = 4_096;

    private final KubernetesClient client;
    private final PodRateLimit rateLimit;
    private final BlockingQueue<Finding> queue;
    private final Thread sender;
    private final Counter posted = Metrics.counter(MetricNames.KUBERNETES_EVENTS_POSTED);
    private final Counter updated = Metrics.counter(MetricNames.KUBERNETES_EVENTS_UPDATED);
    private final DropCounter dropped = new DropCounter(
            MetricNames.KUBERNETES_EVENTS_DROPPED,
            "Findings' reports that did not become Kubernetes Events, by reason",
            DROP_REASONS);
    private final Map<String, Boolean> known = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > KNOWN_EVENTS;
        }
    };
    private volatile boolean closing;
    /** Set when close stops waiting for the API: the sender posts nothing more. */
    private volatile boolean abandoned;

    private long failures;

    private EventPoster(KubernetesClient client, EventsConfig config) {
        this.client = client;
        this.rateLimit = new PodRateLimit(config.burst(), config.perMinute(), System::nanoTime);
        this.queue = new ArrayBlockingQueue<>(config.queue());
        this.sender =
                Thread.ofPlatform().name("tapio-kubernetes-events").daemon().start(this::send);
    }

    /** A poster to the API server the configuration names, with its request timeout and no retries. */
    public static EventPoster start(EventsConfig config) {
        int timeout = (int) config.requestTimeout().toMillis();
        Config api = new ConfigBuilder(KubernetesAccess.config(config.apiUrl()))
                .withRequestTimeout(timeout)
                .withConnectionTimeout(timeout)
                .withRequestRetryBackoffLimit(0)
                .build();
        return new EventPoster(new KubernetesClientBuilder().withConfig(api).build(), config);
    }

    /** Queues the report for its pod's Event, or counts why not; never waits. */
    public void offer(Finding finding) {
        if (!PodEvents.aboutAPod(finding)) {
            Workload.Kind kind = finding.workload().kind();
            if (kind == Workload.Kind.POD || kind == Workload.Kind.POD_UNRESOLVED) {
                dropped.add("pod_unknown", 1);
            }
            return;
        }
        if (closing) {
            dropped.add("unsent_at_exit", 1);
        } else if (!rateLimit.tryAcquire(finding.workload().pod().namespace() + "/"
                + finding.workload().pod().name())) {
            dropped.add("rate_limited", 1);
        } else if (!queue.offer(finding)) {
            dropped.add("queue_full", 1);
        }
    }

    private void send() {
        while (!abandoned && (!closing || !queue.isEmpty())) {
            Finding finding;
            try {
                finding = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException stop) {
                return;
            }
            if (finding != null) {
                post(finding);
            }
        }
    }

    /** Patches the episode's Event when this poster wrote it before, else creates it; the other on conflict. */
    private void post(Finding finding) {
        Event event = PodEvents.of(finding);
        String name = event.getMetadata().getName();
        try {
            if (known.containsKey(name)) {
                try {
                    patch(event);
                } catch (KubernetesClientException e) {
                    if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                        throw e;
                    }
                    create(event); // expired: the API server keeps Events for an hour by default
                }
            } else {
                try {
                    create(event);
                } catch (KubernetesClientException e) {
                    if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                        throw e;
                    }
                    patch(event); // written before this poster started (a restarted job)
                }
            }
            known.put(name, Boolean.TRUE);
        } catch (KubernetesClientException e) {
            boolean refused = e.getCode() > 0;
            dropped.add(refused ? "api_refused" : "api_unreachable", 1);
            if (failures++ % 100 == 0) {
                LOG.warn(
                        "cannot post the Kubernetes Event {} in {} ({} failed so far): {}",
                        name,
                        event.getMetadata().getNamespace(),
                        failures,
                        refused ? "HTTP " + e.getCode() + " " + e.getMessage() : e.getMessage());
            }
        }
    }

    private void create(Event event) {
        client.v1()
                .events()
                .inNamespace(event.getMetadata().getNamespace())
                .resource(event)
                .create();
        posted.increment();
    }

    private void patch(Event event) {
        // On the resource, not withName: fabric8 then patches without reading the Event first.
        client.v1()
                .events()
                .inNamespace(event.getMetadata().getNamespace())
                .resource(event)
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        client.getKubernetesSerialization().asJson(event));
        updated.increment();
    }

    /**
     * Lets the sender post what is queued for at most {@link #DRAIN}, then stops it (a call the
     * API has not answered is abandoned) and counts what was left.
     */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        try {
            sender.join(DRAIN);
            if (sender.isAlive()) {
                abandoned = true;
                sender.interrupt();
                sender.join(DRAIN);
            }
            List<Finding> left = new ArrayList<>();
            queue.drainTo(left);
            dropped.add("unsent_at_exit", left.size());
        } finally {
            client.close();
        }
    }
}
