"""Labels drawn inside charts and diagrams (tick labels, axis titles, legends) are left out of the text and
counted; a figure's caption, the body around it and tables stay. Real pages: development papers of the
``arxiv`` suite (eval cache; skipped where it lacks them) and a LibreOffice chart page of ../shared/corpus;
beside them pages built here with a plot, a table and a frame."""

import pymupdf

from stages.extract_docling.figure_text import figure_areas
from stages.extract_docling.pymupdf_text import extract_pdf
from stages.extract_docling.test_real_arxiv_tables import arxiv_page
from stages.extract_docling.test_real_failures import corpus_pdf


def test_a_matplotlib_chart_s_tick_labels_are_left_out():
    """2510.14164 page 7: two panels of log-scale curves; their ticks ("10" over "−5") and axis titles were
    written as runs of numbers between the captions and the body."""
    page = arxiv_page("2510.14164", 6)
    assert page.figure_chars > 300
    assert page.text.startswith("Figure 4. Top panel: Radial profiles of wind variables")
    assert "Figure 5. Angular momentum loss rate" in page.text
    assert "(1958) (dashed black line on Fig. 4A)" in page.text
    assert "\n\n10\n\n" not in page.text and "centrifugal\n" not in page.text


def test_a_diagram_s_box_labels_are_left_out_and_its_caption_kept():
    """2510.14979 page 2: an overview diagram of boxes, arrows and small labels ("Tile vs. Native Resolution",
    "1:1", "1:2") read as dozens of one-word paragraphs."""
    page = arxiv_page("2510.14979", 1)
    assert page.figure_chars > 1000
    assert "Figure 1" in page.text
    assert "\n\n1:2\n\n" not in page.text and "Thumbnail" not in page.text


def test_a_libreoffice_chart_page_s_slanted_date_labels_are_left_out():
    """pdf.js issue1905: a report of LibreOffice's charts; the month labels set at 60 degrees under each line
    chart were written as text (three runs of "Sep 10 Oct 10 ...")."""
    [page] = extract_pdf(corpus_pdf("text/pdfjs__issue1905.pdf"), tables=True)
    assert "Sep 10 Oct 10 Nov 10" not in page.text and "Feb 13, 2012" not in page.text
    assert page.figure_chars > 500
    assert "LibreOffice Direct Downloads per Week" in page.text  # a chart's title, in large type, stays


BODY = ["The growth of the network was steady over the whole period we measured here,",
        "and the curve below shows the number of nodes against the months since launch."]


def _page_with(draw) -> pymupdf.Document:
    """A page of body text at 10 pt, a drawing made by ``draw(page)`` under it, and a caption under that."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    for i, line in enumerate(BODY):
        page.insert_text((72, 90 + 13 * i), line, fontsize=10)
    draw(page)
    page.insert_text((72, 400), "Figure 1: Nodes of the network by month since launch.", fontsize=9)
    for i, line in enumerate(BODY):
        page.insert_text((72, 440 + 13 * i), line, fontsize=10)
    return doc


def _plot(page) -> None:
    """Axes with ticks, a curve of slanted strokes, tick labels at 7 pt, a legend."""
    page.draw_line((120, 360), (420, 360))
    page.draw_line((120, 360), (120, 160))
    for i in range(6):
        page.draw_line((120 + 60 * i, 360), (120 + 60 * i, 364))
        page.insert_text((116 + 60 * i, 374), str(10 * i), fontsize=7)
        page.draw_line((116, 360 - 40 * i), (120, 360 - 40 * i))
        page.insert_text((100, 362 - 40 * i), f"{0.2 * i:.1f}", fontsize=7)
    page.draw_polyline([(120 + 15 * i, 360 - (i * i) / 2) for i in range(20)])
    page.insert_text((330, 180), "nodes", fontsize=7)


def _table(page) -> None:
    """A booktabs table of figures at 7 pt: level rules only."""
    for y in (160, 175, 260):
        page.draw_line((120, y), (420, y))
    for r in range(6):
        for c in range(4):
            page.insert_text((130 + 75 * c, 190 + 12 * r), f"{r * 4 + c}.5", fontsize=7)


def _text(doc: pymupdf.Document) -> tuple[str, int]:
    [out] = extract_pdf(doc, tables=True)
    return out.text, out.figure_chars


def test_a_plot_s_labels_are_left_out_and_counted():
    text, dropped = _text(_page_with(_plot))
    assert "0.4" not in text and "nodes\n" not in text and "\n50\n" not in text
    assert dropped == len("nodes") + sum(len(str(10 * i)) + 3 for i in range(6))
    assert "Figure 1: Nodes of the network by month since launch." in text
    assert text.count(BODY[0]) == 2


def test_a_table_of_small_figures_under_level_rules_is_no_figure():
    text, dropped = _text(_page_with(_table))
    assert dropped == 0 and "20.5" in text and "23.5" in text


def test_a_cluster_without_slanted_strokes_is_no_figure():
    drawings = [{"rect": (120, 160, 420, 360), "items": [("re", (120, 160, 420, 360))]}]
    assert figure_areas(drawings, 612 * 792) == []
    slanted = [{"rect": (120, 160, 420, 360), "items": [("l", (120 + i, 160), (130 + i, 360)) for i in range(20)]}]
    assert figure_areas(slanted, 612 * 792) == [[120, 160, 420, 360]]


def test_a_logo_s_heading_line_beside_it_is_kept():
    """Docling's normal_4pages: a logo of curves at the top left, the issue's date in small type under it
    (inside a label's margin); a logo is no figure, and one line is no chart's labels."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.draw_oval((43, 20, 136, 91))
    for i in range(16):  # the logo's strokes: slanted
        page.draw_line((50 + 5 * i, 30), (60 + 5 * i, 80))
    page.insert_text((62, 118), "Issued 2 April 2020", fontsize=10)
    for i, line in enumerate(BODY):
        page.insert_text((62, 160 + 14 * i), line, fontsize=11.5)
    text, dropped = _text(doc)
    assert dropped == 0 and "Issued 2 April 2020" in text


def test_prose_inside_a_frame_of_curves_keeps_its_short_lines():
    """A page framed by a border of curves: the frame is one cluster around all the page's text; its prose
    outweighs its short lines (list numbers set small), which are no figure's labels."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.draw_rect((40, 40, 572, 752), radius=0.05)
    for i in range(20):
        page.draw_circle((40 + 26 * i, 40), 3)
    for i in range(12):
        page.insert_text((72, 100 + 14 * i), f"{i + 1}.", fontsize=8)
        page.insert_text((90, 100 + 14 * i), BODY[i % 2], fontsize=10)
    text, dropped = _text(doc)
    assert dropped == 0 and "12." in text
