"""Named reads of applications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q

from gongkai.accounts.models import Agency
from gongkai.applications.choices import REPORT_ROW
from gongkai.applications.models import Application, ApplicationArchive, Attachment, ClockEvent, Notice
from gongkai.core.reminders import due_soon_until


def application_deadline_counts(agency: Agency, today: date) -> dict[str, int]:
    """Open, due soon (settings.DUE_SOON_WORKING_DAYS) and overdue, for one agency."""
    applications = Application.objects.filter(agency=agency)
    soon = due_soon_until(today)
    return {
        "open": applications.open().count(),
        "soon": applications.due_between(today, soon).count(),
        "overdue": applications.overdue(today).count(),
    }


def applications_visible_to(user, queryset=None):
    """Office staff (drafting clerks, office heads) see the applications assigned to their office;
    the disclosure office, leaders and the confidentiality reviewer see the agency's."""
    from gongkai.accounts.choices import Role
    from gongkai.core.access import user_roles

    queryset = Application.objects.all() if queryset is None else queryset
    queryset = queryset.filter(agency_id=user.agency_id)
    wide = {Role.DISCLOSURE_OFFICER, Role.LEADER_IN_CHARGE, Role.PRINCIPAL_LEADER, Role.CONFIDENTIALITY_REVIEWER}
    if wide & user_roles(user):
        return queryset
    offices = user.role_assignments.exclude(office=None).values_list("office_id", flat=True)
    return queryset.filter(assigned_office_id__in=list(offices))


def stored_files():
    """(folder, stored name, SHA-256) of every private file the applications' rows refer to: identity
    proofs and scanned letters, frozen notices, archive packages (checked after a restore, FILE-04)."""

    for name, sha256 in Attachment.objects.values_list("stored_name", "sha256").iterator():
        yield "attachments", name, sha256
    for pdf, pdf_sha, docx, docx_sha in Notice.objects.values_list(
        "pdf_name", "pdf_sha256", "docx_name", "docx_sha256"
    ).iterator():
        yield "notices", pdf, pdf_sha
        yield "notices", docx, docx_sha
    for name, sha256 in ApplicationArchive.objects.values_list("file_name", "sha256").iterator():
        yield "archives", name, sha256


@dataclass(frozen=True)
class YearCounts:
    """What the annual report's table 三 counts for one agency and year, by applicant type
    (regulations.md §2.2): received in the year, carried over from the year before, closed in
    the year (in all, and by report row), and still open at 24:00 on 31 December.

    Counted from the dates on the records: an application belongs to the year it was received
    (for an online one, the day its receipt was confirmed, art. 31(三)) and is closed in the year
    of its closing date, so an application received in one year and answered in the next is
    carried forward in the first and carried over in the second. ``closed`` counts every closed
    application whatever its outcome, so that the report's rules can catch one without a row."""

    new: dict[str, int]
    carried_over: dict[str, int]
    closed: dict[str, int]
    results: dict[str, dict[str, int]]
    carried_forward: dict[str, int]


def _by_type(queryset) -> dict[str, int]:
    return {row["applicant_type"]: row["n"] for row in queryset.values("applicant_type").annotate(n=Count("id"))}


def annual_report_counts(agency: Agency, year: int) -> YearCounts:
    """Four grouped queries over the agency's received applications."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    received = Application.objects.filter(agency=agency, received_on__isnull=False)
    still_open = Q(closed_on__isnull=True)
    closed: dict[str, int] = {}
    results: dict[str, dict[str, int]] = {}
    in_year = received.filter(received_on__lte=end, closed_on__gte=start, closed_on__lte=end)
    for row in in_year.values("outcome", "applicant_type").annotate(n=Count("id")):
        kind, n = row["applicant_type"], row["n"]
        closed[kind] = closed.get(kind, 0) + n
        key = REPORT_ROW.get(row["outcome"])
        if key is not None:
            cells = results.setdefault(key, {})
            cells[kind] = cells.get(kind, 0) + n
    return YearCounts(
        new=_by_type(received.filter(received_on__gte=start, received_on__lte=end)),
        carried_over=_by_type(received.filter(received_on__lt=start).filter(still_open | Q(closed_on__gte=start))),
        closed=closed,
        results=results,
        carried_forward=_by_type(received.filter(received_on__lte=end).filter(still_open | Q(closed_on__gt=end))),
    )


def fees_collected(agency: Agency, year: int) -> Decimal:
    """The information-processing fees (信息处理费, 国办函〔2020〕109号) paid in ``year``: for each
    payment recorded in the year, the amount of the fee notice it answered, in yuan."""
    from gongkai.applications.clock import Kind

    total = Decimal(0)
    paid = ClockEvent.objects.filter(application__agency=agency, kind=Kind.FEE_PAID, on__year=year)
    for event in paid.order_by("pk"):
        notice = (
            ClockEvent.objects.filter(
                application_id=event.application_id, kind=Kind.FEE_NOTICE_SERVED, on__lte=event.on
            )
            .order_by("-on", "-pk")
            .first()
        )
        if notice is not None:
            total += Decimal(str(notice.data.get("amount") or 0))
    return total


def application_by_number(agency: Agency, number: str) -> Application | None:
    """One application of the agency by its number (a dispute names the one it concerns)."""
    return Application.objects.filter(agency=agency, number=(number or "").strip()).first()


def closed_applications_of(agency: Agency, limit: int = 200) -> list[Application]:
    """The agency's answered applications, newest first: what a dispute can concern."""
    closed = Application.objects.filter(agency=agency, closed_on__isnull=False)
    return list(closed.order_by("-closed_on", "-pk")[:limit])


# ---------------------------------------------------------------------------------------------
# The application's own records as evidence (最高法 2011 规定 art. 5; a dispute's evidence bundle)


@dataclass(frozen=True)
class Evidence:
    """One item of an evidence list: a record rendered as text (``lines``), or a stored file
    (``folder``/``stored_name``, a PDF or an image), or one listed only (``withheld``: why it is not
    attached). ``purpose`` is what it proves (证明目的), in the words of the evidence list."""

    title: str
    on: date | None
    purpose: str
    lines: tuple[str, ...] = ()
    folder: str = ""
    stored_name: str = ""
    file_kind: str = ""
    sha256: str = ""  # the stored file's, checked when it is read (uploads.read_verified)
    withheld: str = ""


REPLY_PURPOSE = "证明本机关在法定期限内作出答复，并告知了理由、依据和救济途径"
NOTICE_PURPOSE = {
    "receipt": "证明本机关收到申请的日期（条例第三十一条）",
    "correction": "证明本机关一次性告知申请人补正及补正期限（条例第三十条）",
    "third_party": "证明本机关书面征求第三方意见（条例第三十二条）",
    "other_agency": "证明本机关征求其他机关意见（条例第三十四条）",
    "extension": "证明延长答复期限经负责人同意并告知申请人（条例第三十三条）",
    "fee": "证明本机关依法通知收取信息处理费",
}


def _registration_lines(application: Application) -> tuple[str, ...]:
    from gongkai.core.masking import mask_id_number, mask_phone

    lines = [
        f"申请编号：{application.number}",
        f"提交方式：{application.get_channel_display()}",
        f"收到日期：{application.received_on:%Y-%m-%d}" if application.received_on else "收到日期：—",
        f"申请人：{application.applicant_name}（{application.get_applicant_type_display()}）",
        f"证件号码：{mask_id_number(application.id_number or '')}；联系电话：{mask_phone(application.phone or '')}",
        f"所需信息：{application.info_title}",
    ]
    if application.info_document_number:
        lines.append(f"文号：{application.info_document_number}")
    lines += [f"内容描述：{application.info_description}", f"获取方式：{application.get_requested_form_display()}"]
    return tuple(lines)


def _ledger_lines(application: Application) -> tuple[str, ...]:
    lines = []
    for event in application.clock_events.order_by("on", "pk"):
        text = f"{event.on:%Y-%m-%d}　{event.get_kind_display()}"
        if event.note:
            text += f"：{event.note}"
        if event.actor_name:
            text += f"（{event.actor_name}）"
        lines.append(text)
    return tuple(lines)


def evidence_of(application: Application) -> list[Evidence]:
    """The records an agency relies on to prove its handling, in the order of the file: the
    application, the receipt and every notice with its proof of service, the handling record
    (search and verification notes, consultation, the confidentiality review, the proposal and
    the leader's signature), then the reply. Identity proofs are listed, not attached (PI-02)."""
    items = [
        Evidence("政府信息公开申请（登记信息）", application.received_on, "证明申请人提出申请的时间、方式和内容",
                 lines=_registration_lines(application)),
    ]  # fmt: skip
    for attachment in application.attachments.order_by("pk"):
        if attachment.purged_on is not None:
            items.append(Evidence("申请材料", application.received_on, "证明申请的原始内容",
                                  withheld="已按保存期限删除"))  # fmt: skip
        elif attachment.kind == Attachment.Kind.SCANNED_LETTER:
            items.append(
                Evidence(
                    f"申请书原件扫描件（{attachment.original_name}）",
                    application.received_on,
                    "证明申请的原始内容",
                    folder="attachments",
                    stored_name=attachment.stored_name,
                    file_kind=attachment.content_type.rsplit("/", 1)[-1].replace("jpeg", "jpg"),
                    sha256=attachment.sha256,
                )
            )
        else:
            items.append(
                Evidence(
                    "申请人身份证明",
                    application.received_on,
                    "证明申请人身份",
                    withheld="含申请人个人信息，不随附；原件存档备查",
                )
            )
    notices = list(application.notices.order_by("issued_on", "pk"))
    for notice in notices:
        if notice.kind.startswith("reply_"):
            continue
        served = (
            f"，{notice.served_on:%Y-%m-%d}以{notice.get_served_by_display()}送达" if notice.served_on else "，尚未送达"
        )
        items.append(_notice_evidence(notice, NOTICE_PURPOSE.get(notice.kind, "证明本机关依法告知") + served))
    items.append(
        Evidence("办理记录（检索核实、征求意见、保密审查、拟办意见、领导签发）", application.closed_on,
                 "证明本机关的检索、核实和审查过程及各环节时间", lines=_ledger_lines(application))
    )  # fmt: skip
    for notice in notices:
        if notice.kind.startswith("reply_"):
            served = f"；{notice.served_on:%Y-%m-%d}以{notice.get_served_by_display()}送达" if notice.served_on else ""
            items.append(_notice_evidence(notice, REPLY_PURPOSE + served))
    return items


def _notice_evidence(notice: Notice, purpose: str) -> Evidence:
    if notice.purged_on is not None:
        return Evidence(f"{notice.title}（{notice.document_number}）", notice.issued_on, purpose,
                        withheld="文书已按保存期限删除")  # fmt: skip
    return Evidence(
        f"{notice.title}（{notice.document_number}）",
        notice.issued_on,
        purpose,
        folder="notices",
        stored_name=notice.pdf_name,
        file_kind="pdf",
        sha256=notice.pdf_sha256,
    )
