"""Page-aware text: a document's text is its pages joined, and page_ends[i] is where page i ends (exclusive).

Page i is ``text[page_ends[i-1]:page_ends[i]]`` (page -1 ends at 0). The separator after a page belongs to that
page, so slices tile the text exactly and any edit can be made per page and re-joined.
"""

from __future__ import annotations

PAGE_SEPARATOR = "\n\n"


def join_pages(page_texts: list[str], separator: str = PAGE_SEPARATOR) -> tuple[str, list[int]]:
    """(text, page_ends) from per-page texts; each page is stripped, empty pages stay as empty slices."""
    parts, page_ends, offset = [], [], 0
    last = len(page_texts) - 1
    for i, page in enumerate(page_texts):
        page = page.strip()
        if i < last and page:
            page += separator
        parts.append(page)
        offset += len(page)
        page_ends.append(offset)
    return "".join(parts), page_ends


def split_pages(text: str, page_ends: list[int]) -> list[str]:
    """The per-page slices of ``text`` (with their trailing separators)."""
    pages, start = [], 0
    for end in page_ends:
        pages.append(text[start:end])
        start = end
    return pages


def check_page_ends(text: str, page_ends: list[int]) -> None:
    """Raise if page_ends do not tile ``text`` (non-decreasing, last one == len(text))."""
    if any(b < a for a, b in zip([0, *page_ends[:-1]], page_ends, strict=True)):
        raise ValueError("page_ends must be non-decreasing")
    if page_ends and page_ends[-1] != len(text):
        raise ValueError(f"last page end {page_ends[-1]} != text length {len(text)}")
