"""Fixtures of the knowledge tests: an editor and a reviewer (made in the test's own transaction), and the
small seed files of fixtures/ loaded through the real loader."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from pux.accounts.permissions import EDITOR, REVIEWER, Actor
from pux.knowledge.seed import SeedReport, load_knowledge_seed
from tests.world import World, person

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def editor(session: Session, world: World) -> Actor:
    return person(session, world, EDITOR, "editor@test.pux.invalid")


@pytest.fixture
def reviewer(session: Session, world: World) -> Actor:
    return person(session, world, REVIEWER, "reviewer@test.pux.invalid")


@pytest.fixture
def seeded(session: Session, world: World) -> SeedReport:
    return load_knowledge_seed(session, actor="test-seed", data_dir=FIXTURES)
