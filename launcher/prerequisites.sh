#!/usr/bin/env bash
# Makes sure this machine has what Tapio needs, installing Debian/Ubuntu packages that are
# missing when run as root, or saying which command installs them otherwise.
#
#   launcher/prerequisites.sh build   what building and running Tapio needs
#   launcher/prerequisites.sh bench   that, plus what the benchmarks make real activity with
#   launcher/prerequisites.sh test    that, plus what the rest of the test suite uses
#
# Prints the JAVA_HOME to use on its last line.
set -euo pipefail

mode=${1:-build}
packages=()
need() { # need PACKAGE CHECK...
    local package=$1; shift
    "$@" >/dev/null 2>&1 || packages+=("$package")
}

need clang          command -v clang
need bpftool        test -x /usr/sbin/bpftool -o -x "$(command -v bpftool || echo /nonexistent)"
need libbpf-dev     test -f /usr/include/bpf/bpf_helpers.h
need libbpf1        sh -c 'ldconfig -p | grep -q "libbpf.so.1 "'
need make           command -v make
need maven          command -v mvn
if [ "$mode" = bench ] || [ "$mode" = test ]; then
    # bench accuracy's faults: packet loss in a namespace of its own, a file only root may read
    need nftables   test -x /usr/sbin/nft
    need iproute2   test -x /usr/sbin/ip -o -x /sbin/ip -o -x /bin/ip
    need util-linux command -v setpriv
    need curl       command -v curl
    need python3    command -v python3
    # the accuracy bench's corpus of ordinary programs (bench/.../BenignCorpus)
    need nodejs     command -v node
    need wget       command -v wget
    need git        command -v git
    need gcc        command -v cc
fi
if [ "$mode" = test ]; then
    need prometheus test -x /usr/bin/promtool -a -x /usr/bin/prometheus
    # the notebooks' test runs them headless with Debian's Python
    need jupyter-nbconvert command -v jupyter-nbconvert
    need python3-nbclient  /usr/bin/python3 -c 'import nbclient'
    need python3-ipykernel /usr/bin/python3 -c 'import ipykernel'
    need python3-pandas    /usr/bin/python3 -c 'import pandas'
    need python3-matplotlib /usr/bin/python3 -c 'import matplotlib'
    # the kernel matrix (kernel-matrix/guest.sh): other kernels booted in QEMU, emulated
    need qemu-system-x86 command -v qemu-system-x86_64
    need cpio           command -v cpio
    need xz-utils       command -v xz
fi

if [ ${#packages[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        echo "tapio: installing ${packages[*]} ..." >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq --no-install-recommends "${packages[@]}" >&2
    else
        echo "tapio: missing packages: ${packages[*]}" >&2
        echo "tapio: install them with: sudo apt-get install ${packages[*]}" >&2
        exit 2
    fi
fi

# Java 25 (FFM); Temurin's is where these machines keep it.
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-arm64 /usr/lib/jvm/*25*; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] \
        && "$candidate/bin/java" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
        echo "$candidate"
        exit 0
    fi
done
echo "tapio: Java 25 or newer is needed (Tapio calls libbpf through java.lang.foreign)." >&2
echo "tapio: install Temurin 25 (https://adoptium.net) or set JAVA_HOME to a JDK 25." >&2
exit 2
