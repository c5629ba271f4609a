#!/usr/bin/env bash
# Starts Kubedesk on this machine: installs what is missing, builds, and opens the app.
# The desktop window opens where Electron can run; otherwise (no display, or no Electron binary)
# the headless host serves the same UI and prints its URL. Extra arguments go to `kubedesk serve`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/prerequisites.sh app
npx electron-vite build >/dev/null

electron_ready() {
  [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || [ "$(uname)" = Darwin ] || return 1
  # npm does not run Electron's download step (see allowScripts); fetch the binary when reachable.
  node -e "require('electron')" >/dev/null 2>&1 || node node_modules/electron/install.js >/dev/null 2>&1 || return 1
  node -e "require('fs').accessSync(require('electron'))" >/dev/null 2>&1
}

if electron_ready; then
  exec npx electron .
else
  echo "No desktop session or Electron binary here: starting the headless host instead." >&2
  exec node bin/kubedesk.mjs serve "$@"
fi
