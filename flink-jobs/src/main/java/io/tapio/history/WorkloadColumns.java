package io.tapio.history;

/** The workload columns every history table but bench_runs shares. */
final class WorkloadColumns {
    private WorkloadColumns() {}

    static RowBuilder.Row set(RowBuilder.Row row, WorkloadId w) {
        return row.set("workload_key", w.key())
                .set("workload", w.name())
                .set("node", w.node())
                .set("namespace", w.namespace())
                .set("pod", w.pod())
                .set("container", w.container())
                .set("owner_kind", w.ownerKind())
                .set("owner_name", w.ownerName())
                .set("unit", w.unit());
    }
}
