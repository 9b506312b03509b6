package io.tapio.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A replay's speed as people write it: {@code max} (as fast as the job takes it), or how many
 * times the recorded speed, {@code 1} or {@code 1x} (as recorded), {@code 60x} (an hour in a
 * minute), {@code 0.5} (half as fast).
 */
final class ReplaySpeedConverter implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
        String speed = value.trim().toLowerCase(Locale.ROOT);
        if (speed.equals("max")) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            double factor = Double.parseDouble(speed.endsWith("x") ? speed.substring(0, speed.length() - 1) : speed);
            if (factor > 0 && Double.isFinite(factor)) {
                return factor;
            }
        } catch (NumberFormatException e) {
            // refused below, with the same words as a factor that is not positive
        }
        throw new TypeConversionException("'" + value
                + "' is not a replay speed: write max, or how many times the recorded speed (1x as recorded, 60x)");
    }
}
