package io.tapio.enrich;

import io.tapio.ebpf.node.NodeName;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How events are attributed to workloads on a node.
 *
 * @param node the node's name, as the API knows it (spec.nodeName of its pods)
 * @param kubernetes whether to ask a Kubernetes API server about pods
 * @param apiUrl the API server's URL with {@link Kubernetes#API}; "" otherwise
 * @param gracePeriod how long a removed cgroup or deleted pod is still remembered
 * @param cacheBound how many cgroups are remembered at most
 * @param cgroupRoot where the cgroup v2 hierarchy is mounted; "" to find it in /proc/self/mountinfo
 *                   (set it where the host's hierarchy is mounted elsewhere, e.g. in a pod)
 */
public record EnrichConfig(
        String node, Kubernetes kubernetes, String apiUrl, Duration gracePeriod, int cacheBound, String cgroupRoot)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofMinutes(2);
    public static final int DEFAULT_CACHE_BOUND = 65_536;

    /** Whether and how to reach the Kubernetes API. */
    public enum Kubernetes {
        /** Never: identities come from cgroup paths alone. */
        OFF,
        /** In a pod or with a kubeconfig; else off, said once in the log. */
        AUTO,
        /** The API server at {@link #apiUrl()}, with credentials found as in AUTO. */
        API
    }

    public EnrichConfig {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(kubernetes, "kubernetes");
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(cgroupRoot, "cgroupRoot");
        if (node.isBlank()) {
            throw new IllegalArgumentException("the node name is empty");
        }
        boolean needsUrl = kubernetes == Kubernetes.API;
        if (needsUrl == apiUrl.isBlank()) {
            throw new IllegalArgumentException(
                    "an API URL goes with Kubernetes.API, and only with it: " + kubernetes + " '" + apiUrl + "'");
        }
        if (gracePeriod.isNegative()) {
            throw new IllegalArgumentException("the grace period must not be negative: " + gracePeriod);
        }
        if (cacheBound < 16) {
            throw new IllegalArgumentException("the cache must hold at least 16 cgroups, not " + cacheBound);
        }
    }

    /** This node, Kubernetes where found, the default grace period and bound. */
    public static EnrichConfig defaults() {
        return new EnrichConfig(NodeName.local(), Kubernetes.AUTO, "", DEFAULT_GRACE_PERIOD, DEFAULT_CACHE_BOUND, "");
    }

    public EnrichConfig withNode(String name) {
        return new EnrichConfig(name, kubernetes, apiUrl, gracePeriod, cacheBound, cgroupRoot);
    }

    public EnrichConfig withoutKubernetes() {
        return new EnrichConfig(node, Kubernetes.OFF, "", gracePeriod, cacheBound, cgroupRoot);
    }

    public EnrichConfig withKubernetesApi(String url) {
        return new EnrichConfig(node, Kubernetes.API, url, gracePeriod, cacheBound, cgroupRoot);
    }

    public EnrichConfig withGracePeriod(Duration grace) {
        return new EnrichConfig(node, kubernetes, apiUrl, grace, cacheBound, cgroupRoot);
    }

    public EnrichConfig withCacheBound(int cgroups) {
        return new EnrichConfig(node, kubernetes, apiUrl, gracePeriod, cgroups, cgroupRoot);
    }

    public EnrichConfig withCgroupRoot(String path) {
        return new EnrichConfig(node, kubernetes, apiUrl, gracePeriod, cacheBound, path);
    }
}
