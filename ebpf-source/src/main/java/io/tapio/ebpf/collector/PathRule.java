package io.tapio.ebpf.collector;

import io.tapio.ebpf.abi.PathPrefixKey;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * Whether failed opens of paths under {@code prefix} are reported. The longest matching
 * prefix decides; paths no rule matches follow {@link CollectorConfig#reportUnmatchedOpens()}.
 */
public record PathRule(String prefix, boolean report) implements Serializable {
    /** Prefixes longer than this many bytes cannot be matched in the kernel. */
    public static final int MAX_PREFIX_BYTES = PathPrefixKey.PREFIX_LEN;

    public PathRule {
        int bytes = prefix.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > MAX_PREFIX_BYTES) {
            throw new IllegalArgumentException(
                    "path prefix '" + prefix + "' must have 1 to " + MAX_PREFIX_BYTES + " bytes, has " + bytes);
        }
    }

    public static PathRule report(String prefix) {
        return new PathRule(prefix, true);
    }

    public static PathRule ignore(String prefix) {
        return new PathRule(prefix, false);
    }
}
