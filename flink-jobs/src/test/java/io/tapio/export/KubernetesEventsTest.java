package io.tapio.export;

import static io.tapio.export.Reports.pod;
import static io.tapio.export.Reports.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Event;
import io.tapio.ebpf.metrics.MetricNames;
import io.tapio.ebpf.metrics.MetricsEndpoint;
import io.tapio.model.Finding.Status;
import io.tapio.model.Severity;
import io.tapio.model.Workload;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Findings' reports as Kubernetes Events, posted to an API server that stores them, refuses
 * them or hangs. There is no Kubernetes API server on the build machines: {@link EventsApi} is
 * fabric8's mock server in CRUD mode on loopback, reached through the same client and HTTP
 * stack as a real one.
 */
class KubernetesEventsTest {
    @RegisterExtension
    static final CountedMetrics METERS = new CountedMetrics();

    private static final Workload CHECKOUT = pod("shop", "checkout-7f9c-x2v4q", "0b7e9a52-5d1c-4c3e-9b7a-1f2e3d4c5b6a");
    private static final Workload PAYMENTS = pod("shop", "payments-5d4f-k8s2p", "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f");

    private EventsApi api;

    @BeforeEach
    void startApi() {
        api = new EventsApi();
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    private EventsConfig config() {
        return EventsConfig.of(EventsConfig.Mode.ON).withApi(api.url());
    }

    private static double dropped(String reason) {
        return METERS.count(MetricNames.KUBERNETES_EVENTS_DROPPED, "reason", reason);
    }

    @Test
    void anEpisodesReportsAreOneEventWhoseCountAndTimesFollowTheLatestReport() throws Exception {
        double posted = METERS.count(MetricNames.KUBERNETES_EVENTS_POSTED);
        double updated = METERS.count(MetricNames.KUBERNETES_EVENTS_UPDATED);
        try (EventPoster poster = EventPoster.start(config())) {
            poster.offer(report("e1", Status.OPEN, Severity.WARNING, CHECKOUT, 3, 1_800_000_040_000L));
            poster.offer(report("e1", Status.UPDATE, Severity.WARNING, CHECKOUT, 6, 1_800_000_100_000L));
            poster.offer(report("e1", Status.RESOLVED, Severity.WARNING, CHECKOUT, 7, 1_800_000_130_000L));
        }
        List<String> requests = api.requests();
        Event event = single(api.events("shop"));
        assertEquals("Pod", event.getInvolvedObject().getKind());
        assertEquals("checkout-7f9c-x2v4q", event.getInvolvedObject().getName());
        assertEquals("shop", event.getInvolvedObject().getNamespace());
        assertEquals(CHECKOUT.pod().uid(), event.getInvolvedObject().getUid());
        assertEquals("spec.containers{api}", event.getInvolvedObject().getFieldPath());
        assertEquals("TapioCrashLoop", event.getReason());
        assertEquals("Warning", event.getType());
        assertEquals(7, event.getCount());
        assertEquals("2027-01-15T08:00:00Z", event.getFirstTimestamp());
        assertEquals("2027-01-15T08:02:10Z", event.getLastTimestamp());
        assertTrue(event.getMessage().startsWith("Resolved: shop/checkout-7f9c-x2v4q"), event.getMessage());
        assertTrue(event.getMessage().endsWith("kubectl logs --previous."), event.getMessage());
        assertEquals("tapio", event.getSource().getComponent());
        assertEquals(Reports.NODE, event.getSource().getHost());
        assertEquals("tapio", event.getReportingComponent());
        assertEquals(Reports.NODE, event.getReportingInstance());
        // What the RBAC grants (create, patch on events) is all the poster uses.
        assertEquals(
                List.of("POST", "PATCH", "PATCH"),
                requests.stream().map(r -> r.substring(0, r.indexOf(' '))).toList());
        assertEquals(1, METERS.count(MetricNames.KUBERNETES_EVENTS_POSTED) - posted);
        assertEquals(2, METERS.count(MetricNames.KUBERNETES_EVENTS_UPDATED) - updated);
    }

    /** A restarted job knows no Event it wrote before: the create conflicts, and the report patches the Event. */
    @Test
    void aRestartedPosterContinuesTheEpisodesEvent() throws Exception {
        try (EventPoster before = EventPoster.start(config())) {
            before.offer(report("e2", Status.OPEN, Severity.WARNING, CHECKOUT, 3, 1_800_000_040_000L));
        }
        try (EventPoster after = EventPoster.start(config())) {
            after.offer(report("e2", Status.UPDATE, Severity.WARNING, CHECKOUT, 12, 1_800_000_400_000L));
        }
        Event event = single(api.events("shop"));
        assertEquals(12, event.getCount());
        assertEquals("2027-01-15T08:06:40Z", event.getLastTimestamp());
    }

    @Test
    void warningAndCriticalAreWarningsAndInfoIsNormal() throws Exception {
        try (EventPoster poster = EventPoster.start(config())) {
            poster.offer(report("info", Status.OPEN, Severity.INFO, CHECKOUT, 1, 1_800_000_001_000L));
            poster.offer(report("warning", Status.OPEN, Severity.WARNING, CHECKOUT, 1, 1_800_000_002_000L));
            poster.offer(report("critical", Status.OPEN, Severity.CRITICAL, CHECKOUT, 1, 1_800_000_003_000L));
        }
        assertEquals(
                List.of("Normal", "Warning", "Warning"),
                api.events("shop").stream()
                        .sorted(Comparator.comparing(Event::getLastTimestamp))
                        .map(Event::getType)
                        .toList());
    }

    @Test
    void processesOutsidePodsGetNoEventAndPodsTheApiHasNotNamedAreCounted() throws Exception {
        double unknown = dropped("pod_unknown");
        try (EventPoster poster = EventPoster.start(config())) {
            poster.offer(report("h", Status.OPEN, Severity.CRITICAL, Reports.host(), 4, 1_800_000_001_000L));
            poster.offer(report("u", Status.OPEN, Severity.CRITICAL, Reports.unit(), 4, 1_800_000_001_000L));
            poster.offer(report("p", Status.OPEN, Severity.CRITICAL, Reports.unresolvedPod(), 4, 1_800_000_001_000L));
        }
        assertEquals(List.of(), api.requests());
        assertEquals(1, dropped("pod_unknown") - unknown);
    }

    @Test
    void aPodGetsItsBurstThenReportsAreDroppedAndCountedWhileOtherPodsStillGetTheirs() throws Exception {
        double limited = dropped("rate_limited");
        EventsConfig threeThenOneAnHour = config().withRate(3, 1.0 / 60);
        try (EventPoster poster = EventPoster.start(threeThenOneAnHour)) {
            for (int report = 1; report <= 5; report++) {
                poster.offer(report(
                        "e3",
                        report == 1 ? Status.OPEN : Status.UPDATE,
                        Severity.WARNING,
                        CHECKOUT,
                        report * 2L,
                        1_800_000_000_000L + report * 10_000L));
            }
            poster.offer(report("e4", Status.OPEN, Severity.WARNING, PAYMENTS, 3, 1_800_000_000_000L));
        }
        List<Event> events = api.events("shop");
        assertEquals(2, events.size());
        Event checkout = events.stream()
                .filter(e -> e.getInvolvedObject().getName().startsWith("checkout"))
                .findFirst()
                .orElseThrow();
        assertEquals(6, checkout.getCount(), "the third report's, the last within the burst");
        assertEquals(2, dropped("rate_limited") - limited);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {403, 500})
    void anApiThatRefusesIsCountedAndTheNextReportsAreStillTried(int status) throws Exception {
        api.refuseWith(status);
        double refused = dropped("api_refused");
        try (EventPoster poster = EventPoster.start(config())) {
            poster.offer(report("e5", Status.OPEN, Severity.WARNING, CHECKOUT, 3, 1_800_000_040_000L));
            poster.offer(report("e6", Status.OPEN, Severity.WARNING, PAYMENTS, 3, 1_800_000_040_000L));
        }
        assertEquals(2, api.requests().size(), "one try each, no retries");
        assertEquals(2, dropped("api_refused") - refused);
    }

    /**
     * The API takes the first report and answers nothing: every later offer still returns at
     * once, the queue takes what it holds, the rest is dropped and counted, and closing gives up
     * on the API after its drain time, counting what was left.
     */
    @Test
    void anApiThatHangsNeverHoldsUpTheJob() throws Exception {
        api.hang();
        int queue = 4;
        double full = dropped("queue_full");
        double unsent = dropped("unsent_at_exit");
        double unreachable = dropped("api_unreachable");
        MetricsEndpoint prometheus = MetricsEndpoint.start(0);
        EventPoster poster = EventPoster.start(config().withQueue(queue));
        poster.offer(report("first", Status.OPEN, Severity.WARNING, CHECKOUT, 3, 1_800_000_040_000L));
        api.awaitFirstRequest();
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < queue + 3; i++) {
                poster.offer(report("later-" + i, Status.OPEN, Severity.WARNING, PAYMENTS, 3, 1_800_000_040_000L));
            }
        });
        assertEquals(3, dropped("queue_full") - full);
        try (prometheus) {
            assertTrue(
                    prometheus
                            .registry()
                            .scrape()
                            .contains("tapio_kubernetes_events_dropped_total{reason=\"queue_full\"} 3.0"),
                    "as Prometheus shows it");
        }
        assertTimeoutPreemptively(EventPoster.DRAIN.multipliedBy(3), poster::close);
        assertEquals(1, api.requests().size(), "the API answered nothing, so nothing else was sent");
        assertEquals(queue, dropped("unsent_at_exit") - unsent);
        assertEquals(1, dropped("api_unreachable") - unreachable, "the call the API never answered");
    }

    private static Event single(List<Event> events) {
        assertEquals(1, events.size(), events.toString());
        return events.getFirst();
    }
}
