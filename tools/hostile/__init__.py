"""Hostile inputs for ingest and every stage that opens PDFs: seeded, generated, never committed.

Single mutants for tests (``tools.hostile.nested_xobjects_pdf()``, ``tools.hostile.mutate.truncate(...)``), the
mutant set of at least 200 files (``mutant_set()``), WARC damage (``tools.hostile.warcs``), filesystem oddities
(``tools.hostile.fs``), and a whole corpus for the soak (``python -m tools.hostile OUT --count 5000``).
"""

from tools.hostile.pdfs import (  # noqa: F401 - the public single mutants
    SPECIALS,
    deep_array_pdf,
    encrypted_pdf,
    flate_bomb_pdf,
    huge_page_count_pdf,
    image_bomb_pdf,
    jbig2_bomb_pdf,
    lying_page_count_pdf,
    many_text_operators_pdf,
    nested_xobjects_pdf,
    not_a_pdf,
    raw_pdf,
    text_pdf,
    zero_page_pdf,
    zip_bomb,
)
