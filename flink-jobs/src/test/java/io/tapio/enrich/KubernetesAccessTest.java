package io.tapio.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.tapio.model.Workload;
import io.tapio.testing.KubeletPaths;
import io.tapio.testing.WorkloadCgroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whether there is a Kubernetes API to ask, decided without contacting anything. */
class KubernetesAccessTest {
    @TempDir
    Path home;

    @Test
    void aLaptopWithoutKubeconfigHasNoApiServer() {
        assertFalse(KubernetesAccess.apiServerConfigured(Map.of(), home));
        assertFalse(KubernetesAccess.apiServerConfigured(
                Map.of("KUBECONFIG", home.resolve("missing").toString()), home));
        assertTrue(KubernetesAccess.whyNone(EnrichConfig.defaults()).startsWith("No Kubernetes API server"));
    }

    @Test
    void aKubeconfigNamesOne() throws IOException {
        Files.createDirectories(home.resolve(".kube"));
        Files.writeString(home.resolve(".kube/config"), "apiVersion: v1\nkind: Config\n");
        assertTrue(KubernetesAccess.apiServerConfigured(Map.of(), home));
        Path elsewhere = Files.writeString(home.resolve("other"), "apiVersion: v1\nkind: Config\n");
        assertTrue(KubernetesAccess.apiServerConfigured(Map.of("KUBECONFIG", "/nonexistent:" + elsewhere), home));
    }

    /** This machine has no Kubernetes: the default configuration runs the cgroup part alone. */
    @Test
    void withoutAnApiServerTheDefaultsStillNamePodsFromTheirCgroups() {
        assumeFalse(
                KubernetesAccess.apiServerConfigured(System.getenv(), Path.of(System.getProperty("user.home"))),
                "this machine has a kubeconfig");
        String uid = KubeletPaths.uid();
        String id = KubeletPaths.containerId();
        try (WorkloadCgroup cgroup = WorkloadCgroup.create(KubeletPaths.cgroupfs("", uid, id));
                NodeWorkloadResolver resolver = NodeWorkloadResolver.start(EnrichConfig.defaults())) {
            Workload w = resolver.resolve(cgroup.id());
            assertEquals(Workload.Kind.POD_UNRESOLVED, w.kind());
            assertEquals(uid, w.pod().uid());
            assertEquals(id, w.container().id());
            assertEquals("Guaranteed", w.pod().qosClass());
        }
    }

    @Test
    void inconsistentConfigurationsAreRefusedWithTheReason() {
        assertEquals(
                "an API URL goes with Kubernetes.API, and only with it: API ''",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> EnrichConfig.defaults().withKubernetesApi(""))
                        .getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> EnrichConfig.defaults().withCacheBound(1));
        assertThrows(
                IllegalArgumentException.class, () -> EnrichConfig.defaults().withNode(" "));
    }
}
