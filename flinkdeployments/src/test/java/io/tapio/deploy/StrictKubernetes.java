package io.tapio.deploy;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' own objects read into fabric8's model types, strictly. fabric8 keeps a field it
 * does not know in each object's additionalProperties, so a misspelt field passes unnoticed;
 * here the catch-all is taken away and an unknown field fails with its path.
 */
final class StrictKubernetes {
    /** The kinds the manifests may use, by apiVersion and kind. */
    static final Map<String, Class<? extends KubernetesResource>> TYPES = Map.ofEntries(
            Map.entry("v1 Namespace", Namespace.class),
            Map.entry("v1 ServiceAccount", ServiceAccount.class),
            Map.entry("v1 ConfigMap", ConfigMap.class),
            Map.entry("rbac.authorization.k8s.io/v1 ClusterRole", ClusterRole.class),
            Map.entry("rbac.authorization.k8s.io/v1 ClusterRoleBinding", ClusterRoleBinding.class),
            Map.entry("rbac.authorization.k8s.io/v1 Role", Role.class),
            Map.entry("rbac.authorization.k8s.io/v1 RoleBinding", RoleBinding.class),
            Map.entry("scheduling.k8s.io/v1 PriorityClass", PriorityClass.class),
            Map.entry("batch/v1 CronJob", CronJob.class),
            Map.entry("apps/v1 DaemonSet", DaemonSet.class));

    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .addModule(new SimpleModule("no-catch-all").setDeserializerModifier(new BeanDeserializerModifier() {
                @Override
                public BeanDeserializerBuilder updateBuilder(
                        DeserializationConfig config, BeanDescription bean, BeanDeserializerBuilder builder) {
                    builder.setAnySetter(null);
                    return builder;
                }
            }))
            .build();

    private StrictKubernetes() {}

    /** A whole object by its apiVersion and kind: what is wrong with it, or nothing. */
    static List<String> problems(JsonNode object) {
        String type =
                object.path("apiVersion").asText() + " " + object.path("kind").asText();
        Class<? extends KubernetesResource> model = TYPES.get(type);
        if (model == null) {
            return List.of("not a kind these manifests may use: " + type);
        }
        return problems(object, model, object.path("kind").asText());
    }

    /** A part of an object (metadata, a pod template) as the given fabric8 type. */
    static List<String> problems(JsonNode value, Class<?> model, String path) {
        try {
            STRICT.treeToValue(value, model);
            return List.of();
        } catch (JsonMappingException e) {
            StringBuilder at = new StringBuilder(path);
            for (JsonMappingException.Reference step : e.getPath()) {
                at.append(step.getFieldName() != null ? "." + step.getFieldName() : "[" + step.getIndex() + "]");
            }
            return List.of(at + ": " + e.getOriginalMessage());
        } catch (Exception e) {
            return List.of(path + ": " + e.getMessage());
        }
    }

    static <T> T read(JsonNode value, Class<T> model) {
        try {
            return STRICT.treeToValue(value, model);
        } catch (Exception e) {
            throw new AssertionError("not a valid " + model.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
