"""A facilitator's override of the priority configuration (the shipped default applies otherwise)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pux.audit.models import utcnow
from pux.db import Base


class PriorityConfigVersion(Base):
    """One saved configuration; the newest one is in force. Each is made from the one in force when it was
    saved (``made_from``), and no two from the same one: the database itself refuses the second of two
    saves made from one revision, however they raced (before the first save there is no row to lock)."""

    __tablename__ = "priority_config_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The revision this one replaced (the id of the configuration then in force, 0 for the shipped default).
    made_from: Mapped[int] = mapped_column(Integer, unique=True)
