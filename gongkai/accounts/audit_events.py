"""Human labels of the accounts audit events, shown beside the code in the audit trail.

Codes are ``app.model.past_tense_verb`` (style.md §5); registered in the app's ``ready()``.
"""

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "accounts.user.created": _("Account created"),
    "accounts.user.roles_changed": _("Roles changed"),
    "accounts.user.updated": _("Account details changed"),
    "accounts.role_request.created": _("Roles requested, waiting for approval"),
    "accounts.role_request.approved": _("Role request approved"),
    "accounts.role_request.rejected": _("Role request rejected"),
    "accounts.role_request.superseded": _("Role request superseded"),
    "accounts.user.activated": _("Account enabled"),
    "accounts.user.deactivated": _("Account disabled"),
    "accounts.user.password_changed": _("Password changed"),
    "accounts.user.logged_in": _("Signed in"),
    "accounts.user.logged_out": _("Signed out"),
    "accounts.user.login_failed": _("Sign-in failed"),
    "accounts.user.locked_out": _("Sign-in locked"),
    "accounts.agency.updated": _("Agency details changed"),
    "accounts.user.disabled_unused": _("Unused account disabled"),
    "accounts.user.action_refused": _("Account change refused"),
    "accounts.role_request.action_refused": _("Role request decision refused"),
    "accounts.agency.action_refused": _("Agency change refused"),
    "accounts.otp.enrolled": _("Sign-in code set up"),
    "accounts.otp.verified": _("Sign-in code accepted"),
    "accounts.otp.failed": _("Wrong sign-in code"),
    "accounts.otp.reset": _("Second factor reset"),
    "accounts.recovery_code.used": _("Recovery code used"),
    "accounts.recovery_code.regenerated": _("New recovery codes made"),
    "accounts.agency.security_changed": _("Sign-in rules changed"),
}
