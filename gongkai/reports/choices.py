from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """An annual report version's way to publication (issue 11: draft → the disclosure office's
    review → the leader's approval → published; a corrected report is a new version)."""

    DRAFT = "draft", _("Draft")
    OFFICE_REVIEW = "office_review", _("Disclosure office review")
    LEADER_APPROVAL = "leader_approval", _("Leader approval")
    APPROVED = "approved", _("Approved, awaiting publication")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded by a corrected version")
