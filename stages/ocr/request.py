"""The VLM's request for one page, and the judgement of its answer (hygiene as FinePDFs and olmOCR do it). No
heavy imports: the GPU check uses these where datatrove is not installed.

An answer is a page's text only if it finished on its own (``finish_reason`` "stop"), parses in the model's
answer format, does not repeat (FinePDFs' rules, ``RepetitionLimits``) and is not longer than the page's ink
could hold (a hallucination: olmOCR issue #292, a blank scan answered with a page of "The Art of War").
Otherwise the page fails with the reason, and may be asked again at another temperature first (olmOCR retries
invalid answers at rising temperatures).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from stages.ocr.render import RenderSpec

SENTENCE = re.compile(r"[^.?!]*[.?!]", re.DOTALL)  # FinePDFs: a sentence ends at ".", "?" or "!"
FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(?P<fields>.*?)\n---[ \t]*(?:\n|\Z)(?P<text>.*)\Z", re.DOTALL)


@dataclass(frozen=True)
class RepetitionLimits:
    """FinePDFs' repetition rules for VLM output (its RolmOCR post-processing): a page fails when the same line
    comes ``lines`` more times in a row (tables, lines holding "|", need 3x as many; lines under
    ``min_line_chars`` characters 4x), the same sentence of at least ``min_sentence_chars`` characters
    ``sentences`` more times in a row, or one character ``chars`` more times in a row. Beyond FinePDFs: a
    unit of 2-200 characters repeated at the end of the text over at least ``chars`` characters (a loop
    within one line, "and then and then ...")."""

    lines: int = 3
    sentences: int = 5
    chars: int = 350
    min_line_chars: int = 8
    min_sentence_chars: int = 50


@dataclass(frozen=True)
class RolmOcrSettings:
    """The [ocr] settings of the VLM path (declared in stages/ocr/stage.toml)."""

    spec: RenderSpec
    prompt: str  # "" = the image alone (LightOnOCR)
    prompt_before_image: bool  # olmOCR puts its prompt first, RolmOCR after the image
    answer_format: str  # plain | olmocr (the choices of stages/ocr/stage.toml)
    max_tokens: int
    temperature: float
    top_p: float
    repetition_penalty: float
    retries: int  # per page, for 5xx / timeouts / dropped connections
    backoff_s: float  # first retry after about this long, doubling
    check_repetition: bool
    truncated_is_failure: bool
    degenerate_retry_temperatures: tuple[float, ...]  # a truncated, looping or hallucinated answer: ask again
    hallucination_ink_per_char: float  # ink pixels every answer character needs at least (0: no check)
    max_failed_page_ratio: float  # a document with a larger share of failed pages is an error row
    text_layer_min_letters: int  # the per-page safety net (stages.ocr.document.keep_text_layer)
    text_layer_ocr_share: float
    extractor: str  # the documents' extractor column ("rolmocr")
    max_pages: int
    prefetch_pages: int  # rendered pages waiting for a request slot
    repetition: RepetitionLimits = RepetitionLimits()


def vlm_settings(settings, spec: RenderSpec) -> RolmOcrSettings:
    """The VLM path's settings from the ocr stage's: fields named like a setting are filled from it (pick), the
    rest are derived here."""
    return settings.pick(
        RolmOcrSettings, spec=spec, prefetch_pages=settings.prefetch_pages or 2 * settings.render_workers,
        degenerate_retry_temperatures=tuple(float(t) for t in settings.degenerate_retry_temperatures),
        repetition=RepetitionLimits(lines=settings.repeated_lines, sentences=settings.repeated_sentences,
                                    chars=settings.repeated_chars))



def build_request(image_b64: str, settings: RolmOcrSettings) -> dict:
    """The chat request for one page (``model`` is added by the runner)."""
    image = {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{image_b64}"}}
    content = [image]
    if settings.prompt:
        text = {"type": "text", "text": settings.prompt}
        content = [text, image] if settings.prompt_before_image else [image, text]
    request = {
        "messages": [{"role": "user", "content": content}],
        "temperature": settings.temperature,
        "repetition_penalty": settings.repetition_penalty,
        "max_tokens": settings.max_tokens,
    }
    if settings.top_p < 1.0:
        request["top_p"] = settings.top_p
    return request


def _runs(items):
    """(item, how many times in a row) for each run of equal consecutive items."""
    return ((item, sum(1 for _ in group)) for item, group in itertools.groupby(items))


def repetition_problem(text: str, limits: RepetitionLimits = RepetitionLimits()) -> str | None:
    """Why ``text`` is a generation loop (FinePDFs' rules, see RepetitionLimits), or None."""
    for char, run in _runs(text):
        if run - 1 >= limits.chars:
            return f"repetition:char {char!r} x{run}"
    lines = [line for line in text.split("\n") if line.strip()]
    for line, run in _runs(lines):
        needed = limits.lines * (3 if "|" in line else 1)
        if len(line) + 1 < limits.min_line_chars:  # +1: FinePDFs counts the line's newline
            needed = max(needed, 4 * limits.lines)
        if run - 1 >= needed:
            return f"repetition:line {line[:30]!r} x{run}"
    for sentence, run in _runs(SENTENCE.findall(text)):
        if len(sentence) >= limits.min_sentence_chars and run - 1 >= limits.sentences:
            return f"repetition:sentence {sentence.strip()[:30]!r} x{run}"
    stripped = text.rstrip()
    for period in range(2, min(200, len(stripped) // 4) + 1):
        repeats = max(4, -(-limits.chars // period))
        if period * repeats > len(stripped):
            break
        unit = stripped[-period:]
        if unit.strip() and stripped.endswith(unit * repeats):
            return f"repetition:loop {unit[:30]!r} x{repeats}+ at the end"
    return None


def answer_text(content: str, answer_format: str) -> str | None:
    """The page's text in the model's answer (None: the answer does not have the model's format). olmOCR's
    models answer YAML front matter, then the text; a blank page is front matter alone."""
    if answer_format == "plain":
        return content
    match = FRONT_MATTER.match(content)
    if match is None:
        return None
    text = match.group("text").strip()
    return "" if text.lower() in ("", "null", "none") else text


def judge_answer(content: str, finish_reason: str | None, ink_pixels: int | None,
                 settings: RolmOcrSettings) -> tuple[str, str | None]:
    """(the page's text, None) for a good answer, else ("", why the page failed)."""
    if finish_reason == "length" and settings.truncated_is_failure:
        return "", f"truncated:max_tokens {settings.max_tokens} reached"
    text = answer_text(content or "", settings.answer_format)
    if text is None:
        return "", f"unparsable:not {settings.answer_format} format: {content[:60]!r}"
    if settings.check_repetition and (problem := repetition_problem(text, settings.repetition)):
        return "", problem
    chars = sum(1 for c in text if not c.isspace())
    if ink_pixels is not None and settings.hallucination_ink_per_char > 0 \
            and chars * settings.hallucination_ink_per_char > ink_pixels:
        return "", f"hallucination:{chars} characters from {ink_pixels} ink pixels"
    return text, None
