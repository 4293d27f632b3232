"""CPU OCR engines, the embedded default where no vLLM server is configured: Tesseract (the real libtesseract
through ``tesserocr``, with Debian's ``tesseract-ocr-*`` models) and RapidOCR (PyPI, ships its PP-OCR ONNX models).

Per page, in a page worker (shared.isolation.WorkerPool), with engine ``cpu`` (the default) or ``tesseract``:

1. render the page at the scan's own resolution (``render.render_for_ocr``);
2. script and orientation: Tesseract's OSD (``osd.traineddata``) names the script (Latin, Cyrillic, Han, ...) and
   how the page is turned (0/90/180/270); the page is turned upright;
3. straighten it (``deskew``);
4. read it with the engine chosen for that script (``script_engines``; e.g. RapidOCR for Han and Japanese,
   Tesseract for the others) and, for Tesseract, that script's model (``scripts.tesseract_model``); a Tesseract
   read that lost lines of a scan we scaled down is read again as plain Tesseract sees the scan (``_plain_read``);
5. order its lines with textkit/layout.py, as the text path does: running headers, footers and page numbers at
   the page edges set apart (counted as furniture, not kept), columns by XY-cut, column after column,
   paragraphs joined; the same for both engines (mirrored for right-to-left scripts);
6. the page's confidence: the mean of the engines' line confidences weighted by characters, in [0, 1].

``rapidocr`` alone reads every page with its one model (Chinese, English, Japanese), with steps 3 and 5.
"""

from __future__ import annotations

import atexit
import os
import re
import resource
from dataclasses import dataclass, field, fields, replace

from shared import registry
from stages.ocr import scripts
from stages.ocr.document import keep_text_layer
from stages.ocr.render import (
    PdfCache,
    RenderSpec,
    ScanResolution,
    laid_out_text_layer,
    page_count,
    render_for_ocr,
    scaled_down,
    text_layer,
)
from textkit import layout

CPU, RAPIDOCR, TESSERACT = "cpu", "rapidocr", "tesseract"
CPU_ENGINES = (CPU, RAPIDOCR, TESSERACT)
AUTO_LANG = "auto"
CJK_SCRIPTS = ("Han", "Japanese")  # the scripts the cpu engine hands to RapidOCR (script_engines' default)


class EngineNotInstalled(RuntimeError):
    """The engine asked for is not installed here."""


@dataclass(frozen=True)
class CpuOcrSettings:
    engine: str  # the engine chosen (cpu | rapidocr | tesseract): not [ocr] engine, which may be "auto"
    spec: RenderSpec = field(default_factory=RenderSpec)  # FinePDFs' sizing: only when resolution.finepdfs
    resolution: ScanResolution = field(default_factory=ScanResolution)
    threads: int = 1  # onnxruntime / tesseract threads per worker; scale with more workers instead
    tesseract_lang: str = AUTO_LANG  # auto: the model of each page's script; else these models for every page
    # script -> engine for `cpu` (scripts not named here: default_engine)
    script_engines: dict = field(default_factory=lambda: dict.fromkeys(CJK_SCRIPTS, RAPIDOCR))
    default_engine: str = TESSERACT
    # script -> Tesseract models (scripts not named here: their own script pack, see scripts.tesseract_model)
    tesseract_models: dict = field(default_factory=dict)
    tessdata: str = ""  # folder of the .traineddata files; default $TESSDATA_PREFIX or Debian's
    text_score: float = 0.5  # RapidOCR: lines recognised with a lower confidence are dropped
    rapidocr_longest_side: int = 0  # RapidOCR reads the page scaled down to this (px; 0: as rendered)
    rapidocr_det_side: int = 1280  # RapidOCR finds lines on the page scaled to this longest side (px; 0: its own)
    osd_longest_side: int = 0  # Tesseract's OSD looks at the page scaled down to this (px; 0: as rendered)
    osd_min_characters: int = 30  # characters OSD classifies before it decides (Tesseract's default: 50)
    deskew: bool = True
    deskew_min_deg: float = 0.25  # a page measured within this of straight is read as it is (deskew.deskew)
    tesseract_blur: float = 0.5  # px: Gaussian smoothing of the page before Tesseract reads it (0: none)
    reading_order: str = "auto"  # auto | regions | columns (XY-cut) | rows | engine | engine-body: see ordered_text
    # the per-page safety net (document.keep_text_layer): a usable text layer is not replaced by a poor read
    text_layer_min_letters: int = 200
    text_layer_ocr_share: float = 0.5
    # language after script (Tesseract, auto): a band of the page read with the script's pack names the language
    # (lid.176), the page is read with that language's model; 0 turns it off
    language_probe: float = 0.10  # fraction of the page's height (its middle) read to identify the language
    # script -> the model the probe reads with (scripts not named here: the script's pack)
    language_probe_models: dict = field(default_factory=dict)
    language_min_score: float = 0.5  # language ID score under which the page is read with the script's pack
    language_keep_margin: float = 0.05  # the language read is kept unless its confidence is this far under the probe's
    # the language models of scripts.LANGUAGE_WITH_ENG read with eng beside them only where the probe holds a
    # Latin word read at least this surely (_holds_latin_words; 0: always)
    language_eng_word_confidence: float = 0.85
    # script check (Tesseract, auto): a probe read under this confidence is read with the other candidate script
    # packs too, and the surest one's script reads the page (0: OSD's script stands)
    script_check_below: float = 0.5
    # cpu: lines an alphabetic model read under this confidence are read by RapidOCR too; its Han / kana read
    # replaces them (a Chinese page with code blocks, which OSD calls Latin)
    cjk_check_below: float = 0.6
    # Tesseract: a read whose lines cover under this share of the ink inside its text area lost lines; where ours
    # scaled the scan down, the page is read as plain Tesseract reads it (the scan's own resolution, not smoothed,
    # not straightened), kept when it covers more ink and reads at least as surely (_plain_read; 0: never)
    plain_read_below: float = 0.9

    def engine_for(self, script: str) -> str:
        if self.engine != CPU:
            return self.engine
        return self.script_engines.get(script, self.default_engine)

    def uses_tesseract(self) -> bool:
        return self.engine in (CPU, TESSERACT)


# [ocr] settings named otherwise than the field they fill (every other field is filled by the setting of its name)
_SETTING_OF_FIELD = {"threads": "cpu_threads", "default_engine": "cpu_default_engine"}
_SETTING_OF_RESOLUTION = {"min_dpi": "cpu_min_dpi", "max_dpi": "cpu_max_dpi", "vector_dpi": "cpu_vector_dpi",
                          "scale": "cpu_scan_scale", "max_megapixels": "cpu_max_megapixels",
                          "finepdfs": "cpu_finepdfs_size"}


def cpu_settings(engine: str, cfg: dict, spec: RenderSpec) -> CpuOcrSettings:
    """CpuOcrSettings from the ``[ocr]`` settings (stages/ocr/stage.toml declares and explains each): a field
    takes the setting of its own name, so a new setting needs no line here."""
    values = {}
    for f in fields(CpuOcrSettings):
        key = _SETTING_OF_FIELD.get(f.name, f.name)
        if key in cfg:
            values[f.name] = dict(cfg[key]) if isinstance(cfg[key], dict) else cfg[key]
    resolution = ScanResolution(**{name: cfg[key] for name, key in _SETTING_OF_RESOLUTION.items()})
    return CpuOcrSettings(**{**values, "engine": engine, "spec": spec, "resolution": resolution})


def check_engine(settings: CpuOcrSettings) -> None:
    """Fail early, in the stage's process, with the fix when the engine cannot run here."""
    if settings.engine not in CPU_ENGINES:
        raise ValueError(f"unknown CPU OCR engine {settings.engine!r}; one of {CPU_ENGINES}")
    orders = registry.get("ocr").settings["reading_order"].choices  # one list: stages/ocr/stage.toml
    if settings.reading_order not in orders:
        raise ValueError(f"unknown reading_order {settings.reading_order!r}; one of {orders}")
    engines = {settings.engine} if settings.engine != CPU else {settings.default_engine,
                                                                 *settings.script_engines.values()}
    if RAPIDOCR in engines:
        try:
            import rapidocr  # noqa: F401
        except ImportError as error:
            raise EngineNotInstalled("rapidocr is not installed: pip install 'finepdfs-stages[ocr]'") from error
    if settings.uses_tesseract() or TESSERACT in engines:
        try:
            import tesserocr  # noqa: F401
        except ImportError as error:
            raise EngineNotInstalled("tesserocr is not installed: pip install 'finepdfs-stages[ocr]'") from error
        folder = scripts.tessdata_dir(settings.tessdata)
        needed = {"osd"} if settings.tesseract_lang == AUTO_LANG else set(settings.tesseract_lang.split("+"))
        needed |= {"Latin"} if settings.tesseract_lang == AUTO_LANG else set()
        missing = sorted(m for m in needed if not (folder / f"{m}.traineddata").is_file())
        if missing:
            raise EngineNotInstalled(
                f"Tesseract models {missing} not found in {folder}: apt-get install {' '.join(scripts.APT_PACKAGES)} "
                "(scripts/services.d/ocr.sh does it), or set [ocr] tessdata"
            )


@dataclass(frozen=True)
class Line:
    """One OCR text line (or line segment) in page pixels, with the engine's confidence in [0, 1]."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    confidence: float = 1.0
    block: int = 0  # the engine's own text block (Tesseract's page segmentation, numbered in its order); 0: none
    words: tuple = ()  # (text, confidence) of each word, where the engine gives them (Tesseract)


@dataclass(frozen=True)
class PageOcr:
    """What a worker returns for one OCR'd page."""

    text: str
    confidence: float | None  # None: nothing was read (a blank page)
    engine: str
    script: str | None = None  # as detected (None: not detected, e.g. engine rapidocr)
    orientation: int = 0  # degrees the page was turned clockwise on the scanner (0, 90, 180, 270)
    cpu_s: float = 0.0  # CPU seconds of the worker process for this page (render, detection, OCR)
    read_with: str = ""  # the Tesseract models that read it (e.g. "Cyrillic+Latin"), or the engine's one model
    furniture_chars: int = 0  # characters of running headers / footers / page numbers left out of ``text``
    lines: int = 0  # text lines read (a page of many lines at a low confidence is writing, not noise)
    ink_covered: float | None = None  # share of the text area's ink inside read lines (_plain_read; None: not measured)
    plain_read: bool = False  # the page's plain read replaced ours (_plain_read)


def mean_confidence(lines: list[Line]) -> float | None:
    """Mean line confidence weighted by characters (a long line says more than a stray mark)."""
    weights = [(len(line.text.strip()), line.confidence) for line in lines if line.text.strip()]
    total = sum(w for w, _ in weights)
    return round(sum(w * c for w, c in weights) / total, 4) if total else None


# --- runs inside a worker process ----------------------------------------------------------------------
def scaled(image, longest_side: int):
    """``image`` scaled down so that its longest side is ``longest_side`` px (as it is when 0 or smaller)."""
    from PIL import Image

    if not longest_side or max(image.size) <= longest_side:
        return image
    factor = longest_side / max(image.size)
    return image.resize((round(image.width * factor), round(image.height * factor)), Image.Resampling.LANCZOS)


class _RapidOcr:
    def __init__(self, settings: CpuOcrSettings):
        from rapidocr import RapidOCR

        self.longest_side = settings.rapidocr_longest_side
        self.det_side = settings.rapidocr_det_side
        self.engine = RapidOCR(params={
            "Global.log_level": "error",
            "Global.text_score": settings.text_score,
            # the 0/180 degree line classifier flips some upright lines of scans into garbage: pages are upright
            "Global.use_cls": False,
            "EngineConfig.onnxruntime.intra_op_num_threads": settings.threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        })

    model = "PP-OCR"

    def model_for(self, script: str | None) -> str:
        return self.model

    def read(self, image, script: str | None = None) -> list[Line]:
        small = scaled(image, self.longest_side)
        scale, image = small.width / image.width, small

        self._size_detection(image, script)
        # every flag said: RapidOCR keeps the flags of the last call (read_line turns detection off)
        result = self.engine(bgr(image), use_det=True, use_cls=False, use_rec=True)
        if result.boxes is None or result.txts is None:
            return []
        lines = []
        for quad, text, score in zip(result.boxes, result.txts, result.scores, strict=True):
            xs, ys = [p[0] for p in quad], [p[1] for p in quad]
            lines.append(Line(min(xs) / scale, min(ys) / scale, max(xs) / scale, max(ys) / scale, text, float(score)))
        return lines

    def _size_detection(self, image, script: str | None) -> None:
        """On Han and Japanese pages lines are found on a copy whose longest side is at most
        ``rapidocr_det_side`` (they are read from the image as given): at RapidOCR's own size (shortest side
        >= 736 px) a Han page's detection cost as much as reading its lines. Smaller images, and other scripts,
        keep RapidOCR's own sizing: on dense Latin lists at 400 dpi (a 1910 gazette) the cap lost most lines."""
        if not self.det_side:
            return
        detector = self.engine._load_det_model()  # RapidOCR builds it on first use; sizing is read per call
        cap = max(image.size) > self.det_side and script in CJK_SCRIPTS
        own = (self.engine.cfg.Det.limit_type, self.engine.cfg.Det.limit_side_len)
        detector.limit_type, detector.limit_side_len = ("max", self.det_side) if cap else own

    def read_line(self, image) -> tuple[str, float | None]:
        """(text, confidence) of an image holding one text line: recognition alone. Detection on a line crop
        costs 50x more (2.5 s vs 0.05 s a line: RapidOCR pads a wide crop and scales its short side up to
        736 px) and finds the line the crop already is."""
        result = self.engine(bgr(image), use_det=False, use_cls=False, use_rec=True)
        texts = [t for t in (result.txts or ()) if t.strip()]
        if not texts:
            return "", None
        return " ".join(texts), float(min(result.scores))


def bgr(image):
    """A PIL image as the BGR array OpenCV-based engines expect."""
    import numpy as np

    return np.asarray(image.convert("RGB"))[:, :, ::-1]


class _Tesseract:
    """One libtesseract instance per model, kept for the worker's life (a model loads in 0.1-0.6 s)."""

    def __init__(self, settings: CpuOcrSettings):
        os.environ["OMP_THREAD_LIMIT"] = str(settings.threads)  # before libtesseract starts OpenMP
        import tesserocr

        self.tesserocr = tesserocr
        self.settings = settings
        self.folder = str(scripts.tessdata_dir(settings.tessdata))
        self._apis: dict[tuple[str, int], object] = {}
        atexit.register(self.close)  # libtesseract aborts at exit when its instances are left to the interpreter

    def close(self) -> None:
        for api in self._apis.values():
            api.End()
        self._apis.clear()

    def api(self, model: str, psm=None):
        psm = self.tesserocr.PSM.AUTO if psm is None else psm
        key = (model, int(psm))
        if key not in self._apis:
            api = self.tesserocr.PyTessBaseAPI(path=self.folder + "/", lang=model, psm=psm,
                                               oem=self.tesserocr.OEM.DEFAULT)
            api.SetVariable("tessedit_do_invert", "0")  # scans are dark on light: skip the inverted retry
            self._apis[key] = api
        return self._apis[key]

    def detect(self, image) -> tuple[str, int]:
        """(script, clockwise orientation in degrees) from Tesseract's OSD; Latin / 0 when it cannot say."""
        api = self.api("osd", self.tesserocr.PSM.OSD_ONLY)
        api.SetVariable("min_characters_to_try", str(self.settings.osd_min_characters))
        api.SetImage(scaled(image, self.settings.osd_longest_side))
        try:
            found = api.DetectOrientationScript()
        except RuntimeError:  # too few characters to decide
            found = None
        if not found:
            return scripts.DEFAULT_SCRIPT, 0
        orientation = int(found["orient_deg"]) if found["orient_conf"] >= scripts.MIN_ORIENTATION_CONF else 0
        return scripts.from_osd(found["script_name"]), orientation

    def model_for(self, script: str | None) -> str:
        if self.settings.tesseract_lang != AUTO_LANG:
            return self.settings.tesseract_lang
        return scripts.tesseract_model(script or scripts.DEFAULT_SCRIPT, self.settings.tesseract_models, self.folder)

    def read(self, image, script: str | None) -> list[Line]:
        return self.read_model(image, self.model_for(script))

    def read_model(self, image, model: str, smooth: bool = True) -> list[Line]:
        """Lines from Tesseract's TSV (words with boxes and confidences, in reading order: right to left
        inside an Arabic line; tesserocr's line iterator returns those reversed). ``smooth``: blurred by
        ``tesseract_blur`` first (False: the image as it is, as plain Tesseract reads it)."""
        api = self.api(model)
        if smooth and self.settings.tesseract_blur > 0:
            from PIL import ImageFilter

            image = image.filter(ImageFilter.GaussianBlur(self.settings.tesseract_blur))
        api.SetImage(image)
        api.Recognize()
        words: dict[tuple[int, int, int], list[tuple[int, int, int, int, str, float]]] = {}
        for row in (api.GetTSVText(0) or "").splitlines():
            field = row.split("\t")
            if len(field) < 12 or field[0] != "5" or not field[11].strip():
                continue  # level 5 = a word
            left, top, width, height = (int(v) for v in field[6:10])
            words.setdefault((int(field[2]), int(field[3]), int(field[4])), []).append(
                (left, top, left + width, top + height, field[11].strip(), max(0.0, float(field[10])) / 100.0))
        lines = []
        for (block, _, _), line in words.items():
            for run in split_at_gutters(line):
                text = " ".join(w[4] for w in run)
                weight = sum(len(w[4]) for w in run)
                confidence = sum(len(w[4]) * w[5] for w in run) / weight
                lines.append(Line(min(w[0] for w in run), min(w[1] for w in run), max(w[2] for w in run),
                                  max(w[3] for w in run), text, confidence, block, tuple((w[4], w[5]) for w in run)))
        return lines


GUTTER_GAP = 1.5  # x the line's height: a gap this wide between two words of one line is a column gutter


def split_at_gutters(words: list[tuple]) -> list[list[tuple]]:
    """A Tesseract line as runs of words, cut where two neighbours are further apart than ``GUTTER_GAP`` line
    heights: Tesseract joins the lines of two columns set close together (a 1910 patent gazette) into one
    line, which no column finder can take apart again. Words are (x0, y0, x1, y1, text, confidence), in the
    engine's order (right to left in an Arabic line)."""
    height = sorted(w[3] - w[1] for w in words)[len(words) // 2]
    runs = [[words[0]]]
    for prev, word in zip(words, words[1:], strict=False):
        gap = max(word[0] - prev[2], prev[0] - word[2])
        if gap > GUTTER_GAP * height:
            runs.append([])
        runs[-1].append(word)
    return runs


@dataclass
class _WorkerState:
    settings: CpuOcrSettings
    cache: PdfCache
    engines: dict = field(default_factory=dict)
    lid: object = None

    def language(self, text: str) -> tuple[str, float] | None:
        """(FinePDFs language code, score) of an OCR text by lid.176 (the filter stage's offline model)."""
        from shared.langid import LanguageIdentifier, bundled_model_path, has_letters

        if not has_letters(text, MIN_PROBE_LETTERS):
            return None
        if self.lid is None:
            self.lid = LanguageIdentifier(bundled_model_path())
        scores = self.lid.scores(text)
        if not scores:
            return None
        code = max(scores, key=scores.get)
        return code, scores[code]

    def engine(self, name: str):
        if name not in self.engines:
            self.engines[name] = _RapidOcr(self.settings) if name == RAPIDOCR else _Tesseract(self.settings)
        return self.engines[name]


_CJK_SPACE = re.compile(r"(?<=[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]) "
                                      r"(?=[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef])")


def ordered_text(lines: list[Line], order: str, rtl: bool, width: float, height: float) -> tuple[str, int]:
    """(the page's text, furniture characters left out). ``auto`` (the default): the engine's regions unless
    our columns part fewer neighbours (``engine_or_columns``); ``regions``: textkit/layout.py's page_text with
    the engine's own page segmentation and region order (Tesseract's blocks), each region in reading order;
    ``columns``: page_text with its own XY-cut columns; both leave furniture out and join paragraphs, x
    mirrored for right-to-left scripts so that the right column and the right segment of a row come first;
    ``rows``: top to bottom across the whole page, one line per row (this stage's order before columns were
    found); ``engine``: as the engine returned them; ``engine-body``: as the engine returned them, furniture
    left out.
    Lines joined inside a paragraph get no space between two Han / kana characters (none is written there)."""
    lines = [line for line in lines if line.text.strip()]
    if order == "engine":
        return "\n".join(line.text for line in lines), 0
    boxes = [layout.Box(ln.x0, ln.y0, ln.x1, ln.y1, ln.text, region=ln.block) for ln in lines]
    if order == "engine-body":  # the engine's own page segmentation and order, furniture left out
        body, furniture = layout.split_furniture(boxes, width, height)
        kept = {id(b) for b in body}
        text = "\n".join(b.text for b in boxes if id(b) in kept)
        return _CJK_SPACE.sub("", text), sum(len(b.text) for b in furniture)
    if rtl:
        boxes, _ = layout.mirrored(boxes, width)
    if order == "rows":
        rows = layout.rows(boxes)
        text = "\n".join(" ".join(b.text for b in row) for row in rows)
        return text, 0
    if order == "auto":
        result = engine_or_columns(boxes, width, height)
    else:
        result = layout.page_text(boxes, width, height, by_region=order == "regions")
    return _CJK_SPACE.sub("", result.text), sum(len(b.text) for b in result.furniture)


def engine_or_columns(boxes: list[layout.Box], width: float, height: float) -> layout.PageText:
    """Tesseract's own page segmentation and region order, or our XY-cut columns, whichever parts fewer lines
    from their neighbours (``layout.broken_neighbours``: the line right under them in their column, the near
    rest of their row; a measure that needs no truth). Both orders come from the one read. On a tie our
    columns stand (tune pages of the real-scan set: three ties where the orders differ, each read better by
    the columns: Tesseract lists a line a little off its neighbours' baseline in another block). Tune pages
    where it decides: a 1910 gazette's two dense columns that XY-cut reads row by row (126 neighbours parted;
    Tesseract's blocks 36), its columns under a heading set across the gutter that XY-cut reads before the
    columns above it (16; 15); an 1800 book page whose Tesseract block order puts three lines of the one
    column after the page's end (12; ours 6)."""
    engine = layout.page_text(boxes, width, height, by_region=True)
    if len({b.region for b in boxes}) <= 1:
        return engine  # one region (or an engine without regions, RapidOCR): the orders are the same
    columns = layout.page_text(boxes, width, height)
    if layout.broken_neighbours(_read_lines(engine)) < layout.broken_neighbours(_read_lines(columns)):
        return engine
    return columns


def _read_lines(page: layout.PageText) -> list[layout.Box]:
    return [line for paragraph in page.paragraphs for line in paragraph.lines]


MIN_PROBE_LETTERS = 40  # letters the probe must read for its language to be identified


def middle_band(image, fraction: float):
    """The middle ``fraction`` of the page's height, full width: enough lines to tell the language."""
    top = round(image.height * (1 - fraction) / 2)
    return image.crop((0, top, image.width, top + max(1, round(image.height * fraction))))


def cjk_script(text: str) -> str | None:
    """Han or Japanese when at least a third of a text's letters are Han / kana (Japanese: kana among them)."""
    letters = [c for c in text if c.isalpha()]
    han = sum(1 for c in letters if "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff")
    kana = sum(1 for c in letters if "\u3040" <= c <= "\u30ff")
    if not letters or (han + kana) * 3 < len(letters):
        return None
    return "Japanese" if kana * 5 >= han + kana else "Han"


CJK_LINES_TO_TRY = 3  # weak lines looked at before a page is taken to hold no Han / kana
CJK_MIN_CONFIDENCE = 0.8  # RapidOCR's confidence for its Han / kana read of a line to replace the line


def cjk_lines(state: _WorkerState, image, lines: list[Line]) -> tuple[list[Line], int]:
    """Regions, not pages: on a page read by an alphabetic model, the lines it read unsure (under
    ``cjk_check_below``) are read again by RapidOCR, and a line it reads as Han / kana with confidence replaces
    the alphabetic garbage (a Chinese heading above a code block: the code stays with Tesseract's model). After
    ``CJK_LINES_TO_TRY`` unsure lines in a row that are not Han / kana, the page is taken to hold none.
    (lines, how many were replaced)."""
    settings = state.settings
    if RAPIDOCR not in {settings.engine_for("Han"), settings.engine_for("Japanese")}:
        return lines, 0
    out, replaced, misses = [], 0, 0
    for line in lines:
        weak = line.confidence < settings.cjk_check_below and len(line.text.strip()) >= 2
        if not weak or misses >= CJK_LINES_TO_TRY:
            out.append(line)
            continue
        pad = max(2, round((line.y1 - line.y0) * 0.3))
        crop = image.crop((max(0, line.x0 - pad), max(0, line.y0 - pad), min(image.width, line.x1 + pad),
                           min(image.height, line.y1 + pad)))
        text, confidence = state.engine(RAPIDOCR).read_line(crop)
        if cjk_script(text) and confidence is not None and confidence >= max(CJK_MIN_CONFIDENCE, line.confidence):
            out.append(replace(line, text=text, confidence=confidence))
            replaced, misses = replaced + 1, 0
        else:
            out.append(line)
            misses += 1
    return out, replaced


TURN_CHECK_BAND = 0.3  # of the page's height: the band read both ways when OSD says a page is turned


def _turn_check(state: _WorkerState, image, turned, script: str) -> tuple[bool, list[Line]]:
    """OSD calls some upright pages turned (a 1902 book page as upside-down Arabic, a 1921 one as upside-down
    Thai: read so, they were failed as handwriting). The middle band is read both ways, turned with the
    script OSD named and as it came with the Latin probe's model (``_probe``: eng, half the Latin pack's time);
    the turn stands when it reads at least as surely.
    (the turn stands, the band's lines read the way that won: the page's language probe, not read again)."""
    reader = state.engine(TESSERACT)
    turned_lines = reader.read(middle_band(turned, TURN_CHECK_BAND), script)
    upright_lines = _probe(reader, middle_band(image, TURN_CHECK_BAND), scripts.DEFAULT_SCRIPT)
    as_turned, as_is = mean_confidence(turned_lines), mean_confidence(upright_lines)
    if as_is is None or (as_turned is not None and as_turned >= as_is):
        return True, turned_lines
    return False, upright_lines


def _language_read(state: _WorkerState, reader, image, probe: list[Line], script: str | None):
    """Language after script: the probe (the middle band read with the script's pack) names the language;
    the page is read with that language's model (faster than the script packs and closer to the page's
    spelling), and kept unless its confidence falls ``language_keep_margin`` under the probe's. A page whose
    middle holds too little text to tell (a short letter, a title page) is read whole with the script's pack
    first, and that read names the language and is the one to beat. (lines, model, script), or None when the
    page is to be read with the script's pack (the language cannot be told or has no model here)."""
    settings = state.settings
    reference, whole = probe, None
    found = state.language(" ".join(line.text for line in probe))
    if found is None:
        reference = whole = reader.read(image, script)
        found = state.language(" ".join(line.text for line in whole))
    read = " ".join(line.text for line in reference)
    latin = settings.language_eng_word_confidence <= 0 or _holds_latin_words(reference, script, settings)
    with_eng = scripts.LANGUAGE_WITH_ENG if latin else ()
    chosen = scripts.language_model(found[0], reader.folder, with_eng) \
        if found is not None and found[1] >= settings.language_min_score and not _pack_reads_better(read, script) \
        else None
    if chosen is None:
        return (whole, reader.model_for(script), script) if whole is not None else None
    model, language_script = chosen
    lines = reader.read_model(image, model)
    confidence, bar = mean_confidence(lines), mean_confidence(reference)
    if confidence is None or (bar is not None and confidence < bar - settings.language_keep_margin):
        return (whole, reader.model_for(script), script) if whole is not None else None
    return lines, model, language_script


LATIN_WORD_LETTERS = 5  # Latin letters (and no others) a word of the probe needs to count as Latin text
# Latin letters that Tesseract's Latin models read for letters of these scripts (old Cyrillic print: "Bb" for
# "въ", "uxb" for "ихъ", "aoaromb" for "долгомъ", "m" for an old "т", "r" for "г"): a word made of these alone
# is no evidence of Latin text on a page of that script
LATIN_LOOKALIKES = {"Cyrillic": frozenset("aAbBcCeEHhiKkMmnoOpPrTuxXyY")}


def _holds_latin_words(lines: list[Line], script: str | None, settings: CpuOcrSettings) -> bool:
    """Does the probe hold Latin text: a word of at least ``LATIN_WORD_LETTERS`` Latin letters (and no others),
    not all of them look-alikes of the page's script (``LATIN_LOOKALIKES``), read at
    ``language_eng_word_confidence`` or more? Only then does eng sit beside the language model of a non-Latin
    script (``rus+eng``): Tesseract takes, word by word, the surer of the two models, and on print the language
    model reads unsure (Russian books of 1790-1800, old letters and types) eng wins a sixth of the words with
    Latin look-alikes that the language model alone reads in Cyrillic. The Latin of the OCR set's Cyrillic and
    Greek TeX manuals is commands, file names and words ("\\usepackage{cmap}", "greektonoi.sty", "chapter")."""
    lookalikes = LATIN_LOOKALIKES.get(script or "", frozenset())
    for line in lines:
        for text, confidence in line.words:
            letters = [char for char in text if char.isalpha()]
            if (confidence >= settings.language_eng_word_confidence and len(letters) >= LATIN_WORD_LETTERS
                    and all("a" <= char.lower() <= "z" for char in letters)
                    and not all(char in lookalikes for char in letters)):
                return True
    return False


def _pack_reads_better(text: str, script: str | None) -> bool:
    """Polytonic Greek is read with the Greek script pack, whatever language lid.176 names (scripts.polytonic)."""
    return script == "Greek" and scripts.polytonic(text)


def _probe(reader, band, script: str | None) -> list[Line]:
    """The language probe's read of the middle band: with ``language_probe_models``' model for the script where
    one is named (Latin: ``eng``, which reads a band in about half the Latin pack's time, and whose read of a
    French or German band lid.176 still names), else with the script's pack."""
    model = reader.settings.language_probe_models.get(script or scripts.DEFAULT_SCRIPT)
    return reader.read_model(band, model) if model else reader.read(band, script)


def _script_check(reader, band, probe: list[Line], script: str | None) -> tuple[str | None, list[Line]]:
    """OSD misnames the script of some pages (polytonic Greek print as Latin, Fraktur or Devanagari: 3 of the
    real-scan set's 10 tune Greek pages), whose read with that script's pack then fails under the engine's
    confidence floor. Where the probe band's read with OSD's script is unsure (under ``script_check_below``), the
    band is read with the packs of ``scripts.SCRIPT_CANDIDATES`` too, and the surest read's script stands when it
    is ``scripts.SCRIPT_CHECK_MARGIN`` surer (those three pages: 0.31-0.37 with OSD's script, 0.57-0.68 with the
    Greek pack). A candidate whose read (with Latin beside its pack) holds more Latin letters than letters of
    its script does not stand (``scripts.latin_after_all``: two poor Latin pages of the set's tune split,
    read surer as Cyrillic and as Greek, whose whole read then came out Latin). Pages read surely cost nothing.
    A right-to-left script OSD names stands as it is: their reads run unsure by nature (0.69-0.86 on the
    synthetic set's Arabic pages), and one of them, a probe read at 0.39, was taken for Cyrillic and the page
    lost. A candidate that reads the band ``SCRIPT_CHECK_MARGIN`` over ``script_check_below`` stands at once, the
    packs after it unread (on the real-scan set's tune pages the winner, where one won, led the next pack by
    0.15-0.20). (script, probe lines)."""
    below, confidence = reader.settings.script_check_below, mean_confidence(probe)
    if confidence is None or confidence >= below or scripts.is_rtl(script):
        return script, probe
    best = (confidence + scripts.SCRIPT_CHECK_MARGIN, script, probe)
    for candidate in scripts.SCRIPT_CANDIDATES:
        if candidate == (script or scripts.DEFAULT_SCRIPT):
            continue
        lines = _probe(reader, band, candidate)
        surety = mean_confidence(lines)
        if surety is not None and surety > best[0] and not scripts.latin_after_all(
                " ".join(line.text for line in lines), candidate, reader.model_for(candidate)):
            best = (surety, candidate, lines)
            if surety >= below + scripts.SCRIPT_CHECK_MARGIN:
                break  # read as surely as a sure probe, and then some: the packs left are not read
    return best[1], best[2]


def _script_by_letters(reader, probe: list[Line], script: str | None) -> str | None:
    """The script the probe's letters name, before the page is read whole: a probe that the script's pack (with
    Latin beside it) read in more Latin letters than letters of its script is Latin (``scripts.latin_after_all``:
    OSD calls some Latin pages with many accents Cyrillic), else the script stands. Decided on the band, the page
    is read once; decided on the whole page's read (as it was), such a page was read twice, and a commentary page
    whose band holds Greek quotations but whose whole read holds more Latin letters than Greek was read the
    second time with the Latin pack alone, which read its Greek as Latin garbage (a tune page of the real-scan
    set, Campbell's Sophocles 1881 p. 50: 0.36 similarity with Greek+Latin, 0.18 read again with Latin)."""
    text = " ".join(line.text for line in probe)
    return scripts.DEFAULT_SCRIPT if scripts.latin_after_all(text, script, reader.model_for(script)) else script


def init_cpu_worker(settings: CpuOcrSettings) -> _WorkerState:
    return _WorkerState(settings, PdfCache())


def _cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


PLAIN_READ_MARGIN = 0.02  # of the ink: how much more the plain read must cover to replace ours


def ink_covered(image, lines: list[Line], contrast: int = RenderSpec.ink_contrast) -> float | None:
    """Share of the ink inside the read's text area (the box around all its lines) that lies in a read line's
    box; None when nothing was read. Tesseract's line finding drops or merges lines on some pages (tightly set
    Arabic scaled down from 600 dpi: 0.72 of the ink covered, every line found at the scan's own resolution):
    what it skipped is ink between the lines it read. Counted on every fourth pixel each way (a share, cheap)."""
    import numpy as np

    boxes = [(line.x0, line.y0, line.x1, line.y1) for line in lines if line.text.strip()]
    if not boxes:
        return None
    step = 4
    grey = np.asarray(image if image.mode == "L" else image.convert("L"))[::step, ::step].astype(np.int16)
    ink = np.abs(grey - int(np.median(grey[::4, ::4]))) >= contrast  # the paper: the median grey
    covered = np.zeros_like(ink)
    for x0, y0, x1, y1 in boxes:
        covered[int(y0) // step:int(y1) // step + 1, int(x0) // step:int(x1) // step + 1] = True
    top, left = min(b[1] for b in boxes), min(b[0] for b in boxes)
    bottom, right = max(b[3] for b in boxes), max(b[2] for b in boxes)
    area = (slice(int(top) // step, int(bottom) // step + 1), slice(int(left) // step, int(right) // step + 1))
    total = int(np.count_nonzero(ink[area]))
    return round(int(np.count_nonzero(ink[area] & covered[area])) / total, 4) if total else None


def _plain_read(state: _WorkerState, image, lines: list[Line], model: str, plain_image, orientation: int):
    """Never worse than the engine's plain read: where our read of the page (scaled to ``max_dpi``, smoothed,
    straightened) covers under ``plain_read_below`` of the ink in its text area, Tesseract lost lines; the page
    as plain Tesseract sees it (``plain_image()``: the scan's own pixels, turned upright as ours was) is read
    with the same model, not smoothed, and kept when it covers ``PLAIN_READ_MARGIN`` more of its ink and reads
    at least as surely (Tesseract's mean confidence: on noisy scans the unsmoothed read turns specks into lines
    that cover ink, and reads less surely). Pages read whole cost nothing but the count. (image, lines, share of the ink
    covered (None: not measured), whether the plain read was kept)."""
    below = state.settings.plain_read_below
    ours = ink_covered(image, lines) if below > 0 and plain_image is not None else None
    if ours is None or ours >= below:
        return image, lines, ours, False
    plain = plain_image()
    if orientation:
        plain = plain.rotate(orientation, expand=True)
    plain_lines = state.engine(TESSERACT).read_model(plain, model, smooth=False)
    theirs, surety = ink_covered(plain, plain_lines), mean_confidence(plain_lines)
    if theirs is not None and theirs >= ours + PLAIN_READ_MARGIN and (surety or 0) >= (mean_confidence(lines) or 0):
        return plain, plain_lines, theirs, True
    return image, lines, ours, False


def ocr_image(state: _WorkerState, image, plain_image=None) -> PageOcr:
    """Detect, turn upright, straighten, read and order one page image. ``plain_image``: a callable that
    renders the page as a plain engine read sees it, given where ours is a scan scaled down (``_plain_read``;
    None: no such read)."""
    from stages.ocr.deskew import deskew

    settings = state.settings
    script, orientation, band = None, 0, None
    if settings.uses_tesseract() and settings.tesseract_lang == AUTO_LANG:
        script, orientation = state.engine(TESSERACT).detect(image)
        if orientation:
            turned = image.rotate(orientation, expand=True)  # OSD's clockwise turn, undone counter-clockwise
            stands, band = _turn_check(state, image, turned, script)
            if stands:
                image = turned
            else:
                script, orientation = scripts.DEFAULT_SCRIPT, 0
    if settings.deskew:
        image, _ = deskew(image, min_deg=settings.deskew_min_deg)
    engine = settings.engine_for(script or scripts.DEFAULT_SCRIPT)
    reader = state.engine(engine)
    by_language, judged = None, False  # judged: the probe's letters named the script (no second whole read)
    if engine == TESSERACT and settings.tesseract_lang == AUTO_LANG and settings.language_probe > 0:
        # the turn check's band, read with this script's model, is a probe already (twice its height)
        if band is not None:
            probe = band
        else:
            band = middle_band(image, settings.language_probe)
            script, probe = _script_check(reader, band, _probe(reader, band, script), script)
        script, judged = _script_by_letters(reader, probe, script), True
        by_language = _language_read(state, reader, image, probe, script)
    read_as = script  # the script whose model reads the page: OSD's, unless the text it reads says otherwise
    if by_language is not None:
        lines, read_with, read_as = by_language
    else:
        lines = reader.read(image, read_as)
        if engine == TESSERACT and settings.tesseract_lang == AUTO_LANG and not judged and scripts.latin_after_all(
                " ".join(line.text for line in lines), script, reader.model_for(script)):
            read_as = scripts.DEFAULT_SCRIPT
            lines = reader.read(image, read_as)
        read_with = reader.model_for(read_as)
    covered, plain = None, False
    if engine == TESSERACT:
        image, lines, covered, plain = _plain_read(state, image, lines, read_with, plain_image, orientation)
    if engine == TESSERACT and settings.engine == CPU and read_as not in CJK_SCRIPTS:
        lines, replaced = cjk_lines(state, image, lines)
        read_with += "+rapidocr" if replaced else ""
    text, furniture = ordered_text(lines, settings.reading_order, scripts.is_rtl(read_as), image.width, image.height)
    text = scripts.tidy_text(text, read_as)
    return PageOcr(text, mean_confidence(lines), engine, script, orientation, read_with=read_with,
                   furniture_chars=furniture, lines=sum(1 for line in lines if line.text.strip()),
                   ink_covered=covered, plain_read=plain)


def cpu_work(state: _WorkerState, payload: tuple) -> int | str | PageOcr:
    """("count", path) -> pages; ("text", path, i) -> text layer; ("ocr", path, i) -> PageOcr of page i, or
    the page's own text layer (a str) where the read falls short of a usable one (document.keep_text_layer)."""
    op, path, *rest = payload
    if op == "count":
        return page_count(state.cache, path)
    if op == "text":
        return text_layer(state.cache, path, rest[0])
    start = _cpu_seconds()
    image = render_for_ocr(state.cache, path, rest[0], state.settings.resolution, state.settings.spec)
    resolution = state.settings.resolution
    plain = None if not scaled_down(state.cache, path, rest[0], resolution) else \
        lambda: render_for_ocr(state.cache, path, rest[0], resolution, state.settings.spec, own_dpi=True)
    result = ocr_image(state, image, plain)
    layer = laid_out_text_layer(state.cache, path, rest[0])
    if keep_text_layer(result.text, layer, state.settings.text_layer_min_letters,
                       state.settings.text_layer_ocr_share):
        return layer
    return replace(result, cpu_s=round(_cpu_seconds() - start, 4))
