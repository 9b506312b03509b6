// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * TCP: the outcome and latency of active opens, resets received, retransmits.
 *
 * Resets and retransmits arrive in softirq context, where the current task is whoever
 * happened to be running. The task that called connect(2) is therefore remembered in
 * socket-local storage when the SYN goes out; sockets without it (accepted ones) are
 * attributed to the cgroup that created them.
 */
#include "tapio.h"

#define TAPIO_AF_INET 2
#define TAPIO_AF_INET6 10
#define TAPIO_IPPROTO_TCP 6

#define TAPIO_ECONNRESET 104
#define TAPIO_ECONNREFUSED 111
#define TAPIO_ETIMEDOUT 110
#define TAPIO_ENETUNREACH 101
#define TAPIO_EHOSTUNREACH 113

struct connect_start {
	__u64 started_ns;
	struct tapio_subject owner;
};

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct connect_start);
} tapio_connect_starts SEC(".maps");

static __always_inline void fill_endpoints(struct tapio_tcp_endpoints *ep, const struct sock *sk)
{
	ep->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	ep->sport = bpf_htons(BPF_CORE_READ(sk, __sk_common.skc_num));
	ep->dport = BPF_CORE_READ(sk, __sk_common.skc_dport);
	ep->state = BPF_CORE_READ(sk, __sk_common.skc_state);
	ep->pad = 0;
	__builtin_memset(ep->saddr, 0, sizeof(ep->saddr));
	__builtin_memset(ep->daddr, 0, sizeof(ep->daddr));
	if (ep->family == TAPIO_AF_INET6) {
		BPF_CORE_READ_INTO(&ep->saddr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
		BPF_CORE_READ_INTO(&ep->daddr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
	} else {
		BPF_CORE_READ_INTO((__u32 *)ep->saddr, sk, __sk_common.skc_rcv_saddr);
		BPF_CORE_READ_INTO((__u32 *)ep->daddr, sk, __sk_common.skc_daddr);
	}
}

/* Who owns a socket: the connecting task if remembered, else the socket's cgroup. */
static __always_inline void socket_owner(struct tapio_subject *owner, struct sock *sk)
{
	struct connect_start *start = bpf_sk_storage_get(&tapio_connect_starts, sk, NULL, 0);

	if (start) {
		*owner = start->owner;
		return;
	}
	__builtin_memset(owner, 0, sizeof(*owner));
	owner->cgroup_id = BPF_CORE_READ(sk, sk_cgrp_data.cgroup, kn, id);
}

static __always_inline __u8 connect_outcome(__u32 error)
{
	switch (error) {
	case 0:
		return TAPIO_CONNECT_ABORTED;
	case TAPIO_ECONNREFUSED:
		return TAPIO_CONNECT_REFUSED;
	case TAPIO_ECONNRESET:
		return TAPIO_CONNECT_RESET;
	case TAPIO_ETIMEDOUT:
		return TAPIO_CONNECT_TIMED_OUT;
	case TAPIO_ENETUNREACH:
	case TAPIO_EHOSTUNREACH:
		return TAPIO_CONNECT_UNREACHABLE;
	default:
		return TAPIO_CONNECT_FAILED;
	}
}

static __always_inline void connect_started(struct sock *sk)
{
	const struct tapio_config *cfg = tapio_config_get();
	struct connect_start *start;

	if (!cfg || !(cfg->enabled_types & (1U << TAPIO_EVENT_TCP_CONNECT)))
		return;
	start = bpf_sk_storage_get(&tapio_connect_starts, sk, NULL, BPF_SK_STORAGE_GET_F_CREATE);
	if (!start)
		return;
	start->started_ns = bpf_ktime_get_ns();
	tapio_subject_current(&start->owner);
}

static __always_inline void connect_finished(struct sock *sk, bool established)
{
	const __u32 type = TAPIO_EVENT_TCP_CONNECT;
	const struct tapio_config *cfg = tapio_enabled(type);
	struct tapio_tcp_connect_event *e;
	struct connect_start *start;
	struct tapio_subject owner;
	__u64 now, latency = 0;
	__u32 error;

	if (!cfg)
		return;
	now = bpf_ktime_get_ns();
	start = bpf_sk_storage_get(&tapio_connect_starts, sk, NULL, 0);
	if (start && start->started_ns)
		latency = now - start->started_ns;
	if (established && latency < cfg->connect_threshold_ns) {
		tapio_count(type, TAPIO_REASON_BELOW_THRESHOLD);
		return;
	}
	socket_owner(&owner, sk);
	e = tapio_reserve(type, sizeof(*e), now, &owner);
	if (!e)
		return;
	fill_endpoints(&e->endpoints, sk);
	error = established ? 0 : BPF_CORE_READ(sk, sk_err);
	e->latency_ns = latency;
	e->error = error;
	e->outcome = established ? TAPIO_CONNECT_ESTABLISHED : connect_outcome(error);
	e->pad[0] = e->pad[1] = e->pad[2] = 0;
	tapio_submit(e, type, cfg);
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(tapio_tcp_state, struct sock *sk, int oldstate, int newstate)
{
	if (BPF_CORE_READ(sk, sk_protocol) != TAPIO_IPPROTO_TCP)
		return 0;
	if (oldstate == TCP_CLOSE && newstate == TCP_SYN_SENT)
		connect_started(sk);
	else if (oldstate == TCP_SYN_SENT && newstate == TCP_ESTABLISHED)
		connect_finished(sk, true);
	else if (oldstate == TCP_SYN_SENT && newstate == TCP_CLOSE)
		connect_finished(sk, false);
	return 0;
}

SEC("tp_btf/tcp_receive_reset")
int BPF_PROG(tapio_tcp_reset, struct sock *sk)
{
	const __u32 type = TAPIO_EVENT_TCP_RESET;
	const struct tapio_config *cfg;
	struct tapio_tcp_reset_event *e;
	struct tapio_subject owner;

	/* A reset in reply to a SYN is a refused connect, reported as such. */
	if (BPF_CORE_READ(sk, __sk_common.skc_state) == TCP_SYN_SENT)
		return 0;
	cfg = tapio_enabled(type);
	if (!cfg)
		return 0;
	socket_owner(&owner, sk);
	e = tapio_reserve(type, sizeof(*e), bpf_ktime_get_ns(), &owner);
	if (!e)
		return 0;
	fill_endpoints(&e->endpoints, sk);
	tapio_submit(e, type, cfg);
	return 0;
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(tapio_tcp_retransmit, struct sock *sk)
{
	const __u32 type = TAPIO_EVENT_TCP_RETRANSMIT;
	const struct tapio_config *cfg = tapio_enabled(type);
	struct tapio_tcp_retransmit_event *e;
	struct tapio_subject owner;

	if (!cfg)
		return 0;
	socket_owner(&owner, sk);
	e = tapio_reserve(type, sizeof(*e), bpf_ktime_get_ns(), &owner);
	if (!e)
		return 0;
	fill_endpoints(&e->endpoints, sk);
	e->total_retrans = BPF_CORE_READ((struct tcp_sock *)sk, total_retrans);
	e->pad = 0;
	tapio_submit(e, type, cfg);
	return 0;
}
