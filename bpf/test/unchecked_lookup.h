/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A read the verifier refuses, for test programs that must be rejected: a map value used
 * without a NULL check ("R0 invalid mem access 'map_value_or_null'"). A hash map, because a
 * lookup in it may return NULL for any key.
 */
#ifndef UNCHECKED_LOOKUP_H
#define UNCHECKED_LOOKUP_H

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} tapio_test_hash SEC(".maps");

static __always_inline __u32 unchecked_lookup(void)
{
	__u32 zero = 0;
	__u32 *value = bpf_map_lookup_elem(&tapio_test_hash, &zero);

	return *value; /* no NULL check */
}

#endif
