"""Publishing a document another process has produced (the annual report) in the catalog.

The ground floor cannot import the catalog, and business apps reach each other only through
selectors; so the catalog registers the one function that files a finished document under a
column and publishes it, and a process calls ``publish_document``. The document has been reviewed
and approved in its own process: the catalog gives it an index number and publishes it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Document:
    agency: Any  # accounts.Agency
    column: str  # the column's name, e.g. "政府信息公开工作年度报告"
    title: str
    summary: str
    body: str
    formed_on: date
    actor: Any  # the person who publishes it
    # The index number of the item this one corrects (a corrected annual report), and why: the
    # earlier item is kept, marked amended and linked from the new one.
    corrects: str = ""
    reason: str = ""


Publisher = Callable[[Document], str]
_publisher: list[Publisher] = []


def register_publisher(publisher: Publisher) -> None:
    _publisher[:] = [publisher]


def publish_document(document: Document) -> str:
    """File ``document`` in its agency's catalog and publish it; returns its index number."""
    if not _publisher:
        raise RuntimeError("no catalog is installed to publish documents in")
    return _publisher[0](document)
