package io.tapio.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tapio.history.HistoryConfig;
import io.tapio.job.SourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a checkpoint is of: the same job gets the same identity, another job another, and no secret is kept. */
class JobIdentityTest {
    private static final SourceSpec KAFKA =
            new SourceSpec.Kafka("broker:9092", "tapio.events", "dlq", "tapio", Map.of());

    @TempDir
    Path dir;

    @Test
    void theSameCaptureByAnyPathAndTheSameWarehouseWhetherItExistsAreTheSameJob() throws Exception {
        Path capture = Files.writeString(dir.resolve("c.tcap"), "");
        HistoryConfig before = HistoryConfig.hadoop(dir.resolve("data"));
        Files.createDirectories(dir.resolve("data/warehouse")); // its URI now ends in '/'
        HistoryConfig after = HistoryConfig.hadoop(dir.resolve("data"));

        assertEquals(
                JobIdentity.of(SourceSpec.Replay.asFastAsPossible(capture), before),
                JobIdentity.of(new SourceSpec.Replay(dir.resolve("x/../c.tcap"), 1), after));
    }

    @Test
    void anotherCaptureTopicGroupOrHistoryIsAnotherJob() {
        JobIdentity kafka = JobIdentity.of(KAFKA, null);
        assertNotEquals(
                kafka,
                JobIdentity.of(new SourceSpec.Kafka("broker:9092", "tapio.events", "dlq", "other", Map.of()), null));
        assertNotEquals(
                kafka,
                JobIdentity.of(new SourceSpec.Kafka("elsewhere:9092", "tapio.events", "dlq", "tapio", Map.of()), null));
        assertNotEquals(
                JobIdentity.of(SourceSpec.Replay.asFastAsPossible(dir.resolve("a.tcap")), null),
                JobIdentity.of(SourceSpec.Replay.asFastAsPossible(dir.resolve("b.tcap")), null));
        assertNotEquals(kafka, JobIdentity.of(KAFKA, HistoryConfig.hadoop(dir)));
    }

    @Test
    void aCatalogsCredentialsAreNeitherKeptNorPrinted() throws Exception {
        JobIdentity identity = JobIdentity.of(
                KAFKA,
                new HistoryConfig(Map.of(
                        "catalog-impl",
                        "org.apache.iceberg.jdbc.JdbcCatalog",
                        "uri",
                        "jdbc:postgresql://tapio:s3cret@db:5432/catalog?password=s3cret",
                        "jdbc.password",
                        "s3cret",
                        "warehouse",
                        "s3://bucket/tapio/")));
        assertEquals(
                "catalog-impl=org.apache.iceberg.jdbc.JdbcCatalog uri=jdbc:postgresql://db:5432/catalog "
                        + "warehouse=s3://bucket/tapio",
                identity.history());
        identity.writeTo(dir.resolve("job"));
        assertFalse(
                Files.readString(dir.resolve("job").resolve(JobIdentity.FILE)).contains("s3cret"));
        assertEquals(identity, JobIdentity.readFrom(dir.resolve("job")));
        assertNull(JobIdentity.readFrom(dir.resolve("no-such-job")), "a directory without one is no job of Tapio's");
    }
}
