"""The applications' reminders (seed E1–E5): the disclosure officers hear of a reply date due
soon or passed, and of a suspension whose other side's deadline passed; each internal step's
owner hears of that step. Once per application, threshold and deadline (REL-04). Registered in
``ApplicationsConfig.ready()``; sent by the one daily sweep
(``gongkai.core.reminders.sweep_reminders``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.applications.models import Application
from gongkai.core.reminders import Due, ReminderKind, sweep_reminders

STEP_LABELS = {
    "confirm": gettext_lazy("confirming an online submission"),
    "inform": gettext_lazy("telling how to obtain published information"),
    "register": gettext_lazy("registration"),
    "review": gettext_lazy("review"),
    "proposal": gettext_lazy("the office's proposal"),
    "signature": gettext_lazy("the leader's signature"),
}


def owners(application: Application, step: str) -> list[str]:
    """E-mail addresses of the people who own an internal step (seed E1–E5)."""
    staff = User.objects.filter(agency_id=application.agency_id, is_active=True)
    if step == "signature":
        staff = staff.filter(role_assignments__role=Role.LEADER_IN_CHARGE)
    elif step == "proposal" and application.assigned_office_id:
        staff = staff.filter(
            role_assignments__office_id=application.assigned_office_id,
            role_assignments__role__in=[Role.CLERK, Role.OFFICE_HEAD],
        )
    else:
        staff = staff.filter(role_assignments__role=Role.DISCLOSURE_OFFICER)
    return sorted(set(staff.values_list("email", flat=True)))


def _due(application: Application, threshold: str, due_on: date, step: str) -> Due:
    return Due(f"application:{application.pk}", threshold, due_on, owners(application, step), application)


def reply_due(today: date, soon: date) -> Iterator[Due]:
    """The legal reply date due soon or passed (partial index ``application_open_due_idx``),
    else a suspension whose other side's deadline passed (``application_suspended_idx``)."""
    open_ = Application.objects.open().select_related("agency")
    for application in open_.filter(due_on__lte=soon).order_by("due_on", "pk"):
        yield _due(application, "overdue" if application.due_on < today else "due_soon", application.due_on, "review")
    lapsed = open_.filter(suspended_until__lt=today).exclude(due_on__lte=soon)
    for application in lapsed.order_by("suspended_until", "pk"):
        yield _due(application, "pause_over", application.suspended_until, "review")


def reply_message(due: Due) -> tuple[str, str]:
    application = due.obj
    subject = {
        "overdue": _("Overdue: application %(number)s was due on %(due)s"),
        "due_soon": _("Due within %(days)s working days: application %(number)s must be answered by %(due)s"),
        "pause_over": _("Application %(number)s: the other side's deadline %(due)s has passed"),
    }[due.threshold] % {
        "number": application.number,
        "due": due.due_on.isoformat(),
        "days": settings.DUE_SOON_WORKING_DAYS,
    }
    return subject, "\n".join([subject, application.info_title, *application.due_explanation])


def step_due(today: date, soon: date) -> Iterator[Due]:
    """The earliest open internal step, due soon or passed (``application_open_step_due_idx``)."""
    steps = Application.objects.open().filter(next_step_due__lte=soon).exclude(next_step="")
    for application in steps.select_related("agency").order_by("next_step_due", "pk"):
        step, late = application.next_step, application.next_step_due < today
        yield _due(application, f"step:{step}:{'overdue' if late else 'soon'}", application.next_step_due, step)


def step_message(due: Due) -> tuple[str, str]:
    application = due.obj
    _step, step, state = due.threshold.split(":")
    subject = (
        _("Overdue step of application %(number)s: %(step)s was due on %(due)s")
        if state == "overdue"
        else _("Step due soon for application %(number)s: %(step)s by %(due)s")
    ) % {"number": application.number, "due": due.due_on.isoformat(), "step": STEP_LABELS[step]}
    return subject, "\n".join([subject, application.info_title, *application.due_explanation])


REPLY_DUE = ReminderKind(
    code="applications.reply_due",
    label=gettext_lazy("Reply deadline of an application, and the end of a suspension"),
    thresholds=("overdue", "due_soon", "pause_over"),
    find=reply_due,
    message=reply_message,
)
STEP_DUE = ReminderKind(
    code="applications.step_due",
    label=gettext_lazy("Internal step of an application"),
    thresholds=tuple(f"step:{step}:{state}" for step in STEP_LABELS for state in ("overdue", "soon")),
    find=step_due,
    message=step_message,
)
KINDS = (REPLY_DUE, STEP_DUE)


def sweep_deadlines(today: date | None = None) -> int:
    """The applications' part of the daily sweep (for tests and manual runs); reminders sent."""
    return sweep_reminders(today, codes={kind.code for kind in KINDS})
