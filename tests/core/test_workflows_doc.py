"""docs/workflows.md is drawn from the registered transition tables (issue 9): a test fails
when a table changes and the document was not regenerated."""

from __future__ import annotations

from gongkai.core.management.commands.workflows_doc import doc_path
from gongkai.core.workflow import registered_workflows, render_markdown


def test_the_document_is_up_to_date():
    assert doc_path().read_text(encoding="utf-8") == render_markdown(), (
        "docs/workflows.md is stale: run `manage.py workflows_doc`"
    )


def test_every_registered_process_and_move_is_in_the_document():
    text = doc_path().read_text(encoding="utf-8")
    workflows = registered_workflows()
    assert "catalog.review" in {w.code for w in workflows}
    for workflow in workflows:
        assert f"(`{workflow.code}`)" in text
        for transition in workflow.transitions:
            assert f"`{transition.name}`" in text
            assert f"`{transition.audit}`" in text
