"""Tables on whole arXiv papers: development papers of the ``arxiv`` suite (read from the eval cache, the page
cut out alone; skipped with a message where the cache lacks them). Each test checks the table's rows come out
as rows of one Markdown table, as the suite's TEDS against arXiv's LaTeXML HTML counts them."""

from pathlib import Path

import pytest

from stages.extract_docling.pymupdf_text import extract_pdf


def arxiv_pdf(paper: str) -> Path:
    """A development paper of the arxiv suite (never a held-out one) in the eval cache (``FINEPDFS_EVAL_CACHE`` or
    ~/.cache/finepdfs-eval); the test skips where it is absent."""
    from tools.eval_quality.fetch import cache_dir
    from tools.eval_quality.suites import DEV, split_of

    assert split_of("arxiv", paper) == DEV, paper  # the suite's ids are the papers' ("2510.11973")
    pdf = cache_dir() / "external" / "arxiv" / f"arxiv_{paper.replace('.', '_')}.pdf"
    if not pdf.is_file():
        pytest.skip(f"{pdf} is absent (python -m tools.eval_quality.suites prepare arxiv brings it)")
    return pdf


def arxiv_page(paper: str, page: int):
    """Our extraction of one page (0-based) of a development paper of the arxiv suite, cut out alone."""
    import pymupdf

    pdf = arxiv_pdf(paper)
    pymupdf._get_layout = None
    doc = pymupdf.open(pdf)
    doc.select([page])
    [out] = extract_pdf(doc, tables=True)
    return out


def arxiv_page_text(paper: str, page: int) -> str:
    return arxiv_page(paper, page).text


def table_rows(text: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip().strip("|").split("|")] for line in text.splitlines()
            if line.startswith("|") and not line.startswith("|---")]


def test_a_regression_table_s_rows_of_0_1_and_x_stay_in_its_grid():
    """2510.11973 page 36 (Table 4): rows ending in "0", "1", "X" were merged as a table of contents' rows,
    the grid ended above them and the rest of the table was written as paragraphs."""
    rows = table_rows(arxiv_page_text("2510.11973", 35))  # its header "(1) (2)": h-columns' _NUMBERED_MARKER
    assert ["Mean of the Outcome", "0", "0", "0", "0", "0", "0"] in rows
    assert ["School Fixed Effects", "X", "X", "X", "X", "X", "X"] in rows
    assert rows[-1] == ["Birth Weight Squared", "-", "-", "X", "-", "-", "X"]
    assert len(rows) == 21


def test_a_table_with_shaded_rows_and_group_headings_is_one_grid():
    """2510.14979 page 7 (Table 1): rows shaded cell by cell (``\\rowcolor``) were found as ruled tables of two
    rows each (the shaded row and the group heading under it), and the groups between them, without a gutter
    beside those tables, were written as text."""
    text = arxiv_page_text("2510.14979", 6)
    rows = table_rows(text)
    assert ["Mono-InternVL", "InternLM2-1.8B", "1.2B / 143M / 7M", "33.7", "65.5", "40.1", "–", "67.4", "–",
            "34.8"] in rows
    assert ["Fuyu", "Persimmon-8B", "– / – / –", "27.9", "10.7", "21.4", "–", "59.3", "84.0", "–"] in rows
    assert ["▼Native Vision-Language Models (8B)"] + [""] * 9 in rows
    assert sum(line.startswith("|---") for line in text.splitlines()) == 1  # one table, every group in it


def test_a_ruled_table_of_multirow_groups_has_a_row_per_line():
    """2510.14285 page 22 (Table 3): rules only between groups of three estimators beside one threshold
    (``\\multirow``); each group was one row, its three figures joined in each cell. Each label is written
    in its group's first row (as arXiv's HTML puts a cell spanning rows), the last group's two rows, "-" set
    alone between them, included."""
    rows = table_rows(arxiv_page_text("2510.14285", 21))
    assert rows[0] == ["Threshold", "Estimator", "RMSE", "ARE", "RE", "Tuning Param."]
    assert ["v0 = ∆19/48 n", "ĉn,τ(mn, vn)", "0.03296", "0.22079", "0.21617", "-"] in rows
    assert ["", "c(1) n,τ(mn, vn,⃗ζ1)", "0.0291", "0.18878", "0.16621", "ζ = 1.4, p = 0.2"] in rows
    assert rows[-2:] == [["-", "σ̂2 τ,n(un, h)", "0.04669", "0.28256", "0.27899", "-"],
                         ["", "σ̃2 τ,n(λ, un, h)", "0.04187", "0.2466", "0.22257", "λ = 1.9, p = 0.35"]]
    assert len(rows) == 15


def test_a_multirow_label_beside_its_group_s_last_line_labels_the_group():
    """2510.14285 page 23 (Table 4): the labels of two groups stand beside their last line, not the middle
    one; the groups' lines, each a row of figures, were joined into one row each."""
    rows = table_rows(arxiv_page_text("2510.14285", 22))
    k = rows.index(["v0 = ∆21/48 n", "ĉn,τ(mn, vn)", "0.03203", "0.16966", "0.02212", "-"])
    assert rows[k + 2] == ["", "c(2) n,τ(mn, vn,⃗ζ2)", "0.02906", "0.16739", "0.06315", "ζ = (1.7, 1.9),⃗p = (0.8, 0.2)"]
    assert rows[k + 3][0] == "v0 = ∆22/48 n"


def test_a_section_heading_under_a_table_is_no_row_of_it():
    """2510.13369 page 14 (Table 2): "5.2 Wages and Employment", set well under the table's last row, was
    its last row."""
    text = arxiv_page_text("2510.13369", 13)
    assert "| Sciences | Construction |\n\n5.2 Wages and Employment\n\n" in text



def test_a_wide_table_with_centred_group_headings_is_one_table():
    """2510.14958 page 7 (Table 1): "Closed-source (unified) LMMs" and "Open-source (unified) LMMs", centred
    across the table between its header and its rows' groups, cut it into three tables (the header's
    spanning cells and the rows' count fewer cells than the rows under them)."""
    text = arxiv_page_text("2510.14958", 6)
    rows = table_rows(text)
    assert sum(line.startswith("|---") for line in text.splitlines()) == 1
    assert any("Closed-source (unified) LMMs" in r for r in rows)
    assert any("Open-source (unified) LMMs" in r for r in rows)
    assert rows[-1][0] == "∆Over Base Model"


def test_a_rule_between_groups_of_methods_is_no_header_rule():
    """2510.14943 page 7 (Table 1): rules between the groups of methods (each under its model's name); the
    first was taken for the header's rule and the first group's four rows joined into one header row."""
    rows = table_rows(arxiv_page_text("2510.14943", 6))
    assert ["Base", "3.7", "1.3", "-", "-", "1.0", "2.0", "22.3", "11.2", "-", "-", "13.7", "15.7"] in rows
    assert ["- SWA", "52.9", "26.1", "-", "-", "18.2", "32.4", "80.4", "70.9", "-", "-", "66.0", "72.4"] in rows
    assert ["Qwen2.5-7B-Base"] + [""] * 12 in rows


def test_column_headings_set_as_one_line_are_parted_into_their_columns():
    """2510.14967 page 17 (Table 5), 2510.14979 page 8 (Table 2): headings set so close that the PDF made them
    one line ("On-Policy Explicit Labeling-Free Monte Carlo–Free", "Backbone AI2D DocVQA ..."): the header was
    text over the table, or one cell."""
    rows = table_rows(arxiv_page_text("2510.14967", 16))
    assert rows[0] == ["Algorithm", "On-Policy", "Explicit Labeling-Free", "Monte Carlo–Free", "Introduces No Bias"]
    rows = table_rows(arxiv_page_text("2510.14979", 7))
    assert rows[0] == ["Model", "Input", "RoPE", "Backbone", "AI2D", "DocVQA", "ChartQA", "InfoVQA", "TextVQA",
                       "OCRBench"]


def test_a_group_heading_over_a_header_with_a_lower_stub_heading_is_the_table_s():
    """2510.14958 page 8 (Tables 3 and 4): "Overall" over "Complete  Weighted", "Model" centred on both lines:
    "Overall" was written as text over each table."""
    text = arxiv_page_text("2510.14958", 7)
    assert text.count("| Model | Overall |  |\n|---|---|---|\n|  | Complete | Weighted |\n") == 2


def test_a_lettered_appendix_heading_under_a_table_is_no_row_of_it():
    """2510.14967 page 16 (Table 4): "D  MORE DISCUSSION AND EXPERIMENTAL ANALYSIS" under the table's bottom
    rule was its last row (the letter a column of its own)."""
    text = arxiv_page_text("2510.14967", 15)
    assert "| KL-Divergence loss coefficient | 0.001 |\n\nD MORE DISCUSSION AND EXPERIMENTAL ANALYSIS\n" in text
    assert table_rows(text)[0] == ["Training hyperparameters", "Value"]


def test_a_long_heading_centred_between_a_table_s_rows_is_a_row_of_it():
    """2510.11973 page 46 (Table A2): headings of 106 and 113 characters centred between the header and the
    rows cut the table; its header was written as text."""
    text = arxiv_page_text("2510.11973", 45)
    rows = table_rows(text)
    assert sum(line.startswith("|---") for line in text.splitlines()) == 1
    assert rows[0][:3] == ["Independent Variables", "Cognitive Skills", "Externalizing"]
    assert rows[1][0].startswith("Relationship between individual characteristics") and rows[1][1:] == [""] * 9
    assert rows[-1][0] == "Observations"


def test_a_cell_wrapped_in_a_ruled_row_split_at_its_lines_stays_in_its_row():
    """2510.14285 page 20 (Table 1): a tuning parameter wrapped onto a second line ("ζ = (1.7, 1.8)," over
    "p = (0.5, 0.85)") in the table's tall ruled row split at its lines was a row of its own."""
    rows = table_rows(arxiv_page_text("2510.14285", 19))
    assert ["c̃(2) n,τ,exp(mn, vn,⃗ζ2)", "0.1215", "0.0608", "0.0099", "ζ = (1.7, 1.8), p = (0.5, 0.85)", "0.1421",
            "0.0740", "0.0234", "ζ = (1.9, 1.25), p = (0.5, 0.65)"] in rows
    assert not any(r[0] == "" and r[4].startswith("p = ") for r in rows)


def test_a_table_of_short_and_long_names_keeps_all_its_rows():
    """2510.13369 page 14 (Table 1): rows holding one long name beside a short one were judged lines of text
    columns side by side by their cells' mean length; the table ended after its first row and the rest was
    read as two columns of text."""
    rows = table_rows(arxiv_page_text("2510.13369", 13))
    assert rows[:6] == [["Highest Exposure", "Lowest Exposure"], ["Online Merchants", "Riggers"],
                        ["Logistics Analysts", "Electrical Power-Line Installers and Repairers"],
                        ["Graphic Designers", "Rock Splitters, Quarry"],
                        ["Market Research Analyst", "Refractory Materials Repairers"],
                        ["Pharmacy Technicians*", "Roustabouts, Oil and Gas"]]


def test_a_figure_s_panel_captions_under_a_table_stay_out_of_it():
    """2510.14967 page 8 (Table 3 over Figure 3): the panels' captions "(a) NQ" .. "(g) PopQA", set in rows
    under the table, were its last two rows."""
    text = arxiv_page_text("2510.14967", 7)
    rows = table_rows(text)
    assert rows[-1] == ["IGPO (w/ F1+IG)", "46.7", "80.1", "57.2", "68.2", "31.4", "74.9", "52.5", "58.7"]
    assert "(a) NQ (b) TQ (c) HotpotQA (d) 2Wiki\n(e) Musique (f) Bamboogle (g) PopQA" in text


def test_rows_ruled_one_by_one_with_wrapped_text_cells_are_one_table():
    """2510.14969 page 19 (Table 6): labels, definitions and examples, each row between two rules and its
    cells wrapped over two or three lines; the three columns were read as text columns one after another."""
    rows = table_rows(arxiv_page_text("2510.14969", 18))
    assert rows[0] == ["Dimensions", "Definitions", "Examples"]
    assert rows[1] == ["Realism of Task",
                       "Whether the task resembles something a real user would encounter in everyday app usage.",
                       "“Search for a product and add it to the cart” is realistic; “click random buttons” is not."]
    assert ["Logical Consistency (Thoughts)",
            "Whether explanatory comments or inferred logic are coherent and free of contradictions.",
            "“User clicks search to find item” followed by “user wants to delete profile” is inconsistent."] in rows
    assert len(rows) == 9


def test_a_figure_s_axis_labels_under_a_table_s_bottom_rule_stay_out_of_it():
    """2510.14979 page 9 (Table 3 over Figures 6 and 7): the figures' tick labels and axis titles, set under the
    table's bottom rule, lined up with its columns and were read as its last rows; the table's rules, drawn
    from the left edge of its one-letter stub column ("A" .. "I"), were taken to end at the gutter beside that
    column, which was cut off and read as a paragraph "A B C D E F G H I"."""
    [table] = [block for block in arxiv_page_text("2510.14979", 8).split("\n\n") if "| A |" in block]
    rows = table_rows(table)
    assert [row[:3] for row in rows].index(["A", "Causal", "1D-RoPE"]) <= 1  # under the header's row, if any
    assert rows[-1] == ["I", "Mixed", "Native-RoPE⋆", "40.4", "50.4", "36.9", "57.0", "64.1", "25.6", "25.2", "21.7",
                        "20.1", "78.7", "42.0"]
    assert not any("PB1" in cell or "Avg. Accuracy (%)" in cell for row in rows for cell in row)


def test_a_decimal_and_a_label_in_two_columns_stay_two_cells():
    """2510.14415 page 18 (Table 1): the rows "400  0.5  est  cd = 2 ..." (the sample size, the bandwidth, the
    estimator and the kernel, each in a column of its own): "0.5" was taken for a section number and "est"
    for its title, one cell "0.5 est" across two columns, and the header's "cb" and "S˚" one cell with them."""
    rows = table_rows(arxiv_page_text("2510.14415", 17))
    assert ["400", "0.5", "est"] == rows[2][:3]
    assert not any("0.5 est" in cell for row in rows for cell in row)


def test_a_regression_table_s_column_numbers_are_a_row_of_their_own():
    """2510.11973 page 43 (Table 11): the header's line of column numbers "(1) .. (8)" over the outcomes'
    names was read as the first line of wrapped headings: "(1) VRT", "(2) Externalizing" in one row."""
    rows = table_rows(arxiv_page_text("2510.11973", 42))
    assert rows[0] == ["", "(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"]
    assert rows[1][:3] == ["Outcome Variables", "VRT", "Externalizing"]


def test_a_group_heading_right_under_the_header_keeps_header_and_body_one_table():
    """2510.14943 page 7 (Table 1) and page 20 (Table 6): the group heading "OctoThinker-3B-Short-Base" right under
    the header's rule cut each table in two, the header (its cells stacked and spanning, fewer than the body's)
    a table of its own over the body."""
    for page, first in ((6, "MATH-500"), (19, "Acc.")):
        text = arxiv_page_text("2510.14943", page)
        rows = table_rows(text)
        heading = rows.index(["OctoThinker-3B-Short-Base"] + [""] * (len(rows[0]) - 1))
        assert first in rows[heading - 1], rows[:heading]
        assert rows[heading + 1][0] == "Base"
        assert sum(line.startswith("|---") for line in text.splitlines()) == 1, text


def test_strips_between_one_table_s_rules_are_one_table_though_their_union_has_no_gutter():
    """2510.14979 page 8 (Table 2): the header's headings set one space apart ("Backbone AI2D DocVQA ..." one
    line) and the cells of body rows one space apart ("Mono-InternVL-1.5 Tile-wise.") leave the strips over and
    under the rule at "Native Vision-Language Models (2B)" no gutter in common; the table was cut in two there,
    the group heading a paragraph between them."""
    text = arxiv_page_text("2510.14979", 7)
    rows = table_rows(text)
    assert rows[0][:3] == ["Model", "Input", "RoPE"]
    assert ["▼Native Vision-Language Models (2B)"] + [""] * 9 in rows
    assert ["HoVLE", "Tile-wise.", "1D-RoPE", "Dense", "73.0", "86.1", "78.6", "55.7", "70.9", "74.0"] in rows
    assert sum(line.startswith("|---") for line in text.splitlines()) == 1, text


def test_headings_of_one_line_are_parted_where_the_pdf_placed_their_words():
    """2510.14979 page 9 (Table 3): "MMMU MMB MMS SEED-I AI2D CQA IVQA TVQA OCRB POPE Avg." is one line of
    capitals in runs the PDF placed; its words counted along the whole line fell a column off, and the header
    stayed one cell over eleven columns."""
    rows = table_rows(arxiv_page_text("2510.14979", 8))
    assert rows[0][-11:] == ["MMMU", "MMB", "MMS", "SEED-I", "AI2D", "CQA", "IVQA", "TVQA", "OCRB", "POPE", "Avg."]


def test_a_caption_over_the_top_rule_is_no_part_of_the_table_s_rows():
    """2510.11973 page 35 (Table 3), 2510.14969 page 17 (Table 3): a row under the table's top rule that reaches
    past the caption's ends ("(1) (2) (3) (4)", "Action  Description") was joined with the caption over the
    rule and written as text; the columns' numbers are the table's first row."""
    rows = table_rows(arxiv_page_text("2510.11973", 34))
    assert rows[0] == ["", "(1)", "(2)", "(3)", "(4)"]
    assert rows[2] == ["Percentile Rank", "0.575***", "0.579***", "0.540***", "0.544***"]
    rows = table_rows(arxiv_page_text("2510.14969", 16))
    assert rows[0] == ["Action", "Description"]


def test_a_label_and_its_neighbour_one_space_apart_in_a_row_of_figures_are_parted():
    """2510.14979 page 7 (Table 1), 2510.14961 page 9 (Table 2): a label and the cell beside it set one space
    apart ("InternLM2.5-1.8B >6B / 100M / 16M", "Diff. Sampler (r′ = 2, βt = 0.5) 40.71%") were one cell
    spanning their two columns."""
    rows = table_rows(arxiv_page_text("2510.14979", 6))
    assert ["InternVL2.5", "InternLM2.5-1.8B", ">6B / 100M / 16M", "43.6", "74.7", "60.8", "53.7", "–", "90.6",
            "42.6"] in rows
    rows = table_rows(arxiv_page_text("2510.14961", 8))
    assert ["Diff. Sampler (r′ = 2, βt = 0.5)", "40.71%", "182.2", "17.60%", "35.9", "20.12%", "67.4", "27.80%",
            "92.3"] in rows


def test_pages_read_from_their_glyphs_alone_read_as_after_a_dict_reading(monkeypatch):
    """The pages of a paper set in TeX (accents drawn as glyphs of their own) whose lines are read from their
    glyphs are read so without a "dict" reading first, and give the lines they gave after one."""
    import pymupdf

    from stages.extract_docling import pymupdf_text

    doc = pymupdf.open(arxiv_pdf("2510.11973"))
    pages = [doc[i] for i in range(min(doc.page_count, 6))]
    direct = [pymupdf_text.page_lines(page) for page in pages]
    from_glyphs = [pymupdf_text._texts_from_glyphs(page, pymupdf_text.page_textpage(page)) for page in pages]
    assert any(b is not None and pymupdf_text._glyphs_wanted(b) is not None for b in from_glyphs)
    monkeypatch.setattr(pymupdf_text, "_may_want_glyphs", lambda text: False)
    assert [pymupdf_text.page_lines(page) for page in pages] == direct


def test_a_booktabs_table_of_wrapped_sentences_and_formulas_is_one_grid():
    """2510.14523 page 3 (Table I): its last column is sentences and a cases formula, two columns set a space
    apart on some lines; two rows came out as a table and the rest as paragraphs (TEDS 0.24). Read by its frame
    (top, header and bottom rules)."""
    rows = table_rows(arxiv_page_text("2510.14523", 2))
    assert rows[0] == ["Model", "Identifiable?", "Rank parameters", "Closed-form from observables"]
    assert [r[:3] for r in rows[1:5]] == [["Tucker", "No (from 2nd moments)", "(r1, . . . , rM)"],
                                         ["PARAFAC/CP", "Yes", "r"], ["Tensor Train (TT)", "Yes", "(r1, . . . , rM−1)"],
                                         ["Tensor Ring (TR)", "Yes", "(r1, . . . , rM)"]]
    assert rows[1][3].endswith("the reduced log-rank system is degenerate (non-identifiable).")


def test_a_contents_list_s_two_digit_page_numbers_stay_with_their_entries():
    """2510.14523 page 1: the contents' page numbers are set flush left in their box, so "11" and "12" ended
    past the one right edge of "2" ... "9": they came out after their titles as paragraphs "11" and "11 11 12";
    an entry labelled with a capital was joined to the entry above it."""
    pdf = arxiv_pdf("2510.14523")  # the whole paper: its text columns' gutter is the document's
    lines = extract_pdf(pdf.read_bytes(), tables=True)[0].text.splitlines()
    assert "A. Theoretical Details and Proofs 11" in lines
    assert "2. Theoretical analysis of the Tucker model 12" in lines
    assert "A. Model Definition and Its Moments 4" in lines and "B. Rank Identifiability Analysis 5" in lines
