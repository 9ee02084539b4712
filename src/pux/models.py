"""Imports every domain's tables so that metadata (and Alembic) see all of them."""

from __future__ import annotations


def load_all_models() -> None:
    import pux.audit.models  # noqa: F401
    import pux.reference.models  # noqa: F401
