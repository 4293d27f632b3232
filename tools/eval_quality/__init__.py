"""Text-quality suite: olmOCR-bench style page checks over real born-digital PDFs (`just eval-quality`).

The PDFs are fetched by the suite itself (Debian's archive, ../shared/corpus) into a cache outside git; the
repository holds only the labels (labels.txt), the manifest (package, version, path, sha256, page) and the
checks in olmOCR-bench's JSONL format (checks.jsonl), generated from the labels.
"""
