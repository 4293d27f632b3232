#!/usr/bin/env bash
# A local S3-compatible server for the object-storage test (tests/test_s3.py): moto's server mode, the STAND-IN that
# s3fs's own tests use (no AWS here). It speaks the S3 API on http://127.0.0.1:$FINEPDFS_S3_PORT.
#   s3.sh start    install moto[server] into the project venv if missing, start `moto_server` in the background,
#                  wait until it answers. Idempotent: a second call returns at once when the server answers.
#   s3.sh stop     stop the server this script started (pid file in build/services/).
#   s3.sh env      print the environment that points s3fs (and the AWS SDKs) at it.
set -uo pipefail
cd "$(dirname "$0")/../.."
action="${1:-start}"
port="${FINEPDFS_S3_PORT:-5317}"
dir="$PWD/build/services"
pidfile="$dir/moto-$port.pid"
venv="${FINEPDFS_VENV:-$PWD/.venv}"
endpoint="http://127.0.0.1:$port"

say() { echo "s3: $*" >&2; }
answers() { curl -s -o /dev/null --max-time 2 "$endpoint/" 2>/dev/null; }

case "$action" in
  start)
    if answers; then say "moto already answers on $endpoint"; exit 0; fi
    if [ ! -x "$venv/bin/moto_server" ]; then
      say "installing moto[server] into $venv"
      "$venv/bin/pip" install -q 'moto[server]' || { say "cannot install moto[server]"; exit 1; }
    fi
    mkdir -p "$dir"
    nohup "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$dir/moto-$port.log" 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 1 100); do answers && { say "moto started on $endpoint"; exit 0; }; sleep 0.1; done
    say "moto did not answer on $endpoint (log: $dir/moto-$port.log)"
    exit 1
    ;;
  stop)
    if [ -f "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null; rm -f "$pidfile"; fi
    ;;
  env)
    echo "export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1"
    echo "export AWS_ENDPOINT_URL_S3=$endpoint FSSPEC_S3_ENDPOINT_URL=$endpoint"
    ;;
  status)
    answers && echo "moto answers on $endpoint" || { echo "no S3 server on $endpoint"; exit 1; }
    ;;
  *)
    echo "usage: $0 start|stop|env|status" >&2
    exit 2
    ;;
esac
