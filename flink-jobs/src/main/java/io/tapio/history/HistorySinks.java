package io.tapio.history;

import io.tapio.model.EnrichedEvent;
import io.tapio.model.Finding;
import io.tapio.model.Regression;
import io.tapio.model.Rollup;
import io.tapio.schemas.EventsTable;
import io.tapio.schemas.FindingsTable;
import io.tapio.schemas.HistoryTables;
import io.tapio.schemas.RegressionsTable;
import io.tapio.schemas.RollupsTable;
import io.tapio.schemas.TableDefinition;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.iceberg.DistributionMode;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.sink.IcebergSink;

/**
 * The streaming job's history: findings, rollups, regressions and the relevant events,
 * written to their Iceberg tables through Iceberg's Flink sink. Each sink commits what its
 * writers flushed when a checkpoint completes, and a restarted job neither loses nor repeats
 * a row. The writers are tasks of their own, apart from the job's reading and correlating. An
 * unbounded job that does not checkpoint never commits: the job must checkpoint.
 */
public final class HistorySinks {
    /** How long rows may wait for a full network buffer on their way to a table's writer. */
    static final Duration ROWS_BUFFER_TIMEOUT = Duration.ofSeconds(1);

    private HistorySinks() {}

    /**
     * Adds the four sinks to the streams' job. The events stream must carry event-time
     * timestamps (the sources set them): they are the rows' {@code event_time}.
     */
    public static void attach(
            DataStream<Finding> findings,
            DataStream<Rollup> rollups,
            DataStream<Regression> regressions,
            DataStream<EnrichedEvent> events,
            HistoryConfig config) {
        findings(findings, config);
        rollups(rollups, config);
        regressions(regressions, config);
        events(events, config);
    }

    public static void findings(DataStream<Finding> findings, HistoryConfig config) {
        sinkApart(
                findings.map(new ToFindingRow(), rowType(FindingsTable.DEFINITION)), FindingsTable.DEFINITION, config);
    }

    public static void rollups(DataStream<Rollup> rollups, HistoryConfig config) {
        sinkApart(rollups.map(new ToRollupRow(), rowType(RollupsTable.DEFINITION)), RollupsTable.DEFINITION, config);
    }

    public static void regressions(DataStream<Regression> regressions, HistoryConfig config) {
        sinkApart(
                regressions.map(new ToRegressionRow(), rowType(RegressionsTable.DEFINITION)),
                RegressionsTable.DEFINITION,
                config);
    }

    /** The relevant events (see {@link EventRows}); the stream must carry event-time timestamps. */
    public static void events(DataStream<EnrichedEvent> events, HistoryConfig config) {
        sinkApart(events.process(new ToEventRow(), rowType(EventsTable.DEFINITION)), EventsTable.DEFINITION, config);
    }

    /** The Flink type of a table's rows. */
    static TypeInformation<RowData> rowType(TableDefinition table) {
        return InternalTypeInfo.of(FlinkSchemaUtil.convert(table.schema()));
    }

    /**
     * Creates or evolves {@code table} (on the client, before the job runs) and writes
     * {@code rows} to it; the operators' ids are stable across versions of the job, for its
     * savepoints.
     */
    static DataStreamSink<RowData> sink(
            SingleOutputStreamOperator<RowData> rows, TableDefinition table, HistoryConfig config) {
        HistoryTables.ensure(config.catalogLoader().loadCatalog(), table);
        rows.name("to " + table.name() + " rows").uid("history-" + table.name() + "-rows");
        IcebergSink.Builder sink = IcebergSink.forRowData(rows)
                .tableLoader(TableLoader.fromCatalog(config.catalogLoader(), HistoryTables.identifier(table.name())))
                .uidSuffix("history-" + table.name());
        if (rows.getExecutionEnvironment().getParallelism() == 1) {
            // One writer: hashing the rows by partition would only add an exchange to its task.
            sink.distributionMode(DistributionMode.NONE);
        }
        return sink.append().name("history " + table.name());
    }

    /**
     * {@link #sink}, for the streaming job: the writer is a task of its own (its committer always
     * was). Chained, it encoded every row and wrote the checkpoint's Parquet files on the task
     * that reads the kernel's ring, which stalled at every checkpoint. Rows are only committed at
     * checkpoints (whose barrier sends a partly filled buffer along), so they may wait for a full
     * buffer: a flush per row would wake the writer for each, a shorter timeout its flusher.
     */
    private static void sinkApart(
            SingleOutputStreamOperator<RowData> rows, TableDefinition table, HistoryConfig config) {
        rows.setBufferTimeout(ROWS_BUFFER_TIMEOUT.toMillis());
        sink(rows, table, config).disableChaining();
    }

    private static final class ToFindingRow implements MapFunction<Finding, RowData> {
        private transient FindingRows rows;

        @Override
        public RowData map(Finding f) {
            if (rows == null) {
                rows = new FindingRows();
            }
            return rows.row(f);
        }
    }

    private static final class ToRollupRow implements MapFunction<Rollup, RowData> {
        private transient RollupRows rows;

        @Override
        public RowData map(Rollup r) {
            if (rows == null) {
                rows = new RollupRows();
            }
            return rows.row(r);
        }
    }

    private static final class ToRegressionRow implements MapFunction<Regression, RowData> {
        private transient RegressionRows rows;

        @Override
        public RowData map(Regression r) {
            if (rows == null) {
                rows = new RegressionRows();
            }
            return rows.row(RegressionRow.of(r, Instant.now()));
        }
    }

    private static final class ToEventRow extends ProcessFunction<EnrichedEvent, RowData> {
        private transient EventRows rows;

        @Override
        public void processElement(EnrichedEvent e, Context ctx, Collector<RowData> out) {
            if (!EventRows.relevant(e.event())) {
                return;
            }
            if (rows == null) {
                rows = new EventRows();
            }
            Long time = ctx.timestamp();
            if (time == null) {
                throw new IllegalStateException("an event reached the history without an event-time timestamp: "
                        + "assign timestamps at the source");
            }
            out.collect(rows.row(e, time));
        }
    }
}
