from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PriorityClass, RequestStatus


class TicketForm(forms.Form):
    phone = forms.CharField(
        label=_("Phone number (optional)"),
        required=False,
        max_length=20,
        help_text=_("We send “your turn is near” to this number."),
    )
    priority = forms.ChoiceField(
        label=_("Priority service"), choices=PriorityClass.choices, initial=PriorityClass.REGULAR
    )


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Appointment code"), max_length=8)


class AppointmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    phone = forms.CharField(label=_("Phone number"), max_length=20)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks each file's type and size."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class RequestForm(forms.Form):
    applicant_name = forms.CharField(label=_("Applicant's name"), max_length=120)
    phone = forms.CharField(label=_("Phone number"), max_length=20)
    details = forms.CharField(
        label=_("Details"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=4000
    )
    documents = MultipleFileField(label=_("Documents (PDF, JPEG or PNG)"), required=False)


class RequestStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=RequestStatus.choices)
    note = forms.CharField(
        label=_("Note (the reason, when rejecting)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


SURVEY_QUESTIONS = [
    _("How well do the requirements match the type of service?"),
    _("How easy is the service procedure?"),
    _("How fast is the service?"),
    _("How fair is the cost of the service?"),
    _("How well does the product match what is promised in the service standard?"),
    _("How competent are the officers?"),
    _("How courteous and friendly are the officers?"),
    _("How good is the handling of complaints, suggestions and feedback?"),
    _("How good are the facilities and infrastructure?"),
]
SCORE_CHOICES = [(1, _("1 · Not good")), (2, _("2 · Fair")), (3, _("3 · Good")), (4, _("4 · Very good"))]


class SurveyForm(forms.Form):
    comment = forms.CharField(
        label=_("Suggestions (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i, question in enumerate(SURVEY_QUESTIONS, start=1):
            self.fields[f"u{i}"] = forms.TypedChoiceField(
                label=f"U{i}. {question}", choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
            )
        self.order_fields([f"u{i}" for i in range(1, 10)] + ["comment"])

    def scores(self) -> list[int]:
        return [self.cleaned_data[f"u{i}"] for i in range(1, 10)]


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class SlotPlanForm(forms.Form):
    """Open appointment slots for a service at a café over a range of days."""

    service = forms.ModelChoiceField(label=_("Service"), queryset=None)
    # A date input takes ISO dates whatever the language of the page.
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Until"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple, initial=[0, 1, 2, 3, 4]
    )
    start = forms.TimeField(
        label=_("Opens"), initial="08:00", widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"})
    )
    end = forms.TimeField(
        label=_("Closes"), initial="12:00", widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"})
    )
    minutes = forms.IntegerField(label=_("Minutes per slot"), min_value=5, max_value=480, initial=30)
    capacity = forms.IntegerField(label=_("People per slot"), min_value=1, max_value=500, initial=2)

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
