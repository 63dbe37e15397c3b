"""The staff deadline calculator: the answer, how it was reached, and the provisional flag."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.accounts.choices import Role
from gongkai.core.audit import record_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_client(client, world):
    client.force_login(world.person(world.township, Role.CLERK))
    return client


def calc(client, **params):
    return client.get(reverse("core:workday-calculator"), params).content.decode()


def test_due_date_with_its_explanation(clerk_client):
    body = calc(clerk_client, mode="add", start="2026-09-28", working_days="20")
    assert "<strong>2026-10-30</strong>" in body
    assert "跳过国庆节假期 7 天" in body
    assert "计入调休上班日 2026-10-10" in body
    assert "起算日不计入，自次日开始计算" in body
    assert "暂定" not in body


def test_a_result_in_a_year_not_loaded_is_marked_provisional(clerk_client):
    body = calc(clerk_client, mode="add", start="2026-12-30", working_days="3")
    assert "<strong>2027-01-05</strong>" in body  # 2027-01-01 estimated a holiday
    assert "元旦（预估）" in body
    assert "暂定：2027 年节假日安排尚未导入" in body


def test_counting_rule_is_configurable_and_stated(clerk_client, settings):
    settings.WORKDAYS_COUNT_START_DAY = True
    body = calc(clerk_client, mode="add", start="2026-09-28", working_days="20")
    assert "<strong>2026-10-29</strong>" in body
    assert "起算日为工作日的，计入当日" in body


def test_between_two_dates(clerk_client):
    assert "<strong>2</strong> 个工作日" in calc(clerk_client, mode="between", start="2026-09-30", end="2026-10-09")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"mode": "add", "start": "2026-09-28", "working_days": "-2"}, "工作日数不能为负数。"),
        ({"mode": "add", "start": "2026-02-30", "working_days": "2"}, "输入一个有效的日期。"),
        ({"mode": "between", "start": "2026-10-09", "end": "2026-09-30"}, "结束日期早于开始日期。"),
    ],
)
def test_bad_input_gets_a_chinese_message(clerk_client, params, message):
    assert message in calc(clerk_client, **params)


def test_audit_trail_shows_chinese_labels_for_roles_and_events(client, world):
    admin = world.person(world.township, Role.SECURITY_ADMIN)
    record_event("accounts.user.roles_changed", actor=admin)
    client.force_login(world.person(world.township, Role.AUDIT_ADMIN))
    body = client.get(reverse("core:audit-list"), {"event": "accounts.user.roles"}).content.decode()
    assert "安全管理员" in body
    assert "修改角色" in body
