"""Derive the compact IATI codelist table PUX needs from the official IATI 2.03 codelists.

Usage:  python tools/derive_iati_codelists.py PATH/TO/shared/data/iati/codelists

Reads the flattened codelist CSV files (csv/<Name>.csv: code, name_en, ..., status) of the lists an
import checks or an export writes, and writes src/pux/interop/iati/data/codelists.json: for each list,
its codes with their English names, and which codes are withdrawn (old files still use them, so they
are known codes, but PUX never writes one). Nothing else of the codelists is kept.

Source: IATI Standard (http://iatistandard.org/), CC BY 4.0 (credited in DATA_SOURCES.md).
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "pux" / "interop" / "iati" / "data" / "codelists.json"

# The lists PUX's rules check (known codes) or its export writes.
LISTS = (
    "ActivityDateType",
    "ActivityStatus",
    "Country",
    "Currency",
    "DescriptionType",
    "Language",
    "OrganisationRole",
    "OrganisationType",
    "Region",
    "RegionVocabulary",
    "RelatedActivityType",
    "Sector",
    "SectorCategory",
    "SectorVocabulary",
    "TransactionType",
)


def read_list(folder: Path, name: str) -> dict[str, object]:
    codes: dict[str, str] = {}
    withdrawn: list[str] = []
    with (folder / "csv" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["code"].strip()
            if not code:
                continue
            codes[code] = row["name_en"].strip()
            if row.get("status", "").strip() == "withdrawn":
                withdrawn.append(code)
    if not codes:
        raise SystemExit(f"{name}: no codes read; is {folder} the IATI codelists folder?")
    return {"codes": codes, "withdrawn": sorted(withdrawn)}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    folder = Path(argv[1])
    table = {
        "source": "IATI Standard (http://iatistandard.org/) codelists, version 2.03, CC BY 4.0",
        "lists": {name: read_list(folder, name) for name in LISTS},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(table, ensure_ascii=False, sort_keys=True, indent=0) + "\n", encoding="utf-8")
    counts = ", ".join(f"{name} {len(table['lists'][name]['codes'])}" for name in LISTS)  # type: ignore[index]
    print(f"wrote {OUT} ({counts})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
