"""Controlled vocabularies of administrative disputes (seed F1–F6; 行政复议法 2023; 行政诉讼法;
the annual report's section 四, regulations.md §2.3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    # The three groups of the annual report's section 四.
    RECONSIDERATION = "reconsideration", _("Administrative reconsideration")
    LAWSUIT = "lawsuit", _("Lawsuit without reconsideration")
    LAWSUIT_AFTER_RECONSIDERATION = "lawsuit_after_reconsideration", _("Lawsuit after reconsideration")


LAWSUITS = frozenset({Kind.LAWSUIT, Kind.LAWSUIT_AFTER_RECONSIDERATION})


class Procedure(models.TextChoices):
    """How the reconsideration organ hears the case: its answer period (行政复议法 art. 48, 54)."""

    ORDINARY = "ordinary", _("Ordinary procedure (answer within 10 working days)")
    SIMPLIFIED = "simplified", _("Simplified procedure (answer within 5 working days)")


class Status(models.TextChoices):
    RECEIVED = "received", _("Copy received: the answer is being prepared")
    ANSWERED = "answered", _("Answer and evidence filed: waiting for the decision")
    DECIDED = "decided", _("Decided")


OPEN_STATUSES = frozenset({Status.RECEIVED, Status.ANSWERED})


class Outcome(models.TextChoices):
    # The columns of the annual report's section 四 (尚未审结 is a dispute not yet decided).
    UPHELD = "upheld", _("Upheld")
    CORRECTED = "corrected", _("Corrected")
    OTHER = "other", _("Other result")
