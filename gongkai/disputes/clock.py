"""The respondent's clocks in a dispute, as pure functions of the registration facts (seed F2,
F3; core/clocks.py).

- Reconsideration: the written answer and the evidence are due **10 working days** after the
  copy of the application was received (行政复议法 art. 48), **5 working days** when the organ
  applies the simplified procedure (art. 54; disclosure cases qualify, art. 53(四)). Art. 88:
  these "日" are working days, statutory holidays excluded.
- Lawsuit: the court's 应诉通知书 sets the period, 15 days under 行政诉讼法 art. 67 — calendar days.
  Art. 101 applies the Civil Procedure Law's rule on periods: a period whose last day is a
  statutory holiday ends on the first working day after it (we apply it to weekends as well).
- The office holding the records sends its evidence within **5 working days** of being forwarded
  the copy (seed F3), but never after the answer itself is due: a shorter statutory date shrinks
  it, and the explanation says so.

Art. 70 (行政复议法) — an answer not filed in time means the act is treated as having no evidence
— is why the pages warn before the date passes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from gongkai.core.clocks import Clock, Deadline, Period, Unit, Wording, add
from gongkai.core.workdays import WorkdayCalendar, add_workdays
from gongkai.disputes.choices import Kind, Procedure

ORDINARY_ANSWER_WORKING_DAYS = 10  # 行政复议法 art. 48
SIMPLIFIED_ANSWER_WORKING_DAYS = 5  # 行政复议法 art. 54
LAWSUIT_ANSWER_DAYS = 15  # 行政诉讼法 art. 67 (calendar days)
OFFICE_EVIDENCE_WORKING_DAYS = 5  # seed F3


def answer_period(kind: str, procedure: str, answer_days: int | None) -> Period:
    if kind == Kind.RECONSIDERATION:
        simplified = procedure == Procedure.SIMPLIFIED
        return Period(SIMPLIFIED_ANSWER_WORKING_DAYS if simplified else ORDINARY_ANSWER_WORKING_DAYS, Unit.WORKING_DAYS)
    return Period(answer_days or LAWSUIT_ANSWER_DAYS, Unit.CALENDAR_DAYS)


def answer_deadline(
    kind: str, procedure: str, received_on: date, answer_days: int | None, calendar: WorkdayCalendar
) -> Deadline:
    """When the written answer and the evidence are due, and how that was reached."""
    period = answer_period(kind, procedure, answer_days)
    clock = Clock(period)
    clock.begin(received_on)
    if kind == Kind.RECONSIDERATION:
        basis = (
            _("Simplified procedure (行政复议法 art. 54): %(period)s after the copy was received on %(start)s.")
            if procedure == Procedure.SIMPLIFIED
            else _("Ordinary procedure (行政复议法 art. 48): %(period)s after the copy was received on %(start)s.")
        )
        return clock.deadline(calendar, Wording(opening=basis, due=_("The answer is due on %(due)s.")))
    opening = _("The court's notice (行政诉讼法 art. 67): %(period)s after the copy was received on %(start)s.")
    reached = clock.deadline(calendar, Wording(opening=opening, due="%(due)s"))
    due = reached.due
    lines = reached.explanation[:-1]
    assert isinstance(due, date)
    if not calendar.is_workday(due):
        moved = add_workdays(due, 1, calendar)
        lines.append(
            _("%(day)s is not a working day: the period ends on the next working day (行政诉讼法 art. 101).")
            % {"day": due.isoformat()}
        )
        provisional = tuple(sorted({*reached.provisional_years, *moved.provisional_years}))
        if moved.provisional_years and not reached.provisional:
            lines.append(
                _("Provisional: the holiday arrangement for %(years)s is not loaded.")
                % {"years": "、".join(str(y) for y in moved.provisional_years)}
            )
        due = moved.due
    else:
        provisional = reached.provisional_years
    lines.append(_("The answer is due on %(due)s.") % {"due": due.isoformat()})
    return Deadline(due, bool(provisional), provisional, lines)


@dataclass(frozen=True)
class EvidenceDue:
    due: date
    provisional: bool
    shortened: bool
    explanation: list[str]


def evidence_deadline(forwarded_on: date, answer: Deadline, calendar: WorkdayCalendar) -> EvidenceDue:
    """The office's date for its evidence (seed F3), never after the answer is due."""
    reached = add(forwarded_on, OFFICE_EVIDENCE_WORKING_DAYS, Unit.WORKING_DAYS, calendar)
    due = reached.due
    assert isinstance(due, date)
    assert isinstance(answer.due, date)
    lines = [
        _("The office sends its evidence within %(n)d working days of receiving the copy on %(start)s: %(due)s.")
        % {"n": OFFICE_EVIDENCE_WORKING_DAYS, "start": forwarded_on.isoformat(), "due": due.isoformat()}
    ]
    if due > answer.due:
        lines.append(
            _("The answer itself is due on %(answer)s, so the office's date is brought forward to it.")
            % {"answer": answer.due.isoformat()}
        )
        return EvidenceDue(answer.due, answer.provisional, True, lines)
    return EvidenceDue(due, reached.provisional, False, lines)


def _calendar_days_rolled(clock: Clock, calendar: WorkdayCalendar, opening: str, due_text: str) -> Deadline:
    """A period of calendar days whose last day, when not a working day, moves to the next one."""
    reached = clock.deadline(calendar, Wording(opening=opening, due="%(due)s"))
    due = reached.due
    assert isinstance(due, date)
    lines = reached.explanation[:-1]
    provisional = set(reached.provisional_years)
    if not calendar.is_workday(due):
        moved = add_workdays(due, 1, calendar)
        lines.append(
            _("%(day)s is not a working day: the period ends on the next working day.") % {"day": due.isoformat()}
        )
        provisional |= set(moved.provisional_years)
        due = moved.due
    lines.append(due_text % {"due": due.isoformat()})
    years = tuple(sorted(provisional))
    return Deadline(due, bool(years), years, lines)


def new_reply_deadline(effective_on: date, days: int, working: bool, calendar: WorkdayCalendar) -> Deadline:
    """F6: a decision (行政复议法 art. 64) or judgment that took effect on ``effective_on`` and orders
    a new reply within ``days`` — working days, or calendar days as the document says."""
    clock = Clock(Period(days, Unit.WORKING_DAYS if working else Unit.CALENDAR_DAYS))
    clock.begin(effective_on)
    opening = _("The decision or judgment took effect on %(start)s and orders a new reply within %(period)s.")
    due_text = _("The new reply is due on %(due)s.")
    if working:
        return clock.deadline(calendar, Wording(opening=opening, due=due_text))
    return _calendar_days_rolled(clock, calendar, opening, due_text)
