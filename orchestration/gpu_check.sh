#!/usr/bin/env bash
# OCR throughput on a CUDA machine: pages/s per GPU of the ocr stage's VLM path (tools/ocr/gpu_check.py).
#
#   orchestration/gpu_check.sh                      # RolmOCR from the models dir, served by vLLM (the real check)
#   orchestration/gpu_check.sh --config stages/ocr/models/lightonocr-2.toml   # another model, by configuration
#   orchestration/gpu_check.sh --config stages/ocr/models/olmocr-2.toml --model /data/olmOCR-2-7B-1025
#   orchestration/gpu_check.sh --tiny               # a tiny random Qwen2.5-VL: plumbing only, no download
#   orchestration/gpu_check.sh --engine transformers --tiny   # no vLLM here: transformers on the GPU (NOT vLLM)
#   orchestration/gpu_check.sh --pages 512 --concurrency 256 --vllm-arg=--gpu-memory-utilization=0.9
#
# Python: $PYTHON, else .venv/bin/python, else python3 (run it from an environment with torch + transformers,
# and vllm for --engine vllm). Results: printed, and DIR/gpu_check.json (--out DIR keeps inputs and logs).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${PYTHON:-}" ]; then PY="$PYTHON"; elif [ -x .venv/bin/python ]; then PY=.venv/bin/python; else PY=python3; fi
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=index,name,memory.total,memory.used --format=csv,noheader
else
  echo "gpu_check: nvidia-smi not found: no CUDA GPU here (numbers will be CPU plumbing only)" >&2
fi
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
exec "$PY" -m tools.ocr.gpu_check "$@"
