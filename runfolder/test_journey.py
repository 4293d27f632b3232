"""`finepdfs show`: a drop says why with the values that decided it; text from PDFs cannot drive the terminal."""

from runfolder.journey import Event, render, safe


def test_control_and_bidi_characters_are_shown_not_sent_to_the_terminal():
    hostile = "red \x1b[31mALERT\x1b[0m \x07bell\r overwrite \u202eevil\u202c\nnext\tline"
    shown = safe(hostile)
    assert "\x1b" not in shown and "\x07" not in shown and "\r" not in shown and "\u202e" not in shown
    assert shown == "red \\x1b[31mALERT\\x1b[0m \\x07bell\\x0d overwrite \\u202eevil\\u202c\nnext\tline"


def test_a_low_language_score_is_explained_with_its_threshold():
    events = [Event("ingest", "kept", "", "raw_pdfs", {"file_path": "a.pdf"}),
              Event("filter", "dropped", "lid_low_score", "", {"language": "eng_Latn", "score": 0.41, "threshold": 0.65,
                                                               "full_doc_lid": "eng_Latn"}),
              Event("filter", "kept", "", "eng_Latn_removed", {})]
    text = render("a.pdf", events, {"stage": "filter", "text": "Hello \x1b]0;title\x07", "page_ends": [18],
                                    "failed_pages": []})
    assert "DROPPED: lid_low_score (the language score is under that language's threshold); eng_Latn scored " \
           "0.4100 < threshold 0.65; full_doc_lid=eng_Latn -> its text is kept in the removed subset" in text
    assert "kept -> eng_Latn_removed" in text and "Hello \\x1b]0;title\\x07" in text and "\x1b" not in text
