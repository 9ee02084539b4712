"""The reference tables shipped inside the package (built by tools/build_reference.py)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from pux.i18n import LANGUAGES
from pux.reference.models import country_search_text

DATA_DIR = Path(__file__).parent / "data"


def read_table(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _names(row: dict[str, str], prefix: str = "name") -> dict[str, str]:
    return {f"{prefix}_{language}": row.get(f"{prefix}_{language}", "") or "" for language in LANGUAGES}


def regions() -> list[dict[str, Any]]:
    return [
        {"m49": r["m49"], "level": r["level"], "parent_m49": r["parent_m49"] or None, **_names(r)}
        for r in read_table("regions.csv")
    ]


def countries() -> list[dict[str, Any]]:
    rows = [
        {
            "iso3": r["iso3"],
            "iso2": r["iso2"],
            "m49": r["m49"],
            "region_m49": r["region_m49"] or None,
            "subregion_m49": r["subregion_m49"] or None,
            "intermediate_m49": r["intermediate_m49"] or None,
            "is_ldc": r["ldc"] == "1",
            "is_lldc": r["lldc"] == "1",
            "is_sids": r["sids"] == "1",
            "ldc_graduated_on": date.fromisoformat(r["ldc_graduated_on"]) if r["ldc_graduated_on"] else None,
            "un_languages": r["un_languages"],
            "is_selectable": r["selectable"] == "1",
            **_names(r),
        }
        for r in read_table("countries.csv")
    ]
    for row in rows:
        row["search_text"] = country_search_text(row)
    return rows


def income_groups() -> list[dict[str, Any]]:
    return [
        {
            "country_iso3": r["iso3"],
            "fiscal_year": int(r["fiscal_year"]),
            "income_group": r["income_group"],
            "basis": r["basis"],
            "source": r["source"],
            "gni_per_capita_usd": float(r["gni_per_capita_usd"]) if r["gni_per_capita_usd"] else None,
            "gni_year": int(r["gni_year"]) if r["gni_year"] else None,
        }
        for r in read_table("income_groups.csv")
    ]


def sdg_records() -> list[dict[str, Any]]:
    """Goals, targets and indicators with their authored six-language short labels."""
    labels = {(r["level"], r["code"]): r for r in read_table("sdg_labels.csv")}
    records = []
    for row in read_table("sdg_framework.csv"):
        label = labels.get((row["level"], row["code"]), {})
        record: dict[str, Any] = {
            "level": row["level"],
            "code": row["code"],
            "position": int(row["position"]),
            **_names(label, "label"),
        }
        if row["level"] == "target":
            record["goal_code"] = row["parent"]
        if row["level"] == "indicator":
            record["target_code"] = row["parent"]
            record["unsd_code"] = row["unsd_code"] or None
        records.append(record)
    return records


def thematic_areas() -> list[dict[str, Any]]:
    return [
        {"code": r["code"], "position": int(r["position"]), "is_enabling": r["enabling"] == "1", **_names(r)}
        for r in read_table("thematic_areas.csv")
    ]


def data_sources() -> list[dict[str, Any]]:
    return [
        {
            "code": r["code"],
            "citation": r["citation"],
            "licence": r["licence"] or None,
            "published": date.fromisoformat(r["published"]) if r["published"] else None,
        }
        for r in read_table("sources.csv")
    ]


def indicators() -> list[dict[str, Any]]:
    return [
        {
            "code": r["code"],
            "position": position,
            "role": r["role"],
            "thematic_area_code": r["thematic_area"] or None,
            "worse_when": r["worse_when"] or None,
            "unit": r["unit"],
            **_names(r),
        }
        for position, r in enumerate(read_table("indicators.csv"), start=1)
    ]


def observations() -> list[dict[str, Any]]:
    units = {r["code"]: r["unit"] for r in read_table("indicators.csv")}
    return [
        {
            "country_iso3": r["iso3"],
            "indicator_code": r["indicator"],
            "year": int(r["year"]),
            "value": float(r["value"]),
            "unit": units[r["indicator"]],
            "source_code": r["source"],
        }
        for r in read_table("indicator_observations.csv")
    ]


def techniques() -> list[dict[str, Any]]:
    return [
        {
            "code": r["code"],
            "thematic_area_code": r["thematic_area"],
            "position": int(r["position"]),
            **_names(r),
        }
        for r in read_table("techniques.csv")
    ]


def dac_sectors() -> list[dict[str, Any]]:
    return [
        {"code": r["code"], "category": r["category"], "name_en": r["name_en"], "name_fr": r["name_fr"]}
        for r in read_table("dac_sectors.csv")
    ]


def currencies() -> list[dict[str, Any]]:
    return [{"code": r["code"]} for r in read_table("currencies.csv")]
