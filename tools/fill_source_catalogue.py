"""Fill the English catalogue from the message ids (English is the source language).

Usage: python tools/fill_source_catalogue.py src/pux/locale/en/LC_MESSAGES/messages.po
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def main(path: Path) -> None:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(message.id)
        else:
            message.string = message.id
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
