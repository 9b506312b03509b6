package io.tapio.schemas;

import java.util.HashMap;
import java.util.Map;

/** The properties every history table shares, with its own target file size. */
final class TableProperties {
    private static final long MIB = 1L << 20;

    private TableProperties() {}

    /** A partitioned table's: writers shuffle rows by partition. */
    static Map<String, String> partitioned(String comment, long targetFileMib) {
        Map<String, String> p = unpartitioned(comment, targetFileMib);
        // One file per partition and checkpoint, rather than one per partition and writer.
        p.put(org.apache.iceberg.TableProperties.WRITE_DISTRIBUTION_MODE, "hash");
        return p;
    }

    static Map<String, String> unpartitioned(String comment, long targetFileMib) {
        Map<String, String> p = new HashMap<>();
        p.put("comment", comment);
        p.put(org.apache.iceberg.TableProperties.FORMAT_VERSION, "2");
        p.put(org.apache.iceberg.TableProperties.DEFAULT_FILE_FORMAT, "parquet");
        // zstd: about the size of gzip at a fraction of its CPU; the columns are repetitive strings
        p.put(org.apache.iceberg.TableProperties.PARQUET_COMPRESSION, "zstd");
        p.put(org.apache.iceberg.TableProperties.WRITE_TARGET_FILE_SIZE_BYTES, Long.toString(targetFileMib * MIB));
        // The streaming writer commits once per checkpoint: without this, one metadata.json per
        // commit would pile up for ever (snapshot expiry does not remove them).
        p.put(org.apache.iceberg.TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true");
        p.put(org.apache.iceberg.TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "100");
        return p;
    }
}
