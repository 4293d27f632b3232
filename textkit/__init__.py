"""The text algorithms: page layout (furniture, columns, paragraphs, tables), right-to-left lines in reading order,
scripts and languages, page offsets, failed-page markers.

Pure functions over text and boxes: nothing here imports the pipeline's plumbing (``shared``) or a stage, so the
text path, the OCR stage, the filter and the tools share them, and they are tested on their own
(tests/test_imports.py checks the direction).
"""
