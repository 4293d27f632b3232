#!/usr/bin/env bash
# A throwaway one-node Slurm cluster on localhost for the `slurm` tests and for trying
# `sbatch orchestration/finepdfs.sbatch` on one machine (Debian's slurm-wlm, no systemd).
#   slurm.sh start    install slurmctld/slurmd/slurm-client/munge if missing (root), write
#                     build/slurm/slurm.conf, start munged, slurmctld and slurmd in the background and wait until
#                     the node is idle. Idempotent: a second call returns at once when the cluster answers.
#   slurm.sh stop     stop the daemons this script started (their pid files live in build/slurm/).
#   slurm.sh env      print `export SLURM_CONF=...` (eval it to use sbatch/squeue by hand).
# Clients find the cluster through SLURM_CONF=build/slurm/slurm.conf (tests read that fixed path).
# Partitions: `cpu` (default) and `gpu`, the same node; `gpu` has no GRES here, so the orchestration config
# used by the tests says gpus_per_task = 0 for it. MaxArraySize is small (4) so that array splitting is exercised.
set -uo pipefail
cd "$(dirname "$0")/../.."
action="${1:-start}"
dir="${FINEPDFS_SLURM_DIR:-$PWD/build/slurm}"
conf="$dir/slurm.conf"
max_array_size="${FINEPDFS_SLURM_MAX_ARRAY_SIZE:-4}"

say() { echo "slurm: $*" >&2; }
answers() { SLURM_CONF="$conf" timeout 5 sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; }
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

install_packages() {
  local missing=()
  command -v slurmctld >/dev/null 2>&1 || missing+=(slurmctld)
  command -v slurmd >/dev/null 2>&1 || missing+=(slurmd)
  command -v sbatch >/dev/null 2>&1 || missing+=(slurm-client)
  command -v munged >/dev/null 2>&1 || missing+=(munge)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    say "missing ${missing[*]} and cannot install them (needs root on Debian/Ubuntu)"
    return 1
  fi
  say "installing ${missing[*]} (apt)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
}

write_conf() {
  local cpus mem
  cpus="$(nproc)"
  # Leave the machine some memory; jobs ask for small amounts anyway.
  mem="$(awk '/MemTotal/ {printf "%d", $2 / 1024 * 0.8}' /proc/meminfo)"
  mkdir -p "$dir/state" "$dir/spool" "$dir/log"
  cat > "$conf" <<EOF
# Written by scripts/services.d/slurm.sh: a one-node test cluster on localhost.
ClusterName=finepdfs-test
SlurmctldHost=localhost
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ReturnToService=2
MaxArraySize=$max_array_size
MinJobAge=600
KillWait=5
InactiveLimit=0
DefMemPerCPU=1000
NodeName=localhost CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=cpu Nodes=localhost Default=YES MaxTime=INFINITE State=UP
PartitionName=gpu Nodes=localhost Default=NO MaxTime=INFINITE State=UP
EOF
}

start() {
  if answers; then
    return 0
  fi
  install_packages || return 1
  if [ "$(id -u)" != 0 ]; then
    say "the cluster is not running and only root can start munged/slurmctld/slurmd here"
    return 1
  fi
  local foreign
  foreign="$(pgrep -x slurmctld | grep -vx "$(cat "$dir/slurmctld.pid" 2>/dev/null || echo none)" | head -1)"
  if [ -n "$foreign" ]; then
    say "another slurmctld (pid $foreign) holds the Slurm ports; stop it first (or use its cluster via SLURM_CONF)"
    return 1
  fi
  write_conf
  if ! pgrep -u munge -x munged >/dev/null 2>&1; then
    [ -f /etc/munge/munge.key ] || { mungekey --create >/dev/null 2>&1 || create-munge-key >/dev/null 2>&1; }
    chown munge:munge /etc/munge/munge.key 2>/dev/null
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge
    su -s /bin/sh munge -c "/usr/sbin/munged" || { say "munged did not start"; return 1; }
  fi
  pid_alive "$dir/slurmctld.pid" || {
    # -c: a throwaway cluster starts with no jobs left from an earlier run.
    setsid slurmctld -D -c -f "$conf" >"$dir/log/slurmctld.out" 2>&1 </dev/null &
  }
  pid_alive "$dir/slurmd.pid" || {
    setsid slurmd -D -N localhost -f "$conf" >"$dir/log/slurmd.out" 2>&1 </dev/null &
  }
  for _ in $(seq 1 60); do
    answers && { say "cluster up (SLURM_CONF=$conf)"; return 0; }
    sleep 0.5
  done
  say "node not idle within 30 s; last log lines:"
  tail -n 15 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 2>/dev/null
  return 1
}

stop() {
  local pidfile pid
  for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid"; do
    if pid_alive "$pidfile"; then
      pid="$(cat "$pidfile")"
      kill "$pid" 2>/dev/null
      # Wait for the process itself: the daemon removes its pid file before it has finished exiting.
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    fi
    rm -f "$pidfile"
  done
  return 0
}

case "$action" in
  start) start ;;
  stop) stop ;;
  env) echo "export SLURM_CONF=$conf" ;;
  *) say "usage: $0 start|stop|env"; exit 2 ;;
esac
