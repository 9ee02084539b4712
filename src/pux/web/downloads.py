"""Files made in a request and sent as they are read: written to a spool (memory up to a limit, then a
temporary file) while the request's database session is open, then streamed in chunks, so a large export
holds neither its records nor its bytes in memory."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO

from fastapi.responses import StreamingResponse

# Files up to this size stay in memory; larger ones are written to a temporary file first.
SPOOL_BYTES = 8 * 1024 * 1024
CHUNK_BYTES = 1 << 16


def spool() -> IO[bytes]:
    """Where to write a file that will be sent with ``streamed``."""
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed by _chunks)


def _chunks(written: IO[bytes]) -> Iterator[bytes]:
    try:
        written.seek(0)
        while chunk := written.read(CHUNK_BYTES):
            yield chunk
    finally:
        written.close()


def streamed(written: IO[bytes], media_type: str, filename: str) -> StreamingResponse:
    """The spool's content as an attachment named ``filename``."""
    return StreamingResponse(
        _chunks(written),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
