"""Dashboard panels: each app registers what it shows on the staff workbench (issue 9).

A panel is a template and a function of the request that returns the template's context, or
None when the panel is not for this person. The workbench renders the registered panels in
their ``order``; core knows no app's data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    code: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any] | None]
    order: int = 100


@dataclass(frozen=True)
class RenderedPanel:
    code: str
    template: str
    context: dict[str, Any]


_panels: dict[str, Panel] = {}


def register_dashboard_panel(panel: Panel) -> None:
    _panels[panel.code] = panel


def panels_for(request: HttpRequest) -> list[RenderedPanel]:
    """The panels this person sees, in order, with their context computed once."""
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.code)):
        context = panel.context(request)
        if context is not None:
            shown.append(RenderedPanel(panel.code, panel.template, context))
    return shown
