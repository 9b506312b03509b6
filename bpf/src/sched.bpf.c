// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Run-queue latency: how long a runnable task waited for a CPU. Each wait is measured and
 * counted; only waits over the threshold are delivered as events, so the per-switch cost
 * stays a storage lookup and a per-CPU counter.
 */
#include "tapio.h"

#define TAPIO_TASK_RUNNING 0

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64); /* when the task became runnable */
} tapio_runnable_since SEC(".maps");

static __always_inline void became_runnable(struct task_struct *task)
{
	const struct tapio_config *cfg = tapio_config_get();
	__u64 *since;

	if (!cfg || !(cfg->enabled_types & (1U << TAPIO_EVENT_RUNQ_LATENCY)))
		return;
	if (BPF_CORE_READ(task, pid) == 0)
		return; /* the idle task */
	since = bpf_task_storage_get(&tapio_runnable_since, task, NULL,
				     BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (since)
		*since = bpf_ktime_get_ns();
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(tapio_sched_wakeup, struct task_struct *task)
{
	became_runnable(task);
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(tapio_sched_wakeup_new, struct task_struct *task)
{
	became_runnable(task);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(tapio_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	const __u32 type = TAPIO_EVENT_RUNQ_LATENCY;
	const struct tapio_config *cfg;
	struct tapio_runq_latency_event *e;
	struct tapio_subject subject;
	__u64 *since, now, latency;

	/* A preempted task is still runnable: its wait starts now. */
	if (BPF_CORE_READ(prev, __state) == TAPIO_TASK_RUNNING)
		became_runnable(prev);

	since = bpf_task_storage_get(&tapio_runnable_since, next, NULL, 0);
	if (!since || !*since)
		return 0;
	now = bpf_ktime_get_ns();
	latency = now - *since;
	*since = 0;
	cfg = tapio_enabled(type);
	if (!cfg)
		return 0;
	if (latency < cfg->runq_threshold_ns) {
		tapio_count(type, TAPIO_REASON_BELOW_THRESHOLD);
		return 0;
	}
	tapio_subject_task(&subject, next);
	e = tapio_reserve(type, sizeof(*e), now, &subject);
	if (!e)
		return 0;
	e->latency_ns = latency;
	tapio_submit(e, type, cfg);
	return 0;
}
