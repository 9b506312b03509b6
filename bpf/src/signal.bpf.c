// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Signals that kill or stop their target, with who sent them. */
#include "tapio.h"

#define TAPIO_SIGKILL 9
#define TAPIO_SIGSTOP 19
#define TAPIO_SI_USER 0
#define TAPIO_SI_KERNEL 0x80
/* trace_signal_generate results: delivered, and delivered without its siginfo. */
#define TAPIO_SIGNAL_DELIVERED 0
#define TAPIO_SIGNAL_LOSE_INFO 4

/* SIGKILL and SIGSTOP cannot be caught; any other signal only acts if left at SIG_DFL. */
static __always_inline bool takes_default_action(struct task_struct *target, int sig)
{
	struct sighand_struct *sighand;
	void *handler = NULL;

	if (sig == TAPIO_SIGKILL || sig == TAPIO_SIGSTOP)
		return true;
	sighand = BPF_CORE_READ(target, sighand);
	if (!sighand)
		return false;
	bpf_probe_read_kernel(&handler, sizeof(handler), &sighand->action[(sig - 1) & 63].sa.sa_handler);
	return handler == NULL; /* SIG_DFL */
}

/* info may be one of the kernel's SEND_SIG_NOINFO (0) or SEND_SIG_PRIV (1) markers. */
static __always_inline int signal_code(struct kernel_siginfo *info)
{
	if ((unsigned long)info == 0)
		return TAPIO_SI_USER;
	if ((unsigned long)info == 1)
		return TAPIO_SI_KERNEL;
	return BPF_CORE_READ(info, si_code);
}

SEC("tp_btf/signal_generate")
int BPF_PROG(tapio_signal, int sig, struct kernel_siginfo *info, struct task_struct *target,
	     int group, int result)
{
	const __u32 type = TAPIO_EVENT_SIGNAL;
	const struct tapio_config *cfg;
	struct tapio_signal_event *e;
	struct tapio_subject subject;
	__u64 pid_tgid;

	if (result != TAPIO_SIGNAL_DELIVERED && result != TAPIO_SIGNAL_LOSE_INFO)
		return 0;
	cfg = tapio_enabled(type);
	if (!cfg)
		return 0;
	if (sig <= 0 || sig > 63 || !(cfg->reported_signals & (1ULL << sig)) ||
	    !takes_default_action(target, sig)) {
		tapio_count(type, TAPIO_REASON_NOT_FATAL);
		return 0;
	}
	tapio_subject_task(&subject, target);
	e = tapio_reserve(type, sizeof(*e), bpf_ktime_get_ns(), &subject);
	if (!e)
		return 0;
	pid_tgid = bpf_get_current_pid_tgid();
	e->sender_pid = pid_tgid >> 32;
	e->sender_tid = (__u32)pid_tgid;
	bpf_get_current_comm(e->sender_comm, sizeof(e->sender_comm));
	e->sender_cgroup_id = bpf_get_current_cgroup_id();
	e->signal = sig;
	e->code = signal_code(info);
	tapio_submit(e, type, cfg);
	return 0;
}
