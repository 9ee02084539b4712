"""Rebuild PUX's compact reference tables from the public source files.

Usage:  python tools/build_reference.py PATH/TO/shared/data

Writes the derived CSV files under src/pux/reference/data/. Countries: the UN M49 areas only, with their
M49 short names in the six UN languages (checked against a second copy, see country_name) and the
"selectable" flag (0 for the UNINHABITED areas below); it stops if any name is missing. Authored files
in that folder (sdg_labels.csv, thematic_areas.csv, indicators.csv) are read, never written. Every
figure keeps its year and source; nothing missing is filled in.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterable
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "pux" / "reference" / "data"
LANGUAGES = ("en", "fr", "es", "ar", "zh", "ru")
M49_FILE_LANGUAGE = {"en": "en", "fr": "fr", "es": "es", "ar": "ar", "zh": "cn", "ru": "ru"}

# LDC graduations that the staged M49 file (2024-09) predates: UN General Assembly resolution 73/133.
LDC_GRADUATIONS = {"STP": "2024-12-13"}

INCOME_GROUP_CODES = {
    "Low income": "LIC",
    "Lower middle income": "LMC",
    "Upper middle income": "UMC",
    "High income": "HIC",
    "Low": "LIC",
    "Lower middle": "LMC",
    "Upper middle": "UMC",
    "High": "HIC",
}
# Observations name their source by code; the citations live in sources.csv (written below).
SOURCES = [
    {
        "code": "wdi-2026-07",
        "published": "2026-07-01",
        "licence": "CC BY 4.0",
        "citation": "World Bank, World Development Indicators, update of 2026-07-01",
    },
    {
        "code": "wdi-bulk-2025-01",
        "published": "2025-01-28",
        "licence": "CC BY 4.0",
        "citation": "World Bank, World Development Indicators bulk file of 2025-01-28 (WHO Global Health "
        "Expenditure Database)",
    },
    {
        "code": "jmp-2021",
        "published": "2021-07-01",
        "licence": "CC BY 4.0",
        "citation": "WHO/UNICEF Joint Monitoring Programme for Water Supply, Sanitation and Hygiene 2021, "
        "via Our World in Data",
    },
]


def read_csv(path: Path, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(name: str, fieldnames: list[str], rows: Iterable[dict[str, object]]) -> int:
    rows = list(rows)
    with (OUT / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def m49_tables(data: Path) -> dict[str, list[dict[str, str]]]:
    folder = data / "countries" / "datahub-country-codes"
    return {lang: read_csv(folder / f"UNSD-M49-{suffix}.csv") for lang, suffix in M49_FILE_LANGUAGE.items()}


# A second copy of the M49 names in the six languages: OCHA's country and territory taxonomy, which
# follows the current UNSD wording (e.g. "Netherlands (Kingdom of the)", 2023) and lists only M49 areas.
TAXONOMY_FILE = (
    Path("countries") / "hdx-python-country" / "Countries & Territories Taxonomy MVP - C&T Taxonomy.csv"
)
TAXONOMY_LANGUAGE = {
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "ar": "Arabic",
    "zh": "Chinese",
    "ru": "Russian",
}

# Uninhabited areas: M49 areas, listed on /countries, but nobody there drafts a need, receives a programme
# or an activity, or works for an organisation, so they are not offered where a country is chosen.
# This is the one place the rule lives; the build writes it as the "selectable" column of countries.csv.
UNINHABITED = {
    "ATA": "Antarctica",
    "BVT": "Bouvet Island",
    "HMD": "Heard Island and McDonald Islands",
    "ATF": "French Southern Territories",
    "SGS": "South Georgia and the South Sandwich Islands",
    "UMI": "United States Minor Outlying Islands",
    "IOT": "British Indian Ocean Territory",
}

# UNTERM short names carry the article in brackets ("Bahamas (the)", "Kenya (le)") and an asterisk for
# observer States; both are stripped before a UNTERM name stands in for a missing M49 name.
UNTERM_ARTICLE = re.compile(r"\s*\((?:the|le|la|l'|l’|les|el|los|las)\)\s*$")


def unterm_short_name(value: str) -> str:
    return UNTERM_ARTICLE.sub("", value.replace(" *", "").strip()).strip()


def m49_names_by_country(data: Path) -> dict[str, dict[str, str]]:
    """ISO alpha-3 -> the M49 name in each language, from the taxonomy (only areas M49 lists have one)."""
    names: dict[str, dict[str, str]] = {}
    for row in read_csv(data / TAXONOMY_FILE):
        iso3 = row["ISO 3166-1 Alpha 3-Codes"]
        if iso3 and row["M49 English"] and row["m49 numerical code"]:
            names[iso3] = {lang: row[f"M49 {column}"].strip() for lang, column in TAXONOMY_LANGUAGE.items()}
    return names


def unterm_names_by_country(data: Path) -> dict[str, dict[str, str]]:
    names: dict[str, dict[str, str]] = {}
    for row in read_csv(data / "countries" / "datahub-country-codes" / "country-codes.csv"):
        names[row["ISO3166-1-Alpha-3"]] = {
            lang: unterm_short_name(row[f"UNTERM {column} Short"])
            for lang, column in TAXONOMY_LANGUAGE.items()
        }
    return names


def m49_areas(
    tables: dict[str, list[dict[str, str]]], confirmed: dict[str, dict[str, str]]
) -> tuple[dict[str, list[dict[str, str]]], list[str]]:
    """The rows of the M49 download that are M49 areas: an ISO entry the taxonomy gives no M49 name
    (Taiwan, listed by ISO 3166 but by M49 only within China) is dropped, with everything about it."""
    keep = [index for index, row in enumerate(tables["en"]) if row["ISO-alpha3 Code"] in confirmed]
    dropped = [row["ISO-alpha3 Code"] for row in tables["en"] if row["ISO-alpha3 Code"] not in confirmed]
    return {lang: [rows[index] for index in keep] for lang, rows in tables.items()}, dropped


def country_name(
    iso3: str,
    lang: str,
    downloaded: str,
    m49_names: dict[str, dict[str, str]],
    unterm: dict[str, dict[str, str]],
    notes: list[str],
) -> str:
    """The UN short name: M49's; where the two M49 copies disagree, the taxonomy's current wording;
    UNTERM's short name only where M49 has none. Every disagreement is reported."""
    current = m49_names.get(iso3, {}).get(lang, "")
    official = unterm.get(iso3, {}).get(lang, "")
    name = downloaded.strip()
    if current and current != name:
        notes.append(
            f"{iso3} {lang}: {name!r} in the M49 download, {current!r} in the taxonomy: taxonomy used"
        )
        name = current
    if not name and official:
        notes.append(f"{iso3} {lang}: no M49 name, UNTERM short name {official!r} used")
        name = official
    return name


def build_regions(tables: dict[str, list[dict[str, str]]]) -> list[dict[str, object]]:
    levels = (
        ("region", "Region Code", "Region Name", None),
        ("subregion", "Sub-region Code", "Sub-region Name", "Region Code"),
        ("intermediate", "Intermediate Region Code", "Intermediate Region Name", "Sub-region Code"),
    )
    regions: dict[str, dict[str, object]] = {}
    for level, code_col, name_col, parent_col in levels:
        for index, row in enumerate(tables["en"]):
            code = row[code_col]
            if not code or code in regions:
                continue
            entry: dict[str, object] = {
                "m49": code,
                "level": level,
                "parent_m49": row[parent_col] if parent_col else "",
            }
            for lang in LANGUAGES:
                entry[f"name_{lang}"] = tables[lang][index][name_col]
            regions[code] = entry
    return sorted(regions.values(), key=lambda r: (str(r["level"]), str(r["m49"])))


UN_LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")


def un_languages_by_country(data: Path) -> dict[str, str]:
    """The six UN languages spoken officially or widely, from the country-codes "Languages" list."""
    rows = read_csv(data / "countries" / "datahub-country-codes" / "country-codes.csv")
    found = {}
    for row in rows:
        codes = {
            code.strip().split("-")[0].lower() for code in row.get("Languages", "").split(",") if code.strip()
        }
        found[row["ISO3166-1-Alpha-3"]] = ";".join(code for code in UN_LANGUAGES if code in codes)
    return found


def build_countries(
    tables: dict[str, list[dict[str, str]]],
    languages: dict[str, str],
    m49_names: dict[str, dict[str, str]],
    unterm: dict[str, dict[str, str]],
    notes: list[str],
) -> list[dict[str, object]]:
    countries = []
    for index, row in enumerate(tables["en"]):
        iso3 = row["ISO-alpha3 Code"]
        for lang in LANGUAGES:  # the six files must list the same areas in the same order
            assert tables[lang][index]["ISO-alpha3 Code"] == iso3, (lang, iso3)
        graduated = LDC_GRADUATIONS.get(iso3, "")
        entry: dict[str, object] = {
            "iso3": iso3,
            "iso2": row["ISO-alpha2 Code"],
            "m49": row["M49 Code"],
            "region_m49": row["Region Code"],
            "subregion_m49": row["Sub-region Code"],
            "intermediate_m49": row["Intermediate Region Code"],
            "ldc": int(bool(row["Least Developed Countries (LDC)"]) and not graduated),
            "lldc": int(bool(row["Land Locked Developing Countries (LLDC)"])),
            "sids": int(bool(row["Small Island Developing States (SIDS)"])),
            "ldc_graduated_on": graduated,
            "un_languages": languages.get(iso3, ""),
            "selectable": int(iso3 not in UNINHABITED),
        }
        for lang in LANGUAGES:
            downloaded = tables[lang][index]["Country or Area"]
            entry[f"name_{lang}"] = country_name(iso3, lang, downloaded, m49_names, unterm, notes)
        countries.append(entry)
    missing = [f"{c['iso3']} {lang}" for c in countries for lang in LANGUAGES if not str(c[f"name_{lang}"])]
    if missing:
        raise SystemExit(f"countries without a name in every UN language: {', '.join(missing)}")
    unknown = set(UNINHABITED) - {str(c["iso3"]) for c in countries}
    if unknown:
        raise SystemExit(f"uninhabited areas missing from M49: {sorted(unknown)}")
    return sorted(countries, key=lambda c: str(c["iso3"]))


def build_income_groups(data: Path, known: set[str]) -> list[dict[str, object]]:
    """Two dated vintages: the official FY2024 group, and FY2026 derived from GNI per capita (Atlas) 2024.

    Only for the countries and areas shipped (``known``): an area dropped from M49 loses its rows too."""
    rows = read_csv(data / "countries" / "country_master_derived.csv")
    groups: list[dict[str, object]] = []
    for row in rows:
        if row["iso3"] not in known:
            continue
        if row["wb_income_fy2024_hdx"]:
            groups.append(
                {
                    "iso3": row["iso3"],
                    "fiscal_year": 2024,
                    "income_group": INCOME_GROUP_CODES[row["wb_income_fy2024_hdx"]],
                    "basis": "official",
                    "gni_per_capita_usd": "",
                    "gni_year": "",
                    "source": "World Bank country classification FY2024, via OCHA hdx-python-country 4.2.5",
                }
            )
        if row["wb_income_fy2026_derived"]:
            groups.append(
                {
                    "iso3": row["iso3"],
                    "fiscal_year": 2026,
                    "income_group": INCOME_GROUP_CODES[row["wb_income_fy2026_derived"]],
                    "basis": "derived",
                    "gni_per_capita_usd": row["gni_pc_atlas_2024"],
                    "gni_year": 2024,
                    "source": "Derived by PUX: World Bank GNI per capita, Atlas method, 2024, "
                    "with FY2026 thresholds",
                }
            )
    return groups


def build_sdg_framework(data: Path) -> list[dict[str, object]]:
    rows = read_csv(data / "sdg_framework" / "sdg_goals_targets_indicators_2025.csv")
    out: list[dict[str, object]] = []
    seen: set[tuple[str, str]] = set()
    for position, row in enumerate(rows, start=1):
        level, code = row["level"], row["code"]
        parent = {"goal": "", "target": row["goal"], "indicator": row["target"]}[level]
        if (code, parent) in seen:
            continue
        seen.add((code, parent))
        out.append(
            {
                "level": level,
                "code": code,
                "parent": parent,
                "unsd_code": row["unsd_code"],
                "position": position,
            }
        )
    return out


def latest_since(rows: Iterable[tuple[str, int, float]], first_year: int) -> dict[str, tuple[int, float]]:
    best: dict[str, tuple[int, float]] = {}
    for iso3, year, value in rows:
        if year >= first_year and (iso3 not in best or year > best[iso3][0]):
            best[iso3] = (year, value)
    return best


def wdi_long_rows(path: Path) -> Iterable[tuple[str, int, float]]:
    for row in read_csv(path):
        try:
            yield row["Country Code"], int(row["Year"]), float(row["Value"])
        except (TypeError, ValueError):
            continue


def wdi_wide_rows(path: Path) -> Iterable[tuple[str, int, float]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    header_index = next(i for i, line in enumerate(lines) if line[:2] == ["Country Name", "Country Code"])
    header = lines[header_index]
    for line in lines[header_index + 1 :]:
        for column, cell in zip(header, line, strict=False):
            if column.isdigit() and cell.strip():
                yield line[1], int(column), float(cell)


def jmp_rows(path: Path, column: str, names_to_iso3: dict[str, str]) -> Iterable[tuple[str, int, float]]:
    for row in read_csv(path):
        iso3 = names_to_iso3.get(row["Entity"])
        if iso3 and row[column]:
            yield iso3, int(row["Year"]), float(row[column])


def build_observations(data: Path, countries: list[dict[str, object]]) -> list[dict[str, object]]:
    indicators = read_csv(OUT / "indicators.csv")
    known = {str(c["iso3"]) for c in countries}
    names_to_iso3 = {str(c["name_en"]): str(c["iso3"]) for c in countries}
    names_to_iso3.update(JMP_NAME_FIXES)
    wdi = data / "indicators" / "wdi"
    observations: list[dict[str, object]] = []
    for indicator in indicators:
        code, origin = indicator["code"], indicator["origin"]
        if origin == "wdi":
            folder = wdi / code.lower()
            rows = wdi_long_rows(folder / "data.csv")
            source = "wdi-2026-07"
        elif origin == "wdi_bulk":
            rows = wdi_wide_rows(next((data / "indicators" / "wdi_extra").glob(f"API_{code}_*.csv")))
            source = "wdi-bulk-2025-01"
        elif origin.startswith("jmp:"):
            rows = jmp_rows(
                data / "indicators" / "owid_wash_2021" / "water_sanitation_who_wash_2021.csv",
                origin.removeprefix("jmp:"),
                names_to_iso3,
            )
            source = "jmp-2021"
        else:
            raise SystemExit(f"unknown origin {origin!r} for {code}")
        for iso3, (year, value) in sorted(latest_since(rows, first_year=2015).items()):
            if iso3 in known:
                observations.append(
                    {
                        "iso3": iso3,
                        "indicator": code,
                        "year": year,
                        "value": f"{value:.10g}",
                        "source": source,
                    }
                )
    return observations


# Our World in Data spells some areas differently from the UN M49 English names.
JMP_NAME_FIXES = {
    "Bolivia": "BOL",
    "Brunei": "BRN",
    "Cape Verde": "CPV",
    "Czechia": "CZE",
    "Democratic Republic of Congo": "COD",
    "Congo": "COG",
    "Cote d'Ivoire": "CIV",
    "Iran": "IRN",
    "Laos": "LAO",
    "Micronesia (country)": "FSM",
    "Moldova": "MDA",
    "North Korea": "PRK",
    "South Korea": "KOR",
    "Palestine": "PSE",
    "Russia": "RUS",
    "Syria": "SYR",
    "Tanzania": "TZA",
    "Turkey": "TUR",
    "United Kingdom": "GBR",
    "United States": "USA",
    "Venezuela": "VEN",
    "Vietnam": "VNM",
    "Eswatini": "SWZ",
    "Timor": "TLS",
    "East Timor": "TLS",
    "Curacao": "CUW",
    "Macao": "MAC",
    "Hong Kong": "HKG",
    "Netherlands": "NLD",
    "Sint Maarten (Dutch part)": "SXM",
    "Saint Martin (French part)": "MAF",
    "United States Virgin Islands": "VIR",
    "Reunion": "REU",
    "Saint Barthelemy": "BLM",
    "Wallis and Futuna": "WLF",
    "Falkland Islands": "FLK",
    "Kosovo": "",
}


def build_dac_sectors(data: Path) -> list[dict[str, object]]:
    """Active OECD DAC 5-digit purpose codes with their English and French names (IATI codelist)."""
    rows = read_csv(data / "iati" / "codelists" / "csv" / "Sector.csv")
    return [
        {"code": r["code"], "category": r["category"], "name_en": r["name_en"], "name_fr": r["name_fr"]}
        for r in rows
        if r["status"] == "active"
    ]


def build_currencies(data: Path) -> list[dict[str, object]]:
    rows = read_csv(data / "iati" / "codelists" / "csv" / "Currency.csv")
    return [{"code": r["code"]} for r in rows if r.get("status", "active") == "active"]


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit(__doc__)
    data = Path(argv[1])
    OUT.mkdir(parents=True, exist_ok=True)
    m49_names = m49_names_by_country(data)
    tables, dropped = m49_areas(m49_tables(data), m49_names)
    regions = build_regions(tables)
    notes: list[str] = []
    countries = build_countries(
        tables, un_languages_by_country(data), m49_names, unterm_names_by_country(data), notes
    )
    known = {str(c["iso3"]) for c in countries}
    name_fields = [f"name_{lang}" for lang in LANGUAGES]
    counts = {
        "regions.csv": write_csv("regions.csv", ["m49", "level", "parent_m49", *name_fields], regions),
        "countries.csv": write_csv(
            "countries.csv",
            [
                "iso3",
                "iso2",
                "m49",
                "region_m49",
                "subregion_m49",
                "intermediate_m49",
                "ldc",
                "lldc",
                "sids",
                "ldc_graduated_on",
                "un_languages",
                "selectable",
                *name_fields,
            ],
            countries,
        ),
        "income_groups.csv": write_csv(
            "income_groups.csv",
            ["iso3", "fiscal_year", "income_group", "basis", "gni_per_capita_usd", "gni_year", "source"],
            build_income_groups(data, known),
        ),
        "sdg_framework.csv": write_csv(
            "sdg_framework.csv",
            ["level", "code", "parent", "unsd_code", "position"],
            build_sdg_framework(data),
        ),
        "dac_sectors.csv": write_csv(
            "dac_sectors.csv", ["code", "category", "name_en", "name_fr"], build_dac_sectors(data)
        ),
        "currencies.csv": write_csv("currencies.csv", ["code"], build_currencies(data)),
        "sources.csv": write_csv("sources.csv", ["code", "published", "licence", "citation"], SOURCES),
        "indicator_observations.csv": write_csv(
            "indicator_observations.csv",
            ["iso3", "indicator", "year", "value", "source"],
            build_observations(data, countries),
        ),
    }
    for name, count in counts.items():
        print(f"{name}: {count} rows")
    print(f"not in M49, dropped with their income groups and observations: {', '.join(dropped) or 'none'}")
    print(f"not selectable (uninhabited): {', '.join(sorted(UNINHABITED))}")
    for note in notes:
        print(f"name: {note}")


if __name__ == "__main__":
    main(sys.argv)
