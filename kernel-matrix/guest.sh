#!/usr/bin/env bash
# Runs a command on another kernel: boots a Debian kernel package in QEMU (emulated, no KVM
# needed) with the host's root filesystem shared read-only under a tmpfs overlay, runs the
# command there as root, prints its output between markers and exits with its status.
#
#   kernel-matrix/guest.sh [OPTIONS] [--] COMMAND [ARG...]
#   kernel-matrix/guest.sh [OPTIONS] --prepare      fetch and cache the kernel only
#
#   --kernel NAME      a kernel of kernel-matrix/kernels (default 6.1)
#   --kernel-deb FILE  a kernel package file instead (linux-image-*.deb)
#   --cache DIR        where kernels are kept (default $TAPIO_KERNEL_CACHE, else
#                      $HOME/.cache/tapio/kernels)
#   --timeout SECONDS  the command's limit inside the guest (default 300); the guest is
#                      killed from outside 60 s after that, whatever happens inside
#   --memory MIB       guest memory (default 2048)
#   --cpus N           guest CPUs (default 2)
#   --env NAME=VALUE   an environment variable for the command (repeatable)
#   --verbose          the kernel's messages on the console too
#
# Inside the guest: the host's files at the same paths (read-only; writes go to a tmpfs and
# vanish with the guest), proc, sysfs, devtmpfs, tracefs, debugfs, bpffs, cgroup v2 alone at
# /sys/fs/cgroup, an empty tmpfs of its own on /run, loopback up and no other network, the
# guest kernel's modules under /lib/modules/$(uname -r), and the current directory as on
# the host. The command's output is printed between the lines
#   === tapio-guest: begin (KERNEL, N CPUs, up S s) ===
#   === tapio-guest: end, exit RC, up S s ===
# Exit status: the command's; 124 when it timed out; 125 when the guest could not run it;
# 122 when the guest's kernel locked up and panicked for it: a CPU spinning in the kernel for
# 20 s (softlockup_panic), a task blocked in it for 60 s (hung_task_panic), a CPU stalling RCU
# for 21 s (panic_on_rcu_stall); each panic prints the stuck CPU's or task's stack, where the
# guest would otherwise hang silently until the outer timeout. 123 when it panicked otherwise.
#
# The kernel package comes from Debian's archive with `apt-get download` (never installed on
# the host), extracted with dpkg-deb under the cache, once; the initramfs (busybox from
# busybox-static, the 9p, virtio and overlay modules of that kernel) is built next to it.
# Needs qemu-system-x86, cpio and xz-utils (launcher/prerequisites.sh test installs them).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kernel=6.1
kernel_deb=
cache=${TAPIO_KERNEL_CACHE:-${HOME:-/root}/.cache/tapio/kernels}
timeout=300
memory=2048
cpus=2
verbose=0
prepare_only=0
envs=()

die() { echo "guest.sh: $*" >&2; exit 125; }

while [ $# -gt 0 ]; do
    case "$1" in
        --kernel) kernel=$2; shift 2 ;;
        --kernel-deb) kernel_deb=$(realpath "$2"); shift 2 ;;
        --cache) cache=$2; shift 2 ;;
        --timeout) timeout=$2; shift 2 ;;
        --memory) memory=$2; shift 2 ;;
        --cpus) cpus=$2; shift 2 ;;
        --env) envs+=("$2"); shift 2 ;;
        --verbose) verbose=1; shift ;;
        --prepare) prepare_only=1; shift ;;
        --) shift; break ;;
        -*) die "unknown option $1 (see the comment at the top of $0)" ;;
        *) break ;;
    esac
done
[ $prepare_only = 1 ] || [ $# -gt 0 ] || die "no command given"

command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is missing: apt-get install qemu-system-x86"
mkdir -p "$cache"
cache=$(realpath "$cache")
case "$cache" in *' '*) die "the cache's path must not contain spaces: $cache" ;; esac

# The initramfs needs a static busybox: the host's if it is (busybox-static), else Debian's
# busybox-static package fetched into the cache, so as not to replace the host's busybox.
static() { case "$(ldd "$1" 2>&1 || true)" in *'not a dynamic'*) return 0 ;; *) return 1 ;; esac; }
busybox_binary() {
    local dir="$cache/busybox-static" tmp
    if [ -x /bin/busybox ] && static /bin/busybox; then
        echo /bin/busybox; return
    fi
    if [ ! -x "$dir/bin/busybox" ]; then
        tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
        (cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root busybox-static >&2) \
            || { rm -rf "$tmp"; die "apt-get download busybox-static failed"; }
        dpkg-deb -x "$tmp"/*.deb "$tmp/root"
        rm -rf "$dir"
        mkdir -p "$dir/bin"
        mv "$tmp/root/bin/busybox" "$dir/bin/busybox"
        rm -rf "$tmp"
    fi
    static "$dir/bin/busybox" || die "$dir/bin/busybox is not a static executable"
    echo "$dir/bin/busybox"
}

# The package to use: the newest of the matrix entry's packages apt knows of.
package_of() {
    local regex
    regex=$(awk -v name="$1" '!/^#/ && $1 == name { print $2 }' "$here/kernels")
    [ -n "$regex" ] || die "kernel $1 is not in $here/kernels"
    apt-cache pkgnames linux- 2>/dev/null | grep -E "$regex" | sort -V | tail -n 1
}

# Fetches and extracts a kernel package into the cache, once; prints its directory.
prepare() {
    local package version dir tmp deb
    if [ -n "$kernel_deb" ]; then
        package=$(dpkg-deb -f "$kernel_deb" Package)
        version=$(dpkg-deb -f "$kernel_deb" Version)
    else
        # Which package is newest is asked of apt once a day (it takes a second or two).
        local current="$cache/$kernel.current"
        if [ -n "$(find "$current" -mmin -1440 2>/dev/null)" ] && [ -f "$(cat "$current")/.ready" ]; then
            cat "$current"; return
        fi
        package=$(package_of "$kernel")
        if [ -z "$package" ] && [ "$(id -u)" = 0 ]; then
            apt-get update -qq >&2 || true
            package=$(package_of "$kernel")
        fi
        if [ -z "$package" ]; then
            # Offline, or another distribution: the newest kernel of that name in the cache.
            dir=$(ls -d "$cache/"*/.ready 2>/dev/null | sed 's,/.ready$,,' | sort -V | tail -n 1 || true)
            [ -n "$dir" ] || die "apt knows no package for kernel $kernel (see $here/kernels) and none is cached in $cache"
            echo "$dir"; return
        fi
        version=$(apt-cache policy "$package" | awk '/Candidate:/ { print $2 }')
    fi
    dir="$cache/${package}_$version"
    if [ ! -f "$dir/.ready" ]; then
        echo "guest.sh: fetching $package $version into $dir ..." >&2
        rm -rf "$dir"
        tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
        if [ -n "$kernel_deb" ]; then
            deb=$kernel_deb
        else
            if ! (cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "$package=$version" >&2); then
                [ "$(id -u)" = 0 ] && apt-get update -qq >&2
                (cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "$package=$version" >&2) \
                    || { rm -rf "$tmp"; die "apt-get download $package=$version failed"; }
            fi
            deb=$(ls "$tmp"/*.deb)
        fi
        dpkg-deb -x "$deb" "$tmp/root"
        rm -rf "$tmp"/*.deb "$tmp/root/usr/share"
        local kver
        kver=$(ls "$tmp/root/lib/modules")
        [ -n "$kver" ] && [ -f "$tmp/root/boot/vmlinuz-$kver" ] \
            || { rm -rf "$tmp"; die "$package has no /boot/vmlinuz-* with /lib/modules/*"; }
        # Module names as the kernel and modprobe know them, mapped to their files; busybox's
        # depmod writes the modules.dep the guest's modprobe reads.
        $busybox depmod -b "$tmp/root" "$kver"
        vmlinux "$tmp/root/boot/vmlinuz-$kver" "$tmp/vmlinux" || rm -f "$tmp/vmlinux"
        echo "$kver" > "$tmp/kver"
        echo "$package $version" > "$tmp/package"
        chmod 755 "$tmp"
        mv "$tmp" "$dir"
        touch "$dir/.ready"
    fi
    [ -n "$kernel_deb" ] || echo "$dir" > "$cache/$kernel.current"
    echo "$dir"
}

# The uncompressed kernel (an ELF file with a PVH entry point) out of a bzImage: QEMU boots
# it directly, skipping the firmware's real-mode setup and the decompression, which under
# emulation take 2-4 s of every boot.
vmlinux() { # BZIMAGE OUT
    local setup_sects offset length start magic
    setup_sects=$(od -An -tu1 -j $((0x1f1)) -N 1 "$1" | tr -d ' ')
    [ "$setup_sects" = 0 ] && setup_sects=4
    read -r offset length < <(od -An -tu4 -j $((0x248)) -N 8 "$1")
    start=$(( (setup_sects + 1) * 512 + offset ))
    magic=$(od -An -tx1 -j $start -N 4 "$1" | tr -d ' ')
    case "$magic" in
        fd377a58) tail -c +$((start + 1)) "$1" | head -c "$length" | xz -dc --single-stream > "$2" ;;
        28b52ffd) tail -c +$((start + 1)) "$1" | head -c "$length" | zstd -qdc > "$2" ;;
        1f8b*) tail -c +$((start + 1)) "$1" | head -c "$length" | gzip -dc > "$2" 2>/dev/null ;;
        *) return 1 ;;
    esac
    [ "$(od -An -tx1 -N 4 "$2" | tr -d ' ')" = 7f454c46 ]
}

# The modules the initramfs loads, with what they depend on, in load order.
initramfs_modules() { # KERNEL_DIR
    local modules="$1/root/lib/modules/$(cat "$1/kver")"
    awk -F: '
        { name = $1; sub(/.*\//, "", name); sub(/\.ko(\.[a-z]+)?$/, "", name); gsub(/-/, "_", name)
          file[name] = $1; n = split($2, d, " "); deps[name] = ""
          for (i = 1; i <= n; i++) { m = d[i]; sub(/.*\//, "", m); sub(/\.ko(\.[a-z]+)?$/, "", m); gsub(/-/, "_", m); deps[name] = deps[name] " " m } }
        function visit(m,   n, i, d) {
            if (m in seen) return; seen[m] = 1
            if (!(m in file)) { print "missing " m > "/dev/stderr"; exit 1 }
            n = split(deps[m], d, " ")
            for (i = n; i >= 1; i--) visit(d[i])
            print m "\t" file[m] }
        END { visit("virtio_pci"); visit("9pnet_virtio"); visit("9p"); visit("overlay") }
    ' "$modules/modules.dep"
}

# Builds the initramfs, once per kernel and init script; prints its path.
initramfs() { # KERNEL_DIR
    local dir=$1 kver key image tmp
    kver=$(cat "$dir/kver")
    key=$(cat "$here/guest-init" $busybox "$dir/kver" | sha256sum | cut -c1-16)
    image="$dir/initramfs-$key.cpio.gz"
    if [ ! -f "$image" ]; then
        tmp=$(mktemp -d "$dir/.initramfs.XXXXXX")
        mkdir -p "$tmp/bin" "$tmp/lib/modules/$kver"
        cp $busybox "$tmp/bin/busybox"
        cp "$here/guest-init" "$tmp/init"
        chmod 755 "$tmp/init"
        initramfs_modules "$dir" | while IFS=$'\t' read -r name file; do
            case "$file" in
                *.ko) cp "$dir/root/lib/modules/$kver/$file" "$tmp/lib/modules/$kver/$name.ko" ;;
                *.ko.xz) xz -dc "$dir/root/lib/modules/$kver/$file" > "$tmp/lib/modules/$kver/$name.ko" ;;
                *.ko.zst) zstd -qdc "$dir/root/lib/modules/$kver/$file" > "$tmp/lib/modules/$kver/$name.ko" ;;
                *) die "cannot unpack $file" ;;
            esac
            echo "$name" >> "$tmp/lib/modules/$kver/load-order"
        done
        (cd "$tmp" && find . | cpio -o -H newc --quiet | gzip -1) > "$tmp.cpio.gz"
        rm -rf "$tmp"
        mv "$tmp.cpio.gz" "$image"
    fi
    echo "$image"
}

# Two runs at once share the cache: one prepares, the other waits.
exec 9>"$cache/.lock"
flock 9
busybox=$(busybox_binary)
dir=$(prepare)
image=$(initramfs "$dir")
flock -u 9
if [ $prepare_only = 1 ]; then
    echo "$dir"
    exit 0
fi
kver=$(cat "$dir/kver")
boot="$dir/vmlinux"
[ -f "$boot" ] || boot="$dir/root/boot/vmlinuz-$kver"

run=$(mktemp -d "${TMPDIR:-/tmp}/tapio-guest.XXXXXX")
trap 'rm -rf "$run"' EXIT
case "$run" in *' '*) die "the run directory's path must not contain spaces: $run" ;; esac
{
    echo "cd $(printf %q "$PWD") 2>/dev/null || cd /"
    echo "export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb LANG=C.UTF-8"
    for e in "${envs[@]}"; do echo "export $(printf %q "$e")"; done
    printf '%q ' "$@"; echo
    echo "echo \$? > $run/rc"
} > "$run/command"

console="console=ttyS0 quiet loglevel=1"
[ $verbose = 1 ] && console="console=ttyS0 loglevel=7"
# A lockup panics the guest at once, with its stack on the console (the hung task detector
# prints it at any loglevel when it is to panic).
console="$console softlockup_panic=1 hung_task_panic=1 sysctl.kernel.hung_task_timeout_secs=60"
console="$console sysctl.kernel.panic_on_rcu_stall=1"
status=0
# -no-reboot with panic=-1: a guest that fails or panics ends QEMU. The outer timeout is for
# a guest that hangs anyway. The console's CR LF line ends become LF, the firmware's
# terminal escapes are dropped.
timeout -k 10 $((timeout + 60)) qemu-system-x86_64 \
    -accel tcg,thread=multi -cpu max -smp "$cpus" -m "$memory" \
    -nographic -no-reboot -nic none -monitor none -serial stdio -no-user-config \
    -kernel "$boot" -initrd "$image" \
    -append "$console panic=-1 oops=panic tapio.run=$run tapio.timeout=$timeout tapio.modules=$dir/root/lib/modules/$kver" \
    -virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap \
    -virtfs local,path="$run",mount_tag=run,security_model=none,multidevs=remap \
    </dev/null | sed -u -e 's/\r$//' -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/\x1bc//g' \
    | tee "$run/console" || status=$?
if [ -f "$run/rc" ]; then
    exit "$(cat "$run/rc")"
fi
if grep -q 'Kernel panic' "$run/console"; then
    lockup=$(grep -m1 -o -E 'soft lockup.*|blocked for more than.*|self-detected stall.*|detected stalls.*' "$run/console" || true)
    if [ -n "$lockup" ]; then
        echo "guest.sh: the guest's kernel locked up: $lockup" >&2
        exit 122
    fi
    echo "guest.sh: the guest's kernel panicked: $(grep -m1 -o 'Kernel panic.*' "$run/console")" >&2
    exit 123
fi
[ $status = 124 ] && { echo "guest.sh: the guest did not end within $((timeout + 60)) s and was killed" >&2; exit 124; }
echo "guest.sh: the guest ended without running the command (QEMU's status $status)" >&2
exit 125
