"""Reading HTML form posts into plain data for the services' schemas."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import FormData

from pux.web.security import CSRF_FIELD


def form_data(form: FormData, *, lists: tuple[str, ...] = (), flags: tuple[str, ...] = ()) -> dict[str, Any]:
    """Fields as strings (empty ones left out), ``lists`` as lists of strings, ``flags`` as booleans."""
    data: dict[str, Any] = {}
    for key in form.keys():
        if key == CSRF_FIELD or key in lists or key in flags:
            continue
        value = form.get(key)
        if isinstance(value, str) and value.strip() != "":
            data[key] = value
    for key in lists:
        data[key] = [v for v in form.getlist(key) if isinstance(v, str) and v.strip()]
    for key in flags:
        data[key] = form.get(key) in {"on", "true", "1", "yes"}
    return data


def split_codes(text: object) -> list[str]:
    """Codes typed into one field ("3.4, 3.8; 5.6") as a list."""
    return [code for code in re.split(r"[\s,;]+", str(text or "")) if code]


def listing(rows: Any, **chosen: object) -> dict[str, Any]:
    """What a filtered list page shows besides its rows: the filters chosen (as form values) and the query
    string that keeps them from page to page."""
    selected = {name: "" if value is None else str(value) for name, value in chosen.items()}
    return {
        "page": rows,
        "selected": selected,
        "query": urlencode({name: value for name, value in selected.items() if value}),
    }
