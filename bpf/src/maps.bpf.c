// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The maps every program shares; tapio.h declares them for the other files. */
#include "tapio.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct tapio_events_map tapio_events SEC(".maps");
struct tapio_reader_map tapio_reader SEC(".maps");
struct tapio_config_map tapio_config SEC(".maps");
struct tapio_stats_map tapio_stats SEC(".maps");
struct tapio_ignored_comms_map tapio_ignored_comms SEC(".maps");
struct tapio_ignored_cgroups_map tapio_ignored_cgroups SEC(".maps");

/*
 * The compiler emits BTF only for types that something global holds (a pointer is not
 * enough), and the records are only ever local pointers into the ring. This anchor keeps every record type in the
 * object's BTF, where user space reads the ABI from (AbiCompatibilityTest holds the Java
 * layouts to it).
 */
struct tapio_abi_anchor {
	struct tapio_exec_event exec;
	struct tapio_exit_event exit;
	struct tapio_oom_kill_event oom_kill;
	struct tapio_signal_event signal;
	struct tapio_open_failed_event open_failed;
	struct tapio_tcp_connect_event tcp_connect;
	struct tapio_tcp_reset_event tcp_reset;
	struct tapio_tcp_retransmit_event tcp_retransmit;
	struct tapio_runq_latency_event runq_latency;
	struct tapio_block_io_latency_event block_io_latency;
	struct tapio_reader_state reader;
	enum tapio_event_type type;
	enum tapio_reason reason;
	enum tapio_connect_outcome outcome;
	enum tapio_block_op block_op;
	enum tapio_exit_origin exit_origin;
} tapio_abi_anchor __attribute__((unused));
