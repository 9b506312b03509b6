package io.tapio.enrich;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * fabric8's mock API server in CRUD mode, made to accept the one field selector it cannot
 * evaluate: it keeps only metadata and labels of the objects it stores, so a selector on
 * spec.nodeName would match no pod at all. Such requests are recorded (so a test can check
 * that the informer asked for exactly its node's pods) and served without the selector. The
 * tests create pods of their own node only, which is what a real API server would send.
 */
final class NodeSelectingCrudDispatcher extends KubernetesCrudDispatcher {
    private final String selector;
    private final List<String> selected = new CopyOnWriteArrayList<>();

    NodeSelectingCrudDispatcher(String node) {
        this.selector = "fieldSelector=" + URLEncoder.encode("spec.nodeName=" + node, StandardCharsets.UTF_8);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        if (!path.contains(selector)) {
            return super.dispatch(request);
        }
        selected.add(path);
        String unselected = path.replace(selector, "").replace("?&", "?").replace("&&", "&");
        return super.dispatch(new RecordedRequest(
                request.getHttpVersion(), request.method(), unselected, request.getHeaders(), request.getBody()));
    }

    /** The paths of the requests that selected this node's pods. */
    List<String> selectedRequests() {
        return List.copyOf(selected);
    }
}
