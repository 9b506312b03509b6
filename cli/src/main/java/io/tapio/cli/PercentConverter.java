package io.tapio.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A percentage as people write it: {@code 10%} or {@code 10}. */
final class PercentConverter implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
        String number = value.trim().endsWith("%")
                ? value.trim().substring(0, value.trim().length() - 1)
                : value.trim();
        try {
            return Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a percentage: write it as 10% or 10");
        }
    }
}
