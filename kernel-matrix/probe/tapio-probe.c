// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tapio-probe: what this kernel makes of Tapio's BPF object, without Java.
 *
 *   tapio-probe [OPTIONS] OBJECT [--] [COMMAND [ARG...]]
 *
 *   --ring-mib N              the ring buffer's size (default 4)
 *   --runq-threshold-ms N     run-queue wait reported over this (default 10)
 *   --block-threshold-ms N    block I/O latency reported over this (default 50)
 *   --connect-threshold-ms N  successful connects reported over this (default 50)
 *
 * 1. Loads each program of the object on its own and prints, per program, whether the
 *    kernel accepts it, and the verifier's log when it does not: one rejected program
 *    must not hide what the others do.
 * 2. Loads every accepted program together, attaches them, writes the configuration (every
 *    type enabled, the thresholds above, the signals that kill or stop), runs COMMAND, and
 *    prints each record the programs deliver, decoded with the ABI header itself after
 *    checking its magic, version, type and size; then the kernel's counters (tapio_stats)
 *    by type and reason.
 *
 * A tracepoint this kernel lacks is replaced by the alternative below when there is one:
 * the same program attached elsewhere, as the collector is expected to do.
 *
 * Output lines, for a test to read:
 *   program NAME SECTION loaded|rejected|attached|unattached [ATTACH-POINT] [error]
 *   verifier-log NAME begin ... verifier-log NAME end
 *   event TYPE key=value ...
 *   malformed REASON ...
 *   stats TYPE REASON COUNT
 *   probe: ...
 * Exit status: COMMAND's (0 without one), 2 on a usage or setup error.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/wait.h>
#include <linux/types.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "tapio_events.h"

#define MAX_PROGRAMS 64
#define LOG_SIZE (1 << 20)

/* Tracepoints some kernels lack, and what the same program attaches to there. */
static const struct {
	const char *tracepoint;
	const char *alternative;
} alternatives[] = {
	/* block_io_{start,done} exist since 6.5; before, issue to the driver and completion */
	{ "block_io_start", "block_rq_issue" },
	{ "block_io_done", "block_rq_complete" },
};

static const char *type_names[TAPIO_EVENT_TYPE_LIMIT] = {
	[TAPIO_EVENT_EXEC] = "exec",
	[TAPIO_EVENT_EXIT] = "exit",
	[TAPIO_EVENT_OOM_KILL] = "oom_kill",
	[TAPIO_EVENT_SIGNAL] = "signal",
	[TAPIO_EVENT_OPEN_FAILED] = "open_failed",
	[TAPIO_EVENT_TCP_CONNECT] = "tcp_connect",
	[TAPIO_EVENT_TCP_RESET] = "tcp_reset",
	[TAPIO_EVENT_TCP_RETRANSMIT] = "tcp_retransmit",
	[TAPIO_EVENT_RUNQ_LATENCY] = "runq_latency",
	[TAPIO_EVENT_BLOCK_IO_LATENCY] = "block_io_latency",
};

static const size_t type_sizes[TAPIO_EVENT_TYPE_LIMIT] = {
	[TAPIO_EVENT_EXEC] = sizeof(struct tapio_exec_event),
	[TAPIO_EVENT_EXIT] = sizeof(struct tapio_exit_event),
	[TAPIO_EVENT_OOM_KILL] = sizeof(struct tapio_oom_kill_event),
	[TAPIO_EVENT_SIGNAL] = sizeof(struct tapio_signal_event),
	[TAPIO_EVENT_OPEN_FAILED] = sizeof(struct tapio_open_failed_event),
	[TAPIO_EVENT_TCP_CONNECT] = sizeof(struct tapio_tcp_connect_event),
	[TAPIO_EVENT_TCP_RESET] = sizeof(struct tapio_tcp_reset_event),
	[TAPIO_EVENT_TCP_RETRANSMIT] = sizeof(struct tapio_tcp_retransmit_event),
	[TAPIO_EVENT_RUNQ_LATENCY] = sizeof(struct tapio_runq_latency_event),
	[TAPIO_EVENT_BLOCK_IO_LATENCY] = sizeof(struct tapio_block_io_latency_event),
};

static const char *reason_names[TAPIO_REASON_COUNT] = {
	"emitted", "ring_full", "type_disabled", "ignored_comm", "ignored_cgroup",
	"below_threshold", "ignored_path", "succeeded", "not_fatal",
};

static const char *connect_outcomes[] = {
	"established", "refused", "reset", "timed_out", "unreachable", "failed", "aborted",
};

static const char *block_ops[] = { "read", "write", "flush", "discard", "other" };

/* Paths every program probes; their failed opens are noise here (the collector's defaults). */
static const char *ignored_prefixes[] = {
	"/usr/lib/", "/lib/", "/lib64/", "/usr/share/locale/", "/usr/lib/locale/", "/etc/ld.so",
	"/proc/", "/sys/", "/dev/",
};

static char *log_buf;
static size_t log_len;

/* libbpf's messages go into log_buf, printed only when a load fails. */
static int capture(enum libbpf_print_level level, const char *format, va_list args)
{
	int n;

	if (level == LIBBPF_DEBUG || log_len >= LOG_SIZE - 1)
		return 0;
	n = vsnprintf(log_buf + log_len, LOG_SIZE - log_len, format, args);
	if (n > 0)
		log_len += (size_t)n < LOG_SIZE - log_len ? (size_t)n : LOG_SIZE - log_len - 1;
	return 0;
}

static void die(const char *format, ...)
{
	va_list args;

	va_start(args, format);
	fprintf(stderr, "tapio-probe: ");
	vfprintf(stderr, format, args);
	fprintf(stderr, "\n");
	va_end(args);
	exit(2);
}

static struct btf *vmlinux_btf;

static bool kernel_has_tracepoint(const char *name)
{
	char type[128];

	snprintf(type, sizeof(type), "btf_trace_%s", name);
	return btf__find_by_name_kind(vmlinux_btf, type, BTF_KIND_TYPEDEF) > 0;
}

/* Where a tp_btf program attaches on this kernel: its own tracepoint or the alternative. */
static const char *attach_point(const struct bpf_program *prog)
{
	const char *section = bpf_program__section_name(prog);
	const char *tracepoint;

	if (strncmp(section, "tp_btf/", 7) != 0)
		return NULL;
	tracepoint = section + 7;
	if (kernel_has_tracepoint(tracepoint))
		return NULL;
	for (size_t i = 0; i < sizeof(alternatives) / sizeof(alternatives[0]); i++)
		if (strcmp(tracepoint, alternatives[i].tracepoint) == 0 &&
		    kernel_has_tracepoint(alternatives[i].alternative))
			return alternatives[i].alternative;
	return NULL;
}

static struct bpf_object *open_object(const char *path, int ring_mib)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *prog;
	struct bpf_map *ring;

	if (!obj)
		die("cannot open %s: %s", path, strerror(errno));
	ring = bpf_object__find_map_by_name(obj, "tapio_events");
	if (!ring || bpf_map__set_max_entries(ring, (__u32)ring_mib << 20))
		die("%s has no ring buffer map tapio_events", path);
	bpf_object__for_each_program(prog, obj) {
		const char *target = attach_point(prog);

		if (target && bpf_program__set_attach_target(prog, 0, target))
			die("cannot attach %s to %s", bpf_program__name(prog), target);
	}
	return obj;
}

static void print_log(const char *name)
{
	char *line = log_buf, *end;

	printf("verifier-log %s begin\n", name);
	while (line && *line) {
		end = strchr(line, '\n');
		if (end)
			*end = 0;
		printf("  %s\n", line);
		line = end ? end + 1 : NULL;
	}
	printf("verifier-log %s end\n", name);
}

static void print_string(const char *key, const char *s, size_t max)
{
	printf(" %s=\"", key);
	for (size_t i = 0; i < max && s[i]; i++)
		putchar(s[i] == '"' || s[i] < ' ' ? '?' : s[i]);
	putchar('"');
}

static void print_endpoints(const struct tapio_tcp_endpoints *ep)
{
	char src[INET6_ADDRSTRLEN] = "?", dst[INET6_ADDRSTRLEN] = "?";
	int family = ep->family == 10 ? AF_INET6 : AF_INET;

	inet_ntop(family, ep->saddr, src, sizeof(src));
	inet_ntop(family, ep->daddr, dst, sizeof(dst));
	printf(" family=%u src=%s:%u dst=%s:%u state=%u", ep->family, src, ntohs(ep->sport), dst,
	       ntohs(ep->dport), ep->state);
}

static unsigned long events_seen, malformed;

static int on_record(void *ctx, void *data, size_t size)
{
	const struct tapio_event_header *h = data;

	(void)ctx;
	if (size < sizeof(*h)) {
		printf("malformed short size=%zu\n", size);
		malformed++;
		return 0;
	}
	if (h->magic != TAPIO_EVENT_MAGIC || h->version != TAPIO_ABI_VERSION ||
	    h->type == 0 || h->type >= TAPIO_EVENT_TYPE_LIMIT || h->size != size ||
	    size != type_sizes[h->type]) {
		printf("malformed header magic=%#x version=%u type=%u size=%u record=%zu\n", h->magic,
		       h->version, h->type, h->size, size);
		malformed++;
		return 0;
	}
	events_seen++;
	printf("event %s cpu=%u pid=%u tid=%u cgroup=%llu", type_names[h->type], h->cpu, h->pid,
	       h->tid, (unsigned long long)h->cgroup_id);
	print_string("comm", h->comm, sizeof(h->comm));
	switch (h->type) {
	case TAPIO_EVENT_EXEC: {
		const struct tapio_exec_event *e = data;

		printf(" ppid=%u filename_len=%u", e->ppid, e->filename_len);
		print_string("filename", e->filename, sizeof(e->filename));
		break;
	}
	case TAPIO_EVENT_EXIT: {
		const struct tapio_exit_event *e = data;

		printf(" ppid=%u status=%u signal=%u core=%u origin=%u lifetime_us=%llu max_rss_kib=%llu",
		       e->ppid, e->exit_status, e->signal, e->core_dumped, e->origin,
		       (unsigned long long)e->lifetime_ns / 1000,
		       (unsigned long long)e->max_rss_bytes >> 10);
		break;
	}
	case TAPIO_EVENT_OOM_KILL: {
		const struct tapio_oom_kill_event *e = data;

		printf(" trigger_pid=%u trigger_tid=%u", e->trigger_pid, e->trigger_tid);
		print_string("trigger_comm", e->trigger_comm, sizeof(e->trigger_comm));
		printf(" memcg=%llu limit=%llu usage=%llu total_vm=%llu",
		       (unsigned long long)e->memcg_id, (unsigned long long)e->memcg_limit_bytes,
		       (unsigned long long)e->memcg_usage_bytes,
		       (unsigned long long)e->victim_total_vm_bytes);
		break;
	}
	case TAPIO_EVENT_SIGNAL: {
		const struct tapio_signal_event *e = data;

		printf(" sender_pid=%u sender_tid=%u", e->sender_pid, e->sender_tid);
		print_string("sender_comm", e->sender_comm, sizeof(e->sender_comm));
		printf(" sender_cgroup=%llu signal=%u code=%d",
		       (unsigned long long)e->sender_cgroup_id, e->signal, e->code);
		break;
	}
	case TAPIO_EVENT_OPEN_FAILED: {
		const struct tapio_open_failed_event *e = data;

		printf(" errno=%u flags=%#x path_len=%u", e->error, e->flags, e->path_len);
		print_string("path", e->path, sizeof(e->path));
		break;
	}
	case TAPIO_EVENT_TCP_CONNECT: {
		const struct tapio_tcp_connect_event *e = data;

		print_endpoints(&e->endpoints);
		printf(" outcome=%s errno=%u latency_us=%llu",
		       e->outcome < 7 ? connect_outcomes[e->outcome] : "?", e->error,
		       (unsigned long long)e->latency_ns / 1000);
		break;
	}
	case TAPIO_EVENT_TCP_RESET:
		print_endpoints(&((const struct tapio_tcp_reset_event *)data)->endpoints);
		break;
	case TAPIO_EVENT_TCP_RETRANSMIT: {
		const struct tapio_tcp_retransmit_event *e = data;

		print_endpoints(&e->endpoints);
		printf(" total_retrans=%u", e->total_retrans);
		break;
	}
	case TAPIO_EVENT_RUNQ_LATENCY:
		printf(" latency_us=%llu",
		       (unsigned long long)((const struct tapio_runq_latency_event *)data)->latency_ns / 1000);
		break;
	case TAPIO_EVENT_BLOCK_IO_LATENCY: {
		const struct tapio_block_io_latency_event *e = data;

		printf(" latency_us=%llu sector=%llu bytes=%u dev=%u:%u op=%s",
		       (unsigned long long)e->latency_ns / 1000, (unsigned long long)e->sector, e->bytes,
		       e->dev >> 20, e->dev & 0xfffff, e->op < 5 ? block_ops[e->op] : "?");
		break;
	}
	}
	printf("\n");
	return 0;
}

static int parse_int(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == 0 || *end != 0 || v < 0 || v > 1 << 20)
		die("not a number: %s", s);
	return (int)v;
}

static void configure(struct bpf_object *obj, int runq_ms, int block_ms, int connect_ms)
{
	struct tapio_config cfg = {};
	struct bpf_map *map;
	__u32 zero = 0;
	__u8 ignore = 1;
	char comm[TAPIO_COMM_LEN] = "tapio-probe";

	for (int type = 1; type < TAPIO_EVENT_TYPE_LIMIT; type++)
		cfg.enabled_types |= 1U << type;
	cfg.open_default_ignore = 0;
	/* signals whose default action terminates or stops: all but CHLD, CONT, URG, WINCH */
	for (int sig = 1; sig < 32; sig++)
		if (sig != SIGCHLD && sig != SIGCONT && sig != SIGURG && sig != SIGWINCH)
			cfg.reported_signals |= 1ULL << sig;
	cfg.runq_threshold_ns = (__u64)runq_ms * 1000000;
	cfg.block_threshold_ns = (__u64)block_ms * 1000000;
	cfg.connect_threshold_ns = (__u64)connect_ms * 1000000;
	cfg.wakeup_bytes = 1;
	map = bpf_object__find_map_by_name(obj, "tapio_config");
	if (!map || bpf_map__update_elem(map, &zero, sizeof(zero), &cfg, sizeof(cfg), BPF_ANY))
		die("cannot write tapio_config: %s", strerror(errno));
	map = bpf_object__find_map_by_name(obj, "tapio_ignored_comms");
	if (map)
		bpf_map__update_elem(map, comm, sizeof(comm), &ignore, sizeof(ignore), BPF_ANY);
	map = bpf_object__find_map_by_name(obj, "tapio_open_prefixes");
	if (map) {
		for (size_t i = 0; i < sizeof(ignored_prefixes) / sizeof(ignored_prefixes[0]); i++) {
			struct tapio_path_prefix_key key = {};
			size_t len = strlen(ignored_prefixes[i]);

			memcpy(key.path, ignored_prefixes[i], len);
			key.prefix_bits = (__u32)len * 8;
			if (bpf_map__update_elem(map, &key, sizeof(key), &ignore, sizeof(ignore), BPF_ANY))
				die("cannot write tapio_open_prefixes: %s", strerror(errno));
		}
	}
}

static void print_stats(struct bpf_object *obj)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "tapio_stats");
	int cpus = libbpf_num_possible_cpus();
	__u64 *values = calloc(cpus, sizeof(__u64));

	if (!map || !values)
		return;
	for (__u32 type = 1; type < TAPIO_EVENT_TYPE_LIMIT; type++) {
		for (__u32 reason = 0; reason < TAPIO_REASON_COUNT; reason++) {
			__u32 key = type * TAPIO_REASON_COUNT + reason;
			__u64 sum = 0;

			if (bpf_map__lookup_elem(map, &key, sizeof(key), values, cpus * sizeof(__u64), 0))
				continue;
			for (int cpu = 0; cpu < cpus; cpu++)
				sum += values[cpu];
			if (sum)
				printf("stats %s %s %llu\n", type_names[type], reason_names[reason],
				       (unsigned long long)sum);
		}
	}
	free(values);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int ring_mib = 4, runq_ms = 10, block_ms = 50, connect_ms = 50;
	const char *path = NULL;
	char *names[MAX_PROGRAMS];
	bool accepted[MAX_PROGRAMS];
	int count = 0, loaded = 0, attached = 0, status = 0, arg = 1;
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_link *links[MAX_PROGRAMS];
	struct ring_buffer *ring;
	double started;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (; arg < argc; arg++) {
		if (strcmp(argv[arg], "--ring-mib") == 0 && arg + 1 < argc)
			ring_mib = parse_int(argv[++arg]);
		else if (strcmp(argv[arg], "--runq-threshold-ms") == 0 && arg + 1 < argc)
			runq_ms = parse_int(argv[++arg]);
		else if (strcmp(argv[arg], "--block-threshold-ms") == 0 && arg + 1 < argc)
			block_ms = parse_int(argv[++arg]);
		else if (strcmp(argv[arg], "--connect-threshold-ms") == 0 && arg + 1 < argc)
			connect_ms = parse_int(argv[++arg]);
		else if (strcmp(argv[arg], "--") == 0) {
			arg++;
			break;
		} else if (argv[arg][0] == '-')
			die("unknown option %s (see the comment at the top of tapio-probe.c)", argv[arg]);
		else if (!path)
			path = argv[arg];
		else
			break;
	}
	if (!path)
		die("usage: tapio-probe [OPTIONS] OBJECT [--] [COMMAND [ARG...]]");
	log_buf = malloc(LOG_SIZE);
	if (!log_buf)
		die("out of memory");
	libbpf_set_print(capture);
	vmlinux_btf = btf__load_vmlinux_btf();
	if (!vmlinux_btf)
		die("this kernel has no BTF (/sys/kernel/btf/vmlinux): %s", strerror(errno));

	/* 1. Each program alone. */
	obj = open_object(path, 1);
	bpf_object__for_each_program(prog, obj) {
		if (count == MAX_PROGRAMS)
			die("more than %d programs", MAX_PROGRAMS);
		names[count++] = strdup(bpf_program__name(prog));
	}
	bpf_object__close(obj);
	for (int i = 0; i < count; i++) {
		struct bpf_object *one = open_object(path, 1);
		const char *section = "?", *target = NULL;
		double t0 = now_s();
		int err;

		bpf_object__for_each_program(prog, one) {
			bool self = strcmp(bpf_program__name(prog), names[i]) == 0;

			bpf_program__set_autoload(prog, self);
			if (self) {
				section = bpf_program__section_name(prog);
				target = attach_point(prog);
			}
		}
		log_len = 0;
		log_buf[0] = 0;
		err = bpf_object__load(one);
		accepted[i] = err == 0;
		printf("program %s %s %s%s%s load_ms=%.0f%s%s\n", names[i], section,
		       err ? "rejected" : "loaded", target ? " at=" : "", target ? target : "",
		       (now_s() - t0) * 1000, err ? " error=" : "", err ? strerror(-err) : "");
		if (err)
			print_log(names[i]);
		loaded += accepted[i];
		bpf_object__close(one);
	}

	/* 2. The accepted ones together, attached. */
	obj = open_object(path, ring_mib);
	bpf_object__for_each_program(prog, obj) {
		for (int i = 0; i < count; i++)
			if (strcmp(bpf_program__name(prog), names[i]) == 0)
				bpf_program__set_autoload(prog, accepted[i]);
	}
	log_len = 0;
	started = now_s();
	if (loaded == 0 || bpf_object__load(obj)) {
		print_log("all");
		die("the accepted programs do not load together");
	}
	printf("probe: %d of %d programs loaded together in %.0f ms\n", loaded, count,
	       (now_s() - started) * 1000);
	configure(obj, runq_ms, block_ms, connect_ms);
	bpf_object__for_each_program(prog, obj) {
		if (!bpf_program__autoload(prog))
			continue;
		links[attached] = bpf_program__attach(prog);
		if (!links[attached]) {
			printf("program %s %s unattached error=%s\n", bpf_program__name(prog),
			       bpf_program__section_name(prog), strerror(errno));
			continue;
		}
		printf("program %s %s attached\n", bpf_program__name(prog),
		       bpf_program__section_name(prog));
		attached++;
	}
	ring = ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(obj, "tapio_events")),
				on_record, NULL, NULL);
	if (!ring)
		die("cannot read the ring buffer: %s", strerror(errno));

	if (arg < argc) {
		pid_t child;

		printf("probe: running");
		for (int i = arg; i < argc; i++)
			printf(" %s", argv[i]);
		printf("\n");
		child = fork();
		if (child == 0) {
			execvp(argv[arg], argv + arg);
			fprintf(stderr, "tapio-probe: cannot run %s: %s\n", argv[arg], strerror(errno));
			_exit(127);
		}
		for (;;) {
			int wstatus;
			pid_t done = waitpid(child, &wstatus, WNOHANG);

			if (done == child) {
				status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
				break;
			}
			ring_buffer__poll(ring, 50);
		}
	}
	/* What the last moments wrote. */
	started = now_s();
	while (now_s() - started < 0.5)
		ring_buffer__poll(ring, 50);
	printf("probe: %lu events, %lu malformed; command exit %d\n", events_seen, malformed, status);
	print_stats(obj);
	ring_buffer__free(ring);
	for (int i = 0; i < attached; i++)
		bpf_link__destroy(links[i]);
	bpf_object__close(obj);
	btf__free(vmlinux_btf);
	return status;
}
