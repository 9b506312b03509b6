package io.tapio.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a value against a Kubernetes structural schema (a CRD's {@code openAPIV3Schema}),
 * strictly: a field the schema does not name is an error, where the API server would drop it
 * without a word (pruning) and the operator would never see the setting. Knows the keywords the
 * Flink operator's CRDs use: type, properties, additionalProperties, items, enum, required,
 * nullable, anyOf with x-kubernetes-int-or-string, and x-kubernetes-preserve-unknown-fields.
 */
final class StructuralSchema {
    private final JsonNode schema;

    StructuralSchema(JsonNode schema) {
        this.schema = schema;
    }

    /** What is wrong with {@code value}, one line per problem with its path; empty when valid. */
    List<String> validate(JsonNode value, String path) {
        List<String> errors = new ArrayList<>();
        check(schema, value, path, errors);
        return errors;
    }

    private static void check(JsonNode schema, JsonNode value, String path, List<String> errors) {
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                errors.add(path + ": null is not allowed");
            }
            return;
        }
        boolean preserveUnknown =
                schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                errors.add(path + ": must be an integer or a string, not " + describe(value));
            }
            return;
        }
        if (schema.has("enum") && !contains(schema.get("enum"), value)) {
            errors.add(path + ": " + value + " is not one of " + schema.get("enum"));
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> object(schema, value, path, errors, preserveUnknown);
            case "array" -> {
                if (!value.isArray()) {
                    errors.add(path + ": must be a list, not " + describe(value));
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    check(schema.get("items"), value.get(i), path + "[" + i + "]", errors);
                }
            }
            case "string" -> expect(value.isTextual(), "a string", value, path, errors);
            case "integer" -> expect(value.isIntegralNumber(), "an integer", value, path, errors);
            case "number" -> expect(value.isNumber(), "a number", value, path, errors);
            case "boolean" -> expect(value.isBoolean(), "a boolean", value, path, errors);
            case "" -> {
                if (!preserveUnknown) {
                    errors.add(path + ": the schema gives no type here and keeps no unknown fields");
                }
            }
            default -> errors.add(path + ": the schema uses type '" + type + "', which this validator does not know");
        }
    }

    private static void object(
            JsonNode schema, JsonNode value, String path, List<String> errors, boolean preserveUnknown) {
        if (!value.isObject()) {
            errors.add(path + ": must be a mapping, not " + describe(value));
            return;
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String at = path + "." + field.getKey();
            if (properties.has(field.getKey())) {
                check(properties.get(field.getKey()), field.getValue(), at, errors);
            } else if (additional != null && additional.isObject()) {
                check(additional, field.getValue(), at, errors);
            } else if (!(preserveUnknown || (additional != null && additional.asBoolean(false)))) {
                errors.add(at + ": unknown field (the schema names " + names(properties) + ")");
            }
        }
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                errors.add(path + "." + required.asText() + ": required");
            }
        }
    }

    private static void expect(boolean ok, String what, JsonNode value, String path, List<String> errors) {
        if (!ok) {
            errors.add(path + ": must be " + what + ", not " + describe(value));
        }
    }

    private static boolean contains(JsonNode values, JsonNode value) {
        for (JsonNode candidate : values) {
            if (candidate.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static String names(JsonNode properties) {
        List<String> names = new ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names.isEmpty() ? "no fields" : String.join(", ", names);
    }

    private static String describe(JsonNode value) {
        return value.getNodeType().name().toLowerCase() + " " + value;
    }
}
