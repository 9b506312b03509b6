package io.tapio.schemas;

import static org.apache.iceberg.types.Types.IntegerType;
import static org.apache.iceberg.types.Types.ListType;
import static org.apache.iceberg.types.Types.LongType;
import static org.apache.iceberg.types.Types.StringType;
import static org.apache.iceberg.types.Types.TimestampType;

import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.SortOrder;

/**
 * {@code findings}: every report of every episode (opened, updated, resolved), so that the
 * history shows how an episode developed; the latest report of an {@code episode_id} is its
 * final state.
 */
public final class FindingsTable {
    public static final String NAME = "findings";

    public static final TableDefinition DEFINITION = definition();

    private FindingsTable() {}

    private static TableDefinition definition() {
        Columns columns = new Columns();
        columns.required("detected_at", TimestampType.withZone(), "When this report was made")
                .required("episode_id", StringType.get(), "Ties the reports of one episode together")
                .required(
                        "status",
                        StringType.get(),
                        "OPEN when first reported, UPDATE while it lasts, RESOLVED when over")
                .required(
                        "pattern_name",
                        StringType.get(),
                        "Which pattern found it: crash_loop, oom_kill, oom_crash_loop, ...")
                .required("severity", StringType.get(), "info, warning or critical")
                .workload()
                .required(
                        "subject",
                        StringType.get(),
                        "What in the workload it is about (a destination, a path); '' for the whole workload")
                .required("first_seen", TimestampType.withZone(), "The episode's first event")
                .required("last_seen", TimestampType.withZone(), "The episode's latest event")
                .required("event_count", LongType.get(), "Events in the episode so far")
                .required("summary", StringType.get(), "One sentence a person can act on")
                .required("recommendation", StringType.get(), "What to do")
                .required(
                        "latency_ns",
                        LongType.get(),
                        "From the kernel's timestamp of the completing event to this report");
        Columns evidence = new Columns()
                .required("event_time", TimestampType.withZone(), "When the event happened")
                .required("type", StringType.get(), "The event's type")
                .required("pid", IntegerType.get(), "Its process")
                .required("comm", StringType.get(), "Its task's name")
                .required("description", StringType.get(), "What it was, as a person reads it");
        int elementId = columns.nextId();
        columns.required(
                "evidence",
                ListType.ofRequired(elementId, columns.struct(evidence)),
                "The events that triggered it, most recent last");
        columns.optional(
                        "cause_pattern",
                        StringType.get(),
                        "What the episode's failures met just before they ended, as the pattern that reports it when it "
                                + "lasts: missing_file, permission_denied, dependency_unreachable; null when nothing "
                                + "explains them")
                .optional("cause_subject", StringType.get(), "The cause's path or destination");
        return new TableDefinition(
                NAME,
                "Findings: one row per report of an episode",
                columns.schema(),
                schema -> PartitionSpec.builderFor(schema).day("detected_at").build(),
                schema -> SortOrder.builderFor(schema)
                        .asc("workload_key")
                        .asc("detected_at")
                        .build(),
                TableProperties.partitioned("Findings: one row per report of an episode", 64));
    }
}
