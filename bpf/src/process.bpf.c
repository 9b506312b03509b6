// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Process lifecycle: exec and the exit of a whole process. */
#include "tapio.h"

/* RSS counters count pages; Tapio's kernels use 4 KiB pages. */
#define TAPIO_PAGE_SHIFT 12

/*
 * The memory map's RSS counters before 6.2: one atomic per counter in a struct mm_rss_stat,
 * where 6.2 made them an array of percpu_counters (whose `count` is the summed part).
 */
struct mm_rss_stat___pre_6_2 {
	atomic_long_t count[NR_MM_COUNTERS];
};

struct mm_struct___pre_6_2 {
	struct mm_rss_stat___pre_6_2 rss_stat;
} __attribute__((preserve_access_index));

static __always_inline __u64 rss_pages(struct mm_struct *mm)
{
	struct mm_struct___pre_6_2 *old = (void *)mm;

	if (bpf_core_field_exists(old->rss_stat.count))
		return BPF_CORE_READ(old, rss_stat.count[MM_FILEPAGES].counter) +
		       BPF_CORE_READ(old, rss_stat.count[MM_ANONPAGES].counter) +
		       BPF_CORE_READ(old, rss_stat.count[MM_SHMEMPAGES].counter);
	return BPF_CORE_READ(mm, rss_stat[MM_FILEPAGES].count) +
	       BPF_CORE_READ(mm, rss_stat[MM_ANONPAGES].count) +
	       BPF_CORE_READ(mm, rss_stat[MM_SHMEMPAGES].count);
}

/*
 * The peak resident set of the process's current image. Where the exit tracepoint still
 * sees the memory map (recent kernels), it is the map's high-water mark or its current
 * size, whichever is larger (the mark is only updated lazily). Otherwise it falls back to
 * signal->maxrss, which, like getrusage(2), also counts the images before the last exec
 * and so reports a forking parent's size for a small child.
 */
static __always_inline __u64 peak_rss_pages(struct task_struct *task)
{
	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	__u64 current, hiwater;

	if (!mm)
		return BPF_CORE_READ(task, signal, maxrss);
	current = rss_pages(mm);
	hiwater = BPF_CORE_READ(mm, hiwater_rss);
	return hiwater > current ? hiwater : current;
}

/*
 * What the process was to its workload: its pid namespace's init (a container's first
 * process), or else started by a process of its own cgroup or of another one. The process is
 * its thread group leader's: the last thread out need not be the leader. The parent's cgroup is
 * read before cgroup_exit() moves anything: the tracepoint runs early in do_exit().
 */
static __always_inline __u8 exit_origin(struct task_struct *task, __u64 cgroup_id)
{
	struct pid *pid = BPF_CORE_READ(task, group_leader, thread_pid);
	unsigned int level = BPF_CORE_READ(pid, level);
	__u64 parent_cgroup = BPF_CORE_READ(task, real_parent, cgroups, dfl_cgrp, kn, id);
	bool same_cgroup = parent_cgroup == cgroup_id;
	struct upid in_namespace = {};

	if (level == 0)
		return same_cgroup ? TAPIO_ORIGIN_CHILD : TAPIO_ORIGIN_MAIN;
	/* numbers[] holds one pid per namespace level; the innermost is the process's own. */
	bpf_probe_read_kernel(&in_namespace, sizeof(in_namespace),
			      (void *)pid + bpf_core_field_offset(struct pid, numbers) +
				      level * bpf_core_type_size(struct upid));
	if (in_namespace.nr == 1)
		return TAPIO_ORIGIN_MAIN;
	return same_cgroup ? TAPIO_ORIGIN_CHILD : TAPIO_ORIGIN_VISITOR;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(tapio_exec, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	const __u32 type = TAPIO_EVENT_EXEC;
	const struct tapio_config *cfg = tapio_enabled(type);
	struct tapio_exec_event *e;
	struct tapio_subject subject;
	long len;

	if (!cfg)
		return 0;
	tapio_subject_current(&subject);
	e = tapio_reserve(type, sizeof(*e), bpf_ktime_get_ns(), &subject);
	if (!e)
		return 0;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	len = bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), BPF_CORE_READ(bprm, filename));
	e->filename_len = len > 0 ? len - 1 : 0;
	e->pad = 0;
	tapio_submit(e, type, cfg);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(tapio_exit, struct task_struct *task)
{
	const __u32 type = TAPIO_EVENT_EXIT;
	const struct tapio_config *cfg;
	struct tapio_exit_event *e;
	struct tapio_subject subject;
	__u64 now;
	int code;

	/* One event per process: only the last thread out reports. */
	if (BPF_CORE_READ(task, signal, live.counter) != 0)
		return 0;
	cfg = tapio_enabled(type);
	if (!cfg)
		return 0;
	tapio_subject_current(&subject);
	now = bpf_ktime_get_ns();
	e = tapio_reserve(type, sizeof(*e), now, &subject);
	if (!e)
		return 0;
	code = BPF_CORE_READ(task, exit_code);
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->exit_status = (code >> 8) & 0xff;
	e->signal = code & 0x7f;
	e->core_dumped = (code & 0x80) != 0;
	e->origin = exit_origin(task, subject.cgroup_id);
	e->pad[0] = e->pad[1] = 0;
	e->lifetime_ns = now - BPF_CORE_READ(task, group_leader, start_time);
	e->max_rss_bytes = peak_rss_pages(task) << TAPIO_PAGE_SHIFT;
	tapio_submit(e, type, cfg);
	return 0;
}
