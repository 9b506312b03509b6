package io.tapio.bench.collector;

import io.tapio.bench.Stats;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The collector benchmark's rounds reduced to what it reports: per consumer the median
 * sustained rate with the events lost and unaccounted over its rounds, the median drain rate,
 * and the mapped reader's rates as ratios of libbpf's, measured in the same run.
 */
public record CollectorSummary(
        Map<RingConsumer, Sustained> sustained,
        Map<RingConsumer, Double> drainRecordsPerSecond,
        double sustainedRatio,
        double drainRatio) {

    /** @param eventsPerSecond the median over the consumer's rounds; lost and unaccounted: sums */
    public record Sustained(double eventsPerSecond, long lost, long unaccounted) {}

    public static CollectorSummary of(
            List<CollectorBenchmark.SustainedRound> sustained, List<CollectorBenchmark.DrainRound> drain) {
        Map<RingConsumer, Sustained> bySustained = new EnumMap<>(RingConsumer.class);
        byConsumer(sustained, CollectorBenchmark.SustainedRound::consumer)
                .forEach((consumer, rounds) -> bySustained.put(
                        consumer,
                        new Sustained(
                                median(rounds, CollectorBenchmark.SustainedRound::eventsPerSecond),
                                rounds.stream()
                                        .mapToLong(CollectorBenchmark.SustainedRound::lost)
                                        .sum(),
                                rounds.stream()
                                        .mapToLong(CollectorBenchmark.SustainedRound::unaccounted)
                                        .sum())));
        Map<RingConsumer, Double> byDrain = new EnumMap<>(RingConsumer.class);
        byConsumer(drain, CollectorBenchmark.DrainRound::consumer)
                .forEach((consumer, rounds) ->
                        byDrain.put(consumer, median(rounds, CollectorBenchmark.DrainRound::recordsPerSecond)));
        return new CollectorSummary(
                bySustained,
                byDrain,
                ratio(bySustained, Sustained::eventsPerSecond),
                ratio(byDrain, Double::doubleValue));
    }

    /** Every event delivered or counted as lost, and every record delivered read, in every round. */
    public boolean accounted() {
        return sustained.values().stream().allMatch(s -> s.unaccounted() == 0);
    }

    private static <R> Map<RingConsumer, List<R>> byConsumer(List<R> rounds, Function<R, RingConsumer> consumer) {
        return rounds.stream()
                .collect(Collectors.groupingBy(consumer, () -> new EnumMap<>(RingConsumer.class), Collectors.toList()));
    }

    private static <R> double median(List<R> rounds, ToDoubleFunction<R> figure) {
        return Stats.median(rounds.stream().map(figure::applyAsDouble).toList());
    }

    private static <V> double ratio(Map<RingConsumer, V> byConsumer, ToDoubleFunction<V> figure) {
        return figure.applyAsDouble(byConsumer.get(RingConsumer.JAVA_MMAP))
                / figure.applyAsDouble(byConsumer.get(RingConsumer.LIBBPF_CALLBACK));
    }
}
