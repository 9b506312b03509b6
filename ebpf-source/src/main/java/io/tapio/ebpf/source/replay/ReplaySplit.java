package io.tapio.ebpf.source.replay;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * A capture file and how far it has been replayed: a replay resumes exactly where its last
 * checkpoint left it, which makes it the source to test exactly-once sinks with.
 *
 * @param file the capture's path
 * @param recordsEmitted records already handed downstream
 */
public record ReplaySplit(String file, long recordsEmitted) implements SourceSplit {
    @Override
    public String splitId() {
        return file;
    }
}
