"""docs/workflows.md is drawn from the registered transition tables: it fails here when stale."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from gongkai.core.management.commands.workflows_doc import default_path
from gongkai.core.workflow import registered_workflows, render_markdown


def test_docs_workflows_md_matches_the_registered_tables():
    assert default_path().read_text(encoding="utf-8") == render_markdown(), (
        "docs/workflows.md is stale: run `manage.py workflows_doc`"
    )


def test_every_registered_process_is_drawn_with_each_of_its_moves():
    text = render_markdown()
    assert registered_workflows(), "no process registered: CatalogConfig.ready() should register the review chain"
    for workflow in registered_workflows():
        assert f"(`{workflow.code}`)" in text
        for transition in workflow.transitions:
            assert f"| `{transition.name}` |" in text
            assert f"`{transition.audit}`" in text


def test_the_catalog_chain_is_registered():
    assert "catalog.review" in {w.code for w in registered_workflows()}


def test_the_command_checks_and_writes(tmp_path):
    target = tmp_path / "workflows.md"
    with pytest.raises(CommandError):
        call_command("workflows_doc", "--check", output=str(target), stdout=io.StringIO())
    call_command("workflows_doc", output=str(target), stdout=io.StringIO())
    assert target.read_text(encoding="utf-8") == render_markdown()
    call_command("workflows_doc", "--check", output=str(target), stdout=io.StringIO())  # now up to date
