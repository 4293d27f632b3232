#!/usr/bin/env bash
# Build the base image and the stage images (all stages whose code exists, or the ones named):
#   scripts/build-images.sh [STAGE ...]
# Environment:
#   BASE_IMAGE              Python 3.11 base (default python:3.11-slim). When it is neither present nor pullable
#                           (no registry), a local Debian one is made with scripts/make-base-image.sh.
#   FINEPDFS_IMAGE_PREFIX   image names (default finepdfs/ -> finepdfs/base, finepdfs/ingest, ...)
#   FINEPDFS_IMAGE_TAG      image tag (default latest)
#   FINEPDFS_BUILD_FLAGS    extra `docker build` flags, e.g. --no-cache
# Needs BuildKit (the wheels are bind-mounted, never copied into a layer): `docker buildx` where installed,
# else Debian's docker 20.10 client, which has BuildKit built in.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

STAGES=(ingest classify extract-docling ocr filter dedup tokenize stats)
prefix="${FINEPDFS_IMAGE_PREFIX:-finepdfs/}"
tag="${FINEPDFS_IMAGE_TAG:-latest}"
base_image="${BASE_IMAGE:-python:3.11-slim}"
local_base="finepdfs/debian-python:3.11-bookworm"
python="${PYTHON:-$root/.venv/bin/python}"
[ -x "$python" ] || python=python3

say() { echo "build: $*" >&2; }
stage_dir() { echo "stages/${1//-/_}"; }

# A docker client that builds with BuildKit.
if docker buildx version >/dev/null 2>&1; then
  docker_build=(docker build)
elif [ -x /usr/bin/docker ] && [ "$(/usr/bin/docker version --format '{{.Client.Version}}' 2>/dev/null | cut -d. -f1)" -le 22 ] 2>/dev/null; then
  docker_build=(env DOCKER_BUILDKIT=1 /usr/bin/docker build)
else
  say "no BuildKit: install the docker buildx plugin (or Debian's docker.io client)"
  exit 1
fi

# Which stages: the named ones (their code must exist), else every stage whose code exists.
if [ $# -gt 0 ]; then
  stages=("$@")
  for s in "${stages[@]}"; do
    [ -f "images/$s/Dockerfile" ] || { say "unknown stage '$s' (known: ${STAGES[*]})"; exit 2; }
    [ -f "$(stage_dir "$s")/cli.py" ] || { say "stage '$s' has no code yet ($(stage_dir "$s")/cli.py)"; exit 2; }
  done
else
  stages=()
  for s in "${STAGES[@]}"; do
    if [ -f "images/$s/Dockerfile" ] && [ -f "$(stage_dir "$s")/cli.py" ]; then
      stages+=("$s")
    else
      say "skipping $s: no $(stage_dir "$s")/cli.py or images/$s/Dockerfile yet"
    fi
  done
fi

# The base: as given, else pulled, else made locally (debootstrap).
if ! docker image inspect "$base_image" >/dev/null 2>&1; then
  if ! timeout 120 docker pull -q "$base_image" >/dev/null 2>&1; then
    say "cannot pull $base_image (no registry?): using a local Debian base ($local_base)"
    scripts/make-base-image.sh "$local_base"
    base_image="$local_base"
  fi
fi

"$python" scripts/wheelhouse.py base "${stages[@]}"

version="$("$python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
# An image's revision is the last commit that changed what goes into it (+ "-dirty" for local edits), so an
# image whose inputs did not change keeps its ID.
revision() {
  local rev
  rev="$(git log -1 --format=%H -- "$@" 2>/dev/null || true)"
  [ -n "$rev" ] || { echo unknown; return; }
  if [ -n "$(git status --porcelain -- "$@" 2>/dev/null)" ]; then rev="$rev-dirty"; fi
  echo "$rev"
}

build() {  # name dockerfile build-args...
  local name="$1" dockerfile="$2"
  shift 2
  local start=$SECONDS
  say "$name"
  # shellcheck disable=SC2086 # FINEPDFS_BUILD_FLAGS is a list of flags
  "${docker_build[@]}" -q ${FINEPDFS_BUILD_FLAGS:-} -f "$dockerfile" -t "$prefix$name:$tag" "$@" . >/dev/null
  say "$prefix$name:$tag built in $((SECONDS - start)) s"
}

build base images/base/Dockerfile --build-arg "BASE_IMAGE=$base_image" --build-arg "VERSION=$version"
for s in "${stages[@]}"; do
  build "$s" "images/$s/Dockerfile" --build-arg "BASE=${prefix}base:$tag" --build-arg "VERSION=$version" \
    --build-arg "REVISION=$(revision shared stages/__init__.py stages/cli.py "$(stage_dir "$s")" images/base "images/$s")"
done
docker images --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' | grep "^$prefix" | sort >&2 || true
