package io.tapio.bench;

import java.util.List;

/** A figure measured several times: its median and the range of the measurements. */
public record Spread(double median, double min, double max) {
    public static Spread of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no measurement to spread");
        }
        return new Spread(
                Stats.median(values),
                values.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                values.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
    }

    /** {@code median (min–max)}, each in {@code format}. */
    public String format(String format) {
        return String.format(format, median) + " (" + String.format(format, min) + "–" + String.format(format, max)
                + ")";
    }
}
