"""Human labels of the catalog audit events, shown beside the code in the audit trail.

Codes are ``app.model.past_tense_verb`` (style.md §5); registered in the app's ``ready()``.
"""

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "catalog.entry.created": _("Catalog item drafted"),
    "catalog.entry.updated": _("Catalog draft changed"),
    "catalog.entry.submitted": _("Catalog item submitted for review"),
    "catalog.entry.approved": _("Review step approved"),
    "catalog.entry.returned": _("Returned for revision"),
    "catalog.entry.consented": _("Co-producing office consented"),
    "catalog.entry.escalated": _("Escalated to the competent authority"),
    "catalog.entry.authority_answered": _("Competent authority's answer recorded"),
    "catalog.entry.registered": _("Registered, not proactively disclosed"),
    "catalog.entry.scheduled": _("Publication scheduled"),
    "catalog.entry.schedule_cancelled": _("Scheduled publication cancelled"),
    "catalog.entry.published": _("Published"),
    "catalog.entry.withdrawn": _("Withdrawn from the portal"),
    "catalog.entry.validity_changed": _("Validity changed"),
    "catalog.import.queued": _("Catalog import uploaded"),
    "catalog.import.refused": _("Catalog import refused"),
    "catalog.import.completed": _("Catalog imported"),
    "catalog.import.held": _("Catalog import waiting for the leader's approval"),
    "catalog.import.approved": _("Imported batch approved and published"),
    "catalog.import.rejected": _("Imported batch rejected"),
    "catalog.catalog.exported": _("Catalog exported"),
    "catalog.subcategory.created": _("Sub-category added"),
    "catalog.subcategory.action_refused": _("Sub-category refused"),
    "catalog.entry.action_refused": _("Catalog action refused"),
    "catalog.attachment.downloaded": _("Catalog file downloaded by staff"),
    "catalog.review_form.downloaded": _("Confidentiality review form downloaded"),
}
