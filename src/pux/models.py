"""Imports every domain's tables so that metadata (and Alembic) see all of them."""

from __future__ import annotations


def load_all_models() -> None:
    import pux.accounts.models  # noqa: F401
    import pux.assistance.models  # noqa: F401
    import pux.audit.models  # noqa: F401
    import pux.dialogues.models  # noqa: F401
    import pux.gaps.models  # noqa: F401
    import pux.jobs.models  # noqa: F401
    import pux.knowledge.models  # noqa: F401
    import pux.matching.models  # noqa: F401
    import pux.needs.models  # noqa: F401
    import pux.priority.models  # noqa: F401
    import pux.programmes.models  # noqa: F401
    import pux.reference.models  # noqa: F401
    import pux.search.models  # noqa: F401
