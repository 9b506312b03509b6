package io.tapio.model;

import io.tapio.ebpf.abi.KernelEvent;

/** A kernel event and the workload it belongs to. */
public record EnrichedEvent(KernelEvent event, Workload workload) {}
