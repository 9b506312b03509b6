// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Programs of two of Tapio's types, under their real names, that the kernel refuses:
 * tapio-with-rejected.bpf.o is Tapio's object with this file in place of signal.bpf.c and
 * sched.bpf.c, so that a test can check that the collector loads all the others and reports
 * these two types unavailable, each with the verifier's reason.
 *
 * - tapio_signal reads a field no kernel has: libbpf cannot resolve its CO-RE relocation and
 *   the verifier refuses the poisoned instruction (as Linux 6.1 refused tapio_exit before it
 *   learnt the older layout of the RSS counters).
 * - tapio_sched_switch uses a map value without a NULL check. The two wakeup programs of its
 *   type are accepted, yet the type is left out as a whole.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "unchecked_lookup.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct task_struct___no_kernel_has_it {
	int tapio_missing_field;
} __attribute__((preserve_access_index));

SEC("tp_btf/signal_generate")
int BPF_PROG(tapio_signal, int sig, struct kernel_siginfo *info, struct task_struct *target)
{
	struct task_struct___no_kernel_has_it *task = (void *)target;

	return BPF_CORE_READ(task, tapio_missing_field);
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(tapio_sched_wakeup, struct task_struct *task)
{
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(tapio_sched_wakeup_new, struct task_struct *task)
{
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(tapio_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return unchecked_lookup();
}
