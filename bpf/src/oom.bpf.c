// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* OOM kills: the victim, who triggered it, and the memory cgroup whose limit was hit. */
#include "tapio.h"

/* page_counter's "no limit": PAGE_COUNTER_MAX = LONG_MAX / PAGE_SIZE with 4 KiB pages. */
#define TAPIO_PAGE_COUNTER_MAX (0x7fffffffffffffffULL >> 12)
#define TAPIO_MEMCG_MAX_DEPTH 8

static __always_inline struct mem_cgroup *memcg_of(struct cgroup_subsys_state *css)
{
	return css ? container_of(css, struct mem_cgroup, css) : NULL;
}

/* Walks from the victim's memory cgroup up to the first one that has a limit. */
static __always_inline void fill_memcg(struct tapio_oom_kill_event *e, struct task_struct *victim)
{
	int memory_id = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
	struct cgroup_subsys_state *css = NULL;
	struct mem_cgroup *memcg;

	if (memory_id >= 0 && memory_id < CGROUP_SUBSYS_COUNT)
		css = BPF_CORE_READ(victim, cgroups, subsys[memory_id]);
	memcg = memcg_of(css);
	for (int depth = 0; depth < TAPIO_MEMCG_MAX_DEPTH && memcg; depth++) {
		unsigned long max = BPF_CORE_READ(memcg, memory.max);

		if (max && max < TAPIO_PAGE_COUNTER_MAX) {
			e->memcg_id = BPF_CORE_READ(memcg, css.cgroup, kn, id);
			e->memcg_limit_bytes = (__u64)max << 12;
			e->memcg_usage_bytes = (__u64)BPF_CORE_READ(memcg, memory.usage.counter) << 12;
			return;
		}
		memcg = memcg_of(BPF_CORE_READ(memcg, css.parent));
	}
	e->memcg_id = 0;
	e->memcg_limit_bytes = 0;
	e->memcg_usage_bytes = 0;
}

/*
 * Before Linux 6.9 the tracepoint was mark_victim(int pid), without the task (Ubuntu's 5.15
 * and 6.8, for one; stable kernels such as Debian's 6.1.192 took the change); the same
 * change added the uid (and other fields) to its trace record, which is how CO-RE tells the
 * two apart. There, the victim is known by its pid alone: the rest comes from the current
 * task when it is the victim (the usual case: the task whose allocation failed is the
 * largest). Otherwise the victim's comm, cgroup and size stay empty, and the memory cgroup
 * is the one the current task's allocation hit (the victim was chosen inside it). Returns
 * the victim's task, or NULL when it is not known.
 */
static __always_inline struct task_struct *victim_of(unsigned long long *ctx, struct tapio_subject *s)
{
	struct task_struct *current;
	__u32 pid;

	if (bpf_core_field_exists(struct trace_event_raw_mark_victim, uid)) {
		tapio_subject_task(s, (struct task_struct *)ctx[0]);
		return (struct task_struct *)ctx[0];
	}
	pid = (__u32)ctx[0];
	current = bpf_get_current_task_btf();
	if (BPF_CORE_READ(current, pid) == pid) {
		tapio_subject_current(s);
		return current;
	}
	__builtin_memset(s, 0, sizeof(*s));
	s->pid = s->tid = pid;
	return NULL;
}

SEC("tp_btf/mark_victim")
int BPF_PROG(tapio_oom_kill)
{
	const __u32 type = TAPIO_EVENT_OOM_KILL;
	const struct tapio_config *cfg = tapio_enabled(type);
	struct tapio_oom_kill_event *e;
	struct tapio_subject subject;
	struct task_struct *victim;
	__u64 pid_tgid;

	if (!cfg)
		return 0;
	victim = victim_of(ctx, &subject);
	e = tapio_reserve(type, sizeof(*e), bpf_ktime_get_ns(), &subject);
	if (!e)
		return 0;
	pid_tgid = bpf_get_current_pid_tgid();
	e->trigger_pid = pid_tgid >> 32;
	e->trigger_tid = (__u32)pid_tgid;
	bpf_get_current_comm(e->trigger_comm, sizeof(e->trigger_comm));
	fill_memcg(e, victim ? victim : bpf_get_current_task_btf());
	e->victim_total_vm_bytes = victim ? (__u64)BPF_CORE_READ(victim, mm, total_vm) << 12 : 0;
	tapio_submit(e, type, cfg);
	return 0;
}
