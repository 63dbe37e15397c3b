"""The disputes' reminders (seed F2, F3): the disclosure officers hear of an answer due soon or
passed — the date on which 行政复议法 art. 70 treats the act as having no evidence — and of the
office's evidence due soon or passed; the heads and clerks of that office hear of the latter.
Once per dispute, threshold and date (REL-04); sent by the one daily sweep."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.core.reminders import Due, ReminderKind, sweep_reminders
from gongkai.disputes.models import Dispute


def _emails(dispute: Dispute, *, office: bool) -> list[str]:
    staff = User.objects.filter(agency_id=dispute.agency_id, is_active=True)
    officers = set(staff.filter(role_assignments__role=Role.DISCLOSURE_OFFICER).values_list("email", flat=True))
    if office and dispute.evidence_office_id:
        officers |= set(
            staff.filter(
                role_assignments__office_id=dispute.evidence_office_id,
                role_assignments__role__in=[Role.CLERK, Role.OFFICE_HEAD],
            ).values_list("email", flat=True)
        )
    return sorted(e for e in officers if e)


def answer_due(today: date, soon: date) -> Iterator[Due]:
    """Unanswered disputes whose answer is due soon or passed (``dispute_unanswered_due_idx``),
    then the office's evidence not yet received."""
    unanswered = Dispute.objects.unanswered().select_related("agency")
    for dispute in unanswered.filter(answer_due_on__lte=soon).order_by("answer_due_on", "pk"):
        threshold = "overdue" if dispute.answer_due_on < today else "due_soon"
        yield Due(f"dispute:{dispute.pk}", threshold, dispute.answer_due_on, _emails(dispute, office=False), dispute)
    evidence = unanswered.filter(evidence_due_on__lte=soon, evidence_received_on__isnull=True)
    for dispute in evidence.order_by("evidence_due_on", "pk"):
        assert dispute.evidence_due_on is not None
        threshold = "evidence_overdue" if dispute.evidence_due_on < today else "evidence_soon"
        yield Due(f"dispute:{dispute.pk}", threshold, dispute.evidence_due_on, _emails(dispute, office=True), dispute)
    ordered = Dispute.objects.filter(new_reply_due_on__lte=soon, carried_out_on__isnull=True).select_related("agency")
    for dispute in ordered.order_by("new_reply_due_on", "pk"):  # F6: the new reply a decision ordered
        assert dispute.new_reply_due_on is not None
        threshold = "new_reply_overdue" if dispute.new_reply_due_on < today else "new_reply_soon"
        yield Due(f"dispute:{dispute.pk}", threshold, dispute.new_reply_due_on, _emails(dispute, office=True), dispute)


def answer_message(due: Due) -> tuple[str, str]:
    dispute: Dispute = due.obj
    values = {"number": dispute.number, "due": due.due_on.isoformat(), "days": settings.DUE_SOON_WORKING_DAYS}
    subject = {
        "overdue": _("Overdue: the answer in dispute %(number)s was due on %(due)s"),
        "due_soon": _("Due within %(days)s working days: the answer in dispute %(number)s, by %(due)s"),
        "evidence_overdue": _("Overdue: the office's evidence for dispute %(number)s was due on %(due)s"),
        "evidence_soon": _("The office's evidence for dispute %(number)s is due by %(due)s"),
        "new_reply_overdue": _("Overdue: the new reply ordered in dispute %(number)s was due on %(due)s"),
        "new_reply_soon": _("The new reply ordered in dispute %(number)s is due by %(due)s"),
    }[due.threshold] % values
    if due.threshold.startswith("new_reply"):
        warning = _("An effective decision or judgment must be carried out (行政复议法 art. 77; 行政诉讼法 art. 94).")
        return subject, "\n".join([subject, dispute.organ, *dispute.new_reply_explanation, warning])
    warning = (
        _("Evidence not given in time counts as no evidence (行政诉讼法 art. 34).")
        if dispute.is_lawsuit
        else _("An answer not filed in time means the act is treated as having no evidence or basis.")
    )
    return subject, "\n".join([subject, dispute.organ, *dispute.answer_explanation, warning])


ANSWER_DUE = ReminderKind(
    code="disputes.answer_due",
    label=gettext_lazy("Answer and evidence dates of an administrative dispute"),
    thresholds=("overdue", "due_soon", "evidence_overdue", "evidence_soon", "new_reply_overdue", "new_reply_soon"),
    find=answer_due,
    message=answer_message,
)
KINDS = (ANSWER_DUE,)


def sweep_dispute_deadlines(today: date | None = None) -> int:
    return sweep_reminders(today, codes={kind.code for kind in KINDS})
