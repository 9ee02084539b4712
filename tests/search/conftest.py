"""Search tests use the knowledge tests' editor and seed fixtures (knowledge records are searchable)."""

from tests.knowledge.conftest import editor, seeded  # noqa: F401
