"""PDF bytes are stored once, by ingest; later datasets hold a reference to them.

A reference is datatrove's own Media location: ``path`` is the Parquet shard that holds the bytes, ``offset`` the
row in it, ``length`` the byte count. ShardReader fills in where the bytes of a document it read live; a
ShardWriter of a by-reference dataset (classify's routed PDFs, see ``schemas.MEDIA_BY_REFERENCE``) writes that
location instead of the bytes, relative to its own shard's folder so that a run folder can be moved or mounted
elsewhere (compose's /data/out, a Slurm node's shared filesystem, an S3 prefix). Readers turn the relative
path back into a full URI, and ``pdf_bytes(doc)`` reads the bytes on demand, checking them against the sha256
ingest recorded.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections import OrderedDict

from datatrove.data import Document, Media

from shared import outcomes, schemas

_PROTOCOL_SEP = "://"


def _split(uri: str) -> tuple[str, str]:
    if _PROTOCOL_SEP in uri:
        protocol, path = uri.split(_PROTOCOL_SEP, 1)
        return protocol, "/" + path.lstrip("/")
    return "file", uri


def relative_location(target: str, from_folder: str) -> str:
    """``target`` as seen from ``from_folder`` (a relative path when both are on one filesystem)."""
    target_protocol, target_path = _split(target)
    folder_protocol, folder_path = _split(from_folder)
    if target_protocol != folder_protocol:
        return target
    if target_protocol == "file":
        target_path, folder_path = posixpath.abspath(target_path), posixpath.abspath(folder_path)
    return posixpath.relpath(target_path, folder_path)


def absolute_location(location: str, from_folder: str) -> str:
    """The inverse of ``relative_location``: a full URI (or absolute local path)."""
    if _PROTOCOL_SEP in location or location.startswith("/"):
        return location
    protocol, folder_path = _split(from_folder)
    joined = posixpath.normpath(posixpath.join(posixpath.abspath(folder_path) if protocol == "file"
                                               else folder_path, location))
    return joined if protocol == "file" else f"{protocol}{_PROTOCOL_SEP}{joined.lstrip('/')}"


class _ShardCache:
    """The media column of the row group last read, per shard: references arrive in shard order, so each row
    group is decoded once per consumer, and memory holds one row group per shard at most."""

    def __init__(self, max_shards: int = 2):
        self.max_shards = max_shards
        self._shards: OrderedDict[str, tuple] = OrderedDict()  # path -> (file, parquet, row group starts, cache)

    def _open(self, path: str):
        import pyarrow.parquet as pq
        from datatrove.io import open_file

        if path in self._shards:
            self._shards.move_to_end(path)
            return self._shards[path]
        handle = open_file(path, "rb")
        parquet = pq.ParquetFile(handle)
        starts, total = [], 0
        for i in range(parquet.metadata.num_row_groups):
            starts.append(total)
            total += parquet.metadata.row_group(i).num_rows
        entry = [handle, parquet, starts, None, None]  # ..., cached row group index, its media rows
        self._shards[path] = entry
        while len(self._shards) > self.max_shards:
            _, old = self._shards.popitem(last=False)
            old[0].close()
        return entry

    def row_media(self, path: str, row: int) -> dict:
        import bisect

        entry = self._open(path)
        handle, parquet, starts, cached, rows = entry
        group = bisect.bisect_right(starts, row) - 1
        if group < 0 or row >= starts[-1] + parquet.metadata.row_group(len(starts) - 1).num_rows:
            raise IndexError(f"row {row} is not in {path}")
        if cached != group:
            rows = parquet.read_row_group(group, columns=[schemas.MEDIA]).column(0).to_pylist()
            entry[3], entry[4] = group, rows
        media = rows[row - starts[group]]
        return media[0] if media else {}

    def clear(self) -> None:
        for entry in self._shards.values():
            entry[0].close()
        self._shards.clear()


_CACHE = _ShardCache()


def pdf_bytes(doc: Document) -> bytes:
    """The document's PDF bytes: carried in the row, or read from the shard its reference names.

    Raises MissingPdfBytes when there are none, the reference cannot be read, or the bytes found
    are not the ones ingest recorded (the run folder was changed under this run)."""
    media = doc.media[0] if doc.media else None
    if media is None:
        raise outcomes.MissingPdfBytes("the row carries no PDF bytes and no reference")
    if media.media_bytes:
        return media.media_bytes
    if not media.path or media.offset is None:
        raise outcomes.MissingPdfBytes("the row carries no PDF bytes and no reference")
    try:
        stored = _CACHE.row_media(media.path, int(media.offset))
    except (OSError, IndexError, ValueError) as error:
        raise outcomes.MissingPdfBytes(f"cannot read the PDF bytes at {media.path} row {media.offset}: {error}") from None
    data = stored.get("media_bytes") or b""
    expected = doc.metadata.get(schemas.SHA256)
    if expected and hashlib.sha256(data).hexdigest() != expected:
        raise outcomes.MissingPdfBytes(f"the bytes at {media.path} row {media.offset} are not this document's "
                                       "(sha256 differs): was the ingest output rewritten under this run?")
    return data


def located(media: Media, shard: str, row: int) -> None:
    """Record where a row's bytes live (the reader calls this for rows that carry their bytes)."""
    media.path, media.offset = shard, row


def as_reference(media: dict, shard_folder: str) -> dict:
    """A media struct for a by-reference dataset: the location (relative to the writer's shard folder)."""
    if not media.get("path"):
        return media
    return {**media, "media_bytes": None, "path": relative_location(media["path"], shard_folder)}
