"""External suites: PDFs with ground truth that other people produced, read from local folders.

- ``docling``: Docling's regression PDFs with the Markdown its layout pipeline (FinePDFs' extractor) produced
  (``../shared/external/docling-tests``, its README says where from): text similarity and table TEDS.
- ``icdar2013``: the ICDAR 2013 table competition (EU and US government PDFs, cell structure labelled by the
  competition's organisers), as tabula-java keeps it in its tests: table TEDS per labelled table region.
- ``pdfbox``: Apache PDFBox's text-extraction regression PDFs with the text its developers checked in
  (``*.pdf-sorted.txt``: positions sorted, running heads kept): text similarity.
- ``docling-papers``: the three whole arXiv papers Docling keeps beside the ``docling`` suite's PDFs (that suite
  leaves them out), with the Markdown of the same layout pipeline: text similarity and table TEDS.
- ``tabula``: tabula-java's own test PDFs with the tables its tests expect (``csv/``, ``json/``), only those
  that are a whole table on a page (``TABULA_TABLES``), none of the ICDAR 2013 PDFs: table TEDS.
- ``camelot``: camelot's test PDFs with the tables its lattice tests expect (``tests/data.py``), only those
  read from a whole page with no option that changes the cells (``CAMELOT_TABLES``): table TEDS.
- ``docling-odf``: the PDFs exported from Docling's OpenDocument test files with the Markdown its ODF reader
  made from the source file (no PDF involved: headings, paragraphs and tables as the author wrote them): text
  similarity and table TEDS, less the source's tables the PDF does not draw as tables (``ODF_LEFT_OUT``).
- ``docbank``: one page of each of DocBank's sample arXiv papers, cut out alone, with olmOCR-bench checks built
  by fixed rules from its token labels (which come from the papers' LaTeX source; ``docbank.py``): pass rates.
- ``grobid``: eleven papers of GROBID's test PDFs, whole, with its annotators' labels of the same papers (running
  heads, page numbers, page feet, footnotes, headings, paragraphs; titles and abstracts): olmOCR-bench checks
  made from the labels by fixed rules (``grobid.py``), on the whole document or on one page of it: pass rates.
- ``arxiv``: whole arXiv papers (October 2025) beside arXiv's HTML of the same version, LaTeXML's rendering of
  the same LaTeX source (latexml.py says what its truth keeps and leaves out): text similarity and table TEDS.
- ``lawreview``: US law-review articles (many journals' own typesetting) beside the paragraphs of the journal's
  web page of the same article, labelled body text or footnote: olmOCR-bench checks (each paragraph present,
  consecutive body paragraphs in order) made by fixed rules from the paragraphs the PDF's text layer has
  (``lawreview.py``): pass rates.
- ``tagged``: pages of tagged PDFs (IRS Publication 15, Excel, Word and PowerPoint exports, InDesign and LiveCycle
  forms, the PDF/UA reference suite, Korean reports) from five repositories' tests (one at two commits), each cut
  out alone, with the tables of the PDF's own structure tree (Table/TR/TH/TD with ColSpan/RowSpan, written by the
  authoring application) as truth by fixed rules (``tagged.py``): table TEDS (67 pages, 71 tables).
- ``tabula-extras``: the test PDFs of tabula-extractor (the Ruby tabula) and tabula-py that tabula-java lacks,
  with the whole tables their tests expect (read out of ``tests.rb``'s arrays and the CSV/TSV files), each
  page cut out alone and cropped to the test's area (``tabula_extras.py``): table TEDS.

The suites are not in this repository (the PDFs belong to their publishers). ``prepare`` copies one out of a
clone of its repository at the pinned commit into the cache folder:

    git clone https://github.com/tabulapdf/tabula-java /tmp/tabula-java
    python -m tools.eval_quality.suites prepare icdar2013 /tmp/tabula-java
    python -m tools.eval_quality.suites prepare tabula /tmp/tabula-java
    git clone https://github.com/camelot-dev/camelot /tmp/camelot
    python -m tools.eval_quality.suites prepare camelot /tmp/camelot
    git clone https://github.com/apache/pdfbox /tmp/pdfbox
    python -m tools.eval_quality.suites prepare pdfbox /tmp/pdfbox
    git clone https://github.com/docling-project/docling /tmp/docling
    python -m tools.eval_quality.suites prepare docling-papers /tmp/docling
    python -m tools.eval_quality.suites prepare docling-odf /tmp/docling
    git clone https://github.com/doc-analysis/DocBank /tmp/DocBank
    python -m tools.eval_quality.suites prepare docbank /tmp/DocBank
    git clone https://github.com/kermitt2/grobid /tmp/grobid
    python -m tools.eval_quality.suites prepare grobid /tmp/grobid
    git clone https://github.com/donaldbraman/docling-testing /tmp/docling-testing
    python -m tools.eval_quality.suites prepare arxiv /tmp/docling-testing
    python -m tools.eval_quality.suites prepare lawreview /tmp/docling-testing
    python -m tools.eval_quality.suites prepare tagged /tmp/clones   # holds tika, pdfplumber, ... (below)
    python -m tools.eval_quality.suites prepare tabula-extras /tmp/clones   # tabula-extractor and tabula-py

A suite whose files come from several repositories, or from more than one commit of one (``MORE_SOURCES``:
``tagged``), is prepared from a folder holding a clone of each, as ``OWNER+NAME/repo``, ``OWNER+NAME`` or ``NAME``
(a fetched snapshot folder, say); a repository's files from all its commits go under its one ``OWNER+NAME/``.

A clone that lacks some files' contents (a snapshot without its large files) can be completed with
``--copies DIR``: a file there of the same name is taken if its git blob id is the commit's. ``docling-odf``
is prepared without the files still missing (named in its ``SOURCE.txt``): a document without its PDF is
skipped with the reason (``skipped``), a truth without its JSON gives its tables from the Markdown.

Every suite is split once, by a hash of its name and the document's, into a development part (2/3) and a
held-out part (1/3) that is never looked at while tuning; the report gives both.
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import io
import json
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from tools.eval_quality import docbank, grobid, latexml, lawreview, tabula_extras, tagged
from tools.eval_quality.fetch import REPO_ROOT, cache_dir
from tools.eval_quality.teds import Table, grid_from_cells, grid_from_rows, markdown_tables
from tools.git_clones import clone_in, git, repo_folder

DEV, HELD_OUT = "dev", "held-out"


@dataclass(frozen=True)
class Source:
    """Where a suite comes from: a public repository, the commit, the folder in it, its licence; ``files``
    (paths under the folder) when only those are the suite's, the rest of the folder being another's."""

    repo: str
    commit: str
    folder: str
    licence: str
    producer: str
    files: tuple[str, ...] = ()
    partial: bool = False  # prepared without the files the clone lacks (named in SOURCE.txt), not refused

    @property
    def prefix(self) -> str:
        """The folder as the start of a path in the repository ("" for its root)."""
        return self.folder.rstrip("/") + "/" if self.folder else ""


DOCLING_COMMIT = "e1cb2b234c48ff29746b0f2f843d07f8e23905a0"
# the whole papers beside the docling suite's PDFs (its 2305.03393v1-pg9 is page 9 of the third)
DOCLING_PAPERS = ("2203.01017v2", "2206.01062", "2305.03393v1")


SOURCES = {
    "docling": Source("docling-project/docling", DOCLING_COMMIT, "tests/data/pdf",
                      "MIT (the PDFs belong to their publishers)",
                      "Docling's layout pipeline (Heron layout model, TableFormer), export_to_markdown"),
    "icdar2013": Source("tabulapdf/tabula-java", "2cdf3b4fd3f7e921dca8cc6814cdd9316be40f0f",
                        "src/test/resources/technology/tabula/icdar2013-dataset",
                        "MIT (tabula-java); the PDFs are EU and US government publications",
                        "the ICDAR 2013 table competition's organisers (cell structure, *-str.xml)"),
    "pdfbox": Source("apache/pdfbox", "89a917394c762257017c27e0cf5189605776aa57", "pdfbox/src/test/resources/input",
                     "Apache-2.0 (the PDFs come from PDFBox's issue tracker)",
                     "Apache PDFBox's developers (expected text of its sorted text stripper)"),
    "docling-papers": Source("docling-project/docling", DOCLING_COMMIT, "tests/data/pdf",
                             "MIT (the papers belong to their authors, arXiv licences)",
                             "Docling's layout pipeline (Heron layout model, TableFormer), export_to_markdown",
                             tuple(f"{kind}/{paper}.{ext}" for paper in DOCLING_PAPERS for kind, ext in (
                                 ("sources", "pdf"), ("groundtruth", "md"), ("groundtruth", "json")))),
    "tabula": Source("tabulapdf/tabula-java", "2cdf3b4fd3f7e921dca8cc6814cdd9316be40f0f",
                     "src/test/resources/technology/tabula",
                     "MIT (tabula-java); the PDFs belong to their publishers",
                     "tabula-java's developers (the tables its tests expect, csv/ and json/)"),
    "camelot": Source("camelot-dev/camelot", "2b80d0bc692d1b22203c3385e77da8201675aa50", "tests",
                      "MIT (camelot); the PDFs belong to their publishers",
                      "camelot's developers (the tables its lattice tests expect, tests/data.py)"),
    "docling-odf": Source("docling-project/docling", DOCLING_COMMIT, "tests/data/odf",
                          "MIT (made-up test documents of Docling's)",
                          "Docling's OpenDocument reader on the source .odt/.ods/.odp (no PDF, no layout model), "
                          "export_to_markdown", partial=True),
    "docbank": Source("doc-analysis/DocBank", "7078c6e62a88898416893761563344ecce0a62aa",
                      "DocBank_samples/DocBank_samples",
                      "Apache-2.0 (DocBank); the papers belong to their arXiv authors",
                      "DocBank's authors: each token's label from the paper's LaTeX source (structures coloured "
                      "and read back); checks built from the labels by fixed rules (docbank.py)", partial=True),
    "grobid": Source(grobid.GROBID_REPO, grobid.GROBID_COMMIT, "",
                     "Apache-2.0 (GROBID); the papers belong to their authors and publishers",
                     "GROBID's annotators (its training data: GROBID's pre-annotation of each line, corrected by "
                     "people); checks built from the labels by fixed rules (grobid.py)", grobid.suite_files()),
    "arxiv": Source("donaldbraman/docling-testing", "3cafd5a90aa20d3105594fccfd80a4a422254f8b",
                    "data_archive_20251017_2238/paired_corpus_review",
                    "none for the repository; each paper its own arXiv licence (arXiv's non-exclusive "
                    "distribution licence or CC BY variants): nothing of theirs is in this repository",
                    "LaTeXML (arXiv's HTML of the paper: the same LaTeX source, no PDF involved)", partial=True),
    "lawreview": Source(lawreview.REPO, "3cafd5a90aa20d3105594fccfd80a4a422254f8b", lawreview.FOLDER,
                        "none for the repository; the articles belong to their authors and journals: nothing of "
                        "theirs is in this repository",
                        "the journals' web pages of the articles (paragraphs extracted and labelled body text or "
                        "footnote by the repository's author, no PDF involved); checks built from them by fixed "
                        "rules (lawreview.py)", partial=True),
    "tagged": Source(tagged.TIKA[0], tagged.TIKA[1], "", "Apache-2.0 (Tika); IRS Publication 15 is a US "
                     "government work (public domain), the others belong to their authors",
                     "the authoring applications' tags (the PDF's structure tree: Table/TR/TH/TD with their "
                     "ColSpan/RowSpan, written by Antenna House XSL Formatter, Word, Excel, PowerPoint, InDesign, "
                     "LiveCycle Designer, the PDF/UA reference suite's tools); tables built from them by fixed "
                     "rules (tagged.py)", tagged.source_files(*tagged.TIKA)),
    "tabula-extras": Source(*tabula_extras.EXTRACTOR, "", "MIT (tabula-extractor); the PDFs belong to their publishers",
                            "tabula-extractor's and tabula-py's developers (tabula's output for the test's area, "
                            "accepted by them; R's mtcars data set)", tabula_extras.source_files(
                                tabula_extras.EXTRACTOR[0])),
}
# further repositories (or further commits of one) a suite's files come from (prepared from a folder of clones,
# each file kept under OWNER+NAME/ in the suite's folder)
MORE_SOURCES = {
    "tagged": tuple(Source(repo, commit, "", licence, SOURCES["tagged"].producer, tagged.source_files(repo, commit))
                    for repo, commit, licence in (
                        (*tagged.PDFPLUMBER, "MIT (pdfplumber); the PDFs are US local-government and Canadian "
                                             "municipal publications"),
                        (*tagged.ODL, "Apache-2.0 (opendataloader-pdf); the PDF/UA reference suite is the PDF "
                                      "Association's"),
                        (*tagged.ODL_KOREAN, "none stated at that commit (opendataloader-pdf, before it took "
                                             "Apache-2.0: only a licence-header template); the Korean reports "
                                             "belong to their publishers (used as data only)"),
                        (*tagged.UNSTRUCTURED, "Apache-2.0 (unstructured); the PDF belongs to its publisher"),
                        (*tagged.PYMUPDF, "AGPL-3.0 (PyMuPDF; its test PDFs are used as data only, none of its "
                                          "code); the IRS and CMS forms are US government works (public "
                                          "domain), the crane sheet belongs to its publisher"))),
    "tabula-extras": (Source(*tabula_extras.TABULA_PY, "", "MIT (tabula-py); the PDFs belong to their publishers",
                             SOURCES["tabula-extras"].producer, tabula_extras.source_files(tabula_extras.TABULA_PY[0])),),
}

# camelot's expected tables (tests/test_lattice.py) read from page 1 of a PDF in tests/files with no option that
# changes the cells: (PDF stem, the list's name in tests/data.py). Left out: us-030 (ICDAR 2013's), arabic.pdf
# (its expected cells are in presentation forms, drawn order), clockwise_table_1 (the same table as
# anticlockwise_table_1: the held-out part shares no table with the development part), the tests with
# copy_text, split_text, table_areas or another shift_text, and every stream, network and hybrid test (their
# expected headers are cut into a row per line, as those parsers read them).
CAMELOT_TABLES = (
    ("anticlockwise_table_1", "data_lattice_table_rotated"),
    ("background_lines_1", "data_lattice_process_background"),
    ("column_span_2", "data_lattice_shift_text_left_top"),
    ("table_region", "data_lattice_table_regions"),
    ("twotables_2", "data_lattice_two_tables_1"),
    ("twotables_2", "data_lattice_two_tables_2"),
)

# tabula-java's expected tables that are a whole table on page 1 of their PDF, as its tests read them
# (src/test/java/technology/tabula): (PDF stem, truth file, rows of the file, None = all). A json file holds
# one table or a list; MultiColumn.csv is the two tables of the page's two halves (the test's two areas), one
# after the other, 24 and 20 rows. Left out: argentina_diputados_voting_record and AnimalSounds (the tests'
# area or columns leave the header row out), indictb1h_14 (its row labels fall in three columns by their
# indent), spanning_cells_basic.json (a part of spanning_cells), us-020 and every eu-/us- PDF (ICDAR 2013's).
TABULA_TABLES = (
    ("AnimalSounds1", "json/AnimalSounds1.json", None),
    ("MultiColumn", "csv/MultiColumn.csv", (0, 24)),
    ("MultiColumn", "csv/MultiColumn.csv", (24, 44)),
    ("Publication_of_award_of_Bids_for_Transport_Sector__August_2016",
     "csv/Publication_of_award_of_Bids_for_Transport_Sector__August_2016.csv", None),
    ("frx_2012_disclosure", "csv/frx_2012_disclosure.csv", None),
    ("schools", "json/schools.json", None),
    ("spanning_cells", "json/spanning_cells.json", None),
    ("spreadsheet_no_bounding_frame", "csv/spreadsheet_no_bounding_frame.csv", None),
    ("twotables", "json/twotables.json", None),
)


# the source's tables that its PDF does not draw as a table: (document, the truth table's first row, why). Found
# by opening each PDF beside its truth when the suite was made (every document, before any system ran on it).
ODF_LEFT_OUT = (
    ("odf_table_with_title_01.ods", ("Number of freshwater ducks per year",),
     "the sheet's title cell: a one-cell table in the source, a line of text over the table in the PDF"),
    ("text_document_02.odt", ("", "Column 1", "Column 2", "Column 3"),
     "the chart's data: a table in the source, drawn as a bar chart in the PDF (its figures are no text there)"),
)


@dataclass
class Doc:
    """One PDF of a suite and its truth: the whole text (or None), its tables (page, 1-based, or None) and its
    olmOCR-bench checks (JSONL fields; a check's page: 0 the whole document, n its n-th page, 1 for a page cut
    out alone; score.run_doc_checks)."""

    suite: str
    doc_id: str
    pdf: Path
    truth_text: str | None = None
    truth_tables: list[tuple[int | None, Table]] = field(default_factory=list)
    truth_checks: list[dict] = field(default_factory=list)

    @property
    def split(self) -> str:
        return split_of(self.suite, self.doc_id)


def split_of(suite: str, doc_id: str) -> str:
    """A third of each suite, by a hash of its name and the document's, is held out."""
    digest = int(hashlib.sha256(f"{suite}/{doc_id}".encode()).hexdigest(), 16)
    return HELD_OUT if digest % 3 == 0 else DEV


def default_folder(suite: str) -> Path:
    shared = REPO_ROOT.parent / "shared" / "external" / ("docling-tests" if suite == "docling" else suite)
    return shared if shared.is_dir() else cache_dir() / "external" / suite


def docling_tables(document: dict) -> list[Table]:
    """The body's tables of a Docling JSON document with their spans, as the grid every writer is held to
    (teds.py: a span's text in its first cell, the cells it covers empty). Docling's Markdown repeats a span's
    text in every cell it covers (a group heading over three columns written three times, a heading two rows
    high written again in the second), which no writer keeping a span's cells empty can match, ICDAR's truth
    included; its JSON says where the spans are."""
    tables = []
    for table in document.get("tables", []):
        if table.get("content_layer", "body") != "body":
            continue
        cells = [(c["start_row_offset_idx"], c["start_col_offset_idx"], c["end_row_offset_idx"] - 1,
                  c["end_col_offset_idx"] - 1, c["text"]) for c in table["data"]["table_cells"]]
        if cells:
            tables.append(grid_from_cells(cells))
    return tables


def docling_doc(suite: str, pdf: Path, truth: Path) -> Doc:
    """A PDF with the Markdown Docling wrote for it (the text) and its tables (their page unknown): from the
    JSON Docling wrote beside the Markdown (``NAME.json``: the spans), else from the Markdown."""
    text = truth.read_text()
    structure = truth.with_suffix(".json")
    tables = (docling_tables(json.loads(structure.read_text())) if structure.is_file() else
              markdown_tables(text))
    return Doc(suite, pdf.stem, pdf, text, [(None, t) for t in tables])


def read_docling(folder: Path) -> list[Doc]:
    with (folder / "manifest.csv").open() as f:
        return [docling_doc("docling", folder / row["file"], folder / row["truth"]) for row in csv.DictReader(f)]


def read_docling_papers(folder: Path) -> list[Doc]:
    """``sources/NAME.pdf`` with ``groundtruth/NAME.md`` (and ``.json``), as in Docling's repository."""
    docs = []
    for pdf in sorted((folder / "sources").glob("*.pdf")):
        truth = folder / "groundtruth" / f"{pdf.stem}.md"
        if truth.is_file():
            docs.append(docling_doc("docling-papers", pdf, truth))
    return docs


def _odf_pairs(folder: Path) -> list[tuple[Path, Path]]:
    """(PDF, truth) of every ``groundtruth/NAME.md`` with ``sources/NAME.pdf`` (NAME is the source's file name,
    ``x.odt``; the PDF its export), the PDF possibly absent."""
    truths = sorted((folder / "groundtruth").glob("*.md"))
    return [(folder / "sources" / f"{truth.stem}.pdf", truth) for truth in truths]


def read_docling_odf(folder: Path) -> list[Doc]:
    """The PDFs exported from Docling's ODF test files, with the Markdown its ODF reader made from the source
    (and the JSON beside it: the tables' spans); the tables the PDF does not draw as tables are left out."""
    docs = []
    for pdf, truth in _odf_pairs(folder):
        if not pdf.is_file():
            continue
        doc = docling_doc("docling-odf", pdf, truth)
        left_out = {first for name, first, _ in ODF_LEFT_OUT if name == doc.doc_id}
        doc.truth_tables = [(page, t) for page, t in doc.truth_tables if not (t and tuple(t[0]) in left_out)]
        docs.append(doc)
    return docs


def _odf_skipped(folder: Path) -> dict[str, str]:
    return {truth.stem: f"no PDF {pdf.relative_to(folder)} in {folder} (the clone it was prepared from lacked it, "
                        "SOURCE.txt says; a full clone of docling, or `prepare --copies` with the file, brings it)"
            for pdf, truth in _odf_pairs(folder) if not pdf.is_file()}


def read_arxiv(folder: Path) -> list[Doc]:
    """arXiv papers with arXiv's HTML of the same version (LaTeXML's rendering of their LaTeX source): its text
    and its table floats' tabulars (their page unknown)."""
    docs = []
    for paper_id, pdf, html, why in latexml.pairs(folder):
        if why is None:
            text, tables = latexml.paper(html.read_text(encoding="utf-8"))
            docs.append(Doc("arxiv", paper_id, pdf, text, [(None, t) for t in tables]))
    return docs


def read_docbank(folder: Path) -> list[Doc]:
    """Each labelled page cut out of its paper alone (into ``pages/``), with the checks its labels give, written
    beside the pages as ``pages/checks.jsonl``."""
    docs = []
    for doc_id, pdf, tsv in docbank.pairs(folder):
        if pdf.is_file():
            number = docbank.page_number(tsv)
            page = docbank.cut_page(pdf, number, folder / "pages")
            checks = docbank.page_checks(doc_id, tsv.read_text(encoding="utf-8"), first_page=number == 1)
            docs.append(Doc("docbank", doc_id, page, truth_checks=checks))
    docbank.write_checks(folder / "pages", [c for d in docs for c in d.truth_checks])
    return docs


def read_grobid(folder: Path) -> list[Doc]:
    """GROBID's papers, whole, with the olmOCR-bench checks made from its annotators' labels (grobid.py)."""
    return [Doc("grobid", name, pdf, truth_checks=checks) for name, (pdf, checks) in grobid.read(folder).items()]


def _arxiv_skipped(folder: Path) -> dict[str, str]:
    return {paper_id: why for paper_id, _, _, why in latexml.pairs(folder) if why}


def read_lawreview(folder: Path) -> list[Doc]:
    """Law-review articles, whole, with the olmOCR-bench checks made from the journal's web page of each
    (lawreview.py); the skipped ones (a duplicate, no PDF, over the page bound) left out."""
    return [Doc("lawreview", name, pdf, truth_checks=lawreview.read_checks(name, pdf, truth))
            for name, pdf, truth, why in lawreview.pairs(folder) if why is None]


def read_tagged(folder: Path) -> list[Doc]:
    """Each page with a kept table of the tagged PDFs, cut out alone (``pages/``), with the tables of its
    structure tree (tagged.py: built once, by prepare, into ``truth.json``)."""
    return [Doc("tagged", doc_id, folder / "pages" / f"{doc_id}.pdf", truth_tables=[(1, t) for t in item["tables"]])
            for doc_id, item in tagged.read_truth(folder).items()]


_SKIPPED = {"docling-odf": _odf_skipped, "docbank": docbank.skipped, "arxiv": _arxiv_skipped,
            "lawreview": lawreview.skipped, "tagged": tagged.skipped}
_SKIPPED["tabula-extras"] = tabula_extras.skipped


def read_tabula_extras(folder: Path) -> list[Doc]:
    """Each test's page cut out alone and cropped to its area (``pages/``), with the table it expects
    (tabula_extras.py: built once, by prepare, into ``truth.json``)."""
    return [Doc("tabula-extras", doc_id, folder / "pages" / f"{doc_id}.pdf",
                truth_tables=[(1, t) for t in item["tables"]])
            for doc_id, item in tabula_extras.read_truth(folder).items()]


def skipped(suite: str, folder: Path | None = None) -> dict[str, str]:
    """Documents of a suite whose truth is in its folder but not their PDF (or not its version), and why: the
    report names them."""
    folder = folder or default_folder(suite)
    return _SKIPPED[suite](folder) if suite in _SKIPPED and folder.is_dir() else {}


def read_icdar2013(folder: Path) -> list[Doc]:
    docs = []
    for structure in sorted(folder.rglob("*-str.xml")):
        pdf = structure.with_name(structure.name[: -len("-str.xml")] + ".pdf")
        if not pdf.is_file():
            continue
        tables = []
        for table in ET.parse(structure).getroot().iter("table"):
            for region in table.iter("region"):
                cells = region_cells(region)
                if cells:
                    tables.append((int(region.get("page", "1")), grid_from_cells(cells)))
        docs.append(Doc("icdar2013", pdf.stem, pdf, None, tables))
    return docs


def region_cells(region: ET.Element) -> list[tuple[int, int, int, int, str]]:
    """A labelled region's cells as (start_row, start_col, end_row, end_col, text), its first row and column 0.
    The competition's format moves a region's numbers by its ``row-increment``/``col-increment`` (us-019 starts
    at row -1 with increment 1), and part of the US files number from 1: without both, a truth grid gains an
    empty row and column no writer can match, or its header row is written over by its last."""
    row_shift, col_shift = int(region.get("row-increment", "0")), int(region.get("col-increment", "0"))
    cells = []
    for cell in region.iter("cell"):
        r0, c0 = int(cell.get("start-row")) + row_shift, int(cell.get("start-col")) + col_shift
        r1 = int(cell.get("end-row", cell.get("start-row"))) + row_shift
        c1 = int(cell.get("end-col", cell.get("start-col"))) + col_shift
        cells.append((r0, c0, r1, c1, cell.findtext("content") or ""))
    if not cells:
        return []
    top, left = min(c[0] for c in cells), min(c[1] for c in cells)
    return [(r0 - top, c0 - left, r1 - top, c1 - left, text) for r0, c0, r1, c1, text in cells]


def read_pdfbox(folder: Path) -> list[Doc]:
    docs = []
    for truth in sorted(folder.glob("*.pdf-sorted.txt")):
        pdf = truth.with_name(truth.name[: -len("-sorted.txt")])
        if pdf.is_file():
            docs.append(Doc("pdfbox", pdf.stem, pdf, truth.read_text(encoding="utf-8", errors="replace")))
    return docs


def tabula_truth(path: Path) -> list[Table]:
    """The tables of one of tabula-java's expected outputs: a CSV file is one table, a JSON file one or a list."""
    if path.suffix == ".csv":
        return [grid_from_rows(list(csv.reader(io.StringIO(path.read_text(encoding="utf-8")))))]
    tables = json.loads(path.read_text(encoding="utf-8"))
    tables = tables if isinstance(tables, list) else [tables]
    return [grid_from_rows([[cell["text"] for cell in row] for row in table["data"]]) for table in tables]


def read_tabula(folder: Path) -> list[Doc]:
    docs: dict[str, Doc] = {}
    for stem, truth, rows in TABULA_TABLES:
        pdf = folder / f"{stem}.pdf"
        if not (pdf.is_file() and (folder / truth).is_file()):
            continue
        doc = docs.setdefault(stem, Doc("tabula", stem, pdf))
        for table in tabula_truth(folder / truth):
            doc.truth_tables.append((1, table[slice(*rows)] if rows else table))
    return list(docs.values())


def camelot_truth(data_py: Path) -> dict[str, Table]:
    """The lists of rows camelot's tests/data.py assigns, read as data (literals only, nothing run)."""
    tables = {}
    for node in ast.parse(data_py.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            try:
                tables[node.targets[0].id] = grid_from_rows(ast.literal_eval(node.value))
            except (ValueError, TypeError):
                continue  # a list built from another one: none of the tables read here
    return tables


def read_camelot(folder: Path) -> list[Doc]:
    truth = camelot_truth(folder / "data.py") if (folder / "data.py").is_file() else {}
    docs: dict[str, Doc] = {}
    for stem, name in CAMELOT_TABLES:
        pdf = folder / "files" / f"{stem}.pdf"
        if pdf.is_file() and name in truth:
            docs.setdefault(stem, Doc("camelot", stem, pdf)).truth_tables.append((1, truth[name]))
    return list(docs.values())


READERS = {"docling": read_docling, "icdar2013": read_icdar2013, "pdfbox": read_pdfbox,
           "docling-papers": read_docling_papers, "tabula": read_tabula, "camelot": read_camelot,
           "docling-odf": read_docling_odf, "docbank": read_docbank,
           "grobid": read_grobid, "arxiv": read_arxiv, "lawreview": read_lawreview, "tagged": read_tagged}
READERS["tabula-extras"] = read_tabula_extras
# what prepare keeps of the suite's folder in its repository (a suite with Source.files keeps those)
_KEEP = {
    "icdar2013": lambda name: name.endswith((".pdf", "-str.xml")),
    "pdfbox": lambda name: "/" not in name and name.endswith((".pdf", ".pdf-sorted.txt")),
    "docling-papers": lambda name: name in SOURCES["docling-papers"].files,
    "tabula": lambda name: name in {f"{s}.pdf" for s, _, _ in TABULA_TABLES} | {t for _, t, _ in TABULA_TABLES},
    "camelot": lambda name: name == "data.py" or name in {f"files/{s}.pdf" for s, _ in CAMELOT_TABLES},
    "docling-odf": lambda name: (name.startswith("sources/") and name.endswith(".pdf") or
                                 name.startswith("groundtruth/") and name.endswith((".md", ".json"))),
    "docbank": lambda name: name.endswith(docbank.PDF_SUFFIX) or bool(docbank.TSV_NAME.match(name)),
    "grobid": lambda name: name in SOURCES["grobid"].files,
    "arxiv": lambda name: name.startswith("arxiv_") and name.endswith((".pdf", ".html")),
    "lawreview": lawreview.keep,
    "tagged": lambda name: name in tagged.source_files(*tagged.TIKA),
    "tabula-extras": lambda name: name in tabula_extras.source_files(tabula_extras.EXTRACTOR[0]),
}


def load(suite: str, folder: Path | None = None) -> list[Doc]:
    folder = folder or default_folder(suite)
    if not folder.is_dir():
        source = SOURCES[suite]
        raise FileNotFoundError(
            f"suite {suite}: no folder {folder}; `git clone https://github.com/{source.repo}` and run "
            f"`python -m tools.eval_quality.suites prepare {suite} CLONE` (or pass --suite-dir {suite}=PATH)")
    return READERS[suite](folder)


def _tree(clone: Path, commit: str, folder: str) -> list[tuple[str, str]]:
    """(blob id, path) of every file under the folder at the commit: a partial clone lists the files it lacks."""
    listed = subprocess.run([*git(clone), "ls-tree", "-r", "-z", commit, "--", *([folder] if folder else [])],
                            capture_output=True)
    entries = []
    for entry in listed.stdout.decode().split("\0"):
        meta, _, path = entry.partition("\t")
        if meta.split()[1:2] == ["blob"]:
            entries.append((meta.split()[2], path))
    return entries


def _blob(clone: Path, commit: str, path: str) -> bytes | None:
    """The file as a checkout writes it (git archive's bytes), or None where the clone lacks its contents."""
    shown = subprocess.run([*git(clone), "cat-file", "--filters", f"{commit}:{path}"], capture_output=True)
    return None if shown.returncode else shown.stdout


def git_blob_id(data: bytes) -> str:
    """Git's object id of a file's bytes: a copy from anywhere is the commit's file when the ids are equal."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _copy_from(folder: Path | None, name: str, blob: str) -> bytes | None:
    """The file of that name in ``folder`` (a download of it, say), taken only if it is the commit's file."""
    if folder is None or not (folder / Path(name).name).is_file():
        return None
    data = (folder / Path(name).name).read_bytes()
    return data if git_blob_id(data) == blob else None


def prepare(suite: str, clone: Path, dest: Path | None = None, copies: Path | None = None) -> Path:
    """Copy a suite's files out of a clone (work tree or bare) of its repository at the pinned commit.

    A file whose contents the clone lacks (a snapshot without its large files) is taken from ``copies``
    when a file of the same name there has the commit's blob id; nothing is written unless every file is
    found, so a suite is never prepared short of documents; a ``partial`` suite is written without them and
    names them in SOURCE.txt (its reader skips a document without its PDF, saying so). A suite with
    ``MORE_SOURCES`` is prepared from a folder holding a clone of each of its repositories (``_prepare_many``)."""
    if suite in MORE_SOURCES:
        return _prepare_many(suite, clone, dest, copies)
    source = SOURCES[suite]
    if suite not in _KEEP:
        raise SystemExit(f"{suite} is read in place ({default_folder(suite)}); nothing to prepare")
    files, missing = _source_files(suite, source, clone, copies, _KEEP[suite])
    dest = dest or cache_dir() / "external" / suite
    _write(dest, files)
    (dest / "SOURCE.txt").write_text(_source_note(source, files, missing))
    return dest


def _source_files(suite: str, source: Source, clone: Path, copies: Path | None,
                  keep) -> tuple[dict[str, bytes | None], list[str]]:
    """One repository's files of a suite (path under its folder -> bytes, None where the clone lacks them) and
    the names missing; refused (SystemExit) when a file is missing from a suite that is not ``partial``."""
    prefix = source.prefix
    entries = [(blob, path[len(prefix):]) for blob, path in _tree(clone, source.commit, source.folder)
               if path.startswith(prefix) and keep(path[len(prefix):])]
    if not entries:
        raise SystemExit(f"{suite}: {clone} has no {source.folder or 'file of the suite'} at {source.commit[:12]} "
                         f"(not a clone of github.com/{source.repo}, or one without that commit)")
    files: dict[str, bytes | None] = {}
    missing = [name for name in source.files if name not in {name for _, name in entries}]
    for blob, name in entries:
        data = _blob(clone, source.commit, prefix + name)
        if data is None:
            data = _copy_from(copies, name, blob)
        if data is None:
            missing.append(name)
        files[name] = data
    if missing and not source.partial:
        raise SystemExit(f"{suite}: {clone} lacks the contents of {', '.join(missing)} at {source.commit[:12]}; "
                         "give a full clone, or --copies DIR holding files of those names (checked against "
                         "the commit's blob ids)")
    return files, missing


def _write(dest: Path, files: dict[str, bytes | None]) -> None:
    for name, data in files.items():
        if data is None:
            continue
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        (dest / name).write_bytes(data)


def _source_note(source: Source, files: dict, missing: list[str]) -> str:
    return (f"https://github.com/{source.repo} at {source.commit}, folder {source.folder or '(the root)'}\n"
            f"licence: {source.licence}\ntruth by: {source.producer}\nfiles: {len(files) - len(missing)}\n" +
            (f"missing (not in the clone): {', '.join(sorted(missing))}\n" if missing else ""))


def _prepare_many(suite: str, clones: Path, dest: Path | None, copies: Path | None) -> Path:
    """A suite from several repositories: each one's files under OWNER+NAME/ in the suite's folder, nothing
    written unless every repository gave its files; then the suite's own preparation (``tagged``: the pages
    and their truth)."""
    dest = dest or cache_dir() / "external" / suite
    found = []
    for source in (SOURCES[suite], *MORE_SOURCES[suite]):
        files, missing = _source_files(suite, source, clone_in(clones, source.repo), copies,
                                       lambda name, source=source: name in source.files)
        found.append((source, files, missing))
    for source, files, _ in found:
        _write(dest / repo_folder(source.repo), files)
    (dest / "SOURCE.txt").write_text("".join(_source_note(*item) for item in found))
    if suite == "tagged":
        tagged.build(dest)
    if suite == "tabula-extras":
        tabula_extras.build(dest)
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.eval_quality.suites", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    prep = sub.add_parser("prepare", help="copy a suite out of a clone of its repository into the cache")
    prep.add_argument("suite", choices=sorted(_KEEP))
    prep.add_argument("clone", type=Path, help="a git clone (work tree or bare) of the suite's repository; "
                      f"for {', '.join(MORE_SOURCES)}: a folder holding a clone of each of its repositories")
    prep.add_argument("--dest", type=Path, help="default: CACHE/external/SUITE")
    prep.add_argument("--copies", type=Path, help="a folder with copies of files the clone lacks (large PDFs)")
    args = parser.parse_args(argv)
    print(prepare(args.suite, args.clone, args.dest, args.copies))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
