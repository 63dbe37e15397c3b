"""Human labels of the audit event codes, shown beside the code in the audit trail.

Codes are ``app.model.past_tense_verb`` (style.md §5). A code without a label is still shown,
by its code; add the label here when adding an event.
"""

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "accounts.user.created": _("Account created"),
    "accounts.user.roles_changed": _("Roles changed"),
    "accounts.user.activated": _("Account enabled"),
    "accounts.user.deactivated": _("Account disabled"),
    "accounts.user.password_changed": _("Password changed"),
    "accounts.user.logged_in": _("Signed in"),
    "accounts.user.logged_out": _("Signed out"),
    "accounts.user.login_failed": _("Sign-in failed"),
    "accounts.user.locked_out": _("Sign-in locked"),
    "accounts.agency.updated": _("Agency details changed"),
    "accounts.user.disabled_unused": _("Unused account disabled"),
    "core.calendar_year.imported": _("Holiday arrangement imported"),
    "core.calendar_year.updated": _("Holiday arrangement changed"),
    "core.access.denied": _("Access refused"),
    "applications.application.received": _("Application received"),
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
    "applications.notice.served": _("Notice generated and served"),
    "applications.notice.integrity_failed": _("Altered file withheld"),
    "applications.notice_template.updated": _("Notice template changed"),
    "applications.archive.created": _("Yearly archive built"),
}
