"""The knowledge part of the demo data: a demo knowledge editor and reviewer, and the illustrative success
stories of data/stories.json attached to the most advanced demo needs of their technique."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pux.accounts import repository as accounts_repository
from pux.accounts import service as accounts
from pux.accounts.permissions import EDITOR, REVIEWER, Actor, Grant
from pux.knowledge.seed import load_demo_stories

# (email, name, gender, role, what the sign-in table calls them)
PEOPLE = (
    ("editor@demo.pux.invalid", "Nadia Rahman (demo knowledge editor)", "female", EDITOR, "knowledge editor"),
    ("reviewer@demo.pux.invalid", "Tomás Ortega (demo knowledge reviewer)", "male", REVIEWER,
     "knowledge reviewer"),
)  # fmt: skip


def load_knowledge_demo(session: Session, *, password: str) -> int:
    """Create the demo editor and reviewer (once) and load the illustrative stories; returns the number of
    stories loaded."""
    system = Actor.system("demo-loader")
    for email, name, gender, role, _label in PEOPLE:
        if accounts_repository.get_user_by_email(session, email) is None:
            accounts.create_user(
                session, actor=system, email=email, full_name=name, password=password, grants=[Grant(role)],
                gender=gender,
            )  # fmt: skip
    return load_demo_stories(session).stories


def knowledge_credentials(password: str) -> list[tuple[str, str, str]]:
    return [(label, email, password) for email, _name, _gender, _role, label in PEOPLE]
