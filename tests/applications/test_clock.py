"""The legal clock (条例 art. 30–33): table-driven over the 2026 Spring Festival and National Day
holidays with their make-up workdays. Expected dates are counted by hand in the comments."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.applications.choices import Status
from gongkai.applications.clock import ClockError, Entry, Kind, replay
from tests.core.test_workdays import CAL


def E(kind, on, **data):
    return Entry(kind, on, data)


RECEIVED_0928 = E(Kind.RECEIVED, date(2026, 9, 28))


def reply(on):
    """A reply is served after the draft is signed (seed E5)."""
    return [E(Kind.DRAFT_SUBMITTED, on, outcome="disclosed"), E(Kind.DRAFT_SIGNED, on), E(Kind.REPLIED, on)]


@pytest.mark.parametrize(
    ("entries", "due"),
    [
        # 20 WD across National Day; 10-10 (Saturday) is worked.
        ([RECEIVED_0928], date(2026, 10, 30)),
        # Spring Festival: 02-14 and 02-28 (Saturdays) worked, 02-15..23 off.
        ([E(Kind.RECEIVED, date(2026, 2, 10))], date(2026, 3, 16)),
        # The example: a third party consulted 10-12..10-15, 3 WD not counted.
        (
            [
                RECEIVED_0928,
                E(Kind.CONSULTATION_STARTED, date(2026, 10, 12), party="third_party"),
                E(Kind.CONSULTATION_ENDED, date(2026, 10, 15)),
            ],
            date(2026, 11, 4),
        ),
        # Correction on the 7th WD (10-13); corrected application on 10-20 restarts 20 WD.
        (
            [
                RECEIVED_0928,
                E(Kind.CORRECTION_REQUESTED, date(2026, 10, 13), period_end=date(2026, 10, 23)),
                E(Kind.CORRECTION_RECEIVED, date(2026, 10, 20)),
            ],
            date(2026, 11, 17),
        ),
        # One extension of 20 WD: 10-30 + 20 WD.
        ([RECEIVED_0928, E(Kind.EXTENSION_APPROVED, date(2026, 10, 20), working_days=20)], date(2026, 11, 27)),
        # Fee notice 10-12, paid 10-14: 2 WD not counted (default).
        (
            [RECEIVED_0928, E(Kind.FEE_NOTICE_SERVED, date(2026, 10, 12)), E(Kind.FEE_PAID, date(2026, 10, 14))],
            date(2026, 11, 3),
        ),
        # Consultation straddling the Spring Festival: 02-12 → 02-26 is 5 WD (13, 14, 24, 25, 26).
        (
            [
                E(Kind.RECEIVED, date(2026, 2, 10)),
                E(Kind.CONSULTATION_STARTED, date(2026, 2, 12), party="other_agency"),
                E(Kind.CONSULTATION_ENDED, date(2026, 2, 26)),
            ],
            date(2026, 3, 23),
        ),
    ],
)
def test_due_date_from_the_ledger(entries, due):
    state = replay(entries, CAL)
    assert state.due == due
    assert state.status == Status.RECEIVED


def test_explanation_says_how_the_date_was_reached():
    state = replay(
        [
            RECEIVED_0928,
            E(Kind.CONSULTATION_STARTED, date(2026, 10, 12), party="third_party"),
            E(Kind.CONSULTATION_ENDED, date(2026, 10, 15)),
        ],
        CAL,
    )
    text = "".join(state.explanation)
    assert "2026-09-28" in text
    assert "3 个工作日不计入" in text
    assert "2026-11-04" in text


def test_fee_time_counts_when_configured():
    entries = [RECEIVED_0928, E(Kind.FEE_NOTICE_SERVED, date(2026, 10, 12)), E(Kind.FEE_PAID, date(2026, 10, 14))]
    assert replay(entries, CAL, fee_time_excluded=False).due == date(2026, 10, 30)


def test_an_open_consultation_suspends_the_clock_and_shows_the_other_sides_deadline():
    state = replay([RECEIVED_0928, E(Kind.CONSULTATION_STARTED, date(2026, 10, 12), party="third_party")], CAL)
    assert state.status == Status.CONSULTING
    assert state.due is None
    assert state.suspended_until == date(2026, 11, 2)  # 15 WD for the third party (art. 32)


def test_fee_payment_period_is_20_wd_from_the_day_after_the_notice():
    state = replay([RECEIVED_0928, E(Kind.FEE_NOTICE_SERVED, date(2026, 9, 30))], CAL)
    assert state.status == Status.AWAITING_FEE
    # 10-08(1) 09(2) 10 (make-up, 3) 12..16(8) 19..23(13) 26..30(18) 11-02(19) 11-03(20)
    assert state.suspended_until == date(2026, 11, 3)


def test_into_an_unloaded_year_the_due_date_is_provisional():
    state = replay([E(Kind.RECEIVED, date(2026, 12, 15))], CAL)
    assert state.due == date(2027, 1, 12)
    assert state.provisional


def test_reply_closes_and_records_whether_it_was_in_time():
    on_time = replay([RECEIVED_0928, *reply(date(2026, 10, 30))], CAL)
    late = replay([RECEIVED_0928, *reply(date(2026, 11, 2))], CAL)
    assert on_time.status == late.status == Status.REPLIED
    assert on_time.replied_in_time is True
    assert late.replied_in_time is False


def test_no_correction_in_time_is_abandonment():
    correction = E(Kind.CORRECTION_REQUESTED, date(2026, 10, 8), period_end=date(2026, 10, 16))
    with pytest.raises(ClockError):
        replay([RECEIVED_0928, correction, E(Kind.CORRECTION_LAPSED, date(2026, 10, 16))], CAL)
    state = replay([RECEIVED_0928, correction, E(Kind.CORRECTION_LAPSED, date(2026, 10, 19))], CAL)
    assert state.status == Status.ABANDONED


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        # Art. 30: the correction notice is due within 7 WD of receipt (by 10-13).
        (
            [RECEIVED_0928, E(Kind.CORRECTION_REQUESTED, date(2026, 10, 14), period_end=date(2026, 10, 30))],
            "7 个工作日",
        ),
        (
            [
                RECEIVED_0928,
                E(Kind.CORRECTION_REQUESTED, date(2026, 9, 29), period_end=date(2026, 10, 9)),
                E(Kind.CORRECTION_RECEIVED, date(2026, 10, 8)),
                E(Kind.CORRECTION_REQUESTED, date(2026, 10, 9), period_end=date(2026, 10, 20)),
            ],
            "一次性",
        ),
        # Art. 33: one extension, at most 20 WD.
        (
            [
                RECEIVED_0928,
                E(Kind.EXTENSION_APPROVED, date(2026, 10, 20), working_days=5),
                E(Kind.EXTENSION_APPROVED, date(2026, 10, 21), working_days=5),
            ],
            "只能延长一次",
        ),
        ([RECEIVED_0928, E(Kind.EXTENSION_APPROVED, date(2026, 10, 20), working_days=21)], "1 至 20 个工作日"),
        ([RECEIVED_0928, E(Kind.EXTENSION_APPROVED, date(2026, 11, 2), working_days=5)], "已届满"),
        ([E(Kind.REPLIED, date(2026, 10, 1))], "尚未收到"),
        ([RECEIVED_0928, *reply(date(2026, 9, 27))], "按日期先后"),
        ([RECEIVED_0928, *reply(date(2026, 10, 9)), E(Kind.REPLIED, date(2026, 10, 10))], "已办结"),
        ([RECEIVED_0928, E(Kind.REPLIED, date(2026, 10, 9))], "须先经领导签发"),
        ([RECEIVED_0928, E(Kind.DRAFT_SIGNED, date(2026, 10, 9))], "没有待签发的答复草稿"),
        ([RECEIVED_0928, E(Kind.CONSULTATION_ENDED, date(2026, 10, 9))], "没有"),
        (
            [RECEIVED_0928, E(Kind.CONSULTATION_STARTED, date(2026, 10, 9)), *reply(date(2026, 10, 12))],
            "先办结",
        ),
    ],
)
def test_illegal_entries_are_refused_with_a_chinese_reason(entries, message):
    with pytest.raises(ClockError, match=message):
        replay(entries, CAL)


def test_internal_steps_have_their_own_due_dates():
    from gongkai.applications.clock import internal_steps, next_open_step

    entries = [RECEIVED_0928, E(Kind.ASSIGNED, date(2026, 9, 29), office="经济发展办")]
    steps = {s.code: s for s in internal_steps(entries, CAL, registered_on=date(2026, 9, 28))}
    assert steps["register"].due == date(2026, 9, 29)  # E1: 1 WD
    assert steps["review"].due == date(2026, 9, 30)  # E2: 2 WD
    assert steps["review"].done_on == date(2026, 9, 29)
    assert steps["proposal"].due == date(2026, 10, 13)  # E3: 7 WD across National Day
    assert next_open_step(list(steps.values())).code == "proposal"
    entries += [E(Kind.DRAFT_SUBMITTED, date(2026, 10, 9), outcome="disclosed")]
    steps = {s.code: s for s in internal_steps(entries, CAL, registered_on=date(2026, 9, 28))}
    assert steps["proposal"].done_on == date(2026, 10, 9)
    assert steps["signature"].due == date(2026, 10, 13)  # E5: 3 WD, 10-10 (Saturday) worked
    assert steps["signature"].overdue(date(2026, 10, 14))


def test_already_published_information_is_answered_within_5_working_days():
    from gongkai.applications.clock import internal_steps

    entries = [
        RECEIVED_0928,
        E(Kind.PROPOSAL_SUBMITTED, date(2026, 9, 29), already_public=True),
    ]
    steps = {s.code: s for s in internal_steps(entries, CAL, registered_on=date(2026, 9, 28))}
    # 09-29, 09-30, 10-08, 10-09, 10-10 (Saturday, worked)
    assert steps["inform"].due == date(2026, 10, 10)
    assert steps["inform"].done_on is None
    entries += reply(date(2026, 10, 9))
    steps = {s.code: s for s in internal_steps(entries, CAL, registered_on=date(2026, 9, 28))}
    assert steps["inform"].done_on == date(2026, 10, 9)
