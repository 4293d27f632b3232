"""GPU check: OCR throughput (pages/s per GPU) of the ocr stage's VLM path on a CUDA machine.

    orchestration/gpu_check.sh [--config stages/ocr/models/NAME.toml] [--model DIR | --tiny [qwen2.5-vl|lightonocr]]
                               [--engine vllm|transformers] [--pages 256] [--concurrency 128]
                               [--max-tokens N] [--render-workers 8] [--out DIR]

- ``--config``: the OCR model's configuration ([ocr] model, prompt, image size, max tokens, answer format), as
  given to ``finepdfs ocr --config``; default RolmOCR (stages/ocr/stage.toml). ``stages/ocr/models/`` holds
  olmOCR-2's and LightOnOCR-2's. ``--model DIR`` points at the weights when they are not under the models dir.

- ``--engine vllm`` (the real check): starts ``vllm serve MODEL`` on this GPU, waits until it is ready, then runs
  the ocr stage itself (``finepdfs ocr --server endpoint``: its renderer, request pipeline, retries, assembly
  and shard writer) over ``--pages`` distinct synthetic scanned pages, and reports pages/s = pages / stage
  wall time (server start-up excluded, page rendering included). Also reports how fast the render pool alone
  goes, to show that rendering does not starve the server.
- ``--engine transformers`` (fallback where vLLM is not installed; NOT vLLM and NOT representative of
  production throughput): the same page images and prompt through ``transformers`` ``generate`` on the GPU in
  batches, to check the model path and give a floor.
- ``--tiny``: a tiny random Qwen2.5-VL made on the spot (tools/tiny_models.py) instead of the real weights
  (RolmOCR's and olmOCR-2's architecture; ``--tiny lightonocr`` for LightOnOCR-2's): checks the plumbing on a
  GPU without the download; its pages/s says nothing about the real model's.

FinePDFs reports about 5 pages/s per H100 for RolmOCR on vLLM, olmOCR 4.5: with the real model the check should
land in that range at a concurrency of 100-300.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import io
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = (
    "the of and to in is that for it as was with be by on not he this are or his from at which but have an they "
    "you were her she there been one all we their has would when if so what out up more who will no can said "
    "river harbour council minutes report station meeting budget season library garden repair delivery members "
    "committee schedule notice water bridge school market winter summer road quarterly account inventory"
).split()


def page_text(seed: int) -> str:
    rng = random.Random(seed)
    paragraphs = []
    for _ in range(rng.randint(3, 6)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(40, 90))]
        paragraphs.append(" ".join(words).capitalize() + ".")
    return f"Document {seed}\n\n" + "\n\n".join(paragraphs)


def synthetic_pdfs(pages: int, folder: Path, pages_per_doc: int = 4) -> list[Path]:
    """Distinct image-only PDFs (no two pages alike, so no server-side cache can help)."""
    from tools.ocr.fixtures import scanned_pdf

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for start in range(0, pages, pages_per_doc):
        texts = [page_text(i) for i in range(start, min(pages, start + pages_per_doc))]
        path = folder / f"synthetic_{start:06d}.pdf"
        path.write_bytes(scanned_pdf(texts, dpi=150))
        paths.append(path)
    return paths


def page_images_b64(pdfs: list[Path], render_workers: int, spec) -> tuple[list[str], float]:
    """Every page rendered by the stage's page pool (FinePDFs sizing); (base64 PNGs, render pages/s)."""
    from shared.isolation import WorkerPool
    from stages.ocr.render import init_render_worker, render_work

    with WorkerPool(init_render_worker, spec, render_work, workers=render_workers, timeout_s=120,
                  max_memory_mb=0) as pool:
        pool.submit(("count", str(pdfs[0]))).result()  # workers up before the clock starts
        jobs = []
        for pdf in pdfs:
            count = pool.submit(("count", str(pdf))).result()
            jobs.extend(pool.submit(("ocr", str(pdf), i)) for i in range(count))
        start = time.monotonic()
        images = [job.result().png_b64 for job in jobs]
        seconds = time.monotonic() - start
    return images, len(images) / seconds


def pil_pages(pages: int, spec) -> list:
    """Without PyMuPDF (a bare GPU box): pages drawn with PIL at FinePDFs' A4 size. Same sizes, not the renderer."""
    import textwrap

    from PIL import Image, ImageDraw, ImageFont

    from stages.ocr.render import target_size

    width, height = target_size(595, 842, spec)
    font = ImageFont.load_default(size=18)
    images = []
    for i in range(pages):
        image = Image.new("RGB", (width, height), "white")
        draw = ImageDraw.Draw(image)
        lines = [line for paragraph in page_text(i).split("\n\n") for line in textwrap.wrap(paragraph, 80) + [""]]
        draw.multiline_text((60, 60), "\n".join(lines), fill="black", font=font, spacing=6)
        images.append(image)
    return images


def have_pymupdf() -> bool:
    try:
        import pymupdf  # noqa: F401
    except ImportError:
        return False
    return True


def gpu_name() -> str:
    try:
        return subprocess.run(["nvidia-smi", "--query-gpu=name,memory.total", "--format=csv,noheader"],
                              capture_output=True, text=True, timeout=30).stdout.strip() or "unknown"
    except (OSError, subprocess.TimeoutExpired):
        return "no nvidia-smi"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- vLLM ---------------------------------------------------------------------------------------------------
VLLM_CPU_ENV = {"VLLM_CPU_KVCACHE_SPACE": "1"}  # vLLM on CPU (tiny models): 1 GiB of KV cache, not a share of RAM
TINY_VLLM_ARGS = ["--dtype", "bfloat16", "--enforce-eager"]  # a tiny random model: no CUDA graphs, no compile


def start_vllm(vllm: str, model: str, port: int, max_model_len: int, extra: list[str], log: Path,
               env: dict[str, str] | None = None, access_log: bool = False):
    """``vllm serve MODEL`` in its own process group (so that stop_vllm ends its workers too)."""
    cmd = [vllm, "serve", model, "--port", str(port), "--max-model-len", str(max_model_len),
           "--limit-mm-per-prompt", '{"image":1,"video":0}', *([] if access_log else ["--disable-uvicorn-access-log"]),
           *extra]
    print("starting:", " ".join(cmd), flush=True)
    return subprocess.Popen(cmd, stdout=log.open("a"), stderr=subprocess.STDOUT, start_new_session=True,
                            env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})})


def stop_vllm(process, signal_number: int = 15, timeout_s: float = 60) -> None:
    """End a server started by start_vllm and every process of its group (SIGKILL if it does not stop)."""
    import signal

    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal_number)
        try:
            process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # the engine core and any worker left behind
    process.wait()


def wait_ready(process, port: int, timeout_s: float) -> float:
    import urllib.request

    start = time.monotonic()
    while time.monotonic() - start < timeout_s:
        if process.poll() is not None:
            raise RuntimeError(f"vllm exited with code {process.returncode} (see its log)")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=5) as answer:
                if answer.status == 200:
                    return time.monotonic() - start
        except OSError:
            pass
        time.sleep(2)
    raise TimeoutError(f"vllm not ready after {timeout_s}s")


def run_vllm_check(args, model: str, out: Path) -> dict:
    from shared.shards import read_dataset
    from stages.cli import invoke
    from tools.ocr.fixtures import routed_shard_from_files

    vllm = args.vllm or shutil.which("vllm")
    if not vllm:
        raise SystemExit("no `vllm` executable: install vLLM, pass --vllm PATH, or use --engine transformers")
    pdfs = synthetic_pdfs(args.pages, out / "pdfs")
    _, render_rate = page_images_b64(pdfs, args.render_workers, args.spec)
    routed_shard_from_files(pdfs, out / "in")
    extra = list(TINY_VLLM_ARGS) if args.tiny else []
    extra += args.vllm_arg
    port = free_port()
    process = start_vllm(vllm, model, port, args.settings["max_model_len"], extra, out / "vllm.log",
                         env=VLLM_CPU_ENV if args.tiny else None)
    try:
        startup = wait_ready(process, port, args.ready_timeout)
        print(f"vllm ready after {startup:.0f}s", flush=True)
        flags = ["--max-tokens", str(args.max_tokens), "--request-timeout-s", "3600", "--retries", "1"]
        if args.tiny:  # random weights: noise that loops and never stops; every page would fail
            flags += ["--no-check-repetition", "--no-truncated-is-failure", "--degenerate-retry-temperatures", "",
                      "--hallucination-ink-per-char", "0", "--max-failed-page-ratio", "1"]
        start = time.monotonic()
        code = invoke("ocr", *["--input", str(out / "in"), "--output", str(out / "ocr"), "--engine", "rolmocr",
                            "--server", "endpoint", "--endpoint", f"http://127.0.0.1:{port}", "--model", model,
                            "--concurrency", str(args.concurrency), "--render-workers", str(args.render_workers),
                            *(["--config", args.config] if args.config else []), *flags])
        seconds = time.monotonic() - start
    finally:
        stop_vllm(process)
    if code:
        raise SystemExit(f"the ocr stage failed (exit {code}); see {out}/ocr/_logs")
    rows = read_dataset(out / "ocr").to_pylist()
    pages = sum(r["num_pages"] for r in rows)
    failed = sum(len(r["failed_pages"] or []) for r in rows)
    stats = json.loads((out / "ocr" / "_logs" / "stats" / "00000.json").read_text())
    runner = next(step for step in stats if "RolmOCR" in step["name"])["stats"]
    tokens = runner.get("completion_tokens", {}).get("total", 0)
    return {"engine": "vllm (the ocr stage, --server endpoint)", "pages": pages, "failed_pages": failed,
            "failed_documents": read_dataset(out / "ocr" / "errors").num_rows,
            "seconds": round(seconds, 1), "pages_per_s": round(pages / seconds, 3),
            "output_tokens_per_s": round(tokens / seconds, 1), "render_pages_per_s": round(render_rate, 1),
            "server_startup_s": round(startup, 1)}


# --- transformers (fallback, not vLLM) ----------------------------------------------------------------------
def run_transformers_check(args, model: str, out: Path) -> dict:
    import torch
    from PIL import Image
    from transformers import AutoModelForImageTextToText, AutoProcessor

    from stages.ocr.render import RenderSpec

    device = args.device
    if device == "cuda" and not torch.cuda.is_available():
        raise SystemExit("transformers check: no CUDA device (--device cpu runs the plumbing on CPU)")
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    if have_pymupdf():
        pdfs = synthetic_pdfs(args.pages, out / "pdfs")
        images_b64, render_rate = page_images_b64(pdfs, args.render_workers, args.spec)
        images = [Image.open(io.BytesIO(base64.b64decode(b))).convert("RGB") for b in images_b64]
        renderer = "the stage's page pool (PyMuPDF)"
    else:
        images, render_rate, renderer = pil_pages(args.pages, RenderSpec(args.spec.longest_side)), 0.0, \
            "PIL (no PyMuPDF here)"
    processor = AutoProcessor.from_pretrained(model)
    processor.tokenizer.padding_side = "left"
    net = AutoModelForImageTextToText.from_pretrained(model, dtype=torch.bfloat16).to(device).eval()
    content = [{"type": "image"}]
    if args.settings["prompt"]:
        text = {"type": "text", "text": args.settings["prompt"]}
        content = [text, *content] if args.settings["prompt_before_image"] else [*content, text]
    messages = [{"role": "user", "content": content}]
    prompt = processor.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
    generated, start = 0, None
    for first in range(0, len(images), args.batch):
        batch = images[first:first + args.batch]
        inputs = processor(text=[prompt] * len(batch), images=batch, return_tensors="pt", padding=True).to(device)
        if start is None:  # the first batch warms CUDA up: not timed
            with torch.inference_mode():
                net.generate(**inputs, max_new_tokens=8, do_sample=False)
            sync()
            start = time.monotonic()
        with torch.inference_mode():
            output = net.generate(**inputs, max_new_tokens=args.max_tokens, do_sample=False,
                                  repetition_penalty=args.settings["repetition_penalty"])
        generated += int((output[:, inputs["input_ids"].shape[1]:] != processor.tokenizer.pad_token_id).sum())
    sync()
    seconds = time.monotonic() - start
    return {"engine": "transformers generate (NOT vLLM: model-path check, not production throughput)",
            "pages": len(images), "batch": args.batch, "seconds": round(seconds, 1),
            "pages_per_s": round(len(images) / seconds, 3), "output_tokens_per_s": round(generated / seconds, 1),
            "render_pages_per_s": round(render_rate, 1), "pages_drawn_by": renderer}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--config", default=None,
                        help="the OCR model's [ocr] configuration, e.g. stages/ocr/models/lightonocr-2.toml "
                             "(default: RolmOCR, stages/ocr/stage.toml)")
    parser.add_argument("--model", default=None, help="model folder (default: the configuration's [ocr] model under "
                                                      "the models dir)")
    parser.add_argument("--tiny", nargs="?", const="qwen2.5-vl", choices=("qwen2.5-vl", "lightonocr"), default=None,
                        help="a tiny RANDOM model of that architecture, made now (plumbing only)")
    parser.add_argument("--engine", choices=("vllm", "transformers"), default="vllm")
    parser.add_argument("--pages", type=int, default=256)
    parser.add_argument("--concurrency", type=int, default=128)
    parser.add_argument("--max-tokens", type=int, default=None, help="default: the configuration's (tiny: 256)")
    parser.add_argument("--render-workers", type=int, default=min(8, os.cpu_count() or 2))
    parser.add_argument("--batch", type=int, default=16, help="transformers: pages per generate call")
    parser.add_argument("--device", default="cuda", help="transformers: torch device (cpu: plumbing only)")
    parser.add_argument("--vllm", default=None, help="vllm executable (default: `vllm` on PATH)")
    parser.add_argument("--vllm-arg", action="append", default=[], help="extra `vllm serve` argument (repeat)")
    parser.add_argument("--ready-timeout", type=float, default=1800)
    parser.add_argument("--out", default=None, help="keep inputs, outputs and logs here (default: a temp dir)")
    args = parser.parse_args(argv)

    from shared.config import models_dir, stage_settings
    from stages.ocr.stage import local_model_folder, render_spec

    args.settings = stage_settings("ocr", args.config)
    args.spec = render_spec(args.settings)
    args.max_tokens = args.max_tokens or (256 if args.tiny else args.settings["max_tokens"])
    out = Path(args.out or tempfile.mkdtemp(prefix="finepdfs-gpu-check-"))
    out.mkdir(parents=True, exist_ok=True)
    if args.tiny:
        from tools.tiny_models import make_tiny_lightonocr, make_tiny_qwen25_vl

        make = make_tiny_lightonocr if args.tiny == "lightonocr" else make_tiny_qwen25_vl
        model = str(make(out / f"tiny-{args.tiny}"))
    else:
        name = args.model or args.settings["model"]
        model = local_model_folder(name, models_dir(args.config))
        if model is None:
            raise SystemExit(f"model {name!r} not found (a folder, or under the models dir): "
                             f"`FINEPDFS_CONFIG={args.config or ''} python -m scripts.models fetch --rolmocr` fetches the "
                             "configured model, or use --tiny")
    print(f"GPU: {gpu_name()}   model: {model}{' (tiny, random)' if args.tiny else ''}   engine: {args.engine}",
          flush=True)
    result = (run_vllm_check if args.engine == "vllm" else run_transformers_check)(args, model, out)
    result |= {"gpu": gpu_name(), "model": model, "config": args.config or "RolmOCR (defaults)",
               "tiny_random_model": args.tiny, "concurrency": args.concurrency, "max_tokens": args.max_tokens}
    (out / "gpu_check.json").write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))
    where = "one GPU" if "nvidia-smi" not in result["gpu"] else "this machine (NO GPU seen: plumbing only)"
    print(f"=> {result['pages_per_s']} pages/s on {where} ({result['engine']}); details in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
