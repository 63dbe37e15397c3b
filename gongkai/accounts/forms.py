from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.choices import OFFICE_ROLES, Role
from gongkai.accounts.models import Agency, Office
from gongkai.accounts.services import AGENCY_CONTACT_FIELDS, RoleGrant, validate_role_set
from gongkai.accounts.validators import validate_not_reserved_username

username_validator = RegexValidator(
    r"^[A-Za-z0-9_.-]{3,40}$", _("Use 3 to 40 letters, digits, dots, hyphens or underscores.")
)


class LoginForm(AuthenticationForm):
    """Django's form: the same message for an unknown account and a wrong password (AUTH-03)."""

    username = forms.CharField(
        label=_("Account"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=Role.choices, label=_("Roles"), required=False, **kwargs)


class StaffFormMixin(forms.Form):
    """Shared clean(): the role rules of services.validate_role_set, as form errors."""

    agency: Agency

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        roles = data.get("roles") or []
        office = data.get("office")
        grants = [RoleGrant(role=r, office=office if r in OFFICE_ROLES else None) for r in roles]
        try:
            data["grants"] = validate_role_set(self.agency, grants)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return data


class StaffEditForm(StaffFormMixin):
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    email = forms.EmailField(label=_("E-mail"), required=False)
    roles = RolesField()
    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Office.objects.none(),
        required=False,
        help_text=_("Needed for drafting clerks and office heads."),
    )
    reason = forms.CharField(
        label=_("Reason for new roles"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "New roles take effect once approved: business roles by the agency's principal leader, "
            "administrator roles and the principal leader role by the district. Removing roles takes effect at once."
        ),
    )

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        cast("forms.ModelChoiceField[Office]", self.fields["office"]).queryset = agency.offices.all()


class StaffCreateForm(StaffEditForm):
    """No password field: the account gets a one-time password the person replaces at first
    sign-in (AC-04); its roles wait for approval."""

    username = forms.CharField(
        label=_("Account"), validators=[username_validator, validate_not_reserved_username], max_length=40
    )
    field_order = ["username", "full_name", "email", "roles", "office", "reason"]


class RoleRequestDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class AgencyContactForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Agency
        fields = list(AGENCY_CONTACT_FIELDS)
        widgets = {"go_live_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class OTPCodeForm(forms.Form):
    """The code step (AUTH-04): a 6-digit code, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "one-time-code", "inputmode": "text"}),
    )


class OTPConfirmForm(forms.Form):
    code = forms.CharField(
        label=_("Code shown by the app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class AgencySecurityForm(forms.Form):
    require_two_factor_for_all = forms.BooleanField(
        label=_("Second factor for all staff"),
        required=False,
        help_text=_("Administrators and leaders always sign in with a code; this asks it of everyone."),
    )
    allowed_networks = forms.CharField(
        label=_("Allowed networks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One network range a line, e.g. 10.12.0.0/16. Empty: staff pages can be used from anywhere."),
    )

    def clean_allowed_networks(self):
        from gongkai.accounts.networks import parse_networks

        value = self.cleaned_data["allowed_networks"]
        parse_networks(value)
        return value
