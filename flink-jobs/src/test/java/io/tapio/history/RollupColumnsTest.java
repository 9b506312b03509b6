package io.tapio.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tapio.model.RollupMetric;
import io.tapio.schemas.RollupsTable;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every metric the streaming job rolls up has its columns in {@code rollups}, and no column lacks its metric. */
class RollupColumnsTest {
    @Test
    void rollupsHasAColumnPairForEveryRollupMetric() {
        assertEquals(
                Arrays.stream(RollupMetric.values())
                        .map(RollupMetric::label)
                        .sorted()
                        .toList(),
                RollupsTable.METRICS.stream()
                        .map(RollupsTable.Metric::name)
                        .sorted()
                        .toList(),
                "add the metric to RollupsTable.METRICS: the table gains its columns on the next start");
    }
}
