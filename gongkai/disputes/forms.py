"""The forms of the dispute pages; the services check the rules (their errors land on fields)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core.forms import DateInput, choice_field
from gongkai.disputes.choices import Kind, Outcome, Procedure
from gongkai.disputes.models import DisputeDocument, DisputeEvent

E = DisputeEvent.EventKind


class RegisterForm(forms.Form):
    application_number = forms.CharField(label=_("Application concerned (its number)"), max_length=40)
    kind = forms.ChoiceField(label=_("Kind of dispute"), choices=Kind.choices)
    organ = forms.CharField(
        label=_("Reconsideration organ or court"),
        max_length=100,
        help_text=_("For a township or a district department: usually the district government."),
    )
    case_number = forms.CharField(label=_("Case number"), max_length=80, required=False)
    received_on = forms.DateField(label=_("Copy received on"), widget=DateInput())
    procedure = forms.ChoiceField(
        label=_("Procedure (reconsideration)"), choices=[("", "---------"), *Procedure.choices], required=False
    )
    answer_days = forms.IntegerField(
        label=_("Answer period in the court's notice (days)"),
        required=False,
        min_value=1,
        max_value=90,
        help_text=_("For a lawsuit: 15 days unless the court's notice says otherwise."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class EventForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ForwardForm(EventForm):
    office = forms.TypedChoiceField(label=_("Office that holds the records"), coerce=int)

    def __init__(self, *args, offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "office").choices = [("", "---------"), *((o.pk, o.name) for o in offices)]


class MeetingForm(EventForm):
    note = forms.CharField(
        label=_("Participants and minutes"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class HearingForm(EventForm):
    hearing_on = forms.DateField(label=_("Hearing on"), widget=DateInput())
    note = forms.CharField(
        label=_("Place and the agency's agents"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(EventForm):
    outcome = forms.ChoiceField(label=_("Result"), choices=[("", "---------"), *Outcome.choices])


class ReplyOrderedForm(EventForm):
    """F6: the date the decision or judgment took effect, and the period it gives for a new reply."""

    on = forms.DateField(label=_("Took effect on"), widget=DateInput())
    days = forms.IntegerField(label=_("Period for the new reply"), min_value=1, max_value=180)
    unit = forms.ChoiceField(
        label=_("Counted in"),
        choices=[("working", _("working days")), ("calendar", _("calendar days"))],
        help_text=_("As the decision or judgment says: “15个工作日内” is working days, “30日内” calendar days."),
    )


class CarriedOutForm(EventForm):
    document_number = forms.CharField(label=_("Document number of the new reply"), max_length=60, required=False)
    note = forms.CharField(label=_("What was done"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


FORMS: dict[str, type[EventForm]] = {
    E.FORWARDED: ForwardForm,
    E.EVIDENCE_RECEIVED: EventForm,
    E.MEETING_HELD: MeetingForm,
    E.HEARING_SCHEDULED: HearingForm,
    E.ANSWERED: EventForm,
    E.DECIDED: DecisionForm,
    E.PROCEDURE_CHANGED: EventForm,
    E.REPLY_ORDERED: ReplyOrderedForm,
    E.CARRIED_OUT: CarriedOutForm,
}


class DocumentForm(forms.Form):
    """A document of the case; the file is checked by content (core/uploads.py)."""

    kind = forms.ChoiceField(label=_("Kind of document"), choices=DisputeDocument.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    received_on = forms.DateField(label=_("Date received or made"), widget=DateInput())
    purpose = forms.CharField(label=_("What it proves"), max_length=200, required=False)
    upload = forms.FileField(label=_("File (PDF, JPG or PNG, at most 10 MB)"), required=False)
    secret_explanation = forms.CharField(
        label=_("State secret (国家秘密): why it is not attached"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "A state secret is never uploaded: it is listed in the evidence list with this explanation, and the "
            "court may be asked to see it apart from the open hearing."
        ),
    )

    def clean_upload(self):
        from gongkai.core.uploads import check_upload

        upload = self.cleaned_data.get("upload")
        return check_upload(upload, allowed=("pdf", "jpg", "png"), max_bytes=10 * 1024 * 1024) if upload else None
