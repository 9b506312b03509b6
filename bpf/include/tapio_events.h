/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The Tapio event ABI: every record the kernel side writes to the ring buffer, the
 * configuration map it reads, and the reasons it counts for events it does not deliver.
 *
 * This header is the single source of truth. The Java decoder
 * (ebpf-source: the package io.tapio.ebpf.abi) declares the same structs with the same member
 * names, and AbiCompatibilityTest holds it to the BTF of the compiled object, so an offset
 * or size changed here and not there fails the build instead of corrupting data.
 *
 * Rules that keep the two sides simple:
 *  - every struct is naturally aligned and padded explicitly (no implicit holes);
 *  - every record is a fixed size per type, a multiple of 8 bytes;
 *  - integers are little-endian host order, except TCP ports and addresses, which
 *    stay in network byte order exactly as the kernel keeps them;
 *  - strings are NUL-terminated inside fixed arrays, with their length stored beside
 *    them where the reader would otherwise scan for the NUL.
 *
 * Bump TAPIO_ABI_VERSION on any change to a record's layout.
 */
#ifndef TAPIO_EVENTS_H
#define TAPIO_EVENTS_H

#define TAPIO_EVENT_MAGIC 0x7A91
#define TAPIO_ABI_VERSION 1
#define TAPIO_COMM_LEN 16
#define TAPIO_PATH_LEN 256
#define TAPIO_PREFIX_LEN 64

enum tapio_event_type {
	TAPIO_EVENT_EXEC = 1,
	TAPIO_EVENT_EXIT = 2,
	TAPIO_EVENT_OOM_KILL = 3,
	TAPIO_EVENT_SIGNAL = 4,
	TAPIO_EVENT_OPEN_FAILED = 5,
	TAPIO_EVENT_TCP_CONNECT = 6,
	TAPIO_EVENT_TCP_RESET = 7,
	TAPIO_EVENT_TCP_RETRANSMIT = 8,
	TAPIO_EVENT_RUNQ_LATENCY = 9,
	TAPIO_EVENT_BLOCK_IO_LATENCY = 10,
	TAPIO_EVENT_TYPE_LIMIT = 11, /* one past the largest type */
};

/*
 * Why an event was or was not delivered. The kernel counts every candidate event under
 * exactly one reason, per CPU and per type, in the tapio_stats map (key: type *
 * TAPIO_REASON_COUNT + reason), so that candidates = delivered + every counted drop.
 */
enum tapio_reason {
	TAPIO_REASON_EMITTED = 0,          /* submitted to the ring buffer */
	TAPIO_REASON_RING_FULL = 1,        /* the ring had no room: a real loss */
	TAPIO_REASON_TYPE_DISABLED = 2,    /* the type is switched off in the config */
	TAPIO_REASON_IGNORED_COMM = 3,     /* comm on the ignore list */
	TAPIO_REASON_IGNORED_CGROUP = 4,   /* cgroup id on the ignore list */
	TAPIO_REASON_BELOW_THRESHOLD = 5,  /* latency under the configured threshold */
	TAPIO_REASON_IGNORED_PATH = 6,     /* failed open under an ignored path prefix */
	TAPIO_REASON_SUCCEEDED = 7,        /* the open succeeded: not a failure */
	TAPIO_REASON_NOT_FATAL = 8,        /* signal that neither kills nor stops its target */
	TAPIO_REASON_COUNT = 9,
};

/* Common header of every record: the task the event is about, and when it happened. */
struct tapio_event_header {
	__u16 magic;          /* TAPIO_EVENT_MAGIC */
	__u8 version;         /* TAPIO_ABI_VERSION */
	__u8 type;            /* enum tapio_event_type */
	__u16 size;           /* whole record, header included */
	__u16 cpu;            /* CPU the event was recorded on */
	__u64 timestamp_ns;   /* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u32 pid;            /* thread group id (what user space calls the pid) */
	__u32 tid;            /* thread id */
	__u64 cgroup_id;      /* cgroup v2 id: inode number of the unified-hierarchy directory */
	char comm[TAPIO_COMM_LEN];
};

/* A process replaced its image (execve). */
struct tapio_exec_event {
	struct tapio_event_header header;
	__u32 ppid;
	__u16 filename_len;   /* bytes before the NUL */
	__u16 pad;
	char filename[TAPIO_PATH_LEN];
};

/*
 * What an exiting process was to its workload (its cgroup), so that user space can tell the
 * failure of a workload's main process from a helper's exit status: a shell script's grep
 * exiting 1 is not a crash.
 */
enum tapio_exit_origin {
	TAPIO_ORIGIN_UNKNOWN = 0,  /* not reported (records written before the field existed) */
	TAPIO_ORIGIN_MAIN = 1,     /* a container's first process (its pid namespace's init), or a
				    * host process started from another cgroup (systemd, a runtime) */
	TAPIO_ORIGIN_CHILD = 2,    /* started by a process of its own cgroup: a helper */
	TAPIO_ORIGIN_VISITOR = 3,  /* started from another cgroup into a container's pid namespace:
				    * an exec probe, kubectl exec */
};

/* The last thread of a process exited. */
struct tapio_exit_event {
	struct tapio_event_header header;
	__u32 ppid;
	__u32 exit_status;    /* exit(2) status; 0 when killed by a signal */
	__u32 signal;         /* terminating signal, 0 when it exited normally */
	__u8 core_dumped;
	__u8 origin;          /* enum tapio_exit_origin */
	__u8 pad[2];
	__u64 lifetime_ns;    /* since the process started */
	__u64 max_rss_bytes;  /* peak resident set of the process image (see process.bpf.c) */
};

/*
 * The OOM killer chose a victim. The header is the victim; the triggering task (the one
 * whose allocation failed) is in the payload. The memory cgroup is the nearest one, from
 * the victim's upwards, with a limit; all zero for a system-wide OOM.
 */
struct tapio_oom_kill_event {
	struct tapio_event_header header;
	__u32 trigger_pid;
	__u32 trigger_tid;
	char trigger_comm[TAPIO_COMM_LEN];
	__u64 memcg_id;            /* id of that memory cgroup in its own hierarchy */
	__u64 memcg_limit_bytes;
	__u64 memcg_usage_bytes;
	__u64 victim_total_vm_bytes;
};

/*
 * A signal whose effect is to kill or stop its target was sent and will be delivered. The
 * header is the target; the sender is in the payload.
 */
struct tapio_signal_event {
	struct tapio_event_header header;
	__u32 sender_pid;
	__u32 sender_tid;
	char sender_comm[TAPIO_COMM_LEN];
	__u64 sender_cgroup_id;
	__u32 signal;
	__s32 code;           /* si_code: SI_USER, SI_KERNEL, ... */
};

/* openat(2) failed. Successful opens are filtered out in the kernel. */
struct tapio_open_failed_event {
	struct tapio_event_header header;
	__u32 error;          /* errno, positive */
	__u32 flags;          /* open flags */
	__u16 path_len;       /* bytes before the NUL */
	__u16 pad[3];
	char path[TAPIO_PATH_LEN];
};

/* Both ends of a TCP socket. Ports and addresses in network byte order. */
struct tapio_tcp_endpoints {
	__u16 family;         /* AF_INET (2) or AF_INET6 (10) */
	__be16 sport;
	__be16 dport;
	__u8 state;           /* TCP state at the time of the event */
	__u8 pad;
	__u8 saddr[16];       /* IPv4 in the first 4 bytes */
	__u8 daddr[16];
};

enum tapio_connect_outcome {
	TAPIO_CONNECT_ESTABLISHED = 0,
	TAPIO_CONNECT_REFUSED = 1,     /* RST in reply to the SYN */
	TAPIO_CONNECT_RESET = 2,
	TAPIO_CONNECT_TIMED_OUT = 3,   /* SYN retransmits exhausted */
	TAPIO_CONNECT_UNREACHABLE = 4, /* ICMP host or network unreachable */
	TAPIO_CONNECT_FAILED = 5,      /* any other error */
	TAPIO_CONNECT_ABORTED = 6,     /* closed by the application before it completed */
};

/*
 * An active open finished: established (subject to the latency threshold) or failed
 * (always). The header is the task that called connect(2).
 */
struct tapio_tcp_connect_event {
	struct tapio_event_header header;
	struct tapio_tcp_endpoints endpoints;
	__u64 latency_ns;     /* SYN sent to outcome; 0 when the start was not seen */
	__u32 error;          /* sk_err, positive errno; 0 when established */
	__u8 outcome;         /* enum tapio_connect_outcome */
	__u8 pad[3];
};

/* A RST arrived on a socket. The header is the socket's owner where known. */
struct tapio_tcp_reset_event {
	struct tapio_event_header header;
	struct tapio_tcp_endpoints endpoints;
};

/* A segment was retransmitted. */
struct tapio_tcp_retransmit_event {
	struct tapio_event_header header;
	struct tapio_tcp_endpoints endpoints;
	__u32 total_retrans;  /* retransmits of this socket so far */
	__u32 pad;
};

/* A task waited on a run queue longer than the threshold. */
struct tapio_runq_latency_event {
	struct tapio_event_header header;
	__u64 latency_ns;     /* runnable to running */
};

enum tapio_block_op {
	TAPIO_BLOCK_READ = 0,
	TAPIO_BLOCK_WRITE = 1,
	TAPIO_BLOCK_FLUSH = 2,
	TAPIO_BLOCK_DISCARD = 3,
	TAPIO_BLOCK_OTHER = 4,
};

/* A block I/O request took longer than the threshold. The header is the submitter. */
struct tapio_block_io_latency_event {
	struct tapio_event_header header;
	__u64 latency_ns;     /* accounted start to completion */
	__u64 sector;
	__u32 bytes;
	__u32 dev;            /* kernel dev_t: major << 20 | minor */
	__u8 op;              /* enum tapio_block_op */
	__u8 pad[7];
};

/*
 * Runtime configuration, the only entry of the tapio_config array map. Written by user
 * space at any time; each program reads it on every event.
 */
struct tapio_config {
	__u32 enabled_types;        /* bit (1 << type) per enum tapio_event_type */
	__u32 open_default_ignore;  /* 1: ignore failed opens whose path no prefix matches */
	__u64 reported_signals;     /* bit (1 << signo): signals worth reporting */
	__u64 runq_threshold_ns;
	__u64 block_threshold_ns;
	__u64 connect_threshold_ns; /* successful connects slower than this are reported */
	__u64 wakeup_bytes;         /* wake the reader once this much data is unconsumed */
};

/*
 * The only entry of the tapio_reader array, which user space maps into its memory. The
 * programs submit without waking the reader (a wakeup per record costs most of the
 * throughput); a reader about to sleep sets `sleeping`, and the next record written clears
 * it and wakes the reader. Sparse events are thus seen at once, and a busy stream, read by
 * a reader that never sleeps, causes no wakeups.
 */
struct tapio_reader_state {
	__u32 sleeping;
	__u32 pad;
};

/*
 * Key of the tapio_open_prefixes LPM trie: the longest matching prefix decides whether a
 * failed open is reported (value 0) or ignored (value 1).
 */
struct tapio_path_prefix_key {
	__u32 prefix_bits;    /* prefix length in bits */
	char path[TAPIO_PREFIX_LEN];
};

#endif /* TAPIO_EVENTS_H */
