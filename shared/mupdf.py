"""PyMuPDF for every stage, imported without its bundled layout model.

``import pymupdf`` imports ``pymupdf.layout`` where it is installed (it comes with pymupdf4llm), and that loads
its ONNX models at once: about 0.3 s of CPU and 80 MB in every worker process, though no stage path uses them
(classify's features, ocr's rendering, extract-docling's text path). Importing ``pymupdf.layout`` later in the
process (pymupdf4llm's ``use_layout``, an evaluation peer) still works.
"""

from __future__ import annotations

import sys


def import_pymupdf():
    """The ``pymupdf`` module, its layout model left unloaded when this is the first import."""
    if "pymupdf" not in sys.modules and "pymupdf.layout" not in sys.modules:
        sys.modules["pymupdf.layout"] = None  # pymupdf's own `import pymupdf.layout` fails, and it goes on without
        try:
            import pymupdf
        finally:
            del sys.modules["pymupdf.layout"]
    import pymupdf

    return pymupdf
