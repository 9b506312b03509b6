package io.tapio.job;

import io.tapio.ebpf.event.KernelEvent;
import io.tapio.ebpf.source.ebpf.EbpfSource;
import io.tapio.ebpf.source.replay.ReplaySource;
import io.tapio.ebpf.source.synthetic.SyntheticSource;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Tapio's streaming job: kernel events in, through the stages of DESIGN.md's data flow, to
 * the end of the job.
 */
public final class TapioJob {
    public static final String NAME = "tapio";
    /** Events from different CPUs reach the ring slightly out of order; this much is tolerated. */
    static final Duration OUT_OF_ORDERNESS = Duration.ofMillis(200);

    private TapioJob() {}

    /** Adds the job to {@code env}. */
    public static void define(StreamExecutionEnvironment env, SourceSpec spec) {
        env.getConfig().enableObjectReuse();
        DataStream<KernelEvent> events = env.fromSource(source(spec),
                        WatermarkStrategy.<KernelEvent>forBoundedOutOfOrderness(OUT_OF_ORDERNESS)
                                .withIdleness(Duration.ofSeconds(5)),
                        "kernel events (" + spec.label() + ")")
                .uid("kernel-events")
                .map(new EntryProbe(spec.live())).name("entry").uid("entry");
        events.sinkTo(new ExitProbe(spec.live())).name("end").uid("end");
    }

    static Source<KernelEvent, ?, ?> source(SourceSpec spec) {
        return switch (spec) {
            case SourceSpec.Ebpf ebpf -> EbpfSource.builder().setCollectorConfig(ebpf.collector()).build();
            case SourceSpec.Synthetic synthetic -> synthetic.paced()
                    ? SyntheticSource.paced(synthetic.config())
                    : SyntheticSource.asFastAsPossible(synthetic.config(), synthetic.maxEvents());
            case SourceSpec.Replay replay -> replay.recordedSpeed() ? ReplaySource.atRecordedSpeed(replay.file())
                    : ReplaySource.asFastAsPossible(replay.file());
        };
    }
}
