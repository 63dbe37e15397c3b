"""Controlled vocabularies of applications (条例 art. 27–45; annual-report table §2.2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicantType(models.TextChoices):
    # The annual report's columns (regulations.md §2.2).
    NATURAL_PERSON = "natural_person", _("Natural person")
    BUSINESS = "business", _("Commercial enterprise")
    RESEARCH = "research", _("Research institution")
    NONPROFIT = "nonprofit", _("Public-interest organisation")
    LEGAL_SERVICE = "legal_service", _("Legal services institution")
    OTHER_ORGANISATION = "other_organisation", _("Other organisation")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident identity card")
    PASSPORT = "passport", _("Passport")
    OTHER = "other", _("Other identity document")
    CREDIT_CODE = "credit_code", _("Unified social credit code")


class Channel(models.TextChoices):
    # Art. 31 sets the receipt date per channel.
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    REGISTERED_POST = "registered_post", _("Registered post")
    ORDINARY_LETTER = "ordinary_letter", _("Ordinary letter")
    FAX = "fax", _("Fax")


class RequestedForm(models.TextChoices):
    PAPER = "paper", _("Paper copy")
    ELECTRONIC = "electronic", _("Electronic file")
    INSPECTION = "inspection", _("Inspect and copy in person")


class Delivery(models.TextChoices):
    POST = "post", _("By post")
    EMAIL = "email", _("By e-mail")
    PICKUP = "pickup", _("Collect in person")
    ONLINE = "online", _("Online")


class Status(models.TextChoices):
    # Art. 31(三): an online submission is received on the day the disclosure office confirms it.
    SUBMITTED = "submitted", _("Submitted, waiting for the office to confirm receipt")
    RECEIVED = "received", _("Being handled")
    AWAITING_CORRECTION = "awaiting_correction", _("Waiting for the applicant's correction")
    CONSULTING = "consulting", _("Consulting a third party or another agency")
    AWAITING_FEE = "awaiting_fee", _("Waiting for the fee")
    REPLIED = "replied", _("Replied")
    ABANDONED = "abandoned", _("Closed: deemed abandoned")


OPEN_STATUSES = frozenset(
    {Status.SUBMITTED, Status.RECEIVED, Status.AWAITING_CORRECTION, Status.CONSULTING, Status.AWAITING_FEE}
)


class Outcome(models.TextChoices):
    """Exactly the annual report's result rows (三、本年度办理结果), each tied to its art. 36 reply."""

    DISCLOSED = "disclosed", _("(1) Disclosed")
    PARTLY_DISCLOSED = "partly_disclosed", _("(2) Partly disclosed")
    WITHHELD_STATE_SECRET = "withheld_state_secret", _("(3)1 Withheld: state secret")
    WITHHELD_LAW_FORBIDS = "withheld_law_forbids", _("(3)2 Withheld: other laws forbid disclosure")
    WITHHELD_SECURITY = "withheld_security", _("(3)3 Withheld: endangers security or stability")
    WITHHELD_THIRD_PARTY = "withheld_third_party", _("(3)4 Withheld: protects a third party's rights")
    WITHHELD_INTERNAL = "withheld_internal", _("(3)5 Withheld: internal affairs")
    WITHHELD_PROCESS = "withheld_process", _("(3)6 Withheld: process information")
    WITHHELD_ENFORCEMENT_FILE = "withheld_enforcement_file", _("(3)7 Withheld: law-enforcement case file")
    WITHHELD_INQUIRY = "withheld_inquiry", _("(3)8 Withheld: administrative inquiry matter")
    UNAVAILABLE_NOT_HELD = "unavailable_not_held", _("(4)1 Cannot provide: not held by this agency")
    # Art. 36(五): another agency is responsible. The report counts it in the same row (四)1.
    UNAVAILABLE_OTHER_AGENCY = (
        "unavailable_other_agency",
        _("(4)1 Cannot provide: another agency is responsible for it"),
    )
    UNAVAILABLE_NEEDS_PRODUCTION = "unavailable_needs_production", _("(4)2 Cannot provide: would have to be produced")
    UNAVAILABLE_STILL_UNCLEAR = "unavailable_still_unclear", _("(4)3 Cannot provide: still unclear after correction")
    NOT_PROCESSED_PETITION = "not_processed_petition", _("(5)1 Not processed: petition, report or complaint")
    NOT_PROCESSED_REPEAT = "not_processed_repeat", _("(5)2 Not processed: repeated application")
    NOT_PROCESSED_PUBLICATION = "not_processed_publication", _("(5)3 Not processed: asks for published materials")
    NOT_PROCESSED_EXCESSIVE = "not_processed_excessive", _("(5)4 Not processed: mass repeated applications")
    NOT_PROCESSED_CONFIRMATION = (
        "not_processed_confirmation",
        _("(5)5 Not processed: confirm or re-issue obtained information"),
    )
    OTHER_NO_CORRECTION = "other_no_correction", _("(6)1 Other: no correction in time")
    OTHER_FEE_UNPAID = "other_fee_unpaid", _("(6)2 Other: fee not paid in time")
    OTHER = "other", _("(6)3 Other")


# The row of the annual report's table 三 (本年度办理结果) where each outcome is counted: one row an
# application (regulations.md §2.2; 部分公开 only in its own row). The key is the row's stable name in
# the report's JSON (docs/annual-report.md). 36(五) — another agency is responsible — is counted
# with the information this agency does not hold, row (四)1.
REPORT_ROW: dict[str, str] = {o.value: o.value for o in Outcome} | {
    Outcome.UNAVAILABLE_OTHER_AGENCY.value: Outcome.UNAVAILABLE_NOT_HELD.value
}

# Outcomes that refuse the information: the reply must give the ground and the reasoning (art. 36(三)),
# and tell the applicant the remedies.
REFUSALS = frozenset(o for o in Outcome if o.value.startswith(("withheld_", "unavailable_", "not_processed_")))
# Outcomes set by the clock itself, never chosen in a reply.
CLOCK_OUTCOMES = frozenset({Outcome.OTHER_NO_CORRECTION, Outcome.OTHER_FEE_UNPAID})


class NoticeKind(models.TextChoices):
    """Documents served on the applicant (issue 4), each generated from an agency template."""

    RECEIPT = "receipt", _("Acknowledgement of receipt")
    CORRECTION = "correction", _("Notice to correct the application")
    THIRD_PARTY = "third_party", _("Letter consulting a third party")
    EXTENSION = "extension", _("Notice of extension")
    FEE = "fee", _("Fee notice")
    REPLY_DISCLOSED = "reply_disclosed", _("Reply: disclosed (art. 36(1)(2))")
    REPLY_PARTLY = "reply_partly", _("Reply: partly disclosed (art. 37)")
    REPLY_WITHHELD = "reply_withheld", _("Reply: not disclosed (art. 36(3))")
    REPLY_NOT_HELD = "reply_not_held", _("Reply: not held or not this agency's (art. 36(4)(5))")
    REPLY_CANNOT_PROVIDE = "reply_cannot_provide", _("Reply: cannot be provided (arts. 30, 38)")
    REPLY_REPEAT = "reply_repeat", _("Reply: repeated application (art. 36(6))")
    REPLY_NOT_PROCESSED = "reply_not_processed", _("Reply: not processed (arts. 35, 39)")
    REPLY_OTHER = "reply_other", _("Reply: other (art. 36(7))")
    OTHER_AGENCY = "other_agency", _("Letter consulting another agency (art. 34)")


# Letters to someone other than the applicant: they name what the applicant asked for and may name
# the applicant, so the applicant never sees or downloads them (issue 10; 条例 arts. 32, 34).
NOT_FOR_APPLICANT = frozenset({NoticeKind.THIRD_PARTY, NoticeKind.OTHER_AGENCY})
# Consultation letters, by the consulted party recorded when the consultation starts.
CONSULTATION_LETTERS = {"third_party": NoticeKind.THIRD_PARTY, "other_agency": NoticeKind.OTHER_AGENCY}
REPLY_KINDS = frozenset(k for k in NoticeKind if k.value.startswith("reply_"))

# Each outcome implies one reply letter (art. 36); withheld grounds share one letter whose reasons
# paragraph names the ground.
REPLY_KIND_BY_OUTCOME: dict[str, str] = {
    Outcome.DISCLOSED: NoticeKind.REPLY_DISCLOSED,
    Outcome.PARTLY_DISCLOSED: NoticeKind.REPLY_PARTLY,
    Outcome.UNAVAILABLE_NOT_HELD: NoticeKind.REPLY_NOT_HELD,
    Outcome.UNAVAILABLE_OTHER_AGENCY: NoticeKind.REPLY_NOT_HELD,
    Outcome.UNAVAILABLE_NEEDS_PRODUCTION: NoticeKind.REPLY_CANNOT_PROVIDE,
    Outcome.UNAVAILABLE_STILL_UNCLEAR: NoticeKind.REPLY_CANNOT_PROVIDE,
    Outcome.NOT_PROCESSED_REPEAT: NoticeKind.REPLY_REPEAT,
    Outcome.NOT_PROCESSED_PETITION: NoticeKind.REPLY_NOT_PROCESSED,
    Outcome.NOT_PROCESSED_PUBLICATION: NoticeKind.REPLY_NOT_PROCESSED,
    Outcome.NOT_PROCESSED_EXCESSIVE: NoticeKind.REPLY_NOT_PROCESSED,
    Outcome.NOT_PROCESSED_CONFIRMATION: NoticeKind.REPLY_NOT_PROCESSED,
    Outcome.OTHER: NoticeKind.REPLY_OTHER,
    **{o: NoticeKind.REPLY_WITHHELD for o in Outcome if o.value.startswith("withheld_")},
}
