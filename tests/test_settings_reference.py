"""Every setting PUX reads is documented: in the README's settings table and in .env.example."""

from __future__ import annotations

from pathlib import Path

from pux.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_in_the_readme_and_the_env_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    names = [f"PUX_{name.upper()}" for name in Settings.model_fields]
    assert names
    assert [name for name in names if f"| `{name}` |" not in readme] == []
    assert [name for name in names if f"\n{name}=" not in "\n" + example] == []
