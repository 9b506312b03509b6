// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Block I/O latency, from the accounted start of a request (in the submitter's context) to
 * its completion (usually in interrupt context, hence the submitter is remembered).
 *
 * block_io_start and block_io_done exist since Linux 6.5. On older kernels user space
 * attaches the same two programs to block_rq_issue (the request handed to the driver) and
 * block_rq_complete instead, whose first argument is the same request: the latency then
 * leaves out the time queued in the I/O scheduler, and the submitter is whoever dispatched
 * the request (the submitting task, or a kworker when the queue was run asynchronously).
 */
#include "tapio.h"

#define TAPIO_REQ_OP_MASK 0xff

struct io_start {
	__u64 started_ns;
	__u64 sector;
	__u32 bytes;
	__u32 pad;
	struct tapio_subject submitter;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64); /* struct request * */
	__type(value, struct io_start);
} tapio_io_starts SEC(".maps");

static __always_inline __u8 block_op(struct request *rq)
{
	switch (BPF_CORE_READ(rq, cmd_flags) & TAPIO_REQ_OP_MASK) {
	case REQ_OP_READ:
		return TAPIO_BLOCK_READ;
	case REQ_OP_WRITE:
		return TAPIO_BLOCK_WRITE;
	case REQ_OP_FLUSH:
		return TAPIO_BLOCK_FLUSH;
	case REQ_OP_DISCARD:
		return TAPIO_BLOCK_DISCARD;
	default:
		return TAPIO_BLOCK_OTHER;
	}
}

SEC("tp_btf/block_io_start")
int BPF_PROG(tapio_block_io_start, struct request *rq)
{
	const struct tapio_config *cfg = tapio_config_get();
	__u64 key = (__u64)rq;
	struct io_start start = {};

	if (!cfg || !(cfg->enabled_types & (1U << TAPIO_EVENT_BLOCK_IO_LATENCY)))
		return 0;
	start.started_ns = bpf_ktime_get_ns();
	start.sector = BPF_CORE_READ(rq, __sector);
	start.bytes = BPF_CORE_READ(rq, __data_len);
	tapio_subject_current(&start.submitter);
	bpf_map_update_elem(&tapio_io_starts, &key, &start, BPF_ANY);
	return 0;
}

/*
 * block_rq_complete (the attach point before 6.5, see above) fires for each partial
 * completion as well, with the bytes completed: only the one that completes what is left
 * of the request ends it. block_io_done fires once, at the end.
 */
static __always_inline bool partially_completed(unsigned long long *ctx, struct request *rq)
{
	if (bpf_core_type_exists(btf_trace_block_io_done))
		return false;
	return (__u32)ctx[2] < BPF_CORE_READ(rq, __data_len);
}

SEC("tp_btf/block_io_done")
int BPF_PROG(tapio_block_io_done, struct request *rq)
{
	const __u32 type = TAPIO_EVENT_BLOCK_IO_LATENCY;
	const struct tapio_config *cfg;
	struct tapio_block_io_latency_event *e;
	__u64 key = (__u64)rq;
	struct io_start *start;
	__u64 now, latency;

	start = bpf_map_lookup_elem(&tapio_io_starts, &key);
	if (!start || partially_completed(ctx, rq))
		return 0;
	now = bpf_ktime_get_ns();
	latency = now - start->started_ns;
	cfg = tapio_enabled(type);
	if (!cfg)
		goto out;
	if (latency < cfg->block_threshold_ns) {
		tapio_count(type, TAPIO_REASON_BELOW_THRESHOLD);
		goto out;
	}
	e = tapio_reserve(type, sizeof(*e), now, &start->submitter);
	if (!e)
		goto out;
	e->latency_ns = latency;
	e->sector = start->sector;
	e->bytes = start->bytes;
	e->dev = BPF_CORE_READ(rq, part, bd_dev);
	e->op = block_op(rq);
	__builtin_memset(e->pad, 0, sizeof(e->pad));
	tapio_submit(e, type, cfg);
out:
	bpf_map_delete_elem(&tapio_io_starts, &key);
	return 0;
}
