"""The bundled samples' generator and prose (samples/make_samples.py is a script that imports its neighbour
sample_texts.py by name: its folder goes on sys.path to import it)."""

from __future__ import annotations

import sys
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[2] / "samples"


def make_samples():
    if str(FOLDER) not in sys.path:
        sys.path.insert(0, str(FOLDER))
    import make_samples

    return make_samples


def sample_texts():
    make_samples()
    import sample_texts

    return sample_texts
