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
    "core.calendar_year.imported": _("Holiday arrangement imported"),
    "core.calendar_year.updated": _("Holiday arrangement changed"),
    "core.access.denied": _("Access refused"),
}
