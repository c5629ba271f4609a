#!/bin/sh
# Kubedesk node entrypoint, run under an init (tini) so signals reach it: starts the node's own
# dockerd with the node's pod CIDR as its bridge, then the agent when one is installed. On TERM it
# stops the agent and dockerd within about a second instead of waiting for Docker's kill timeout.
set -eu

index="${KUBEDESK_NODE_INDEX:?KUBEDESK_NODE_INDEX is required}"
bip="${KUBEDESK_BRIDGE_IP:-10.244.${index}.1/24}"
dockerd_pid=

# Waits up to $2 tenths of a second for process $1 to end.
wait_gone() {
  n=0
  while kill -0 "$1" 2>/dev/null && [ "$n" -lt "$2" ]; do
    sleep 0.1
    n=$((n + 1))
  done
}

stop() {
  trap - TERM INT
  /usr/local/bin/kubedesk-agent stop
  if [ -n "$dockerd_pid" ]; then
    kill -TERM "$dockerd_pid" 2>/dev/null || :
    wait_gone "$dockerd_pid" 10
    kill -KILL "$dockerd_pid" 2>/dev/null || :
  fi
  exit 0
}
trap stop TERM INT

# cgroup v2 (Docker Desktop, newer Linux): leave the root cgroup so dockerd can delegate controllers,
# as Docker's own dind script does.
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  mkdir -p /sys/fs/cgroup/init
  xargs -rn1 </sys/fs/cgroup/cgroup.procs >/sys/fs/cgroup/init/cgroup.procs 2>/dev/null || :
  sed -e 's/ / +/g' -e 's/^/+/' </sys/fs/cgroup/cgroup.controllers >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || :
fi
# Volume mounts with propagation (hostPath, local volumes) need a shared root mount.
mount --make-rshared / 2>/dev/null || :

# A node stopped by a kill leaves pid files on the /var/lib/docker volume behind.
rm -f /var/run/docker.pid /var/run/docker/containerd/containerd.pid
# shellcheck disable=SC2086 # extra arguments are meant to split
dockerd --bip "$bip" --host unix:///var/run/docker.sock ${KUBEDESK_DOCKERD_ARGS:-} >/var/log/dockerd.log 2>&1 &
dockerd_pid=$!

until docker version >/dev/null 2>&1; do
  if ! kill -0 "$dockerd_pid" 2>/dev/null; then
    echo "kubedesk node: dockerd exited during start:" >&2
    tail -n 20 /var/log/dockerd.log >&2
    exit 1
  fi
  sleep 0.05
done

/usr/local/bin/kubedesk-agent start

# `wait` returns early when a trapped signal arrives; loop until dockerd itself is gone.
while kill -0 "$dockerd_pid" 2>/dev/null; do
  wait "$dockerd_pid" || :
done
echo "kubedesk node: dockerd exited:" >&2
tail -n 20 /var/log/dockerd.log >&2
exit 1
