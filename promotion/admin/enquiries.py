import csv

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy

from .. import outbox, services
from ..models import Enquiry, EnquiryNote, OutgoingMail
from ..spreadsheets import spreadsheet_safe
from .history import HistoryInReadersLanguage

CSV_COLUMNS = [
    ("reference", _("Reference")),
    ("received_at", _("Received")),
    ("status", _("Status")),
    ("priority", _("Priority")),
    ("owner", _("Owner")),
    ("name", pgettext_lazy("person", "Name")),
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


def change_message(*field_names: str) -> list[dict]:
    """The history entry the admin writes when these fields are changed in the form: field labels
    stored untranslated, translated when the history is read."""
    with translation.override(None):
        labels = [str(capfirst(Enquiry._meta.get_field(name).verbose_name)) for name in field_names]
    return [{"changed": {"fields": labels}}]


def person(user) -> str:
    return user.get_full_name() or user.get_username()


def take_over_token(enquiry: Enquiry) -> str:
    """What the officer agreed to: this enquiry, taken from this owner (not from whoever owns it by then)."""
    return f"{enquiry.pk}:{enquiry.owner_id}"


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
class EnquiryAdmin(HistoryInReadersLanguage, admin.ModelAdmin):
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
    actions = ["assign_to_me", "set_status", "renew_status_link", "export_csv"]
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
        return pgettext("priority and its score", "%(label)s (%(score)s)") % {
            "label": enquiry.priority_label,
            "score": enquiry.priority,
        }

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

    def selected_for_change(self, queryset):
        """The selected enquiries, read once and locked until the action's transaction ends, so
        what the officer is shown (or confirmed) is what gets changed."""
        return list(
            Enquiry.objects.filter(pk__in=queryset.values("pk"))
            .select_related("owner")
            .select_for_update(of=("self",))
            .order_by("-received_at", "-pk")
        )

    def save_changes(self, request, enquiries: list[Enquiry], fields: list[str]) -> None:
        """Save each changed enquiry as a single edit does: `updated_at` moves and the history
        says which fields changed. The history entries go in one insert."""
        for enquiry in enquiries:
            enquiry.save(update_fields=[*fields, "updated_at"])
        if enquiries:
            LogEntry.objects.log_actions(
                user_id=request.user.pk,
                queryset=enquiries,
                action_flag=CHANGE,
                change_message=change_message(*fields),
            )

    @admin.action(description=_("Assign selected enquiries to me"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        """Unowned enquiries become the officer's; taking one from a colleague needs a confirmation
        that names the colleague. Until it is given, nothing changes."""
        me = request.user
        confirmed = set(request.POST.getlist("take_over")) if request.POST.get("post") == "yes" else set()
        with transaction.atomic():
            enquiries = self.selected_for_change(queryset)
            owned_by_others = [e for e in enquiries if e.owner_id not in (None, me.pk)]
            if any(take_over_token(e) not in confirmed for e in owned_by_others):
                if confirmed:
                    self.message_user(
                        request,
                        _("Some owners changed after you looked. Check the list and confirm again."),
                        messages.WARNING,
                    )
                return self.take_over_confirmation(request, enquiries, owned_by_others)
            previous_owners = ", ".join(sorted({person(e.owner) for e in owned_by_others}))
            changed = [e for e in enquiries if e.owner_id != me.pk]
            for enquiry in changed:
                enquiry.owner = me
            self.save_changes(request, changed, ["owner"])
        if changed:
            self.message_user(
                request,
                ngettext("%(count)d enquiry assigned to you.", "%(count)d enquiries assigned to you.", len(changed))
                % {"count": len(changed)},
                messages.SUCCESS,
            )
        if owned_by_others:
            self.message_user(
                request,
                ngettext(
                    "%(count)d of them was taken over from its owner (%(owners)s).",
                    "%(count)d of them were taken over from their owners (%(owners)s).",
                    len(owned_by_others),
                )
                % {"count": len(owned_by_others), "owners": previous_owners},
                messages.WARNING,
            )
        if unchanged := len(enquiries) - len(changed):
            self.message_user(
                request,
                ngettext(
                    "%(count)d enquiry was already yours and was left as it was.",
                    "%(count)d enquiries were already yours and were left as they were.",
                    unchanged,
                )
                % {"count": unchanged},
                messages.INFO,
            )

    def take_over_confirmation(self, request, enquiries: list[Enquiry], owned_by_others: list[Enquiry]):
        me = request.user
        context = {
            **self.admin_site.each_context(request),
            "title": _("Take over enquiries that colleagues own?"),
            "subtitle": None,
            "opts": self.opts,
            "media": self.media,
            "enquiries": enquiries,
            "owned_by_others": [(e, take_over_token(e)) for e in owned_by_others],
            "unowned": [e for e in enquiries if e.owner_id is None],
            "already_mine": [e for e in enquiries if e.owner_id == me.pk],
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "changelist_url": request.get_full_path(),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request, f"admin/{self.opts.app_label}/{self.opts.model_name}/assign_to_me_confirmation.html", context
        )

    @admin.action(description=_("Set the status of selected enquiries"), permissions=["change"])
    def set_status(self, request, queryset):
        status = request.POST.get("status", "")
        if status not in Enquiry.Status.values:
            self.message_user(request, _("Choose a new status beside the action first."), messages.ERROR)
            return
        with transaction.atomic():
            enquiries = self.selected_for_change(queryset)
            changed = [e for e in enquiries if e.status != status]
            for enquiry in changed:
                enquiry.status = status
            self.save_changes(request, changed, ["status"])
        label = Enquiry.Status(status).label
        if changed:
            self.message_user(
                request,
                ngettext(
                    "%(count)d enquiry set to “%(status)s”.", "%(count)d enquiries set to “%(status)s”.", len(changed)
                )
                % {"count": len(changed), "status": label},
                messages.SUCCESS,
            )
        if unchanged := len(enquiries) - len(changed):
            self.message_user(
                request,
                ngettext(
                    "%(count)d enquiry was already “%(status)s” and was left as it was.",
                    "%(count)d enquiries were already “%(status)s” and were left as they were.",
                    unchanged,
                )
                % {"count": unchanged, "status": label},
                messages.INFO,
            )

    @admin.action(description=_("Withdraw the status link and send a new one"), permissions=["change"])
    def renew_status_link(self, request, queryset):
        """For a status link that reached someone else: the old link stops working, and the investor
        is mailed a new one (in the same transaction, with a history entry). Anonymised and
        quarantined enquiries have no investor to write to and are left as they were."""
        with transaction.atomic():
            enquiries = self.selected_for_change(queryset)
            renewed = [e for e in enquiries if e.anonymised_at is None and e.status != Enquiry.Status.SPAM]
            mails = [services.renew_status_link(enquiry) for enquiry in renewed]
            if renewed:
                LogEntry.objects.log_actions(
                    user_id=request.user.pk,
                    queryset=renewed,
                    action_flag=CHANGE,
                    change_message=change_message("status_key"),
                )
        outbox.deliver_all(mails)
        if renewed:
            self.message_user(
                request,
                ngettext(
                    "%(count)d investor was sent a new status link; the old link no longer works.",
                    "%(count)d investors were sent a new status link; the old links no longer work.",
                    len(renewed),
                )
                % {"count": len(renewed)},
                messages.SUCCESS,
            )
        if skipped := len(enquiries) - len(renewed):
            self.message_user(
                request,
                ngettext(
                    "%(count)d enquiry was left as it was: it is anonymised or quarantined as spam.",
                    "%(count)d enquiries were left as they were: they are anonymised or quarantined as spam.",
                    skipped,
                )
                % {"count": skipped},
                messages.INFO,
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
