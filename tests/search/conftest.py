"""Search tests use the knowledge tests' editor and seed fixtures (knowledge records are searchable)."""

from collections.abc import Iterator

import pytest

from pux.search import repository
from tests.knowledge.conftest import editor, seeded  # noqa: F401


@pytest.fixture(autouse=True)
def vectors_read_afresh_after_each_test() -> Iterator[None]:
    """Each test writes in a transaction that is rolled back, but the vectors it searched were read into the
    process's memory: on PostgreSQL (ids never handed out again) those of 72 rolled-back needs near a
    radiotherapy query filled every meaning candidate of a later test. The next search reads them afresh."""
    yield
    for index in repository._VECTOR_INDEXES.values():
        index._stamp = None
