package io.tapio.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** A replay's speed on the command line: max, or a multiple of the recorded speed. */
class ReplaySpeedConverterTest {
    private final ReplaySpeedConverter converter = new ReplaySpeedConverter();

    @Test
    void maxIsNoPacingAndAFactorIsTimesTheRecordedSpeed() {
        assertThat(converter.convert("max")).isInfinite();
        assertThat(converter.convert("1x")).isEqualTo(1.0);
        assertThat(converter.convert("60")).isEqualTo(60.0);
        assertThat(converter.convert("0.5X")).isEqualTo(0.5);
    }

    @Test
    void aSpeedThatIsNotAPositiveFactorIsRefusedWithTheFormsThatWork() {
        for (String wrong : new String[] {"0", "-2x", "fast", "x", "Infinity", "NaN"}) {
            assertThatThrownBy(() -> converter.convert(wrong))
                    .isInstanceOf(TypeConversionException.class)
                    .hasMessageContaining("write max, or how many times the recorded speed (1x as recorded, 60x)");
        }
    }
}
