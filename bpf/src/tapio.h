/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What every Tapio program shares: the maps defined once in maps.bpf.c, and the few
 * helpers that decide whether an event is delivered and count it either way.
 */
#ifndef TAPIO_H
#define TAPIO_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "tapio_events.h"

/*
 * The shared maps, defined once in maps.bpf.c; the static linker (bpftool gen object)
 * resolves these extern declarations to that definition.
 */
struct tapio_events_map {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 32 << 20); /* user space sets the size before loading */
};
struct tapio_config_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tapio_config);
};
struct tapio_stats_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TAPIO_EVENT_TYPE_LIMIT * TAPIO_REASON_COUNT);
	__type(key, __u32);
	__type(value, __u64);
};
struct tapio_ignored_comms_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, char[TAPIO_COMM_LEN]);
	__type(value, __u8);
};
struct tapio_ignored_cgroups_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, __u8);
};

struct tapio_reader_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct tapio_reader_state);
};

extern struct tapio_events_map tapio_events SEC(".maps");
extern struct tapio_reader_map tapio_reader SEC(".maps");
extern struct tapio_config_map tapio_config SEC(".maps");
extern struct tapio_stats_map tapio_stats SEC(".maps");
extern struct tapio_ignored_comms_map tapio_ignored_comms SEC(".maps");
extern struct tapio_ignored_cgroups_map tapio_ignored_cgroups SEC(".maps");

static __always_inline void tapio_count(__u32 type, __u32 reason)
{
	__u32 key = type * TAPIO_REASON_COUNT + reason;
	__u64 *counter = bpf_map_lookup_elem(&tapio_stats, &key);

	if (counter)
		*counter += 1; /* per-CPU slot: no atomic needed */
}

static __always_inline const struct tapio_config *tapio_config_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&tapio_config, &zero);
}

/*
 * The type's enable flag. Returns the config when the type is enabled, NULL (and counts
 * the event) otherwise.
 */
static __always_inline const struct tapio_config *tapio_enabled(__u32 type)
{
	const struct tapio_config *cfg = tapio_config_get();

	if (!cfg || !(cfg->enabled_types & (1U << type))) {
		tapio_count(type, TAPIO_REASON_TYPE_DISABLED);
		return NULL;
	}
	return cfg;
}

/*
 * The task an event is about: the current task, or another one (an OOM victim, a signal's
 * target, the owner of a socket or of an I/O request, remembered from when it was known).
 */
struct tapio_subject {
	__u32 pid;
	__u32 tid;
	__u64 cgroup_id;
	char comm[TAPIO_COMM_LEN];
};

static __always_inline void tapio_subject_current(struct tapio_subject *s)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	s->pid = pid_tgid >> 32;
	s->tid = (__u32)pid_tgid;
	s->cgroup_id = bpf_get_current_cgroup_id();
	bpf_get_current_comm(s->comm, sizeof(s->comm));
}

static __always_inline __u64 tapio_task_cgroup_id(struct task_struct *task)
{
	return BPF_CORE_READ(task, cgroups, dfl_cgrp, kn, id);
}

static __always_inline void tapio_subject_task(struct tapio_subject *s, struct task_struct *task)
{
	s->pid = BPF_CORE_READ(task, tgid);
	s->tid = BPF_CORE_READ(task, pid);
	s->cgroup_id = tapio_task_cgroup_id(task);
	BPF_CORE_READ_STR_INTO(&s->comm, task, comm);
}

/* The ignore lists. True (and counted) when the event must not be delivered. */
static __always_inline bool tapio_ignored(__u32 type, const struct tapio_subject *s)
{
	if (bpf_map_lookup_elem(&tapio_ignored_cgroups, &s->cgroup_id)) {
		tapio_count(type, TAPIO_REASON_IGNORED_CGROUP);
		return true;
	}
	if (bpf_map_lookup_elem(&tapio_ignored_comms, s->comm)) {
		tapio_count(type, TAPIO_REASON_IGNORED_COMM);
		return true;
	}
	return false;
}


/*
 * Submits without waking the reader (a wakeup per record would cost most of the
 * throughput), unless the reader said it sleeps (struct tapio_reader_state) or enough data
 * is waiting that it must not sleep on.
 */
static __always_inline void tapio_submit(void *record, __u32 type, const struct tapio_config *cfg)
{
	__u32 zero = 0;
	struct tapio_reader_state *reader = bpf_map_lookup_elem(&tapio_reader, &zero);
	__u64 flags = BPF_RB_NO_WAKEUP;

	if (reader && reader->sleeping) {
		reader->sleeping = 0;
		flags = BPF_RB_FORCE_WAKEUP;
	} else if (bpf_ringbuf_query(&tapio_events, BPF_RB_AVAIL_DATA) >= cfg->wakeup_bytes) {
		flags = BPF_RB_FORCE_WAKEUP;
	}
	bpf_ringbuf_submit(record, flags);
	tapio_count(type, TAPIO_REASON_EMITTED);
}

static __always_inline void tapio_header_fill(struct tapio_event_header *h, __u32 type,
					      __u32 size, __u64 now,
					      const struct tapio_subject *s)
{
	h->magic = TAPIO_EVENT_MAGIC;
	h->version = TAPIO_ABI_VERSION;
	h->type = type;
	h->size = size;
	h->cpu = bpf_get_smp_processor_id();
	h->timestamp_ns = now;
	h->pid = s->pid;
	h->tid = s->tid;
	h->cgroup_id = s->cgroup_id;
	__builtin_memcpy(h->comm, s->comm, sizeof(h->comm));
}

/*
 * Reserves a record of the subject's event with its header filled, or returns NULL when the
 * subject is on an ignore list or the ring is full (each counted by its reason).
 */
static __always_inline void *tapio_reserve(__u32 type, __u32 size, __u64 now, const struct tapio_subject *s)
{
	struct tapio_event_header *h;

	if (tapio_ignored(type, s))
		return NULL;
	h = bpf_ringbuf_reserve(&tapio_events, size, 0);
	if (!h) {
		tapio_count(type, TAPIO_REASON_RING_FULL);
		return NULL;
	}
	tapio_header_fill(h, type, size, now, s);
	return h;
}

#endif /* TAPIO_H */
