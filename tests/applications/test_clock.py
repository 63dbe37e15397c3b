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


# Issue 10: the edges of the clock, across 劳动节 (05-01..05 off, 05-09 worked), 春节 (02-15..23
# off, 02-14 and 02-28 worked), 国庆 (10-01..07 off, 10-10 worked) and into 2027, not loaded.
THIRD_PARTY_LATE = [
    E(Kind.RECEIVED, date(2026, 4, 20)),
    # The third party's 15 WD (art. 32) from 04-27: 28, 29, 30, 05-06, 07, 08, 09 (make-up), 11..15,
    # 18, 19, 20 → 05-20. It answers on 05-25: 18 WD passed, 15 are excluded, 3 count.
    E(Kind.CONSULTATION_STARTED, date(2026, 4, 27), party="third_party"),
    E(Kind.CONSULTATION_ENDED, date(2026, 5, 25)),
]


@pytest.mark.parametrize(
    ("entries", "due", "explained"),
    [
        # 20 WD from 04-20 → 05-20 (劳动节 off, 05-09 worked); + 15 → 06-10 (not 06-15 uncapped).
        (THIRD_PARTY_LATE, date(2026, 6, 10), "3 个工作日"),
        # Another agency (art. 34) late over 春节: 15 WD from 02-10 end on 03-09 (02-14 and 02-28
        # worked); it answers 03-10, 1 WD counts. 20 WD from 02-09 → 03-13; + 15 → 04-03.
        (
            [
                E(Kind.RECEIVED, date(2026, 2, 9)),
                E(Kind.CONSULTATION_STARTED, date(2026, 2, 10), party="other_agency"),
                E(Kind.CONSULTATION_ENDED, date(2026, 3, 10)),
            ],
            date(2026, 4, 3),
            "1 个工作日",
        ),
        # A consultation begun on the last day (10-30) moves the due date on from there, never back.
        (
            [
                RECEIVED_0928,
                E(Kind.CONSULTATION_STARTED, date(2026, 10, 30), party="third_party"),
                E(Kind.CONSULTATION_ENDED, date(2026, 11, 3)),
            ],
            date(2026, 11, 3),
            "2 个工作日不计入",
        ),
        # Art. 30 restarts the period from the corrected application (10-20 → 11-17); its one
        # extension (art. 33 ¶2) is still available: + 20 WD → 12-15.
        (
            [
                RECEIVED_0928,
                E(Kind.CORRECTION_REQUESTED, date(2026, 10, 13), period_end=date(2026, 10, 23)),
                E(Kind.CORRECTION_RECEIVED, date(2026, 10, 20)),
                E(Kind.EXTENSION_APPROVED, date(2026, 11, 10), working_days=20),
            ],
            date(2026, 12, 15),
            "延期 20 个工作日",
        ),
        # The last day of the payment window (11-03, see above) still counts as paid in time.
        (
            [RECEIVED_0928, E(Kind.FEE_NOTICE_SERVED, date(2026, 9, 30)), E(Kind.FEE_PAID, date(2026, 11, 3))],
            # 20 WD from 09-28 → 10-30; the 20 WD from 09-30 to 11-03 excluded → 11-27.
            date(2026, 11, 27),
            "20 个工作日不计入",
        ),
    ],
)
def test_edges_of_the_reply_period(entries, due, explained):
    state = replay(entries, CAL)
    assert state.due == due
    assert state.due >= max(e.on for e in entries)
    assert any(explained in line for line in state.explanation), state.explanation


def test_only_the_third_partys_15_working_days_are_excluded():
    state = replay(THIRD_PARTY_LATE, CAL)
    assert state.clock.suspensions[0].amount == 15
    assert state.clock.suspensions[0].counted == 3
    assert "超过对方期限的 3 个工作日照常计算" in state.explanation[1]


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        # The reply period of 09-28 ended on 10-30: nothing can suspend it afterwards.
        ([RECEIVED_0928, E(Kind.CONSULTATION_STARTED, date(2026, 11, 2), party="third_party")], "不能再征求意见"),
        ([RECEIVED_0928, E(Kind.FEE_NOTICE_SERVED, date(2026, 11, 2))], "只能在答复期限内送达收费通知"),
        # Served 09-30, the window closed on 11-03: paid on 11-04 is too late (视为放弃申请).
        (
            [RECEIVED_0928, E(Kind.FEE_NOTICE_SERVED, date(2026, 9, 30)), E(Kind.FEE_PAID, date(2026, 11, 4))],
            "视为放弃申请",
        ),
        # An extension while the correction is awaited would be dropped by the restart: refused.
        (
            [
                RECEIVED_0928,
                E(Kind.CORRECTION_REQUESTED, date(2026, 10, 13), period_end=date(2026, 10, 23)),
                E(Kind.EXTENSION_APPROVED, date(2026, 10, 15), working_days=10),
            ],
            "等待补正",
        ),
        # A correction after an extension would restart the period and drop it: refused.
        (
            [
                RECEIVED_0928,
                E(Kind.EXTENSION_APPROVED, date(2026, 10, 8), working_days=10),
                E(Kind.CORRECTION_REQUESTED, date(2026, 10, 9), period_end=date(2026, 10, 19)),
            ],
            "已经延长",
        ),
    ],
)
def test_edges_the_law_refuses(entries, message):
    with pytest.raises(ClockError, match=message):
        replay(entries, CAL)


@pytest.mark.parametrize(
    ("entries", "until", "provisional"),
    [
        # The third party's 15 WD from 12-21 reach 2027-01-11 (not loaded: 01-01 counted as worked).
        (
            [E(Kind.RECEIVED, date(2026, 12, 15)), E(Kind.CONSULTATION_STARTED, date(2026, 12, 21))],
            date(2027, 1, 11),
            True,
        ),
        # The payment window from 12-21: 20 WD → 2027-01-18.
        (
            [E(Kind.RECEIVED, date(2026, 12, 15)), E(Kind.FEE_NOTICE_SERVED, date(2026, 12, 21))],
            date(2027, 1, 18),
            True,
        ),
        # The correction period ends on a day of 2027.
        (
            [
                E(Kind.RECEIVED, date(2026, 12, 15)),
                E(Kind.CORRECTION_REQUESTED, date(2026, 12, 16), period_end=date(2027, 1, 8)),
            ],
            date(2027, 1, 8),
            True,
        ),
        # Inside 2026 nothing is provisional: the third party's 15 WD from 10-12 → 11-02.
        ([RECEIVED_0928, E(Kind.CONSULTATION_STARTED, date(2026, 10, 12))], date(2026, 11, 2), False),
    ],
)
def test_the_other_sides_deadline_is_provisional_into_a_year_not_loaded(entries, until, provisional):
    state = replay(entries, CAL)
    assert (state.suspended_until, state.suspended_until_provisional) == (until, provisional)
    assert ("（暂定）" in state.explanation[0]) is provisional


def test_internal_step_due_dates_into_a_year_not_loaded_are_provisional():
    from gongkai.applications.clock import internal_steps

    steps = {
        s.code: s for s in internal_steps([E(Kind.RECEIVED, date(2026, 12, 28))], CAL, registered_on=date(2026, 12, 28))
    }
    assert (steps["register"].due, steps["register"].provisional) == (date(2026, 12, 29), False)
    # 7 WD: 12-29, 30, 31, 2027-01-01 (not loaded, counted as worked), 04, 05, 06.
    assert (steps["proposal"].due, steps["proposal"].provisional) == (date(2027, 1, 6), True)
