package io.tapio.schemas;

import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;

/**
 * Builds a table's columns in order, each with its doc, numbering field ids as it goes. The ids
 * only matter within one definition: Iceberg assigns its own when it creates a table, and an
 * evolution matches columns by name.
 */
final class Columns {
    private final List<NestedField> fields = new ArrayList<>();
    private int nextId = 1;

    /** A column every row has. */
    Columns required(String name, Type type, String doc) {
        fields.add(NestedField.required(nextId(), name, type, doc));
        return this;
    }

    /** A column that is null where it does not apply. */
    Columns optional(String name, Type type, String doc) {
        fields.add(NestedField.optional(nextId(), name, type, doc));
        return this;
    }

    /** The workload columns shared by events, findings, rollups and regressions. */
    Columns workload() {
        return required(
                        "workload_key",
                        Types.StringType.get(),
                        "What history is keyed by: namespace/kind/owner for pods, node/unit/NAME for systemd units, "
                                + "node/cgroup/PATH for other processes")
                .required("workload", Types.StringType.get(), "The workload as a person names it")
                .required("node", Types.StringType.get(), "The Kubernetes node (host name) it ran on")
                .optional("namespace", Types.StringType.get(), "The pod's namespace; null outside pods")
                .optional("pod", Types.StringType.get(), "The pod's name; null outside pods or before the API answered")
                .optional("container", Types.StringType.get(), "The container's name in the pod spec")
                .optional(
                        "owner_kind",
                        Types.StringType.get(),
                        "Deployment, StatefulSet, DaemonSet, Job, ...; null for a bare pod")
                .optional("owner_name", Types.StringType.get(), "The owning workload's name")
                .optional("unit", Types.StringType.get(), "The systemd unit of a host process");
    }

    /** A struct type whose fields are numbered by this builder too, so that ids stay unique. */
    Types.StructType struct(Columns members) {
        List<NestedField> renumbered = new ArrayList<>();
        for (NestedField f : members.fields) {
            renumbered.add(NestedField.of(nextId(), f.isOptional(), f.name(), f.type(), f.doc()));
        }
        return Types.StructType.of(renumbered);
    }

    /** A list element or map key/value id. */
    int nextId() {
        return nextId++;
    }

    Schema schema() {
        return new Schema(fields);
    }
}
