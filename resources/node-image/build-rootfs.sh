#!/bin/sh
# Offline node image recipe: a Debian root filesystem with dockerd, iptables, iproute2 and Node.js,
# built from Debian's package mirror only (no container registry needed).
#   build-rootfs.sh <target-dir> <debian-mirror-url>
# The provisioner then imports <target-dir> with `docker import` (entrypoint and env as --change).
set -eu

target="$1"
mirror="$2"
here="$(cd "$(dirname "$0")" && pwd)"

command -v debootstrap >/dev/null || {
  echo "debootstrap is needed to build the node image offline (Debian/Ubuntu: apt-get install debootstrap)" >&2
  exit 1
}

packages=docker.io,iptables,iproute2,ca-certificates,nodejs,tini,procps

debootstrap --variant=minbase --include="$packages" bookworm "$target" "$mirror"

install -m 0755 "$here/entrypoint.sh" "$target/usr/local/bin/kubedesk-node-entrypoint"
install -m 0755 "$here/kubedesk-agent.sh" "$target/usr/local/bin/kubedesk-agent"
mkdir -p "$target/kubedesk/agent"

# What a node never needs at run time: downloaded packages, package lists, documentation, locales.
rm -rf "$target"/var/cache/apt/archives/*.deb "$target"/var/lib/apt/lists/* \
  "$target"/usr/share/doc "$target"/usr/share/man "$target"/usr/share/locale "$target"/usr/share/info
