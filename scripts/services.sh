#!/usr/bin/env bash
# Start (or stop) the local services the tests need: each scripts/services.d/*.sh handles one
# (Docker engine, throwaway Slurm cluster, ...). Idempotent; needs root on Debian to install packages.
set -uo pipefail
cd "$(dirname "$0")/.."
action="${1:-start}"
status=0
for service in scripts/services.d/*.sh; do
  [ -e "$service" ] || continue
  if ! bash "$service" "$action"; then
    echo "services: $(basename "$service" .sh) failed to $action" >&2
    status=1
  fi
done
exit $status
