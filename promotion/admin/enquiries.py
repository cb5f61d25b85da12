import csv

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpResponse
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from ..models import Enquiry, EnquiryNote, OutgoingMail

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = [
    ("reference", _("Reference")),
    ("received_at", _("Received")),
    ("status", _("Status")),
    ("priority", _("Priority")),
    ("owner", _("Owner")),
    ("name", _("Name")),
    ("organisation", _("Organisation")),
    ("email", _("Email")),
    ("phone", _("Phone")),
    ("country", _("Country or region")),
    ("industry", _("Industry")),
    ("park", _("Park")),
    ("investment_band", _("Intended investment")),
    ("expected_jobs", _("Expected jobs")),
    ("space_needed", _("Space needed")),
    ("timeline", _("Timeline")),
    ("heard_from", _("Heard of the zone through")),
    ("language", _("Language")),
    ("reply_due_at", _("Reply due")),
    ("follow_up_on", _("Follow up on")),
    ("message", _("Message")),
]


def spreadsheet_safe(value) -> str:
    """Neutralise cells a spreadsheet would run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_cell(enquiry: Enquiry, field: str):
    value = getattr(enquiry, field)
    if field in {"received_at", "reply_due_at"} and value:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if field == "country":
        return value.name
    if field == "owner":
        return value.get_username() if value else ""
    display = getattr(enquiry, f"get_{field}_display", None)
    return display() if display else value


class EnquiryActionForm(helpers.ActionForm):
    status = forms.ChoiceField(
        label=_("New status"), required=False, choices=[("", "---------"), *Enquiry.Status.choices]
    )


class OverdueFilter(admin.SimpleListFilter):
    title = _("response target")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("follow_up", _("Follow-up due"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        if self.value() == "follow_up":
            return queryset.follow_up_due()
        return queryset


class EnquiryNoteInline(admin.TabularInline):
    """Notes are appended, never changed or removed."""

    model = EnquiryNote
    fields = ["text", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    extra = 1
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Enquiry)
class EnquiryAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "received_at",
        "name",
        "organisation",
        "country",
        "park",
        "industry",
        "status",
        "owner",
        "priority_column",
        "language",
        "age",
        "overdue_flag",
    ]
    list_display_links = ["reference"]
    list_filter = ["status", OverdueFilter, "park", "industry", "country", "owner", "received_at", "language"]
    list_select_related = ["owner", "park", "industry"]
    search_fields = ["reference", "name", "organisation", "email"]
    date_hierarchy = "received_at"
    sortable_by = ["reference", "received_at", "name", "organisation", "status", "owner", "priority_column"]
    ordering = ["-received_at"]
    list_per_page = 50
    # One COUNT over years of enquiries is enough; the unfiltered total is on the admin index.
    show_full_result_count = False
    action_form = EnquiryActionForm
    actions = ["assign_to_me", "set_status", "export_csv"]
    inlines = [EnquiryNoteInline]
    readonly_fields = [
        "reference",
        "received_at",
        "priority_column",
        "reply_due_at",
        "overdue_flag",
        *Enquiry.INVESTOR_FIELDS,
        "language",
        "consent_at",
        "ip_address",
        "spam_reason",
        "anonymised_at",
    ]
    fieldsets = [
        (
            _("Pipeline"),
            {
                "fields": [
                    ("reference", "received_at"),
                    ("status", "owner"),
                    ("priority_column", "overdue_flag"),
                    ("reply_due_at", "follow_up_on"),
                ]
            },
        ),
        (_("Investor"), {"fields": ["name", "organisation", "email", "phone", "country", "language"]}),
        (
            _("Project"),
            {
                "fields": [
                    "industry",
                    "park",
                    "investment_band",
                    "expected_jobs",
                    "space_needed",
                    "timeline",
                    "heard_from",
                    "message",
                ]
            },
        ),
        (
            _("Record"),
            {"fields": ["consent_at", "ip_address", "spam_reason", "anonymised_at"], "classes": ["collapse"]},
        ),
    ]

    def has_add_permission(self, request):
        return False  # enquiries come from investors, through the public form

    @admin.display(description=_("priority"), ordering="priority")
    def priority_column(self, enquiry: Enquiry) -> str:
        return f"{enquiry.priority_label} ({enquiry.priority})"

    @admin.display(description=_("age"), ordering="received_at")
    def age(self, enquiry: Enquiry) -> str:
        return timesince(enquiry.received_at)

    @admin.display(description=_("overdue"), boolean=True)
    def overdue_flag(self, enquiry: Enquiry) -> bool:
        return enquiry.is_overdue()

    def save_formset(self, request, form, formset, change):
        notes = formset.save(commit=False)
        for note in notes:
            if isinstance(note, EnquiryNote) and note.author_id is None:
                note.author = request.user
            note.save()
        formset.save_m2m()

    @admin.action(description=_("Assign selected enquiries to me"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        updated = queryset.update(owner=request.user)
        self.message_user(request, _("%(count)d enquiries assigned to you.") % {"count": updated}, messages.SUCCESS)

    @admin.action(description=_("Set the status of selected enquiries"), permissions=["change"])
    def set_status(self, request, queryset):
        status = request.POST.get("status", "")
        if status not in Enquiry.Status.values:
            self.message_user(request, _("Choose a new status beside the action first."), messages.ERROR)
            return
        updated = queryset.update(status=status)
        label = Enquiry.Status(status).label
        self.message_user(
            request,
            _("%(count)d enquiries set to “%(status)s”.") % {"count": updated, "status": label},
            messages.SUCCESS,
        )

    @admin.action(description=_("Export selected enquiries to CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="enquiries-{stamp}.csv"'
        response.write("\ufeff")  # the byte-order mark makes Excel read UTF-8, so Chinese shows
        writer = csv.writer(response)
        writer.writerow([str(label) for _, label in CSV_COLUMNS])
        for enquiry in queryset.select_related("owner", "park", "industry").order_by("received_at"):
            writer.writerow([spreadsheet_safe(csv_cell(enquiry, field)) for field, _ in CSV_COLUMNS])
        return response


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "created_at", "sent_at", "attempts"]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["subject", "recipients"]
    readonly_fields = [
        "kind",
        "enquiry",
        "recipients",
        "subject",
        "body",
        "created_at",
        "sent_at",
        "attempts",
        "last_error",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
