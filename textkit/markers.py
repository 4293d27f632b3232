"""Markers that one stage writes into a document's text and a later stage reads.

FAILED_PAGE_MARKER: the OCR / extraction stages write it as the whole text of a page they could not extract
(and list the page in the ``failed_pages`` column). The filter stage's post-processing coalesces a run of
consecutive failed pages into one marker, so the released text says where content is missing without repeating
the marker per page; language ID and the quality filters ignore it.
"""

from __future__ import annotations

FAILED_PAGE_MARKER = "[failed page]"
