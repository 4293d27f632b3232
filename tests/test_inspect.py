"""`finepdfs inspect OUT`: the page shows every sampled page beside its text, in a real headless Chromium, and nothing
from a hostile PDF (its file name, its text) can run a script or inject markup."""

import shutil
from html.parser import HTMLParser

import pytest

from shared import schemas
from shared.shards import read_dataset
from tests.conftest import SAMPLES, run_finepdfs
from tests.test_report import chromium, dump_dom  # noqa: F401 - the fixture, and Chromium's DOM dump
from textkit.pages import split_pages

HOSTILE_NAME = "<img src=x onerror=document.body.setAttribute('data-pwned','name')>.pdf"
HOSTILE_TEXT = ("Quarterly notes <b>bold</b> <script>document.body.setAttribute('data-pwned','text')</script> "
                "<img src=x onerror=alert(1)> & the rest of a perfectly ordinary paragraph about the harbour. "
                "The boats come in at dawn, and the market opens when the catch has been weighed and sorted. "
                "Most of the fishermen sell to the cooperative, which pays a fixed price per crate and ships "
                "the fish inland by lorry before noon. In winter the fleet stays in port for weeks at a time, "
                "and the crews repair their nets in the old sail loft behind the church, where the council "
                "keeps a stove burning for them from November until the end of February every year.")


class Page(HTMLParser):
    """The documents of an inspect page: per document, its thumbnails and page texts; and every tag seen."""

    def __init__(self):
        super().__init__()
        self.docs: dict[str, dict] = {}
        self.tags: list[tuple[str, dict]] = []
        self.body: dict = {}
        self._doc = None
        self._in_text = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "body":
            self.body = attrs
        if tag == "article" and "data-doc" in attrs:
            self._doc = self.docs.setdefault(attrs["data-doc"], {"images": [], "texts": [], "title": ""})
        elif tag == "img" and self._doc is not None:
            self._doc["images"].append(attrs.get("src", ""))
        elif tag == "pre" and self._doc is not None:
            self._in_text = True
            self._doc["texts"].append("")

    def handle_endtag(self, tag):
        if tag == "pre":
            self._in_text = False
        elif tag == "article":
            self._doc = None

    def handle_data(self, data):
        if self._in_text and self._doc is not None:
            self._doc["texts"][-1] += data


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def hostile_pdf(path) -> None:
    import pymupdf

    with pymupdf.open() as pdf:
        page = pdf.new_page()
        page.insert_textbox(pymupdf.Rect(50, 60, 545, 780), HOSTILE_TEXT, fontsize=11)
        pdf.set_metadata({"title": "<script>alert('title')</script>"})
        pdf.save(path)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    pdfs = folder / "in"
    pdfs.mkdir()
    hostile_pdf(pdfs / HOSTILE_NAME)
    shutil.copy(SAMPLES / "text" / "report_en.pdf", pdfs / "report_en.pdf")
    shutil.copy(SAMPLES / "broken" / "encrypted.pdf", pdfs / "encrypted.pdf")
    out = folder / "out"
    run_finepdfs("run", "--input", str(pdfs), "--output", str(out), "--classify-force-route", "docling")
    return out


def test_every_sampled_page_is_shown_beside_its_text(sample_run, chromium):  # noqa: F811
    page_file = sample_run / "stats" / "inspect.html"
    run_finepdfs("inspect", str(sample_run), "--max-pages", "3")
    final = {r[schemas.ID]: r for r in read_dataset(sample_run / "tokenize").to_pylist()}
    page = parse(dump_dom(chromium, page_file))
    assert page.docs, "no document on the page"
    groups = {(r[schemas.ROUTE], r[schemas.EXTRACTOR], r[schemas.SUBSET]) for r in final.values()}
    shown_groups = {(final[i][schemas.ROUTE], final[i][schemas.EXTRACTOR], final[i][schemas.SUBSET]) for i in page.docs}
    assert shown_groups == groups  # every route, extractor and subset is sampled
    for doc_id, shown in page.docs.items():
        row = final[doc_id]
        pages = split_pages(row[schemas.TEXT], row[schemas.PAGE_ENDS])[:3]
        assert len(shown["images"]) == len(pages) == min(3, row[schemas.NUM_PAGES])
        assert all(src.startswith("data:image/jpeg;base64,") and len(src) > 1000 for src in shown["images"])
        assert shown["texts"] == pages
    assert "data-outcome" in page_file.read_text()  # the samples' drops and failures are shown


def test_the_same_seed_gives_the_same_page(sample_run, tmp_path):
    for name in ("a.html", "b.html"):
        run_finepdfs("inspect", str(sample_run), "--seed", "7", "--per-group", "1", "--output", str(tmp_path / name))
    assert (tmp_path / "a.html").read_text() == (tmp_path / "b.html").read_text()


def test_a_hostile_pdf_cannot_run_a_script_or_inject_markup(hostile_run, chromium):  # noqa: F811
    page_file = hostile_run / "stats" / "inspect.html"
    run_finepdfs("inspect", str(hostile_run))
    html = page_file.read_text()
    assert "<script" not in html and "<b>" not in html
    assert 'http-equiv="Content-Security-Policy"' in html and "default-src 'none'" in html
    static = parse(html)
    assert not [a for tag, a in static.tags if tag == "img" and not a.get("src", "").startswith("data:image/jpeg")]
    assert not [tag for tag, _ in static.tags if tag in ("script", "b", "iframe", "object")]
    assert not [attrs for _, attrs in static.tags if "onerror" in attrs]
    assert "&lt;img src=x onerror=document.body.setAttribute(&#x27;data-pwned&#x27;,&#x27;name&#x27;)&gt;.pdf" in html

    dom = parse(dump_dom(chromium, page_file))
    assert "data-pwned" not in dom.body
    assert not [tag for tag, _ in dom.tags if tag == "script"]
    hostile = next(d for d in dom.docs.values() if any("Quarterly notes" in t for t in d["texts"]))
    assert "<script>document.body.setAttribute('data-pwned','text')</script>" in hostile["texts"][0]
    assert len(hostile["images"]) == 1 and hostile["images"][0].startswith("data:image/jpeg;base64,")
