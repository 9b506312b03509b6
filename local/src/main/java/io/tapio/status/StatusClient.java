package io.tapio.status;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads a running Tapio's status from its status endpoint, over loopback. A plain
 * {@link HttpURLConnection}: {@code tapio check} answers in well under a second, and the JDK's
 * HTTP/2 client costs it more start-up than the request itself.
 */
public final class StatusClient {
    private static final int TIMEOUT_MILLIS = 1_000;

    private StatusClient() {}

    /** The instance's status, or empty when it does not answer in time. */
    public static Optional<TapioStatus> fetch(StatusStore.Instance instance) {
        try {
            HttpURLConnection http =
                    (HttpURLConnection) URI.create("http://127.0.0.1:" + instance.statusPort() + "/status")
                            .toURL()
                            .openConnection();
            http.setConnectTimeout(TIMEOUT_MILLIS);
            http.setReadTimeout(TIMEOUT_MILLIS);
            try (InputStream in = http.getInputStream()) {
                return Optional.of(StatusJson.read(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
