"""The demo district's catalog: a few hundred published items across agencies, categories and
years (some with PDF, DOCX and XLSX attachments), and a handful of items at every step of the
review chain in 茅畲乡, made through the real services so their history is real."""

from __future__ import annotations

import hashlib
import io
import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.accounts.models import Agency, Office, User
from gongkai.accounts.services import RoleGrant, create_staff_user
from gongkai.catalog import demo_text, search, services
from gongkai.catalog.choices import (
    TOWNSHIP_CATEGORIES,
    Attribute,
    Category,
    Channel,
    Classification,
    Ground,
    Status,
    Step,
    Validity,
)
from gongkai.catalog.extract import extract_text
from gongkai.catalog.models import Entry, EntryAttachment, Revision
from gongkai.core.uploads import CheckedFile, store

ITEMS_PER_AGENCY = {"district": 90, "township": 130, "department": 90}


def _categories(agency: Agency) -> list[str]:
    township = agency.kind in ("township", "street")
    return [c for c in Category if township or c not in TOWNSHIP_CATEGORIES]


def _attachment_bytes(rng: random.Random, kind: str, agency: Agency, title: str, text: str) -> bytes:
    if kind in ("pdf", "docx"):
        from gongkai.core.letters import Letter, render_docx, render_pdf

        letter = Letter(
            issuer=agency.name,
            document_number=f"{agency.name[-6:-4]}〔{timezone.localdate().year}〕{rng.randint(1, 99)}号",
            title=title,
            addressee="各村（社区）、乡属各单位",
            paragraphs=tuple(text.split("\n")),
            signed_on=timezone.localdate(),
        )
        return render_pdf(letter) if kind == "pdf" else render_docx(letter)
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("明细")
    for col, header in enumerate(["序号", "村名", "事项", "金额（万元）"]):
        sheet.write(0, col, header)
    for row in range(1, 11):
        sheet.write_row(row, 0, [row, rng.choice(demo_text.VILLAGES), title[:20], rng.randint(1, 80)])
    book.close()
    return buffer.getvalue()


def _attach(rng: random.Random, entry: Entry, kind: str) -> None:
    text = demo_text.body(rng, entry.category, 2)
    data = _attachment_bytes(rng, kind, entry.agency, entry.title, text)
    name = f"{entry.title[:30]}.{kind}"
    checked = CheckedFile(data=data, kind=kind, original_name=name, sha256=hashlib.sha256(data).hexdigest())
    EntryAttachment.objects.create(
        entry=entry,
        name=name,
        kind=kind,
        size=len(data),
        sha256=checked.sha256,
        stored_name=store(checked, "catalog"),
        text=extract_text(kind, data),
    )


def _historic(rng: random.Random, agency: Agency, office: Office, clerk: User, today: date, count: int) -> int:
    """Items published before the platform (as an agency's imported catalog would be)."""
    start = date(today.year - 3, 1, 1)
    span = (today - start).days
    days = sorted(start + timedelta(days=rng.randrange(span)) for _ in range(count))
    categories = _categories(agency)
    for i, published_on in enumerate(days):
        category = rng.choice(categories)
        formed = published_on - timedelta(days=rng.randint(1, 15))
        official = rng.random() < 0.3
        entry = Entry.objects.create(
            agency=agency,
            office=office,
            status=Status.PUBLISHED,
            revision=1,
            index_number=services._allocate_index_number(agency, published_on.year),
            title=demo_text.title(rng, category, published_on.year),
            document_number=f"{agency.name[-6:-4]}〔{published_on.year}〕{i + 1}号" if official else "",
            written_on=formed if official else None,
            issued_on=formed + timedelta(days=1) if official else None,  # D4: issued after written
            formed_on=formed,
            is_official_document=official,
            attribute=Attribute.PROACTIVE,
            category=category,
            validity=rng.choices([Validity.CURRENT, Validity.AMENDED, Validity.REPEALED], [90, 6, 4])[0],
            channels=[Channel.WEBSITE] + ([Channel.BULLETIN_BOARD] if rng.random() < 0.4 else []),
            summary=demo_text.paragraph(rng, category, 1),
            body=demo_text.body(rng, category, rng.randint(2, 4)),
            published_on=published_on,
            published_at=timezone.make_aware(datetime.combine(published_on, time(9, rng.randint(0, 59)))),
            imported=True,
            created_by=clerk,
        )
        data = services.snapshot(entry)
        Revision.objects.create(entry=entry, number=1, snapshot=data, sha256=services._hash(data), created_by=clerk)
        if i % 12 == 0:
            _attach(rng, entry, ("pdf", "docx", "xlsx")[(i // 12) % 3])
        search.index_entry(entry)
    return count


def _people(agency: Agency) -> dict[str, User]:
    return {
        role: User.objects.filter(agency=agency, role_assignments__role=role).first()
        for role in (
            Role.CLERK,
            Role.OFFICE_HEAD,
            Role.CONFIDENTIALITY_REVIEWER,
            Role.LEADER_IN_CHARGE,
            Role.PRINCIPAL_LEADER,
            Role.DISCLOSURE_OFFICER,
            Role.WEB_ADMINISTRATOR,
        )
    }


def _draft(
    rng,
    agency,
    clerk,
    office,
    today,
    *,
    category,
    title=None,
    important=False,
    attribute=Attribute.PROACTIVE,
    ground="",
    ground_note="",
    formed_ago=3,
    co_offices=(),
    document_number="",
    issued_ago=None,
):
    """A draft; with ``document_number`` an official document written when formed and issued
    ``issued_ago`` days ago (D4: due 1 working day after it was issued)."""
    formed = today - timedelta(days=formed_ago)
    official = bool(document_number)
    return services.save_draft(
        actor=clerk,
        agency=agency,
        office=office,
        co_offices=list(co_offices),
        values={
            "title": title or demo_text.title(rng, category, today.year),
            "document_number": document_number,
            "written_on": formed if official else None,
            "issued_on": today - timedelta(days=formed_ago if issued_ago is None else issued_ago) if official else None,
            "formed_on": formed,
            "is_official_document": official,
            "attribute": attribute,
            "ground": ground,
            "ground_note": ground_note,
            "scope": "public",
            "category": category,
            "subcategory": None,
            "validity": Validity.CURRENT,
            "channels": [Channel.WEBSITE, Channel.BULLETIN_BOARD],
            "summary": demo_text.paragraph(rng, category, 1),
            "body": demo_text.body(rng, category, 3),
            "is_important": important,
            "related_to": None,
            "relation": "",
        },
    )


def _through(entry: Entry, people: dict, last_step: str) -> Entry:
    """Move a submitted entry through the chain up to and including ``last_step``."""
    order = [
        (
            Step.OFFICE,
            Role.OFFICE_HEAD,
            {"classification": Classification.NOT_SECRET},
            "经审核，不涉及国家秘密，同意公开。",
        ),
        (Step.CONFIDENTIALITY, Role.CONFIDENTIALITY_REVIEWER, {}, "经保密审查，同意。"),
        (Step.LEADER_CONFIDENTIALITY, Role.LEADER_IN_CHARGE, {}, "同意。"),
        (Step.DISCLOSURE, Role.DISCLOSURE_OFFICER, {}, "公开属性与内容审核无误。"),
        (Step.RELEASE, Role.PRINCIPAL_LEADER, {}, "同意发布。"),
    ]
    for step, role, data, comment in order:
        entry.refresh_from_db()
        if services.STEP_OF_STATUS.get(entry.status) != step:
            continue
        entry = services.approve(entry, actor=people[role], step=step, comment=comment, **data)
        if step == last_step:
            break
    return entry


def _workflow(rng: random.Random, agency: Agency, today: date) -> list[str]:
    """Items at each step in one township, made through the services (real opinions)."""
    people = _people(agency)
    clerk, head = people[Role.CLERK], people[Role.OFFICE_HEAD]
    office = clerk.role_assignments.get(role=Role.CLERK).office
    # A second office head, so a jointly produced item can collect its written consent (G6).
    co_office = agency.offices.exclude(pk=office.pk).exclude(is_disclosure_office=True).first()
    lines = []
    co_head = None
    if co_office is not None:
        password = demo_password()
        co_head = create_staff_user(
            actor=None,
            agency=agency,
            username=f"{agency.slug}.head2",
            full_name="郑晓燕",
            email=f"{agency.slug}.head2@example.gov.cn",
            password=password,
            grants=[RoleGrant(role=Role.OFFICE_HEAD, office=co_office)],
        )
        lines.append(f"{agency.name}\t{Role.OFFICE_HEAD.label}（{co_office.name}）\t{co_head.username}\t{password}")

    draft = _draft(
        rng, agency, clerk, office, today, category=Category.HOMESTEAD, title="茅畲乡2026年第四批农村宅基地审批结果公示"
    )
    assert draft.status == Status.DRAFT
    at_office = _draft(rng, agency, clerk, office, today, category=Category.IRRIGATION, formed_ago=25)
    services.submit(at_office, actor=clerk)  # overdue: formed 25 days ago
    if co_head:
        joint = _draft(
            rng,
            agency,
            clerk,
            office,
            today,
            category=Category.RURAL_POLICY,
            co_offices=[co_office],
            title="茅畲乡关于落实2026年耕地地力保护补贴政策的通知",
            document_number=f"{agency.name[:2]}政发〔{today.year}〕12号",
            formed_ago=4,
            issued_ago=1,
        )
        services.submit(joint, actor=clerk)
    routine = []
    for category in (Category.SOCIAL_ASSISTANCE, Category.PUBLIC_SERVICES):
        item = _draft(rng, agency, clerk, office, today, category=category)
        services.submit(item, actor=clerk)
        routine.append(_through(item, people, Step.CONFIDENTIALITY))
    unclear = _draft(
        rng,
        agency,
        clerk,
        office,
        today,
        category=Category.LAND_EXPROPRIATION,
        title="茅畲乡土地征收成片开发方案（征求意见稿）",
    )
    services.submit(unclear, actor=clerk)
    services.approve(
        unclear,
        actor=head,
        step=Step.OFFICE,
        comment="部分内容涉密性不明确，建议请示。",
        classification=Classification.UNCLEAR,
    )
    services.escalate(
        unclear,
        actor=people[Role.CONFIDENTIALITY_REVIEWER],
        authority="黄岩区国家保密局",
        comment="方案附图是否涉密不明确，报请区保密局审查。",
    )
    important = _draft(
        rng, agency, clerk, office, today, category=Category.BUDGET, important=True, title="茅畲乡2026年部门预算"
    )
    services.submit(important, actor=clerk)
    _through(important, people, Step.DISCLOSURE)  # waits for the leader's release approval
    ready = _draft(rng, agency, clerk, office, today, category=Category.PROCUREMENT)
    services.submit(ready, actor=clerk)
    _through(ready, people, Step.DISCLOSURE)  # waits for the web administrator
    withheld = _draft(
        rng,
        agency,
        clerk,
        office,
        today,
        category=Category.PENALTIES,
        title="关于某企业违法排污案件的调查终结报告",
        attribute=Attribute.WITHHELD,
        ground=Ground.ENFORCEMENT_FILE,
        ground_note="属于行政执法案卷信息，依条例第十六条第二款不予公开。",
    )
    services.submit(withheld, actor=clerk)
    _through(withheld, people, Step.DISCLOSURE)  # registered with its ground, never public
    published = _draft(
        rng,
        agency,
        clerk,
        office,
        today,
        category=Category.HOMESTEAD,
        title="茅畲乡关于进一步规范农村宅基地审批管理的通知",
    )
    services.submit(published, actor=clerk)
    _through(published, people, Step.DISCLOSURE)
    services.publish(published, actor=people[Role.WEB_ADMINISTRATOR])
    returned = _draft(rng, agency, clerk, office, today, category=Category.FUNDS_LABOUR)
    services.submit(returned, actor=clerk)
    services.return_for_revision(returned, actor=head, step=Step.OFFICE, reason="筹资标准表述不清，请补充测算依据。")
    return lines


def demo_password() -> str:
    from gongkai.accounts.management.commands.load_demo import random_password

    return random_password()


def load_demo_catalog(today: date | None = None, seed: int = 2026) -> list[str]:
    today = today or timezone.localdate()
    rng = random.Random(seed)  # noqa: S311  repeatable demo text, not a secret
    lines: list[str] = []
    for agency in Agency.objects.order_by("pk"):
        people = _people(agency)
        clerk = people[Role.CLERK]
        office = clerk.role_assignments.get(role=Role.CLERK).office
        kind = "district" if agency.parent_id is None else ("township" if agency.kind == "township" else "department")
        _historic(rng, agency, office, clerk, today, ITEMS_PER_AGENCY[kind])
        if agency.kind == "township":
            lines += _workflow(rng, agency, today)
    return lines
