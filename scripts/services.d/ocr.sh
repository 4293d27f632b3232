#!/usr/bin/env bash
# Debian's Tesseract models for the ocr stage's CPU engines: OSD (script + orientation), English and every
# script pack. The list is the ocr stage's contract (stages/ocr/stage.toml apt_packages), which the ocr
# image installs too.
#   ocr.sh start    install the missing packages when root on Debian/Ubuntu; nothing runs in the background.
#   ocr.sh stop     nothing to stop.
#   ocr.sh status   print which packages are missing.
# Idempotent: a second call returns at once when every package is installed.
set -uo pipefail
cd "$(dirname "$0")/../.."
action="${1:-start}"

say() { echo "ocr: $*" >&2; }
packages() { python3 -m shared.registry ocr | cut -f4; }
missing() {
  local p
  for p in $(packages); do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

case "$action" in
  start)
    command -v dpkg-query >/dev/null 2>&1 || { say "not a Debian system: install Tesseract's osd, eng and script models yourself (see stages/ocr/README.md)"; exit 1; }
    todo=($(missing))
    [ ${#todo[@]} -eq 0 ] && exit 0
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
      say "missing ${todo[*]} and cannot install them (needs root on Debian/Ubuntu)"
      exit 1
    fi
    say "installing ${#todo[@]} Tesseract model packages (apt, about 320 MB)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends "${todo[@]}" >/dev/null 2>&1 \
      || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${todo[@]}" >/dev/null; }
    ;;
  stop)
    ;;
  status)
    todo=($(missing)); echo "missing: ${todo[*]:-none}"
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
