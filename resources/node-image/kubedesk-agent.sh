#!/bin/sh
# kubedesk-agent start|stop|restart|status: runs the node agent (/kubedesk/agent/agent.js, copied in
# by the provisioner) in the background. Used by the entrypoint and, through exec, by the provisioner
# to restart the agent after new code or credentials without recreating the node.
set -u

agent=/kubedesk/agent/agent.js
pidfile=/run/kubedesk-agent.pid
log=/var/log/kubedesk-agent.log

running_pid() {
  pid=$(cat "$pidfile" 2>/dev/null) || return 1
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

stop() {
  pid=$(running_pid) || { rm -f "$pidfile"; return 0; }
  kill -TERM "$pid" 2>/dev/null || :
  # The agent stops its pods gracefully on TERM; give it most of the node's one-second budget.
  n=0
  while kill -0 "$pid" 2>/dev/null && [ "$n" -lt 8 ]; do
    sleep 0.1
    n=$((n + 1))
  done
  kill -KILL "$pid" 2>/dev/null || :
  rm -f "$pidfile"
}

start() {
  [ -f "$agent" ] || return 0
  running_pid >/dev/null && return 0
  # Started from a subshell so the agent is adopted by the init, which reaps it when it exits.
  (
    cd /kubedesk
    nohup node "$agent" >>"$log" 2>&1 </dev/null &
    echo $! >"$pidfile"
  )
}

case "${1:-}" in
start) start ;;
stop) stop ;;
restart)
  stop
  start
  ;;
status)
  if pid=$(running_pid); then echo "running $pid"; else
    echo stopped
    exit 3
  fi
  ;;
*)
  echo "usage: kubedesk-agent start|stop|restart|status" >&2
  exit 2
  ;;
esac
