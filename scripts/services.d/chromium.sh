#!/usr/bin/env bash
# Headless Chromium (Debian's `chromium`) for the run report's browser test (tests/test_report.py), and
# poppler's `pdftotext` (Debian's `poppler-utils`), the extraction baseline of `just bench`.
#   chromium.sh start    install what is missing when root on Debian/Ubuntu; nothing runs in the background.
#   chromium.sh stop     nothing to stop.
#   chromium.sh status   print the versions.
# Idempotent: a second call returns at once when both binaries are on PATH.
set -uo pipefail
action="${1:-start}"

say() { echo "chromium: $*" >&2; }
browser() { command -v chromium || command -v chromium-browser || command -v google-chrome; }

install_packages() {
  local missing=()
  browser >/dev/null 2>&1 || missing+=(chromium)
  command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    say "missing ${missing[*]} and cannot install them (needs root on Debian/Ubuntu)"
    return 1
  fi
  say "installing ${missing[*]} (apt)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-dejavu-core >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-dejavu-core >/dev/null; }
}

case "$action" in
  start)
    install_packages || exit 1
    browser >/dev/null || { say "no chromium on PATH after install"; exit 1; }
    ;;
  stop)
    ;;
  status)
    "$(browser)" --version && pdftotext -v 2>&1 | head -1
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
