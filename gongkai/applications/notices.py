"""Issuing the notices served on applicants (issue 4): which notice fits the ledger now, its
text from the agency's template, and its frozen PDF and DOCX.

A notice is generated when staff serve it, from the facts in the ledger (the correction period,
the extension, the fee and its basis, the outcome and reasons), so it can never say something
the clock does not. Files go to PRIVATE_MEDIA_ROOT under random names; the row stores their
SHA-256; a download whose file no longer matches is refused and audited.
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import replace
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from gongkai.accounts.models import Agency
from gongkai.accounts.validators import render_notice_number
from gongkai.applications.choices import (
    CONSULTATION_LETTERS,
    REPLY_KIND_BY_OUTCOME,
    REPLY_KINDS,
    NoticeKind,
    Status,
)
from gongkai.applications.clock import CONSULTATION_WORKING_DAYS, FEE_PAYMENT_WORKING_DAYS, Kind
from gongkai.applications.models import Application, ClockEvent, Notice, NoticeTemplate
from gongkai.applications.notice_templates import DEFAULTS, DETAIL_LABELS, PLACEHOLDERS, ground, remedies
from gongkai.applications.permissions import HANDLER_ROLES
from gongkai.core import uploads
from gongkai.core.access import user_roles
from gongkai.core.audit import audited_refusals, record_event
from gongkai.core.calendar import get_calendar
from gongkai.core.letters import Letter, render_docx, render_pdf
from gongkai.core.sequences import next_in_sequence
from gongkai.core.workdays import add_workdays
from gongkai.core.workflow import TransitionError


class NoticeError(TransitionError):
    """The notice does not fit the application's state; the message is for the user."""


def _last(application: Application, kind: str):
    return application.clock_events.filter(kind=kind).order_by("-on", "-id").first()


def signed_draft(application: Application) -> ClockEvent | None:
    """The latest draft reply if the leader has signed it since (seed E5): what the reply letter
    is made from. None while there is no draft or it waits for its signature."""
    draft = application.clock_events.filter(kind=Kind.DRAFT_SUBMITTED).order_by("-id").first()
    if draft is None or not application.clock_events.filter(kind=Kind.DRAFT_SIGNED, id__gt=draft.id).exists():
        return None
    return draft


def reply_facts(application: Application) -> tuple[str, str, dict[str, str]]:
    """The reply's outcome, reasons and details: as served, or as the signed draft says before."""
    draft = application.clock_events.filter(kind=Kind.DRAFT_SUBMITTED).order_by("-id").first()
    details = dict(draft.data.get("details", {})) if draft else {}
    if application.status == Status.REPLIED:
        return application.outcome, application.outcome_reason, details
    signed = signed_draft(application)
    if signed is None:
        return "", "", {}
    return signed.data.get("outcome", ""), signed.data.get("reason", ""), details


def reply_kind(application: Application) -> str | None:
    """The reply letter the application can have now: once the leader signed the draft (issue
    10: the letter is made before it is served), and again after the reply (a copy)."""
    if application.status not in (Status.RECEIVED, Status.AWAITING_CORRECTION, Status.REPLIED):
        return None
    outcome, _reason, _details = reply_facts(application)
    return REPLY_KIND_BY_OUTCOME.get(outcome)


def pending_reply_letter(application: Application) -> Notice | None:
    """The reply letter made from the signed draft and not yet served, if any."""
    signature = application.clock_events.filter(kind=Kind.DRAFT_SIGNED).order_by("-id").first()
    letter = application.notices.filter(kind__in=REPLY_KINDS, served_on=None).order_by("-id").first()
    if letter is None or signature is None or letter.created_at < signature.created_at:
        return None
    return letter if letter.kind == reply_kind(application) else None


def available_kinds(application: Application) -> list[str]:
    """The notices the ledger supports now (a notice can be served again, e.g. re-sent)."""
    if application.received_on is None:  # an online submission not yet confirmed (art. 31(三))
        return []
    kinds = [NoticeKind.RECEIPT]
    events = set(application.clock_events.values_list("kind", flat=True))
    if Kind.CORRECTION_REQUESTED in events:
        kinds.append(NoticeKind.CORRECTION)
    parties = set(application.clock_events.filter(kind=Kind.CONSULTATION_STARTED).values_list("data__party", flat=True))
    kinds += [kind for party, kind in CONSULTATION_LETTERS.items() if party in parties]
    if Kind.EXTENSION_APPROVED in events:
        kinds.append(NoticeKind.EXTENSION)
    if Kind.FEE_NOTICE_SERVED in events:
        kinds.append(NoticeKind.FEE)
    reply = reply_kind(application)
    if reply:
        kinds.append(reply)
    return kinds


def template_for(agency, kind: str) -> tuple[str, str]:
    custom = NoticeTemplate.objects.filter(agency=agency, kind=kind).first()
    return (custom.title, custom.body) if custom else DEFAULTS[kind]


def unknown_placeholders(body: str) -> list[str]:
    names = {m.group("named") or m.group("braced") for m in string.Template.pattern.finditer(body)}
    return sorted(n for n in names if n and n not in PLACEHOLDERS)


def _consultation(application: Application, kind: str) -> ClockEvent | None:
    """The latest consultation of the party a consultation letter of ``kind`` goes to."""
    party = next(p for p, k in CONSULTATION_LETTERS.items() if k == kind)
    starts = application.clock_events.filter(kind=Kind.CONSULTATION_STARTED).order_by("-on", "-id")
    return next((e for e in starts if e.data.get("party", "third_party") == party), None)


def _context(application: Application, *, note: str, served_on: date, kind: str = "") -> dict[str, str]:
    agency = application.agency
    calendar = get_calendar()
    # 行政复议法 art. 24: the district government reviews its townships and departments.
    parent = agency.parent.name if agency.parent is not None else _("the people's government at the next level up")
    organ = agency.reconsideration_organ or parent
    outcome, reason, details = reply_facts(application)
    details = {k: str(v).strip().rstrip("。；;") for k, v in details.items()}
    context = {
        "applicant_name": application.applicant_name,
        "number": application.number,
        "received_on": _cn(application.received_on),
        "info_title": application.info_title,
        "agency_name": agency.name,
        "disclosure_office": agency.disclosure_office_name,
        "office_address": agency.address,
        "office_phone": agency.phone,
        "due_on": _deadline(application.due_on) if application.due_on else "",
        "note": note,
        **details,
        "reasons": reason,
        "outcome": ground(outcome, details)[0],
        "remedies": remedies(outcome, organ=str(organ), court=agency.competent_court),
        "served_on": _cn(served_on),
    }
    correction = _last(application, Kind.CORRECTION_REQUESTED)
    if correction:
        context["period_end"] = _deadline(date.fromisoformat(correction.data["period_end"]))
        context["note"] = note or correction.note
    extension = _last(application, Kind.EXTENSION_APPROVED)
    if extension:
        context["extension_days"] = str(extension.data.get("working_days", ""))
        context["note"] = note or extension.note
    consultation = (
        _consultation(application, kind)
        if kind in CONSULTATION_LETTERS.values()
        else _last(application, Kind.CONSULTATION_STARTED)
    )
    if consultation:
        context["third_party_deadline"] = _deadline(
            add_workdays(consultation.on, CONSULTATION_WORKING_DAYS, calendar).due
        )
        context["note"] = note or consultation.note
    fee = _last(application, Kind.FEE_NOTICE_SERVED)
    if fee:
        context["fee_amount"] = str(fee.data.get("amount", ""))
        context["fee_basis"] = fee.data.get("basis", "")
        # From the notice's own service day, not the row's waiting deadline: a notice re-issued
        # after payment still states the window the applicant had.
        context["payment_deadline"] = _deadline(add_workdays(fee.on, FEE_PAYMENT_WORKING_DAYS, calendar).due)
    context["payment_method"] = agency.fee_payment_method.strip()
    return context


def _addressee(application: Application, kind: str) -> str:
    """Whom the letter is addressed to: the consulted third party or agency for its letter (arts.
    32, 34), the applicant for every other."""
    if kind not in CONSULTATION_LETTERS.values():
        return application.applicant_name
    consultation = _consultation(application, kind)
    name = str(consultation.data.get("party_name", "")).strip() if consultation else ""
    if not name:
        raise NoticeError(_("Record whom the consultation is addressed to (name and address) first."))
    return name


def _reason(text: str) -> str:
    """The extension's reason as it fits "因……，不能在规定期限内作出答复": without a leading 因 or
    由于 of its own and without closing punctuation, so the letter never reads "因因"."""
    text = text.strip().rstrip("。，；;,. ")
    for lead in ("因为", "由于", "因"):
        if text.startswith(lead):
            return text[len(lead) :].lstrip("，, ")
    return text


# What a letter of each kind cannot do without (条例 art. 30: the items to correct; art. 33 ¶2:
# the reason for more time). Fields not listed may be empty (e.g. reasons of a disclosure).
REQUIRED_DETAILS = {
    NoticeKind.CORRECTION: gettext_lazy("List the items the applicant must correct (art. 30)."),
    NoticeKind.EXTENSION: gettext_lazy("Give the reason the reply needs more time (art. 33)."),
}
OPTIONAL_FIELDS = {"note", "reasons"}
# The fields an agency's own wording of a kind must keep: what the law makes the letter say.
KEPT_FIELDS: dict[str, tuple[str, ...]] = {
    NoticeKind.CORRECTION: ("note", "period_end"),  # art. 30: the items, the period
    NoticeKind.EXTENSION: ("note", "extension_days", "due_on"),  # art. 33 ¶2
    NoticeKind.FEE: ("fee_amount", "fee_basis", "payment_deadline", "payment_method"),  # 国办函〔2020〕109号
    NoticeKind.THIRD_PARTY: ("third_party_deadline",),  # art. 32: 15 working days
    NoticeKind.OTHER_AGENCY: ("third_party_deadline",),  # art. 34: 15 working days
    NoticeKind.REPLY_PARTLY: ("how_to_obtain", "reasons"),  # art. 37
    **{
        kind: ("outcome",)  # the ground and its article (art. 36)
        for kind in (
            NoticeKind.REPLY_DISCLOSED,
            NoticeKind.REPLY_WITHHELD,
            NoticeKind.REPLY_NOT_HELD,
            NoticeKind.REPLY_CANNOT_PROVIDE,
            NoticeKind.REPLY_REPEAT,
            NoticeKind.REPLY_NOT_PROCESSED,
        )
    },
}


def _used(body: str) -> set[str]:
    return {m.group("named") or m.group("braced") for m in string.Template.pattern.finditer(body)} - {None}


def _holes(body: str, context: dict[str, str]) -> list[str]:
    """The fields the template uses that have no value: a letter must never print one blank."""
    return sorted(n for n in _used(body) if n and n not in OPTIONAL_FIELDS and not context.get(n))


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _deadline(day: date) -> str:
    """A computed deadline in a letter: marked （暂定） when it falls in a year whose holiday
    arrangement is not imported (the date may still move when it is)."""
    return _cn(day) + ("（暂定）" if get_calendar().is_provisional(day) else "")


# The kind's character in a letter's number (茅政信复〔2026〕4号): each kind counts on its own.
NUMBER_KIND: dict[str, str] = {
    NoticeKind.RECEIPT: "收",
    NoticeKind.CORRECTION: "补",
    NoticeKind.THIRD_PARTY: "征",
    NoticeKind.EXTENSION: "延",
    NoticeKind.FEE: "费",
    NoticeKind.OTHER_AGENCY: "征",
}
REPLY_NUMBER_KIND = "复"


def document_number(agency: Agency, kind: str, year: int) -> str:
    """The next number of a letter of ``kind`` in ``year``, in the agency's own style (issue 10),
    never the internal application number. Taken under the counter's lock (REL-03): never given
    twice; a failure after it leaves a gap, as a paper register would."""
    code = NUMBER_KIND.get(kind, REPLY_NUMBER_KIND)
    serial = next_in_sequence(f"applications.notice_number:{code}", agency.pk, year)
    return render_notice_number(
        agency.notice_number_template, prefix=agency.document_prefix or agency.name, kind=code, year=year, serial=serial
    )


def _write(data: bytes, suffix: str) -> tuple[str, str]:
    """Stage the file; it is moved into place when the notice's transaction commits (REL-01)."""
    return uploads.stage_file(data, "notices", suffix), hashlib.sha256(data).hexdigest()


def notice_path(name: str) -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "notices" / name


@audited_refusals("applications.application.action_refused", errors=(NoticeError,))
def issue_notice(
    application: Application, *, actor, kind: str, served_on: date, served_by: str, note: str = ""
) -> Notice:
    """Generate, freeze and record one notice. Its files appear only if the record commits.

    A reply letter before the reply is served is generated only (dated ``served_on``, the date
    the letter bears): recording the reply served (``replied``) serves it (issue 10)."""
    return _issue(application, actor=actor, kind=kind, served_on=served_on, served_by=served_by, note=note)[0]


# The two copies of a receipt that carries the query code (issue 10): the applicant's copy shows
# the code, the copy kept on file says where it went. Never stored, never logged.
CODE_ON_APPLICANT_COPY = "您的查询码：{code}。查询码仅打印在本回执上，本机关不留存，请妥善保管。"
CODE_ON_FILE_COPY = "（存档联）查询码已打印在交申请人的回执上，本机关不留存。"


def format_query_code(code: str) -> str:
    """ABCDE-FGHJK: easier to copy from paper; the tracker ignores the hyphen."""
    return f"{code[:5]}-{code[5:]}" if len(code) > 5 else code


@sensitive_variables("query_code")
def issue_receipt_with_code(
    application: Application, *, actor, served_on: date, served_by: str, query_code: str
) -> tuple[Notice, bytes]:
    """The receipt to an applicant by letter or in person (their only channel is paper): the
    applicant's copy carries the query code, printed once; the copy on file does not. The caller
    has checked the code against the application (``services.print_receipt_with_code``)."""
    notice, applicant_copy = _issue(
        application, actor=actor, kind=NoticeKind.RECEIPT, served_on=served_on, served_by=served_by, code=query_code
    )
    return notice, applicant_copy or b""


def _check_issuable(application: Application, *, actor, kind: str, served_on: date) -> bool:
    """Refuse a notice that does not fit; True for a reply letter that is generated, not served."""
    if actor.agency_id != application.agency_id or not HANDLER_ROLES & user_roles(actor):
        raise PermissionDenied(_("Only the agency's disclosure officers serve notices."))
    if kind not in available_kinds(application):
        raise NoticeError(_("This notice does not fit the application's state."))
    if application.received_on is None or served_on < application.received_on:
        raise NoticeError(_("A notice cannot be served before the application was received."))
    pending = kind in REPLY_KINDS and application.status != Status.REPLIED
    if pending:
        signature = application.clock_events.filter(kind=Kind.DRAFT_SIGNED).order_by("-id").first()
        if signature is not None and served_on < signature.on:
            raise NoticeError(_("The reply letter cannot be dated before the leader signed the draft."))
    return pending


@sensitive_variables("code")
def _issue(
    application: Application, *, actor, kind: str, served_on: date, served_by: str, note: str = "", code: str = ""
) -> tuple[Notice, bytes | None]:
    application = Application.objects.select_related("agency", "agency__parent").get(pk=application.pk)
    pending = _check_issuable(application, actor=actor, kind=kind, served_on=served_on)
    addressee = _addressee(application, kind)
    title, body = template_for(application.agency, kind)
    context = _context(application, note=note.strip(), served_on=served_on, kind=kind)
    if kind == NoticeKind.EXTENSION:
        context["note"] = _reason(context["note"])
    if kind in REQUIRED_DETAILS and not context["note"]:
        raise NoticeError(str(REQUIRED_DETAILS[kind]))
    holes = _holes(body, context)
    if kind in REPLY_KINDS and "outcome" in _used(body):
        outcome, _reason_text, details = reply_facts(application)
        holes = sorted({*holes, *ground(outcome, details)[1]})
    if holes:
        raise NoticeError(
            _("The notice would print blank fields: %(names)s. Fill them in the agency's settings or the notice first.")
            % {"names": "、".join(str(PLACEHOLDERS.get(n) or DETAIL_LABELS[n]) for n in holes)}
        )
    text = string.Template(body).safe_substitute(context)
    paragraphs = tuple(p.strip() for p in text.split("\n\n") if p.strip())
    letter = Letter(
        issuer=application.agency.name,
        document_number=document_number(application.agency, kind, served_on.year),
        title=title,
        addressee=addressee,
        paragraphs=paragraphs,
        signed_on=served_on,
    )
    applicant_copy = None
    if code:
        applicant_copy = render_pdf(
            replace(letter, paragraphs=(*paragraphs, CODE_ON_APPLICANT_COPY.format(code=format_query_code(code))))
        )
        paragraphs = (*paragraphs, CODE_ON_FILE_COPY)
        letter = replace(letter, paragraphs=paragraphs)
    pdf_data, docx_data = render_pdf(letter), render_docx(letter)
    with uploads.atomic_with_files():
        pdf_name, pdf_hash = _write(pdf_data, ".pdf")
        docx_name, docx_hash = _write(docx_data, ".docx")
        notice = Notice.objects.create(
            application=application,
            kind=kind,
            document_number=letter.document_number,
            title=title,
            text="\n\n".join(paragraphs),
            issued_on=served_on,
            served_on=None if pending else served_on,
            served_by="" if pending else served_by,
            pdf_name=pdf_name,
            pdf_sha256=pdf_hash,
            docx_name=docx_name,
            docx_sha256=docx_hash,
            actor_name=actor.full_name,
        )
        record_event(
            "applications.notice.generated" if pending else "applications.notice.served",
            actor=actor,
            obj=application,
            agency=application.agency,
            data={
                "kind": kind,
                "document_number": notice.document_number,
                "pdf_sha256": pdf_hash,
                **({"query_code_printed": True} if code else {}),
            },
        )
    return notice, applicant_copy


def read_notice_file(notice: Notice, fmt: str, *, actor=None) -> bytes:
    """The stored file, after checking it is the one that was served; a mismatch is audited."""
    if notice.purged_on:
        raise NoticeError(_("This file was deleted at the end of its retention period."))
    name, expected = (notice.pdf_name, notice.pdf_sha256) if fmt == "pdf" else (notice.docx_name, notice.docx_sha256)
    try:
        data = notice_path(name).read_bytes()
    except FileNotFoundError:  # never written (a crash before the commit moved it) or removed
        data = b""
    if hashlib.sha256(data).hexdigest() != expected:
        record_event(
            "applications.notice.integrity_failed",
            actor=actor,
            obj=notice.application,
            agency=notice.application.agency,
            result="failure",
            data={"document_number": notice.document_number, "format": fmt},
        )
        raise NoticeError(_("This file has been altered since it was served; it is withheld."))
    return data


@audited_refusals("applications.notice_template.action_refused", errors=(NoticeError,), obj="agency")
@transaction.atomic
def save_template(*, agency, kind: str, title: str, body: str, actor) -> NoticeTemplate:
    """An agency's own wording of one notice; its disclosure officers keep it (audited)."""
    if actor.agency_id != agency.pk or not HANDLER_ROLES & user_roles(actor):
        raise PermissionDenied(_("Only the agency's disclosure officers edit its notices."))
    unknown = unknown_placeholders(body)
    if unknown:
        raise NoticeError(
            _("Unknown fields: %(names)s. Use only the fields listed below.") % {"names": "、".join(unknown)}
        )
    used = {m.group("named") or m.group("braced") for m in string.Template.pattern.finditer(body)}
    dropped = [name for name in KEPT_FIELDS.get(kind, ()) if name not in used]
    if dropped:
        raise NoticeError(
            _("This notice must keep the fields: %(names)s.")
            % {"names": "、".join(str(PLACEHOLDERS[n]) for n in dropped)}
        )
    before = template_for(agency, kind)
    template, _created = NoticeTemplate.objects.update_or_create(
        agency=agency, kind=kind, defaults={"title": title, "body": body, "updated_by": actor.username}
    )
    record_event(
        "applications.notice_template.updated",
        actor=actor,
        obj=template,
        agency=agency,
        data={"before": {"title": before[0], "body": before[1]}, "after": {"title": title, "body": body}},
    )
    return template
