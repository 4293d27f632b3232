"""The OCR quality set: real born-digital PDFs from Debian packages, turned into noisy scans, and the command
that scores the ocr stage's engines on them (``python -m tools.ocr_quality``; see README.md)."""
