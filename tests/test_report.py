"""The run report (`finepdfs report`, written at the end of `finepdfs run`): loaded in a real headless Chromium,
every plot is drawn and shows the run's own numbers; without some stages the page still renders and says so."""

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from shared import schemas
from shared.ledger import merge_ledgers, read_stage_ledgers
from shared.shards import read_dataset
from tests.conftest import REPO, run_finepdfs, skip_or_fail

ALWAYS_PLOTTED = ["ledger", "throughput-docs", "throughput-pages", "extractors", "failure-reasons", "languages",
                  "tokens-per-language", "duplicate-clusters"]
ROUTING_PLOTS = ["route-split", "ocr-probability"]


class Plots(HTMLParser):
    """Each ``<svg class="plot">`` of a page: its attributes and the tooltip titles of its marks."""

    def __init__(self):
        super().__init__()
        self.plots: dict[str, dict] = {}
        self.absent: set[str] = set()
        self.body: dict = {}
        self._plot = None
        self._in_mark_title = False
        self._depth_mark = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "body":
            self.body = attrs
        if tag == "svg" and "plot" in (attrs.get("class") or "").split():
            self._plot = attrs["data-plot"]
            self.plots[self._plot] = {"attrs": attrs, "marks": []}
        elif self._plot and tag == "rect" and "mark" in (attrs.get("class") or ""):
            self._depth_mark = True
        elif self._plot and tag == "title" and self._depth_mark:
            self._in_mark_title = True
        if "data-absent" in attrs:
            self.absent.add(attrs["data-absent"])

    def handle_endtag(self, tag):
        if tag == "svg":
            self._plot = None
        elif tag == "rect":
            self._depth_mark = False
        elif tag == "title":
            self._in_mark_title = False

    def handle_data(self, data):
        if self._in_mark_title and self._plot:
            self.plots[self._plot]["marks"].append(data)


def parse(html: str) -> Plots:
    parser = Plots()
    parser.feed(html)
    return parser


def chromium_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


@pytest.fixture(scope="module")
def chromium() -> str:
    found = chromium_binary()
    if not found:
        subprocess.run(["bash", str(REPO / "scripts/services.d/chromium.sh"), "start"], capture_output=True,
                       timeout=600)
        found = chromium_binary()
    if not found:
        skip_or_fail("headless Chromium is not installed and could not be installed "
                     "(scripts/services.d/chromium.sh needs root and Debian's package mirror)")
    return found


def dump_dom(chromium: str, page: Path) -> str:
    """The page's DOM after its scripts ran, as Chromium rendered it."""
    result = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--virtual-time-budget=3000", "--dump-dom", page.resolve().as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def mark_values(plot: dict) -> dict[str, str]:
    """Tooltips read "label: value unit" -> {label: value}."""
    out = {}
    for title in plot["marks"]:
        label, _, value = title.rpartition(": ")
        out[label] = value.split()[0].replace(",", "")
    return out


def test_run_writes_a_self_contained_report(sample_run):
    page = sample_run / "stats" / "report.html"
    html = page.read_text()
    assert "<script src" not in html and "<link" not in html and "<img" not in html
    assert "https://" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    data = json.loads((sample_run / "stats" / "report.json").read_text())
    assert list(data["ledger"])[0] == "ingest"


def test_every_plot_is_drawn_in_chromium_with_the_run_numbers(sample_run, chromium):
    dom = parse(dump_dom(chromium, sample_run / "stats" / "report.html"))
    expected = ALWAYS_PLOTTED + (ROUTING_PLOTS if (sample_run / "classify").is_dir() else [])
    missing = [name for name in expected if name not in dom.plots]
    assert not missing, f"plots missing from the page: {missing}"
    for name in expected:
        attrs = dom.plots[name]["attrs"]
        assert attrs.get("data-rendered") == "yes", f"{name} was not laid out by the browser: {attrs}"
        assert int(attrs["data-marks"]) > 0, f"{name} has no bars"
    assert int(dom.body["data-plots-drawn"]) == len(dom.plots)

    # the plots carry this run's numbers
    final = read_dataset(sample_run / "tokenize").to_pylist()
    languages: dict[str, int] = {}
    tokens: dict[str, int] = {}
    for row in final:
        languages[row[schemas.LANGUAGE]] = languages.get(row[schemas.LANGUAGE], 0) + 1
        tokens[row[schemas.LANGUAGE]] = tokens.get(row[schemas.LANGUAGE], 0) + row[schemas.TOKEN_COUNT]
    assert mark_values(dom.plots["languages"]) == {k: str(v) for k, v in languages.items()}
    assert mark_values(dom.plots["tokens-per-language"]) == {k: str(v) for k, v in tokens.items()}
    ledger_marks = mark_values(dom.plots["ledger"])
    for stage_dir in ("ingest", "extract-docling", "filter"):
        totals = merge_ledgers(read_stage_ledgers(sample_run / stage_dir))
        assert ledger_marks[f"{stage_dir} out"] == str(totals["docs_out"])
        for error_class, count in totals["failed"].items():
            assert mark_values(dom.plots["failure-reasons"])[f"{stage_dir}: {error_class}"] == str(count)
    assert set(mark_values(dom.plots["throughput-docs"])) >= {"ingest", "extract-docling", "tokenize"}


def test_report_of_a_partial_run_says_what_is_missing(sample_run, tmp_path):
    """A run folder with only ingest and extract-docling (no classify, filter, dedup, tokenize) still reports."""
    partial = tmp_path / "partial"
    for stage in ("ingest", "extract-docling"):
        shutil.copytree(sample_run / stage, partial / stage)
    run_finepdfs("report", "--run", str(partial), "--output", str(partial / "page.html"))
    page = parse((partial / "page.html").read_text())
    assert {"routing", "languages", "duplicate-clusters"} <= page.absent
    assert set(mark_values(page.plots["ledger"])) >= {"ingest out", "extract-docling out"}
    assert "extract-docling" in mark_values(page.plots["throughput-docs"])
    extractors = read_dataset(partial / "extract-docling").column(schemas.EXTRACTOR).to_pylist()
    assert mark_values(page.plots["extractors"]) == {e: str(extractors.count(e)) for e in set(extractors)}


def test_the_report_links_every_drop_and_error_list(sample_run):
    import re

    html = (sample_run / "stats" / "report.html").read_text()
    links = re.findall(r'<a class="file" href="([^"]+)">', html)
    assert links and all((sample_run / "stats" / link).resolve().is_file() for link in links)
    for stage_dir in ("ingest", "classify"):
        totals = merge_ledgers(read_stage_ledgers(sample_run / stage_dir))
        for kind, count in (("drops", totals["docs_dropped"]), ("errors", totals["docs_failed"])):
            if count:
                assert f'data-list="{stage_dir}-{kind}">{stage_dir}: {count:,} {kind}' in html
                assert f"../{stage_dir}/{kind}/00000.parquet" in links
