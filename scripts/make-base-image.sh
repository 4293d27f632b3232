#!/usr/bin/env bash
# Make a local Debian bookworm + Python 3.11 base image when no registry can give `python:3.11-slim`:
# debootstrap (minbase) from the host's own apt mirror, then `docker import`. Needs root and debootstrap.
#   scripts/make-base-image.sh [IMAGE]     default IMAGE: finepdfs/debian-python:3.11-bookworm
#   FORCE=1 scripts/make-base-image.sh     rebuild even if the image exists
set -euo pipefail
image="${1:-finepdfs/debian-python:3.11-bookworm}"
suite="${FINEPDFS_DEBIAN_SUITE:-bookworm}"

if [ -z "${FORCE:-}" ] && docker image inspect "$image" >/dev/null 2>&1; then
  echo "base-image: $image exists (FORCE=1 to rebuild)" >&2
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "base-image: debootstrap needs root; or pass a base from a registry: BASE_IMAGE=python:3.11-slim" >&2
  exit 1
fi
command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }

# The host's Debian mirror (deb822 sources or the one-line format); deb.debian.org if none is found.
mirror="${FINEPDFS_DEBIAN_MIRROR:-}"
if [ -z "$mirror" ]; then
  mirror="$(grep -hs -E '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -E '/debian/?$' | head -n1 || true)"
fi
if [ -z "$mirror" ]; then
  mirror="$(grep -hs -E '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
    | awk '{print $2}' | grep -E '/debian/?$' | head -n1 || true)"
fi
mirror="${mirror:-http://deb.debian.org/debian}"

root="$(mktemp -d "${TMPDIR:-/tmp}/finepdfs-rootfs.XXXXXX")"
trap 'rm -rf "$root"' EXIT
echo "base-image: debootstrap $suite from $mirror" >&2
debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
  "$suite" "$root" "$mirror" >"$root.log" 2>&1 || { tail -n 30 "$root.log" >&2; rm -f "$root.log"; exit 1; }
rm -f "$root.log"
# Keep the image small: no package caches, docs, man pages or locales (as the slim Python images do).
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* \
  "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/log/*.log "$root"/tmp/*
find "$root"/usr/share/locale -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} + 2>/dev/null || true
cat > "$root/etc/apt/sources.list" <<SOURCES
deb $mirror $suite main
deb $mirror $suite-updates main
SOURCES
tar --numeric-owner -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["python3"]' \
  --message "debootstrap --variant=minbase $suite + python3" - "$image" >/dev/null
echo "base-image: $image ($(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}'))" >&2
