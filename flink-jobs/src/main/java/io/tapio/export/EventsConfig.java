package io.tapio.export;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Whether and how findings become Kubernetes Events on their pods.
 *
 * @param mode off, on where the job runs in a pod with a service account, or on
 * @param apiUrl the API server; "" to find it as kubectl would (in a pod, or a kubeconfig)
 * @param burst Events a pod may get at once
 * @param perMinute Events a pod may get a minute after its burst
 * @param queue reports waiting for the API at most; past that they are dropped and counted
 * @param requestTimeout how long one call to the API may take
 */
public record EventsConfig(Mode mode, String apiUrl, int burst, double perMinute, int queue, Duration requestTimeout)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_BURST = 10;
    public static final double DEFAULT_PER_MINUTE = 2;
    public static final int DEFAULT_QUEUE = 256;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** When findings are posted as Events. */
    public enum Mode {
        OFF,
        /** Where the TaskManager runs in a pod with a service account (KUBERNETES_SERVICE_HOST and its token). */
        AUTO,
        /** Always, to the API server kubectl would use, or {@link #apiUrl()}. */
        ON
    }

    public EventsConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(apiUrl, "apiUrl");
        if (queue < 1) {
            throw new IllegalArgumentException("the Events queue must hold at least 1 report, not " + queue);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("the API request timeout must be positive: " + requestTimeout);
        }
        new PodRateLimit(burst, perMinute, System::nanoTime); // refuses a bad rate here, not on a TaskManager
    }

    public static EventsConfig of(Mode mode) {
        return new EventsConfig(mode, "", DEFAULT_BURST, DEFAULT_PER_MINUTE, DEFAULT_QUEUE, DEFAULT_REQUEST_TIMEOUT);
    }

    public EventsConfig withApi(String url) {
        return new EventsConfig(Mode.ON, url, burst, perMinute, queue, requestTimeout);
    }

    public EventsConfig withRate(int burst, double perMinute) {
        return new EventsConfig(mode, apiUrl, burst, perMinute, queue, requestTimeout);
    }

    public EventsConfig withQueue(int reports) {
        return new EventsConfig(mode, apiUrl, burst, perMinute, reports, requestTimeout);
    }
}
