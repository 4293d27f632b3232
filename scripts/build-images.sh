#!/usr/bin/env bash
# Build the base image and the stage images (every stage of shared/registry.py, or the ones named), all from
# the one images/stage/Dockerfile with the stage's registry entry as build arguments:
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

prefix="${FINEPDFS_IMAGE_PREFIX:-finepdfs/}"
tag="${FINEPDFS_IMAGE_TAG:-latest}"
base_image="${BASE_IMAGE:-python:3.11-slim}"
local_base="finepdfs/debian-python:3.11-bookworm"
python="${PYTHON:-$root/.venv/bin/python}"
[ -x "$python" ] || python=python3
mapfile -t STAGES < <("$python" -m shared.registry | cut -f1)

say() { echo "build: $*" >&2; }
registry() { "$python" -m shared.registry "$1"; }  # name, package dir, extra, apt packages, summary (tab-separated)

# A docker client that builds with BuildKit.
if docker buildx version >/dev/null 2>&1; then
  docker_build=(docker build)
elif [ -x /usr/bin/docker ] && [ "$(/usr/bin/docker version --format '{{.Client.Version}}' 2>/dev/null | cut -d. -f1)" -le 22 ] 2>/dev/null; then
  docker_build=(env DOCKER_BUILDKIT=1 /usr/bin/docker build)
else
  say "no BuildKit: install the docker buildx plugin (or Debian's docker.io client)"
  exit 1
fi

# Which stages: the named ones (known to the registry), else all.
if [ $# -gt 0 ]; then
  stages=("$@")
  for s in "${stages[@]}"; do
    registry "$s" >/dev/null || exit 2
  done
else
  stages=("${STAGES[@]}")
fi

# The base: as given, else pulled, else made locally (debootstrap).
if ! docker image inspect "$base_image" >/dev/null 2>&1; then
  if ! timeout 120 docker pull -q "$base_image" >/dev/null 2>&1; then
    say "cannot pull $base_image (no registry?): using a local Debian base ($local_base)"
    scripts/make-base-image.sh "$local_base"
    base_image="$local_base"
  fi
fi

"$python" -m scripts.wheelhouse base "${stages[@]}"

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
mkdir -p build/images
for s in "${stages[@]}"; do
  entry="$(registry "$s")"
  dir="$(cut -f2 <<<"$entry")" apt="$(cut -f4 <<<"$entry")" summary="$(cut -f5 <<<"$entry")"
  # BuildKit of Docker 20.10 does not expand build args in a RUN --mount source: the one definition, made
  # concrete for this stage (only that path differs; everything else is a build argument).
  dockerfile="build/images/$s.Dockerfile"
  sed "s#build/wheelhouse/\${STAGE}#build/wheelhouse/$s#" images/stage/Dockerfile > "$dockerfile"
  build "$s" "$dockerfile" --build-arg "BASE=${prefix}base:$tag" --build-arg "VERSION=$version" \
    --build-arg "STAGE=$s" --build-arg "STAGE_DIR=$dir" --build-arg "APT_PACKAGES=$apt" \
    --build-arg "SUMMARY=$summary" \
    --build-arg "REVISION=$(revision shared stages/__init__.py stages/cli.py "stages/$dir" images/base images/stage)"
done
docker images --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' | grep "^$prefix" | sort >&2 || true
