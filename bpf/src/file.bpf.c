// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Failed openat(2) calls. The syscall tracepoints are used because BPF trampolines
 * (fexit) are not available on every node; the entry remembers the arguments per thread
 * and the exit reports only failures, filtered by path prefix.
 */
#include "tapio.h"

struct open_args {
	const char *path;
	__u32 flags;
};

/* Per thread, freed with the thread: no stale entries, no contention. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct open_args);
} tapio_open_args SEC(".maps");

/* Longest prefix match on the first TAPIO_PREFIX_LEN bytes of the path. */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct tapio_path_prefix_key);
	__type(value, __u8); /* 1: ignore, 0: report */
} tapio_open_prefixes SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_openat")
int tapio_openat_enter(struct trace_event_raw_sys_enter *ctx)
{
	const struct tapio_config *cfg = tapio_config_get();
	struct open_args *args;

	if (!cfg || !(cfg->enabled_types & (1U << TAPIO_EVENT_OPEN_FAILED)))
		return 0;
	args = bpf_task_storage_get(&tapio_open_args, bpf_get_current_task_btf(), NULL,
				    BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (args) {
		args->path = (const char *)ctx->args[1];
		args->flags = (__u32)ctx->args[2];
	}
	return 0;
}

/*
 * The path, read from user memory once: the prefix trie's key is the first bytes of the
 * same buffer (the key is 4 + TAPIO_PREFIX_LEN bytes), and the record copies it whole.
 */
struct path_buffer {
	__u32 prefix_bits;
	char path[TAPIO_PATH_LEN];
};

static __always_inline bool path_ignored(const struct tapio_config *cfg, struct path_buffer *buffer)
{
	__u8 *ignore;

	buffer->prefix_bits = TAPIO_PREFIX_LEN * 8;
	ignore = bpf_map_lookup_elem(&tapio_open_prefixes, buffer);
	return ignore ? *ignore : cfg->open_default_ignore;
}

SEC("tracepoint/syscalls/sys_exit_openat")
int tapio_openat_exit(struct trace_event_raw_sys_exit *ctx)
{
	const __u32 type = TAPIO_EVENT_OPEN_FAILED;
	const struct tapio_config *cfg;
	struct tapio_open_failed_event *e;
	struct tapio_subject subject;
	struct open_args *args;
	struct path_buffer buffer = {}; /* no stale stack bytes after the NUL reach the record */
	long ret = ctx->ret;
	long len;

	args = bpf_task_storage_get(&tapio_open_args, bpf_get_current_task_btf(), NULL, 0);
	if (!args || !args->path)
		return 0;
	if (ret >= 0) {
		tapio_count(type, TAPIO_REASON_SUCCEEDED);
		goto out;
	}
	cfg = tapio_enabled(type);
	if (!cfg)
		goto out;
	len = bpf_probe_read_user_str(buffer.path, sizeof(buffer.path), args->path);
	if (len < 0)
		buffer.path[0] = len = 0;
	if (path_ignored(cfg, &buffer)) {
		tapio_count(type, TAPIO_REASON_IGNORED_PATH);
		goto out;
	}
	tapio_subject_current(&subject);
	e = tapio_reserve(type, sizeof(*e), bpf_ktime_get_ns(), &subject);
	if (!e)
		goto out;
	e->error = -ret;
	e->flags = args->flags;
	__builtin_memcpy(e->path, buffer.path, sizeof(e->path));
	e->path_len = len > 0 ? len - 1 : 0;
	e->pad[0] = e->pad[1] = e->pad[2] = 0;
	tapio_submit(e, type, cfg);
out:
	args->path = NULL;
	return 0;
}
