import subprocess
import sys

import pytest


def test_pymupdf_is_imported_without_its_layout_model():
    # a fresh interpreter: this one has imported PyMuPDF already
    check = ("import sys, importlib.util\n"
             "from shared.mupdf import import_pymupdf\n"
             "pymupdf = import_pymupdf()\n"
             "assert pymupdf._get_layout is None and 'pymupdf.layout' not in sys.modules\n"
             "importlib.util.find_spec('pymupdf.layout')  # importable again later (pymupdf4llm's use_layout)\n")
    subprocess.run([sys.executable, "-c", check], check=True)


ENTRIES = {  # what each stage's worker runs first that brings PyMuPDF in
    "classify": "import stages.classify.features",
    "ocr": "from stages.ocr.render import RenderSpec, init_render_worker\ninit_render_worker(RenderSpec())",
    "ocr-cpu": "from stages.ocr.cpu_engine import CpuOcrSettings, init_cpu_worker\n"
               "init_cpu_worker(CpuOcrSettings(engine='cpu'))",
    "extract-docling": "from shared.mupdf import import_pymupdf\nimport stages.extract_docling.pymupdf_text\n"
                       "import_pymupdf()",
}


@pytest.mark.parametrize("stage", sorted(ENTRIES))
def test_no_stage_worker_loads_the_layout_model(stage):
    check = (ENTRIES[stage] + "\nimport sys, pymupdf\n"
             "assert 'pymupdf.layout' not in sys.modules and pymupdf._get_layout is None\n")
    subprocess.run([sys.executable, "-c", check], check=True)
