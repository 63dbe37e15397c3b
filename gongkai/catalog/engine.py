"""The catalog's search engine: a tantivy index on local disk, derived from the database
(docs/decisions/0012-catalog-search.md).

The database stays the source of truth. Every change to what is public (publish, withdraw,
validity, import) appends a ``SearchChange`` row in the same transaction, numbered by the
``SearchState`` generation whose row lock orders the commits. Before answering, every process
brings its index up to the database's generation (``sync``): one short query when nothing
changed, a few milliseconds when something did. So a withdrawn item is gone from the next search
of every worker, and a crash or a lost index is repaired from the database (``rebuild``).
One process writes at a time (a file lock); readers never wait for writers.
"""

from __future__ import annotations

import fcntl
import json
import logging
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from gongkai.catalog.analysis import document_fields

if TYPE_CHECKING:
    import tantivy

logger = logging.getLogger(__name__)
STATE_FILE = "gongkai-state.json"
WRITER_HEAP = 128 * 2**20
SCHEMA_VERSION = 1
_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def _tantivy():
    import tantivy

    return tantivy


def build_schema():
    tantivy = _tantivy()
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("key", stored=True, indexed=True, fast=True)  # sort key: date, then id
    builder.add_integer_field("entry", indexed=True)
    builder.add_integer_field("agency", indexed=True)
    builder.add_integer_field("year", indexed=True)
    builder.add_text_field("category", tokenizer_name="raw")
    builder.add_text_field("validity", tokenizer_name="raw")
    for name in ("title", "summary", "body"):  # rjieba-segmented, space-separated
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="freq")
    return builder.build()


def engine() -> Engine:
    """The engine of this process for the configured index directory."""
    path = str(Path(settings.CATALOG_SEARCH_INDEX_DIR).resolve())
    with _engines_lock:
        if path not in _engines:
            _engines[path] = Engine(Path(path))
        return _engines[path]


class Engine:
    def __init__(self, path: Path):
        self.path = path
        self.schema = build_schema()
        self._index: tantivy.Index | None = None
        self._state_seen: tuple[float, int] | None = None
        self._lock = threading.Lock()

    # -- files ----------------------------------------------------------------------------

    def _state(self) -> dict:
        try:
            return json.loads((self.path / STATE_FILE).read_text())
        except (OSError, ValueError):
            return {"generation": 0, "schema": SCHEMA_VERSION}

    def _write_state(self, generation: int, folder: Path | None = None) -> None:
        folder = folder or self.path
        temporary = folder / (STATE_FILE + ".tmp")
        temporary.write_text(json.dumps({"generation": generation, "schema": SCHEMA_VERSION}))
        temporary.replace(folder / STATE_FILE)

    @contextmanager
    def _writer_lock(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.parent / (self.path.name + ".lock"), "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _open(self) -> tantivy.Index:
        tantivy = _tantivy()
        if (self.path / "meta.json").exists() and self._state().get("schema") == SCHEMA_VERSION:
            return tantivy.Index.open(str(self.path))
        with self._writer_lock():
            if not (self.path / "meta.json").exists() or self._state().get("schema") != SCHEMA_VERSION:
                shutil.rmtree(self.path, ignore_errors=True)
                self.path.mkdir(parents=True)
                tantivy.Index(self.schema, path=str(self.path))
                self._write_state(0)
        return tantivy.Index.open(str(self.path))

    @property
    def index(self):
        with self._lock:
            if self._index is None:
                self._index = self._open()
            return self._index

    def _reload_if_changed(self) -> None:
        """Pick up what another process committed, or a rebuilt index swapped in."""
        try:
            seen = (self.path.stat().st_ino, (self.path / STATE_FILE).stat().st_mtime_ns)
        except OSError:
            return
        if seen == self._state_seen:
            return
        with self._lock:
            if self._index is not None and self._state_seen is not None and seen[0] != self._state_seen[0]:
                self._index = None  # the directory was swapped: open the new one
            if self._index is None:
                self._index = self._open()
            self._index.reload()
            self._state_seen = seen

    # -- keeping up with the database -----------------------------------------------------

    def sync(self) -> int:
        """Apply the database's changes this index has not seen; returns the generation."""
        from gongkai.catalog.models import SearchState

        target = SearchState.current()
        self.index  # noqa: B018  opens or creates the index
        self._reload_if_changed()
        applied = self._state()["generation"]
        if applied > target:
            # Ahead of the database: this index was built from another database (a restored
            # backup, a copied directory). Rebuild it from this one.
            logger.warning("search index ahead of the database (%s > %s): rebuilding", applied, target)
            self.rebuild()
            return target
        if applied == target:
            return target
        with self._writer_lock():
            applied = self._state()["generation"]
            if applied < target:
                self._apply(applied, target)
                self._write_state(target)
        self._reload_if_changed()
        return target

    def _apply(self, applied: int, target: int) -> None:
        from gongkai.catalog.models import SearchChange

        entry_ids = sorted(
            set(
                SearchChange.objects.filter(generation__gt=applied, generation__lte=target).values_list(
                    "entry_id", flat=True
                )
            )
        )
        writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=1)
        try:
            for start in range(0, len(entry_ids), 500):
                batch = entry_ids[start : start + 500]
                for entry_id in batch:
                    writer.delete_documents_by_term("entry", entry_id)
                for document in documents_for(batch):
                    writer.add_document(document)
            writer.commit()
        finally:
            writer.wait_merging_threads()

    def rebuild(self, progress=None, chunk: int = 1000) -> int:
        """Index every published entry into a new directory, then swap it in."""
        from gongkai.catalog.models import Entry, SearchState

        tantivy = _tantivy()
        target = SearchState.current()
        fresh = self.path.with_name(self.path.name + ".rebuild")
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir(parents=True)
        index = tantivy.Index(self.schema, path=str(fresh))
        writer = index.writer(heap_size=WRITER_HEAP * 4)
        ids = list(Entry.objects.published().order_by("pk").values_list("pk", flat=True))
        done = 0
        try:
            for start in range(0, len(ids), chunk):
                for document in documents_for(ids[start : start + chunk]):
                    writer.add_document(document)
                done = min(start + chunk, len(ids))
                if progress:
                    progress(done, len(ids))
            writer.commit()
        finally:
            writer.wait_merging_threads()
        self._write_state(target, fresh)
        with self._writer_lock():
            old = self.path.with_name(self.path.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            if self.path.exists():
                self.path.rename(old)
            fresh.rename(self.path)
            shutil.rmtree(old, ignore_errors=True)
        with self._lock:
            self._index, self._state_seen = None, None
        self.sync()  # changes made while rebuilding
        return len(ids)

    # -- searching ------------------------------------------------------------------------

    def searcher(self):
        self.sync()
        return self.index.searcher()


def documents_for(entry_ids: list[int]):
    """tantivy documents of the published entries among ``entry_ids`` (text segmented)."""
    from gongkai.catalog.models import Entry, EntryAttachment

    tantivy = _tantivy()
    texts: dict[int, list[str]] = {}
    for entry_id, text in EntryAttachment.objects.filter(entry_id__in=entry_ids).values_list("entry_id", "text"):
        texts.setdefault(entry_id, []).append(text)
    for entry in (
        Entry.objects.published()
        .filter(pk__in=entry_ids)
        .only("pk", "agency_id", "category", "validity", "published_on", "title", "summary", "body", "document_number")
    ):
        fields = document_fields(entry, texts.get(entry.pk, []))
        yield tantivy.Document(**fields)


def record_change(entry) -> None:
    """Note, in the caller's transaction, that what the public sees of ``entry`` changed."""
    from gongkai.catalog.models import SearchChange, SearchState

    generation = SearchState.advance()
    SearchChange.objects.create(generation=generation, entry_id=entry.pk)
    transaction.on_commit(_sync_quietly)


def _sync_quietly() -> None:
    try:
        engine().sync()
    except Exception:
        logger.exception("search index update deferred")
