"""Validated settings, read from the environment (prefix ``PUX_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_PATH = Path("var") / "pux.sqlite3"
# A development-only key: production mode refuses to start with it.
DEVELOPMENT_SECRET_KEY = "development-only-not-secret"


class Settings(BaseSettings):
    """Everything PUX reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="PUX_", extra="ignore")

    mode: Literal["development", "production"] = "development"
    database_url: str = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    secret_key: str = DEVELOPMENT_SECRET_KEY
    default_language: str = "en"

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.mode == "production":
            if self.secret_key == DEVELOPMENT_SECRET_KEY or len(self.secret_key) < 32:
                raise ValueError(
                    "PUX_SECRET_KEY must be set to a random value of 32+ characters in production"
                )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached; tests clear the cache when they change the environment)."""
    return Settings()
