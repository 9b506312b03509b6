package io.tapio.export;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A Kubernetes API server for the Events the export posts. There is no API server on the build
 * machines: this is fabric8's mock server in CRUD mode, on loopback, which stores the Events it
 * is sent and applies merge patches to them as the real one does. It records each request, and
 * can be made to refuse every request on Events with an HTTP status (403 as without RBAC, 500)
 * or to answer none for ten minutes (an API server that hangs).
 */
final class EventsApi implements AutoCloseable {
    private final Recording dispatcher = new Recording();
    private final KubernetesMockServer server =
            new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    private final KubernetesClient client;

    EventsApi() {
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
    }

    /** The URL the export is pointed at. */
    String url() {
        return client.getMasterUrl().toString();
    }

    /** Every request refused with this status from now on. */
    void refuseWith(int status) {
        dispatcher.refuse = status;
    }

    /** No request answered from now on (for ten minutes, past any test). */
    void hang() {
        dispatcher.hang = true;
    }

    /** Waits until a request on Events has arrived. */
    void awaitFirstRequest() throws InterruptedException {
        dispatcher.first.await();
    }

    /** Each request on Events so far: method and path. */
    List<String> requests() {
        return List.copyOf(dispatcher.requests);
    }

    /** The Events stored in a namespace (read after the requests above were taken). */
    List<Event> events(String namespace) {
        return client.v1().events().inNamespace(namespace).list().getItems();
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }

    private static final class Recording extends KubernetesCrudDispatcher {
        final List<String> requests = new CopyOnWriteArrayList<>();
        final CountDownLatch first = new CountDownLatch(1);
        volatile int refuse;
        volatile boolean hang;

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            if (!request.getPath().contains("/events")) {
                return super.dispatch(request);
            }
            requests.add(request.getMethod() + " " + request.getPath());
            first.countDown();
            if (refuse > 0) {
                return new MockResponse()
                        .setResponseCode(refuse)
                        .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":" + refuse
                                + ",\"message\":\"refused by the test\"}");
            }
            MockResponse response = super.dispatch(request);
            return hang ? response.setBodyDelay(Duration.ofMinutes(10)) : response;
        }
    }
}
