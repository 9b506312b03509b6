package io.tapio.cli;

import io.tapio.ebpf.collector.CollectorConfig;
import picocli.CommandLine.Option;

/** {@code --ring-mib}: the kernel ring buffer of the commands that read this machine's kernel. */
final class RingOption {
    @Option(
            names = "--ring-mib",
            defaultValue = "32",
            description = "Kernel ring buffer size, a power of two (default: ${DEFAULT-VALUE} MiB).")
    int ringMib;

    /** The collector's defaults with this ring. */
    CollectorConfig.Builder collector() {
        return CollectorConfig.builder().ringBufferBytes(ringMib << 20);
    }
}
