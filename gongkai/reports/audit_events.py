"""Human labels of the annual report's audit events (registered in apps.py)."""

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "reports.figures.frozen": _("Annual report: the year's figures frozen"),
    "reports.report.started": _("Annual report started"),
    "reports.report.saved": _("Annual report: draft saved"),
    "reports.report.submitted": _("Annual report submitted for review"),
    "reports.report.reviewed": _("Annual report reviewed by the disclosure office"),
    "reports.report.approved": _("Annual report approved by the leader"),
    "reports.report.returned": _("Annual report returned for revision"),
    "reports.report.published": _("Annual report published"),
    "reports.report.correction_started": _("Annual report: correction started"),
    "reports.report.action_refused": _("Annual report: step refused"),
}
