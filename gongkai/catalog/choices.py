"""Vocabularies of the catalog (seed rules A4, A5, D1, G4; law art. 14–16, 20, 21)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Attribute(models.TextChoices):
    """公开方式 (D1): proposed by the drafter, checked by the disclosure office (D3)."""

    PROACTIVE = "proactive", _("Proactive disclosure")
    ON_REQUEST = "on_request", _("Disclosure on request")
    WITHHELD = "withheld", _("Not disclosed")


class Ground(models.TextChoices):
    """Why an item is not proactively disclosed (D1). Art. 14–16 grounds; H1 re-assesses by them."""

    STATE_SECRET = "state_secret", _("State secret (art. 14)")
    LAW_PROHIBITED = "law_prohibited", _("Disclosure prohibited by law or administrative regulation (art. 14)")
    SECURITY_STABILITY = "security_stability", _("Would endanger security or social stability (art. 14)")
    THIRD_PARTY = "third_party", _("Trade secret or personal privacy of a third party (art. 15)")
    INTERNAL_AFFAIRS = "internal_affairs", _("Internal affairs information (art. 16 para. 1)")
    PROCESS_INFORMATION = "process_information", _("Process information (art. 16 para. 2)")
    ENFORCEMENT_FILE = "enforcement_file", _("Administrative law-enforcement case file (art. 16 para. 2)")
    SPECIFIC_PERSONS = "specific_persons", _("Concerns only specific persons; disclosed on request")
    OTHER = "other", _("Other ground (explain)")


# Grounds that only make sense for withholding altogether, and the one that only fits on-request.
WITHHOLDING_GROUNDS = frozenset(set(Ground) - {Ground.SPECIFIC_PERSONS})


class Validity(models.TextChoices):
    CURRENT = "current", _("In force")
    AMENDED = "amended", _("Amended")
    REPEALED = "repealed", _("Repealed")


class Scope(models.TextChoices):
    """公开范围."""

    PUBLIC = "public", _("The whole public")
    LOCAL = "local", _("Residents of the area")
    SPECIFIC = "specific", _("Specific persons concerned")


class Channel(models.TextChoices):
    """Where an item was published (A5)."""

    WEBSITE = "website", _("Government website")
    BULLETIN_BOARD = "bulletin_board", _("Public bulletin board")
    GAZETTE = "gazette", _("Government gazette")
    PRESS = "press", _("Newspaper, radio or television")
    NEW_MEDIA = "new_media", _("Government Weibo or WeChat account")
    PRESS_CONFERENCE = "press_conference", _("Press conference")
    HEARING = "hearing", _("Expert or public hearing")
    READING_ROOM = "reading_room", _("Archives or public reading room")
    OTHER = "other", _("Other channel")


class Category(models.TextChoices):
    """主题分类: the 15 items of art. 20, then the focus areas of art. 21 and seed rule A4."""

    NORMATIVE = "a20_01", _("Regulations, rules and normative documents")
    ORGANISATION = "a20_02", _("Functions, organisation and contacts")
    PLANNING = "a20_03", _("Development plans and related policies")
    STATISTICS = "a20_04", _("Statistics")
    LICENSING = "a20_05", _("Administrative licensing and other services")
    PENALTIES = "a20_06", _("Administrative penalties and compulsory measures")
    BUDGET = "a20_07", _("Budgets and final accounts")
    FEES = "a20_08", _("Administrative fees")
    PROCUREMENT = "a20_09", _("Government procurement")
    MAJOR_PROJECTS = "a20_10", _("Major construction projects")
    LIVELIHOOD = "a20_11", _("Poverty relief, education, health, social security and employment")
    EMERGENCIES = "a20_12", _("Emergency plans, warnings and responses")
    INSPECTIONS = "a20_13", _("Environment, health, safety, food, drug and quality inspections")
    RECRUITMENT = "a20_14", _("Civil-service recruitment")
    OTHER_REQUIRED = "a20_15", _("Other information required by law")
    MUNICIPAL = "a4_municipal", _("Municipal construction")
    PUBLIC_SERVICES = "a4_services", _("Public services")
    PUBLIC_WELFARE = "a4_welfare", _("Public welfare")
    LAND_EXPROPRIATION = "a4_land", _("Land expropriation")
    HOUSE_EXPROPRIATION = "a4_house", _("House expropriation")
    PUBLIC_SECURITY = "a4_security", _("Public-security management")
    SOCIAL_ASSISTANCE = "a4_assistance", _("Social assistance")
    RURAL_POLICY = "a21_rural", _("Agricultural and rural policy")
    IRRIGATION = "a21_irrigation", _("Irrigation works")
    LAND_CONTRACT = "a21_contract", _("Rural land-contract transfer")
    HOMESTEAD = "a21_homestead", _("Homestead use review")
    FUNDS_LABOUR = "a21_funds", _("Raising funds and labour")


# The township-only areas of art. 21, offered to townships and street offices.
TOWNSHIP_CATEGORIES = frozenset(
    {Category.RURAL_POLICY, Category.IRRIGATION, Category.LAND_CONTRACT, Category.HOMESTEAD, Category.FUNDS_LABOUR}
)


class Classification(models.TextChoices):
    """The office head's classification check (定密审核, D2; G4, G8)."""

    NOT_SECRET = "not_secret", _("Not a state secret")
    SECRET = "secret", _("Marked or contains a state secret")
    EXPIRED_SECRET = "expired_secret", _("Was secret; the secrecy period has expired (re-review, G8)")
    UNCLEAR = "unclear", _("Unclear: ask the competent authority (G7)")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OFFICE_REVIEW = "office_review", _("Office head's classification check")
    CONFIDENTIALITY_REVIEW = "confidentiality_review", _("Confidentiality review")
    ESCALATED = "escalated", _("Awaiting the competent authority (G7)")
    LEADER_CONFIDENTIALITY = "leader_confidentiality", _("Leader's confidentiality approval")
    DISCLOSURE_CHECK = "disclosure_check", _("Disclosure office check")
    RELEASE_APPROVAL = "release_approval", _("Leader's release approval")
    READY = "ready", _("Ready to publish")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    REGISTERED = "registered", _("Registered, not proactively disclosed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Step(models.TextChoices):
    """The review steps, in order (issue 3; B1, B4, D1–D3, G5–G7)."""

    SUBMITTED = "submitted", _("Drafted and submitted")
    CO_CONSENT = "co_consent", _("Co-producing office's written consent")
    OFFICE = "office", _("Classification check and office opinion")
    CONFIDENTIALITY = "confidentiality", _("Confidentiality office opinion")
    ESCALATION = "escalation", _("Competent authority's answer")
    LEADER_CONFIDENTIALITY = "leader_confidentiality", _("Leader's confidentiality approval")
    DISCLOSURE = "disclosure", _("Disclosure office check")
    RELEASE = "release", _("Leader's release approval")
    PUBLICATION = "publication", _("Publication")


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approved")
    RETURN = "return", _("Returned for revision")
    ESCALATE = "escalate", _("Escalated to the competent authority")


class Relation(models.TextChoices):
    INTERPRETS = "interprets", _("Interpretation of")
    CORRECTS = "corrects", _("Correction of")
    AMENDS = "amends", _("Amends")
    REPEALS = "repeals", _("Repeals")
    RELATED = "related", _("Related to")
