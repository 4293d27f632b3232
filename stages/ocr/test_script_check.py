"""Script choice on doubtful pages: a probe band that OSD's script reads unsure is read with the other candidate
script packs (polytonic Greek print that OSD calls Latin), and polytonic Greek is read with the Greek script pack
rather than the modern Greek model lid.176 names for it."""

from pathlib import Path

import pytest

from stages.ocr import scripts
from stages.ocr.cpu_engine import CpuOcrSettings, Line, _language_read, _script_check

TESTDATA = Path(__file__).parent / "testdata"
# the middle of the verse block of F. W. Schneidewin, Sophokles: Aias (Leipzig, 1853), page 74, Internet Archive
# scan, from AjaxMultiCommentary/GT-commentaries-OCR (CC-BY-4.0), a tune page of the real-scan set: OSD calls
# this page Latin, and the Latin read fails (confidence 0.32)
POLYTONIC_BAND = TESTDATA / "polytonic_band_schneidewin_1853.png"
# what the Greek pack read on two tune pages of the real-scan set (Lobeck 1835, Schneidewin 1853)
LOBECK_PROBE = ("Πεπτωκότος γὰρ ἐν τῇ μάχῃ τοῦ Ayihidos ἐδόκουν Αἴας τε καὶ ᾿Οδυσσεὺς ἐπ᾽ αὐτῷ πλέον τε > , - ’ "
                "b oa ἀριστεύειν περὶ τὴν τοῦ σώματος")
SCHNEIDEWIN_PROBE = "ΑΙΑΣ. ’ ’ 2 o. -~ . 7 . ( 2’ κόμιζέ νῦν μοι παῖδα τὸν ἐμὸν, ὡς ἴδω."
MODERN = "Η Ελλάδα είναι χώρα της νοτιοανατολικής Ευρώπης, στο νότιο άκρο της Βαλκανικής χερσονήσου."


def test_polytonic_greek_is_told_from_modern_greek():
    assert scripts.polytonic(LOBECK_PROBE) and scripts.polytonic(SCHNEIDEWIN_PROBE)
    assert not scripts.polytonic(MODERN)
    assert not scripts.polytonic(MODERN.replace("ά", "\u1f71"))  # oxia is monotonic's tonos (NFC: U+03AC)
    assert not scripts.polytonic(MODERN + " ὁ")  # a stray breathing in a modern page's read is not enough


class _Reader:
    """A Tesseract stand-in: each script's pack reads the band at a fixed confidence; records what it read."""

    def __init__(self, confidence_by_model: dict, folder: str = "", text: str = "text", **settings):
        self.settings = CpuOcrSettings(engine="cpu", language_probe_models={"Latin": "eng"}, **settings)
        self.confidence_by_model, self.folder, self.text, self.models_read = confidence_by_model, folder, text, []

    def model_for(self, script):
        return scripts.tesseract_model(script or scripts.DEFAULT_SCRIPT, {}, self.folder) \
            if self.folder else script

    def read(self, image, script):
        return self.read_model(image, self.model_for(script))

    def read_model(self, image, model):
        self.models_read.append(model)
        return [Line(0, 0, 10, 10, self.text, self.confidence_by_model.get(model, 0.2))]


def _probe_lines(confidence: float) -> list[Line]:
    return [Line(0, 0, 10, 10, "probe", confidence)]


def test_an_unsure_probe_is_read_with_the_other_script_packs_and_the_surest_script_reads_the_page():
    reader = _Reader({"Greek": 0.57, "Cyrillic": 0.40})
    script, probe = _script_check(reader, None, _probe_lines(0.31), "Latin")
    assert script == "Greek" and probe[0].confidence == 0.57
    assert "eng" not in reader.models_read  # OSD's own script is not read again
    assert set(reader.models_read) == set(scripts.SCRIPT_CANDIDATES) - {"Latin"}


def test_a_candidate_read_surely_stands_at_once_and_the_packs_after_it_are_not_read():
    reader = _Reader({"Greek": 0.68, "Cyrillic": 0.75})
    script, probe = _script_check(reader, None, _probe_lines(0.31), "Latin")
    assert script == "Greek" and reader.models_read == ["Greek"]  # 0.68 >= script_check_below + the margin


def test_a_sure_probe_or_a_candidate_barely_surer_leaves_osds_script():
    reader = _Reader({"Greek": 0.9})
    assert _script_check(reader, None, _probe_lines(0.8), "Latin")[0] == "Latin"
    assert reader.models_read == []  # sure pages cost nothing
    reader = _Reader({"Cyrillic": 0.38})
    assert _script_check(reader, None, _probe_lines(0.31), "Latin")[0] == "Latin"
    assert _script_check(_Reader({"Greek": 0.9}, script_check_below=0.0), None, _probe_lines(0.3), "Latin")[0] \
        == "Latin"  # 0 turns the check off


def test_a_right_to_left_script_osd_names_is_not_second_guessed():
    reader = _Reader({"Cyrillic": 0.55, "Latin": 0.5})
    assert _script_check(reader, None, _probe_lines(0.39), "Arabic")[0] == "Arabic"
    assert reader.models_read == []  # an unsure Arabic probe is Arabic's usual, not a misnamed script


class _State:
    def __init__(self, settings):
        self.settings = settings

    def language(self, text):
        return ("ell_Grek", 0.95) if text.strip() else None  # lid.176 has no Ancient Greek: it says ell


def test_polytonic_greek_is_read_with_the_greek_pack_and_modern_greek_with_its_language_model(tmp_path):
    for pack in ("Greek", "Latin", "ell", "eng"):
        (tmp_path / f"{pack}.traineddata").write_bytes(b"")
    polytonic = _Reader({}, str(tmp_path), LOBECK_PROBE)
    assert _language_read(_State(polytonic.settings), polytonic, None, polytonic.read(None, "Greek"), "Greek") \
        is None  # None: the page is read with the script's pack, Greek+Latin
    modern = _Reader({}, str(tmp_path), MODERN)
    lines, model, script = _language_read(_State(modern.settings), modern, None, modern.read(None, "Greek"), "Greek")
    assert (model, script) == ("ell", "Greek")  # no Latin word in the probe: eng is not beside it (test_latin_beside)


def test_a_real_polytonic_band_osd_calls_latin_is_found_greek_and_polytonic():
    pytest.importorskip("tesserocr")
    from PIL import Image

    from stages.ocr.cpu_engine import _probe, _Tesseract, mean_confidence

    reader = _Tesseract(CpuOcrSettings(engine="cpu", language_probe_models={"Latin": "eng"}))
    if not all((Path(reader.folder) / f"{pack}.traineddata").is_file() for pack in scripts.SCRIPT_CANDIDATES):
        pytest.skip("the script packs are not installed here")
    band = Image.open(POLYTONIC_BAND)
    as_latin = _probe(reader, band, "Latin")
    assert mean_confidence(as_latin) < reader.settings.script_check_below
    script, probe = _script_check(reader, band, as_latin, "Latin")
    text = " ".join(line.text for line in probe)
    assert script == "Greek" and scripts.polytonic(text), text
    assert "γέλωτος" in text, text


def test_a_candidate_whose_read_comes_out_in_latin_letters_does_not_stand(tmp_path):
    for pack in ("Greek", "Cyrillic", "Latin"):
        (tmp_path / f"{pack}.traineddata").write_bytes(b"")
    reader = _Reader({"Cyrillic+Latin": 0.7}, str(tmp_path), "Brevet d'invention pour un appareil")
    assert _script_check(reader, None, _probe_lines(0.4), "Latin")[0] == "Latin"
    greek = _Reader({"Greek+Latin": 0.7}, str(tmp_path), LOBECK_PROBE)
    assert _script_check(greek, None, _probe_lines(0.4), "Latin")[0] == "Greek"
