package io.tapio.bench.micro;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Statistics;

/**
 * {@code tapio bench micro}: the JMH benchmarks of this module, each operation one event, in
 * average time per event and, from JMH's GC profiler, bytes allocated per event. Forks run
 * with this JVM's options and class path.
 */
public final class MicroBenchmarks {
    private static final String ALLOCATION = "gc.alloc.rate.norm";

    /**
     * @param benchmarks a regular expression that the names to run contain ("Decode", "correlate")
     * @param forks JVMs forked per benchmark; 0 runs them in this JVM (for tests only: the JIT's
     *     profile then mixes the benchmarks)
     */
    public record Options(String benchmarks, int forks, int warmupIterations, int iterations, Duration iteration) {
        public Options {
            if (forks < 0 || warmupIterations < 0 || iterations < 1 || iteration.toMillis() < 1) {
                throw new IllegalArgumentException("forks and warm-up iterations from 0, iterations from 1, "
                        + "an iteration of 1 ms at least: " + forks + ", " + warmupIterations + ", " + iterations
                        + ", " + iteration);
            }
        }
    }

    /**
     * One benchmark's result, over every measured iteration of every fork.
     *
     * @param nanosPerEvent the iterations' median, with their lowest and highest
     * @param bytesPerEvent bytes allocated per event, the mean (NaN when the JVM cannot tell)
     */
    public record Measured(
            String benchmark, double nanosPerEvent, double nanosMin, double nanosMax, double bytesPerEvent) {}

    private MicroBenchmarks() {}

    /** The benchmarks whose names contain a match of {@code regex}, by name. */
    public static List<String> list(String regex) {
        List<String> names = new ArrayList<>();
        for (BenchmarkListEntry entry : BenchmarkList.defaultList()
                .find(
                        OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT),
                        List.of(regex),
                        List.of())) {
            names.add(shortName(entry.getUsername()));
        }
        return names;
    }

    /** Runs them, printing JMH's progress to {@code progress}. */
    public static List<Measured> run(Options options, PrintStream progress) throws RunnerException {
        ChainedOptionsBuilder builder = new OptionsBuilder()
                .include(options.benchmarks())
                .mode(Mode.AverageTime)
                .timeUnit(TimeUnit.NANOSECONDS)
                .forks(options.forks())
                .warmupIterations(options.warmupIterations())
                .warmupTime(TimeValue.milliseconds(options.iteration().toMillis()))
                .measurementIterations(options.iterations())
                .measurementTime(TimeValue.milliseconds(options.iteration().toMillis()))
                .jvmArgs(jvmArgs())
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true);
        Collection<RunResult> results = new Runner(
                        builder.build(), OutputFormatFactory.createFormatInstance(progress, VerboseMode.NORMAL))
                .run();
        List<Measured> measured = new ArrayList<>();
        for (RunResult result : results) {
            Statistics time = result.getPrimaryResult().getStatistics();
            Result<?> allocated = result.getSecondaryResults().get(ALLOCATION);
            measured.add(new Measured(
                    shortName(result.getParams().getBenchmark()),
                    time.getPercentile(50),
                    time.getMin(),
                    time.getMax(),
                    allocated == null ? Double.NaN : allocated.getScore()));
        }
        return measured;
    }

    /** This JVM's options (FFM's native access, Flink's reflective access): the benchmarks need them too. */
    private static String[] jvmArgs() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> !arg.startsWith("-agentlib:") && !arg.startsWith("-javaagent:"))
                .toArray(String[]::new);
    }

    /** {@code DecodeBenchmark.record} for {@code io.tapio.bench.micro.DecodeBenchmark.record}. */
    private static String shortName(String benchmark) {
        return benchmark.substring(MicroBenchmarks.class.getPackageName().length() + 1);
    }
}
