"""CPU OCR engines, the embedded default where no vLLM server is configured: RapidOCR (PyPI, ships its PP-OCR
ONNX models) or Tesseract (Debian's ``tesseract-ocr``, which ships its models).

Both run inside the page workers (stages.ocr.render.PagePool): one worker renders a page at FinePDFs' size and
reads it, so a page that hangs or blows up costs that page only. The text of a page is its lines in reading
order (top to bottom, left to right), paragraphs separated by a blank line.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass, field
from statistics import median

from stages.ocr.render import PdfCache, RenderSpec, page_count, render_page, text_layer

RAPIDOCR, TESSERACT = "rapidocr", "tesseract"
CPU_ENGINES = (RAPIDOCR, TESSERACT)


class EngineUnavailable(RuntimeError):
    """The engine asked for is not installed here."""


@dataclass(frozen=True)
class CpuOcrSettings:
    engine: str  # the engine chosen (rapidocr | tesseract): not [ocr] engine, which may be "auto"
    spec: RenderSpec = field(default_factory=RenderSpec)
    threads: int = 1  # onnxruntime / tesseract threads per worker; scale with more workers instead
    tesseract_lang: str = "eng"
    tesseract_cmd: str = "tesseract"
    text_score: float = 0.5  # RapidOCR: lines recognised with a lower confidence are dropped


def check_engine(settings: CpuOcrSettings) -> None:
    """Fail early, in the stage's process, with the fix when the engine cannot run here."""
    if settings.engine == RAPIDOCR:
        try:
            import rapidocr  # noqa: F401
        except ImportError as error:
            raise EngineUnavailable("rapidocr is not installed: pip install 'finepdfs-stages[ocr]'") from error
    elif settings.engine == TESSERACT:
        if shutil.which(settings.tesseract_cmd) is None:
            raise EngineUnavailable(
                f"{settings.tesseract_cmd!r} not found: apt-get install tesseract-ocr tesseract-ocr-eng "
                "(plus tesseract-ocr-<lang> for other languages), or use --engine rapidocr"
            )
    else:
        raise ValueError(f"unknown CPU OCR engine {settings.engine!r}; one of {CPU_ENGINES}")


# --- reading order ---------------------------------------------------------------------------------------
def lines_to_text(boxes: list[tuple[float, float, float, float, str]]) -> str:
    """(x0, y0, x1, y1, text) boxes -> text: boxes that overlap vertically form a line (left to right), lines
    go top to bottom, and a vertical gap larger than a line height starts a new paragraph."""
    if not boxes:
        return ""
    boxes = sorted(boxes, key=lambda b: ((b[1] + b[3]) / 2, b[0]))
    lines: list[list] = []
    for box in boxes:
        center = (box[1] + box[3]) / 2
        if lines:
            last = lines[-1]
            top, bottom = min(b[1] for b in last), max(b[3] for b in last)
            if top <= center <= bottom:
                last.append(box)
                continue
        lines.append([box])
    heights = [max(b[3] for b in line) - min(b[1] for b in line) for line in lines]
    line_height = median(heights) if heights else 0
    out, previous_bottom = [], None
    for line in lines:
        top = min(b[1] for b in line)
        if previous_bottom is not None:
            out.append("\n\n" if top - previous_bottom > line_height * 0.8 else "\n")
        out.append(" ".join(b[4].strip() for b in sorted(line, key=lambda b: b[0]) if b[4].strip()))
        previous_bottom = max(b[3] for b in line)
    return "".join(out).strip()


# --- runs inside a worker process ----------------------------------------------------------------------
class _RapidOcr:
    def __init__(self, settings: CpuOcrSettings):
        from rapidocr import RapidOCR

        self.engine = RapidOCR(params={
            "Global.log_level": "error",
            "Global.text_score": settings.text_score,
            # the 0/180 degree line classifier flips some upright lines of scans into garbage: pages are upright
            "Global.use_cls": False,
            "EngineConfig.onnxruntime.intra_op_num_threads": settings.threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        })

    def read(self, image) -> str:
        import numpy as np

        result = self.engine(np.asarray(image)[:, :, ::-1])  # RGB -> BGR, what OpenCV-based engines expect
        if result.boxes is None or result.txts is None:
            return ""
        boxes = []
        for quad, text in zip(result.boxes, result.txts, strict=True):
            xs, ys = [p[0] for p in quad], [p[1] for p in quad]
            boxes.append((min(xs), min(ys), max(xs), max(ys), text))
        return lines_to_text(boxes)


class _Tesseract:
    def __init__(self, settings: CpuOcrSettings):
        self.settings = settings

    def read(self, image) -> str:
        png = io.BytesIO()
        image.save(png, format="PNG")
        cmd = [self.settings.tesseract_cmd, "stdin", "stdout", "-l", self.settings.tesseract_lang, "--psm", "3"]
        env = {"OMP_THREAD_LIMIT": str(self.settings.threads), "PATH": "/usr/bin:/bin:/usr/local/bin"}
        done = subprocess.run(cmd, input=png.getvalue(), capture_output=True, check=False, env=env)
        if done.returncode != 0:
            raise RuntimeError(f"tesseract exited {done.returncode}: {done.stderr.decode(errors='replace')[-500:]}")
        return done.stdout.decode("utf-8", errors="replace").replace("\f", "").strip()


def init_cpu_worker(settings: CpuOcrSettings):
    engine = _RapidOcr(settings) if settings.engine == RAPIDOCR else _Tesseract(settings)
    return settings, PdfCache(), engine


def cpu_work(state, payload: tuple) -> int | str:
    """("count", path) -> pages; ("text", path, i) -> text layer; ("ocr", path, i) -> OCR text of page i."""
    settings, cache, engine = state
    op, path, *rest = payload
    if op == "count":
        return page_count(cache, path)
    if op == "text":
        return text_layer(cache, path, rest[0])
    return engine.read(render_page(cache, path, rest[0], settings.spec))
