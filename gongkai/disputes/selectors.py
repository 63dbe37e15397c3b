"""Named reads of disputes (for the annual report and the dashboard)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q

from gongkai.accounts.models import Agency
from gongkai.disputes.choices import Kind, Outcome, Status
from gongkai.disputes.models import Dispute

PENDING = "pending"


def annual_dispute_counts(agency: Agency, year: int) -> dict[str, dict[str, int]]:
    """Section 四 of the annual report: the disputes whose copy the agency received in ``year``,
    by group (reconsideration, lawsuit without / after reconsideration) and by their result at
    24:00 on 31 December (decided later, or not yet: 尚未审结). ``total`` is counted on its own,
    so that a dispute with no result column breaks the report's rule instead of vanishing."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    received = Dispute.objects.filter(agency=agency, received_on__gte=start, received_on__lte=end)
    decided = Q(status=Status.DECIDED, decided_on__lte=end)
    counts: dict[str, dict[str, int]] = {kind: {} for kind in Kind.values}
    for row in received.filter(decided).values("kind", "outcome").annotate(n=Count("id")):
        if row["outcome"] in Outcome.values:
            counts[row["kind"]][row["outcome"]] = row["n"]
    for pending in received.exclude(decided).values("kind").annotate(n=Count("id")):
        counts[pending["kind"]][PENDING] = pending["n"]
    for every in received.values("kind").annotate(n=Count("id")):
        counts[every["kind"]]["total"] = every["n"]
    return counts


def dispute_deadline_counts(agency: Agency, today: date) -> dict[str, int]:
    disputes = Dispute.objects.filter(agency=agency)
    return {
        "open": disputes.open().count(),
        "overdue": disputes.unanswered().filter(answer_due_on__lt=today).count(),
    }


def stored_files():
    """(folder, stored name, SHA-256) of the cases' documents (checked after a restore, FILE-04)."""
    from gongkai.disputes.models import DisputeDocument

    for name, sha256 in DisputeDocument.objects.exclude(stored_name="").values_list("stored_name", "sha256").iterator():
        yield "disputes", name, sha256
