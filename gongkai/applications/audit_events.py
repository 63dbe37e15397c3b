"""Human labels of the applications audit events, shown beside the code in the audit trail.

Codes are ``app.model.past_tense_verb`` (style.md §5); registered in the app's ``ready()``.
"""

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "applications.application.received": _("Application received"),
    "applications.application.submitted": _("Application submitted online, waiting for confirmation"),
    "applications.application.receipt_deemed": _(
        "Online application not confirmed in time: received as of the last day"
    ),
    "applications.application.correction_requested": _("Correction notice served"),
    "applications.application.correction_received": _("Corrected application received"),
    "applications.application.correction_lapsed": _("No correction in time: deemed abandoned"),
    "applications.application.consultation_started": _("Consultation started"),
    "applications.application.consultation_ended": _("Consultation ended"),
    "applications.application.extension_approved": _("Extension approved and notified"),
    "applications.application.fee_notice_served": _("Fee notice served"),
    "applications.application.fee_paid": _("Fee paid"),
    "applications.application.fee_lapsed": _("Fee not paid in time: deemed abandoned"),
    "applications.application.replied": _("Reply served"),
    "applications.application.assigned": _("Assigned to an office"),
    "applications.application.note_added": _("Search and verification note"),
    "applications.application.confidentiality_reviewed": _("Confidentiality review"),
    "applications.application.proposal_submitted": _("Office's proposed reply"),
    "applications.application.draft_submitted": _("Draft reply submitted for signature"),
    "applications.application.draft_signed": _("Draft reply signed by the leader"),
    "applications.application.personal_data_revealed": _("Personal data shown in full"),
    "applications.attachment.opened": _("Applicant's file opened"),
    "applications.application.personal_data_purged": _("Personal data deleted after the retention period"),
    "applications.attachment.purged": _("Identity proof deleted after its retention period"),
    "applications.notice.served": _("Notice generated and served"),
    "applications.notice.generated": _("Reply letter generated from the signed draft, not yet served"),
    "applications.notice.integrity_failed": _("Altered file withheld"),
    "applications.notice_template.updated": _("Notice template changed"),
    "applications.archive.created": _("Yearly archive built"),
    "applications.archive.downloaded": _("Yearly archive downloaded"),
    "applications.archive.action_refused": _("Yearly archive refused"),
    "applications.application.action_refused": _("Application action refused"),
    "applications.notice.downloaded": _("Notice downloaded"),
    "applications.notice_template.action_refused": _("Notice template change refused"),
}
