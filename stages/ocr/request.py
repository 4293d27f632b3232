"""RolmOCR's request for one page, and the check that its answer is not a generation loop. No heavy imports:
the GPU check uses these where datatrove is not installed."""

from __future__ import annotations

from dataclasses import dataclass

from stages.ocr.render import RenderSpec

PROMPT = "Return the plain text representation of this document as if you were reading it naturally."


@dataclass(frozen=True)
class RolmOcrSettings:
    """The [ocr] settings of the RolmOCR path (defaults: shared/defaults.toml)."""

    spec: RenderSpec
    max_tokens: int
    temperature: float
    repetition_penalty: float
    retries: int  # per page, for 5xx / timeouts / dropped connections
    backoff_s: float  # first retry after about this long, doubling
    check_repetition: bool
    truncated_is_failure: bool
    max_pages: int
    prefetch_pages: int  # rendered pages waiting for a request slot



def build_request(image_b64: str, settings: RolmOcrSettings) -> dict:
    """The chat request for one page (``model`` is added by the runner)."""
    return {
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{image_b64}"}},
                    {"type": "text", "text": PROMPT},
                ],
            }
        ],
        "temperature": settings.temperature,
        "repetition_penalty": settings.repetition_penalty,
        "max_tokens": settings.max_tokens,
    }


def repetition_problem(text: str, min_span: int = 200, min_repeats: int = 4, max_period: int = 200,
                       max_same_lines: int = 32) -> str | None:
    """Why ``text`` looks like a generation loop, or None.

    A loop is a unit of up to ``max_period`` chars repeated at the end of the text, at least ``min_repeats``
    times and over at least ``min_span`` chars, or one non-empty line repeated ``max_same_lines`` times in a row.
    """
    stripped = text.rstrip()
    for period in range(1, min(max_period, len(stripped) // min_repeats) + 1):
        repeats = max(min_repeats, -(-min_span // period))
        if period * repeats > len(stripped):
            break
        unit = stripped[-period:]
        if unit.strip() and stripped.endswith(unit * repeats):
            return f"repetition: {unit[:30]!r} x{repeats}+ at the end"
    run, previous = 0, None
    for line in stripped.splitlines():
        line = line.strip()
        run = run + 1 if line and line == previous else 1
        previous = line
        if run >= max_same_lines:
            return f"repetition: line {line[:30]!r} x{run}"
    return None
