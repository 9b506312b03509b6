package io.tapio.enrich;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Which Kubernetes API server, if any, to ask about pods. In {@link EnrichConfig.Kubernetes#AUTO}
 * mode there is one where the usual clients would find one: inside a pod (the service
 * account and KUBERNETES_SERVICE_HOST), or a kubeconfig ($KUBECONFIG, ~/.kube/config).
 * Nothing is contacted to find out, so a laptop without Kubernetes makes no network call.
 * The findings' Kubernetes Events ({@code io.tapio.export}) find their API server the same way.
 */
public final class KubernetesAccess {
    static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    private KubernetesAccess() {}

    /** A client for the configured API server, or empty with the reason. */
    static Optional<KubernetesClient> client(EnrichConfig config) {
        return switch (config.kubernetes()) {
            case OFF -> Optional.empty();
            case AUTO ->
                apiServerConfigured(System.getenv(), Path.of(System.getProperty("user.home")))
                        ? Optional.of(new KubernetesClientBuilder()
                                .withConfig(Config.autoConfigure(null))
                                .build())
                        : Optional.empty();
            case API ->
                Optional.of(new KubernetesClientBuilder()
                        .withConfig(config(config.apiUrl()))
                        .build());
        };
    }

    /** The client configuration the usual clients would find, for the API server at {@code apiUrl} if not "". */
    public static Config config(String apiUrl) {
        Config found = Config.autoConfigure(null);
        return apiUrl.isEmpty()
                ? found
                : new ConfigBuilder(found).withMasterUrl(apiUrl).build();
    }

    /** Whether this process runs in a pod with a service account (KUBERNETES_SERVICE_HOST and its token). */
    public static boolean inPod(Map<String, String> environment) {
        return environment.containsKey("KUBERNETES_SERVICE_HOST") && Files.exists(SERVICE_ACCOUNT_TOKEN);
    }

    /** Whether the environment names an API server: in-cluster credentials or a kubeconfig. */
    static boolean apiServerConfigured(Map<String, String> environment, Path home) {
        if (inPod(environment)) {
            return true;
        }
        String kubeconfig = environment.get("KUBECONFIG");
        if (kubeconfig != null && !kubeconfig.isBlank()) {
            return Arrays.stream(kubeconfig.split(":")).anyMatch(file -> Files.isRegularFile(Path.of(file)));
        }
        return Files.isRegularFile(home.resolve(".kube/config"));
    }

    /** Why there is no API server, as a person would want it said. */
    static String whyNone(EnrichConfig config) {
        return config.kubernetes() == EnrichConfig.Kubernetes.OFF
                ? "Kubernetes attribution is off"
                : "No Kubernetes API server: not running in a pod (no KUBERNETES_SERVICE_HOST and service account) "
                        + "and no kubeconfig ($KUBECONFIG, ~/.kube/config)";
    }
}
