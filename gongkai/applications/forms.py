from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongkai.applications.choices import (
    CLOCK_OUTCOMES,
    ApplicantType,
    Channel,
    Delivery,
    IdType,
    Outcome,
    RequestedForm,
)
from gongkai.applications.notice_templates import DISCLOSURE_ROUTES
from gongkai.applications.validators import normalise_document_number, validate_phone, validate_resident_id
from gongkai.core.forms import DateInput, validate_computable_date
from gongkai.core.normalise import AsciiIntegerField


class ApplicationForm(forms.Form):
    """What art. 29 asks for, nothing more (PI-01)."""

    applicant_type = forms.ChoiceField(
        label=_("Applicant"), choices=ApplicantType.choices, initial=ApplicantType.NATURAL_PERSON
    )
    applicant_name = forms.CharField(label=_("Name or organisation name"), max_length=100)
    id_type = forms.ChoiceField(label=_("Identity document"), choices=IdType.choices, initial=IdType.RESIDENT_ID)
    id_number = forms.CharField(label=_("Document number"), max_length=40)
    phone = forms.CharField(label=_("Phone"), max_length=20)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Postal address"), max_length=200, required=False)
    info_title = forms.CharField(label=_("Title of the information"), max_length=200)
    info_document_number = forms.CharField(label=_("Document number (文号), if known"), max_length=100, required=False)
    info_description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What information you need: its subject, period, issuing office or other details that identify it."
        ),
    )
    requested_form = forms.ChoiceField(label=_("Form"), choices=RequestedForm.choices)
    delivery = forms.ChoiceField(label=_("How to receive it"), choices=Delivery.choices)

    def clean(self):
        data = super().clean()
        id_type, number = data.get("id_type"), data.get("id_number", "")
        person = data.get("applicant_type") == ApplicantType.NATURAL_PERSON
        if number:
            # Every document number is stored and counted in one spelling (WEB-05, ABUSE-01).
            try:
                if id_type == IdType.RESIDENT_ID:
                    data["id_number"] = validate_resident_id(number)
                else:
                    data["id_number"] = normalise_document_number(number)
            except ValidationError as exc:
                self.add_error("id_number", exc)
        if id_type == IdType.CREDIT_CODE and person:
            self.add_error("id_type", _("A natural person identifies with a personal document."))
        if data.get("phone"):
            try:
                data["phone"] = validate_phone(data["phone"])
            except ValidationError as exc:
                self.add_error("phone", exc)
        if data.get("delivery") == Delivery.POST and not data.get("address"):
            self.add_error("address", _("Give a postal address to receive it by post."))
        if data.get("delivery") == Delivery.EMAIL and not data.get("email"):
            self.add_error("email", _("Give an e-mail address to receive it by e-mail."))
        return data


def _checked_file(upload):
    from gongkai.core.uploads import check_upload

    return check_upload(upload, allowed=("pdf", "jpg", "png"), max_bytes=5 * 1024 * 1024) if upload else None


class PublicApplicationForm(ApplicationForm):
    """The portal form: adds the identity proof and the anti-spam fields (see spam.py)."""

    identity_proof = forms.FileField(
        label=_("Identity proof"),
        required=False,
        help_text=_(
            "A photo or scan of your identity document: PDF, JPG or PNG, at most 5 MB. "
            "Without it the office may ask for it."
        ),
    )

    def clean_identity_proof(self):
        return _checked_file(self.cleaned_data.get("identity_proof"))

    website = forms.CharField(required=False, label=_("Leave this field empty"))
    started = forms.CharField(widget=forms.HiddenInput)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    confirm = forms.BooleanField(
        label=_("I confirm the details are true and accept that the office contacts me about this application.")
    )


class StaffIntakeForm(ApplicationForm):
    channel = forms.ChoiceField(label=_("Channel"), choices=[c for c in Channel.choices if c[0] != Channel.ONLINE])
    received_on = forms.DateField(
        label=_("Receipt date"),
        widget=DateInput,
        validators=[validate_computable_date],
        help_text=_(
            "Art. 31: in person, the day handed in; registered post, the day signed for; "
            "ordinary letter or fax, the day receipt was confirmed with the applicant."
        ),
    )
    has_identity_proof = forms.BooleanField(label=_("A copy of the identity document is attached"), required=False)
    scanned_letter = forms.FileField(
        label=_("Scanned letter or form"), required=False, help_text=_("PDF, JPG or PNG, at most 5 MB.")
    )
    identity_proof = forms.FileField(
        label=_("Identity proof"), required=False, help_text=_("PDF, JPG or PNG, at most 5 MB.")
    )
    field_order = ["channel", "received_on"]

    def clean_scanned_letter(self):
        return _checked_file(self.cleaned_data.get("scanned_letter"))

    def clean_identity_proof(self):
        return _checked_file(self.cleaned_data.get("identity_proof"))


class ClockEventForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput, validators=[validate_computable_date])
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CorrectionForm(ClockEventForm):
    period_end = forms.DateField(
        label=_("Correction period ends on"), widget=DateInput, validators=[validate_computable_date]
    )


class ConsultationForm(ClockEventForm):
    party = forms.ChoiceField(
        label=_("Consulted"),
        choices=[("third_party", _("A third party (art. 32)")), ("other_agency", _("Another agency (art. 34)"))],
    )
    # The letter is addressed to the consulted party, never to the applicant (issue 10).
    party_name = forms.CharField(label=_("Name of the consulted party"), max_length=100)
    party_contact = forms.CharField(
        label=_("Address or contact for the letter"),
        max_length=200,
        help_text=_("Where the consultation letter is sent: postal address, e-mail or phone."),
    )


class FeeForm(ClockEventForm):
    mode = forms.ChoiceField(
        label=_("Charged"),
        choices=[("per_request", _("by request (applications this month)")), ("per_page", _("by volume (pages)"))],
    )
    pages = AsciiIntegerField(label=_("Number of pages"), min_value=0, max_value=100000, required=False)

    def clean(self):
        data = super().clean()
        if data.get("mode") == "per_page" and data.get("pages") is None:
            self.add_error("pages", _("Give the number of pages."))
        return data


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Notice"), choices=[])
    served_on = forms.DateField(label=_("Served on"), widget=DateInput, validators=[validate_computable_date])
    served_by = forms.ChoiceField(label=_("Served by"), choices=Delivery.choices)
    note = forms.CharField(
        label=_("Details for the notice"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. what must be corrected, why the reply needs more time, what the third party is asked."),
    )

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds


class ReceiptWithCodeForm(forms.Form):
    served_on = forms.DateField(label=_("Served on"), widget=DateInput, validators=[validate_computable_date])
    served_by = forms.ChoiceField(label=_("Served by"), choices=Delivery.choices)


class NoticeTemplateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    body = forms.CharField(label=_("Text"), max_length=8000, widget=forms.Textarea(attrs={"rows": 14}))

    def clean_body(self):
        from gongkai.applications.notices import unknown_placeholders

        body = self.cleaned_data["body"]
        unknown = unknown_placeholders(body)
        if unknown:
            raise ValidationError(
                _("Unknown fields: %(names)s. Use only the fields listed below.") % {"names": "、".join(unknown)}
            )
        return body


class ExtensionForm(ClockEventForm):
    working_days = AsciiIntegerField(label=_("Working days"), min_value=1, max_value=20)


class AssignForm(ClockEventForm):
    office = forms.ModelChoiceField(label=_("Office"), queryset=None)

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        from gongkai.accounts.models import Office

        self.fields["office"].queryset = Office.objects.filter(agency=agency)


class NoteForm(ClockEventForm):
    note = forms.CharField(label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ProposalForm(NoteForm):
    already_public = forms.BooleanField(
        label=_("The information is already proactively disclosed (reply within 5 working days, E3)"), required=False
    )


class ConfidentialityForm(ClockEventForm):
    result = forms.ChoiceField(
        label=_("Conclusion"),
        choices=[
            ("cleared", _("No secret: may be disclosed")),
            ("partly", _("Partly secret: disclose the rest after redaction (G9)")),
            ("secret", _("Secret: must not be disclosed")),
            ("escalated", _("Unclear: escalated with a review form to the competent authority (G7)")),
        ],
    )


class ReplyServedForm(ClockEventForm):
    served_by = forms.ChoiceField(label=_("Served by"), choices=Delivery.choices)


class DraftForm(ClockEventForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[c for c in Outcome.choices if c[0] not in CLOCK_OUTCOMES])
    reason = forms.CharField(
        label=_("Ground and reasoning"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when the information is refused, withheld or not provided."),
    )
    # What the reply's article asks it to state (issue 10; 条例 arts. 35–37): fill those of the
    # chosen outcome; the service says which one is missing.
    disclosure_route = forms.ChoiceField(
        label=_("For a disclosure: the information is"),
        required=False,
        choices=[("", "—"), *DISCLOSURE_ROUTES.items()],
    )
    how_to_obtain = forms.CharField(
        label=_("Where, how and when the applicant gets it"),
        required=False,
        max_length=500,
        help_text=_(
            "For a disclosure or a partial disclosure: e.g. the web column and its address, "
            "or 'enclosed with this reply'."
        ),
    )
    search_description = forms.CharField(
        label=_("Where and how it was searched for"),
        required=False,
        max_length=500,
        help_text=_("For 'not held': the records, systems and offices searched."),
    )
    responsible_agency = forms.CharField(
        label=_("The agency responsible for it"),
        required=False,
        max_length=100,
        help_text=_("For 'another agency is responsible' (art. 36(5))."),
    )
    responsible_contact = forms.CharField(label=_("That agency's contact"), required=False, max_length=200)
    previous_reply = forms.CharField(
        label=_("The earlier reply"),
        required=False,
        max_length=200,
        help_text=_("For a repeated application: the number and date of the earlier reply."),
    )
    applicant_reasons = forms.CharField(
        label=_("The applicant's reasons"),
        required=False,
        max_length=1000,
        help_text=_("For an excessive volume or frequency (art. 35): the reasons the applicant gave when asked."),
    )
