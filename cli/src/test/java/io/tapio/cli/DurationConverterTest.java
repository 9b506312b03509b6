package io.tapio.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** Durations on the command line, from a load's pacing step in microseconds to a retention in days. */
class DurationConverterTest {
    @Test
    void eachUnitReadsAsItsDuration() {
        assertThat(DurationConverter.parse("20us")).isEqualTo(Duration.ofNanos(20_000));
        assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationConverter.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationConverter.parse("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(DurationConverter.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(DurationConverter.parse("7d")).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void aDurationWithoutAUnitIsRefusedWithTheFormsThatWork() {
        assertThatThrownBy(() -> DurationConverter.parse("20"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("20us, 500ms, 30s");
    }
}
