// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Programs that only the tests load.
 *
 * tapio_test_records writes records to its own ring buffer when the test's process calls
 * getppid(2): well-formed ones and every kind of malformed one, so that the Java reader's
 * validation is exercised through a real kernel ring buffer.
 *
 * tapio_test_rejected is refused by the verifier (a map value used without a NULL check),
 * so that the loader's error can be checked for the verifier's log.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "tapio_events.h"
#include "unchecked_lookup.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

enum test_record {
	TEST_VALID = 0,
	TEST_BAD_MAGIC = 1,
	TEST_BAD_VERSION = 2,
	TEST_UNKNOWN_TYPE = 3,
	TEST_TRUNCATED = 4,
	TEST_WRONG_SIZE = 5,
};

struct test_control {
	__u32 tgid;      /* only this process triggers records */
	__u32 record;    /* enum test_record */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct test_control);
} tapio_test_control SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
} tapio_test_events SEC(".maps");

static __always_inline void header(struct tapio_event_header *h, __u16 magic, __u8 version,
				   __u8 type, __u16 size)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	h->magic = magic;
	h->version = version;
	h->type = type;
	h->size = size;
	h->cpu = bpf_get_smp_processor_id();
	h->timestamp_ns = bpf_ktime_get_ns();
	h->pid = pid_tgid >> 32;
	h->tid = (__u32)pid_tgid;
	h->cgroup_id = bpf_get_current_cgroup_id();
	bpf_get_current_comm(h->comm, sizeof(h->comm));
}

static __always_inline void runq_record(__u16 magic, __u8 version, __u8 type)
{
	struct tapio_runq_latency_event *e = bpf_ringbuf_reserve(&tapio_test_events, sizeof(*e), 0);

	if (!e)
		return;
	header(&e->header, magic, version, type, sizeof(*e));
	e->latency_ns = 4242;
	bpf_ringbuf_submit(e, 0);
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int tapio_test_records(void *ctx)
{
	__u32 zero = 0;
	struct test_control *control = bpf_map_lookup_elem(&tapio_test_control, &zero);
	struct tapio_event_header *h;

	if (!control || control->tgid != bpf_get_current_pid_tgid() >> 32)
		return 0;
	switch (control->record) {
	case TEST_VALID:
		runq_record(TAPIO_EVENT_MAGIC, TAPIO_ABI_VERSION, TAPIO_EVENT_RUNQ_LATENCY);
		break;
	case TEST_BAD_MAGIC:
		runq_record(0xdead, TAPIO_ABI_VERSION, TAPIO_EVENT_RUNQ_LATENCY);
		break;
	case TEST_BAD_VERSION:
		runq_record(TAPIO_EVENT_MAGIC, TAPIO_ABI_VERSION + 1, TAPIO_EVENT_RUNQ_LATENCY);
		break;
	case TEST_UNKNOWN_TYPE:
		runq_record(TAPIO_EVENT_MAGIC, TAPIO_ABI_VERSION, TAPIO_EVENT_TYPE_LIMIT);
		break;
	case TEST_TRUNCATED: {
		/* Shorter than a header: only the first 16 bytes are there. */
		__u64 *e = bpf_ringbuf_reserve(&tapio_test_events, 16, 0);

		if (!e)
			return 0;
		e[0] = TAPIO_EVENT_MAGIC | ((__u64)TAPIO_ABI_VERSION << 16) |
		       ((__u64)TAPIO_EVENT_EXEC << 24) | (16ULL << 32);
		e[1] = bpf_ktime_get_ns();
		bpf_ringbuf_submit(e, 0);
		break;
	}
	case TEST_WRONG_SIZE:
		/* A whole header that claims to be an exec record, without the exec payload. */
		h = bpf_ringbuf_reserve(&tapio_test_events, sizeof(*h), 0);
		if (!h)
			return 0;
		header(h, TAPIO_EVENT_MAGIC, TAPIO_ABI_VERSION, TAPIO_EVENT_EXEC, sizeof(*h));
		bpf_ringbuf_submit(h, 0);
		break;
	}
	return 0;
}

/* Starts with '?': not loaded unless a test asks for it. */
SEC("?tp_btf/sched_switch")
int BPF_PROG(tapio_test_rejected)
{
	return unchecked_lookup();
}
