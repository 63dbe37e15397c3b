"""Demo data loaders: each app registers how it fills the demo district (``manage.py load_demo``).

Accounts builds the organisation and its people first; then every registered loader runs in its
``order`` and returns the lines it adds to the credentials/summary file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoLoader:
    code: str
    load: Callable[[], list[str]]
    order: int = 100


_loaders: dict[str, DemoLoader] = {}


def register_demo(code: str, load: Callable[[], list[str]], *, order: int = 100) -> None:
    _loaders[code] = DemoLoader(code, load, order)


def registered_demos() -> list[DemoLoader]:
    return sorted(_loaders.values(), key=lambda loader: (loader.order, loader.code))
