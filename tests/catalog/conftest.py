"""The catalog cast: the township's people for each step, and helpers to draft and advance items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.accounts.models import Agency, Office, User
from gongkai.catalog import services
from gongkai.catalog.choices import Attribute, Category, Channel, Classification, Step, Validity
from gongkai.catalog.models import Entry


@dataclass
class Cast:
    agency: Agency
    office: Office
    clerk: User
    head: User
    secrecy: User
    leader: User
    principal: User
    disclosure: User
    web: User


@pytest.fixture
def cast(world) -> Cast:
    a = world.township

    def person(role):
        return world.person(a, role)

    clerk = person(Role.CLERK)
    return Cast(
        agency=a,
        office=clerk.role_assignments.get(role=Role.CLERK).office,
        clerk=clerk,
        head=person(Role.OFFICE_HEAD),
        secrecy=person(Role.CONFIDENTIALITY_REVIEWER),
        leader=person(Role.LEADER_IN_CHARGE),
        principal=person(Role.PRINCIPAL_LEADER),
        disclosure=person(Role.DISCLOSURE_OFFICER),
        web=person(Role.WEB_ADMINISTRATOR),
    )


def content(**overrides) -> dict:
    values = {
        "title": "茅畲乡关于宅基地使用审批有关事项的通知",
        "document_number": "",
        "written_on": None,
        "formed_on": timezone.localdate() - timedelta(days=2),
        "is_official_document": False,
        "attribute": Attribute.PROACTIVE,
        "ground": "",
        "ground_note": "",
        "scope": "public",
        "category": Category.HOMESTEAD,
        "subcategory": None,
        "validity": Validity.CURRENT,
        "channels": [Channel.WEBSITE],
        "summary": "农村宅基地使用审批的条件、材料和流程。",
        "body": "根据有关规定，现将宅基地使用审批事项通知如下：申请人向村委会提出申请，乡审核后公示。",
        "is_important": False,
        "related_to": None,
        "relation": "",
    }
    values.update(overrides)
    return values


@pytest.fixture
def draft(cast):
    def make(co_offices=(), **overrides) -> Entry:
        return services.save_draft(
            actor=cast.clerk, agency=cast.agency, office=cast.office, values=content(**overrides), co_offices=co_offices
        )

    return make


STEPS = [
    (Step.OFFICE, "head", {"classification": Classification.NOT_SECRET}),
    (Step.CONFIDENTIALITY, "secrecy", {}),
    (Step.LEADER_CONFIDENTIALITY, "leader", {}),
    (Step.DISCLOSURE, "disclosure", {}),
    (Step.RELEASE, "principal", {}),
]


def approve_until(cast, entry: Entry, until: str = Step.DISCLOSURE) -> Entry:
    """Approve every step the entry waits for, up to and including ``until``."""
    for step, who, data in STEPS:
        entry.refresh_from_db()
        if services.STEP_OF_STATUS.get(entry.status) == step:
            entry = services.approve(entry, actor=getattr(cast, who), step=step, comment="同意。", **data)
        if step == until:
            break
    entry.refresh_from_db()
    return entry


@pytest.fixture
def advance(cast):
    """Submit (if a draft) and approve every step up to and including ``until``."""

    def run(entry: Entry, until: str = Step.DISCLOSURE) -> Entry:
        entry.refresh_from_db()
        if entry.status == "draft":
            entry = services.submit(entry, actor=cast.clerk)
        return approve_until(cast, entry, until)

    return run


@pytest.fixture
def published(cast, draft, advance):
    def make(**overrides) -> Entry:
        entry = advance(draft(**overrides), Step.RELEASE)
        return services.publish(entry, actor=cast.web)

    return make
