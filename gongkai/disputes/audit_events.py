"""Human labels of the disputes audit events (registered in apps.py)."""

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "disputes.dispute.registered": _("Dispute registered"),
    "disputes.dispute.forwarded": _("Dispute: copy forwarded to the office"),
    "disputes.dispute.evidence_received": _("Dispute: evidence received from the office"),
    "disputes.dispute.meeting_held": _("Dispute: coordination meeting held"),
    "disputes.dispute.hearing_scheduled": _("Dispute: hearing scheduled"),
    "disputes.dispute.answered": _("Dispute: answer and evidence filed"),
    "disputes.dispute.decided": _("Dispute: decision or judgment recorded"),
    "disputes.dispute.procedure_changed": _("Dispute: moved to the ordinary procedure"),
    "disputes.dispute.reply_ordered": _("Dispute: a new reply ordered"),
    "disputes.dispute.carried_out": _("Dispute: decision or judgment carried out"),
    "disputes.dispute.action_refused": _("Dispute: step refused"),
    "disputes.document.added": _("Dispute: document filed"),
    "disputes.dispute.bundle_made": _("Dispute: evidence bundle made"),
}
