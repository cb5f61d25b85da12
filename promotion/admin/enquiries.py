import copy
import csv
import re
from datetime import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import BooleanField, Case, DateField, F, Q, Value, When
from django.db.models.functions import TruncDate
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy

from .. import countries as zone_countries
from .. import outbox, services
from ..form_html import PythonHiddenInput, PythonSelect
from ..forms import RATING_CHOICES, EnquiryReplyForm, RatingFollowUpForm
from ..history import change_message
from ..models import Enquiry, EnquiryNote, OutgoingMail, ReplySnippet
from ..models.enquiries import LOW_RATING, follow_up_due_condition, overdue_condition
from ..spreadsheets import spreadsheet_safe
from .enquiry_filters import (
    OwnerFilter,
    ResponseFilter,
    StatusFilter,
    UsedCountryFilter,
    UsedRelatedFilter,
    countries_named,
    person,
    promotion_officers,
)
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


# As submit_enquiry() writes them: HQ-<year>-<id, at least five digits>.
FULL_REFERENCE = re.compile(r"HQ-\d{4}-\d{5,}", re.ASCII)
PARTIAL_REFERENCE = re.compile(r"HQ-(\d{0,3}|\d{4}(-\d*)?)", re.ASCII)


def references_starting(prefix: str) -> Q:
    """The references that begin with `prefix`, also as a range of the unique index on them:
    SQLite's LIKE (which ignores case) never uses an index. The range ends where the last digit
    goes up by one ("HQ-2026-0099" up to "HQ-2026-01"), never at a hyphen, so that it holds in a
    byte-wise collation and in a linguistic one alike (which passes over hyphens)."""
    condition = Q(reference__startswith=prefix, reference__gte=prefix)
    digits = prefix.rstrip("9")
    if digits and digits[-1].isdigit():
        condition &= Q(reference__lt=digits[:-1] + str(int(digits[-1]) + 1))
    return condition


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


def take_over_token(enquiry: Enquiry) -> str:
    """What the officer agreed to: this enquiry, taken from this owner (not from whoever owns it by then)."""
    return f"{enquiry.pk}:{enquiry.owner_id}"


class EnquiryActionForm(helpers.ActionForm):
    """Django's action form with the widgets written in Python (promotion.form_html, the same HTML): through the
    widget templates, the two menus cost 3 ms of every list page."""

    status = forms.ChoiceField(
        label=_("New status"),
        required=False,
        choices=[("", "---------"), *Enquiry.Status.choices],
        widget=PythonSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].widget = PythonSelect(choices=self.fields["action"].choices)
        self.fields["select_across"].widget = PythonHiddenInput(self.fields["select_across"].widget.attrs)


class EnquiryNoteInline(admin.TabularInline):
    """Notes are appended, never changed or removed."""

    model = EnquiryNote
    fields = ["text", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    extra = 1
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")  # the author of each note, in one query


@admin.register(Enquiry)
class EnquiryAdmin(HistoryInReadersLanguage, admin.ModelAdmin):
    # Eight columns that fit a laptop (1366 px) beside the filters; the rest is on the enquiry.
    list_display = [
        "reference",
        "organisation",
        "country_column",
        "park",
        "status",
        "owner_column",
        "overdue_flag",
        "priority_column",
    ]
    list_display_links = ["reference"]
    # Each filter lists only what occurs in the enquiries (countries, parks and industries
    # that some enquiry names, owners who own some), and the officer's own questions first.
    list_filter = [
        StatusFilter,
        ResponseFilter,
        OwnerFilter,
        ("country", UsedCountryFilter),
        ("park", UsedRelatedFilter),
        ("industry", UsedRelatedFilter),
        "language",
        "received_at",
    ]
    list_select_related = ["owner", "park"]
    # Park and industry names in both languages; country names through get_search_results().
    search_fields = [
        "reference",
        "name",
        "organisation",
        "email",
        "park__name_en",
        "park__name_zh_hans",
        "industry__name_en",
        "industry__name_zh_hans",
    ]
    date_hierarchy = "received_at"
    sortable_by = ["reference", "organisation", "status", "owner_column", "overdue_flag", "priority_column"]
    list_per_page = 50
    # One COUNT over years of enquiries is enough; the unfiltered total is on the admin index.
    show_full_result_count = False
    action_form = EnquiryActionForm
    actions = ["assign_to_me", "set_status", "renew_status_link", "export_csv"]
    inlines = [EnquiryNoteInline]
    readonly_fields = [
        "industry_name",
        "park_name",
        "reference",
        "received_at",
        "priority_column",
        "reply_due_at",
        "first_reply_at",
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
                    ("reply_due_at", "first_reply_at", "follow_up_on"),
                ]
            },
        ),
        (_("Investor"), {"fields": ["name", "organisation", "email", "phone", "country", "language"]}),
        (
            _("Project"),
            {
                "fields": [
                    "industry_name",
                    "park_name",
                    "investment_band",
                    "expected_jobs",
                    "space_needed",
                    "timeline",
                    "heard_from",
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

    # As text: the admin would link them to content pages that officers may not open.
    @admin.display(description=_("industry of interest"))
    def industry_name(self, enquiry: Enquiry) -> str:
        return str(enquiry.industry or "—")

    @admin.display(description=_("park of interest"))
    def park_name(self, enquiry: Enquiry) -> str:
        return str(enquiry.park or "—")

    def action_checkbox(self, enquiry: Enquiry) -> str:
        """The row's checkbox, written as Django's widget draws it: drawing the widget through the
        form templates took longer than the rest of the row."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            enquiry.pk,
            _("Select enquiry %(reference)s") % {"reference": enquiry},
        )

    # Not the field itself: the admin would look its name up among every country's, row by row;
    # here it comes from the names the filter sorted once.
    @admin.display(description=_("country or region"))
    def country_column(self, enquiry: Enquiry) -> str:
        return zone_countries.name(enquiry.country.code)

    @admin.display(description=_("priority"), ordering="priority")
    def priority_column(self, enquiry: Enquiry) -> str:
        return pgettext("priority and its score", "%(label)s (%(score)s)") % {
            "label": enquiry.priority_label,
            "score": enquiry.priority,
        }

    @admin.display(description=_("owner"), ordering="owner__first_name")
    def owner_column(self, enquiry: Enquiry) -> str:
        if enquiry.owner is None:
            return format_html('<span class="unassigned">{}</span>', pgettext("owner", "Unassigned"))
        return person(enquiry.owner)

    @staticmethod
    def due_date(value) -> str:
        """A due date as YYYY-MM-DD, the same in both languages and as the CSV export writes dates
        (the day in the zone's time for a moment)."""
        return (timezone.localtime(value).date() if isinstance(value, datetime) else value).isoformat()

    @admin.display(description=_("due"), ordering="due_on")
    def overdue_flag(self, enquiry: Enquiry) -> str:
        """What is due next, as words: a late reply or follow-up as a warning badge (the colour
        repeats the words, for those who cannot tell it), else the date of the next step."""
        overdue = getattr(enquiry, "is_overdue_now", None)
        overdue = enquiry.is_overdue() if overdue is None else overdue
        if overdue:
            return format_html(
                '<span class="due-badge due-badge--overdue">{}</span> <span class="due-when">{}</span>',
                _("Overdue"),
                pgettext("reply was due on", "was due %(date)s") % {"date": self.due_date(enquiry.reply_due_at)},
            )
        follow_up_due = getattr(enquiry, "follow_up_now", None)
        if follow_up_due is None:
            follow_up_due = Enquiry.objects.follow_up_due().filter(pk=enquiry.pk).exists()
        if follow_up_due:
            return format_html(
                '<span class="due-badge due-badge--follow-up">{}</span> <span class="due-when">{}</span>',
                _("Follow-up due"),
                self.due_date(enquiry.follow_up_on),
            )
        if enquiry.status in Enquiry.CLOSED_STATUSES:
            return "—"
        if enquiry.first_reply_at is None and enquiry.reply_due_at:
            return pgettext("reply is due on", "Reply by %(date)s") % {"date": self.due_date(enquiry.reply_due_at)}
        if enquiry.follow_up_on:
            return pgettext("follow up on", "Follow up %(date)s") % {"date": self.due_date(enquiry.follow_up_on)}
        return "—"

    def get_queryset(self, request):
        """Each row knows whether it is overdue or due for follow-up by the queryset's own rules
        (read from the row's own columns, not a query per row), and when its next step is due
        (`due_on`): the reply until there is one, then the follow-up date; nothing once the
        enquiry is closed."""
        return (
            super()
            .get_queryset(request)
            .annotate(
                is_overdue_now=self.flag(overdue_condition()),
                follow_up_now=self.flag(follow_up_due_condition()),
                due_on=self.DUE_ON,
            )
        )

    @staticmethod
    def flag(condition: Q) -> Case:
        """True or False, never NULL (as a comparison with an empty date would be)."""
        return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())

    # The day an enquiry's next step is due: its reply until there is one, then its follow-up.
    DUE_ON = Case(
        When(is_closed=True, then=Value(None)),
        When(first_reply_at__isnull=True, then=TruncDate("reply_due_at")),
        default=F("follow_up_on"),
        output_field=DateField(),
    )

    def get_ordering(self, request):
        """Open enquiries first, then by priority (both read from an index, so that the database
        sorts only the first few hundred rows), then by what is due soonest."""
        return ["is_closed", "-priority", self.DUE_ON.asc(nulls_last=True), "-received_at"]

    def get_search_results(self, request, queryset, search_term):
        """A reference ("HQ-2026-00042") finds that enquiry, and the start of one ("hq-2026-004")
        those it begins, from the index on references. Any other term is looked for in the search
        fields and, as a name in either language ("Germany", "德国") or an ISO code, in the
        country or region."""
        term = search_term.strip().upper()
        if FULL_REFERENCE.fullmatch(term):
            return queryset.filter(reference=term), False
        if PARTIAL_REFERENCE.fullmatch(term):
            return queryset.filter(references_starting(term)), False
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if codes := countries_named(search_term):
            results |= queryset.filter(country__in=codes)
        return results, may_have_duplicates

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Owners are active Promotion officers, shown by full name (and the enquiry's current
        owner, so that saving does not drop them unasked)."""
        if db_field.name == "owner":
            officers = promotion_officers().values("pk")
            object_id = request.resolver_match.kwargs.get("object_id", "") if request.resolver_match else ""
            current = Enquiry.objects.filter(pk=object_id).values("owner") if object_id.isdigit() else []
            kwargs["queryset"] = db_field.remote_field.model.objects.filter(
                Q(pk__in=officers) | Q(pk__in=current)
            ).order_by("first_name", "last_name", "username")
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = person
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        notes = formset.save(commit=False)
        for note in notes:
            if isinstance(note, EnquiryNote) and note.author_id is None:
                note.author = request.user
            note.save()
        formset.save_m2m()

    # --- The change page's conversation (templates/admin/promotion/enquiry/change_form.html): the
    # investor's message and the thread, the reply box under them, and a low rating's follow-up.

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/reply/",
                self.admin_site.admin_view(self.reply_view),
                name="{}_{}_reply".format(*info),
            ),
            path(
                "<path:object_id>/rating-follow-up/",
                self.admin_site.admin_view(self.rating_follow_up_view),
                name="{}_{}_rating_follow_up".format(*info),
            ),
            *super().get_urls(),
        ]

    def admin_url(self, view: str, enquiry: Enquiry) -> str:
        name = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{view}"
        return reverse(name, args=[quote(enquiry.pk)])

    def can_reply(self, request, enquiry: Enquiry) -> bool:
        return (
            enquiry.anonymised_at is None
            and self.has_change_permission(request, enquiry)
            and request.user.has_perm("promotion.add_enquirymessage")
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and not add:
            for key, value in self.conversation_context(request, obj, context).items():
                context.setdefault(key, value)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def conversation_context(self, request, enquiry: Enquiry, context) -> dict:
        thread = list(enquiry.thread.select_related("author"))
        for message in thread:
            message.author_name = person(message.author) if message.author else ""
        reply_form = None
        if self.can_reply(request, enquiry):
            reply_form = context.get("reply_form") or EnquiryReplyForm(
                enquiry=enquiry, initial=self.snippet_start(request, enquiry)
            )
        low = enquiry.rating is not None and enquiry.rating <= LOW_RATING
        follow_up_form = None
        if low and enquiry.rating_followed_up_at is None and self.has_change_permission(request, enquiry):
            follow_up_form = context.get("follow_up_form") or RatingFollowUpForm()
        return {
            "conversation": True,
            "thread": thread,
            "reply_form": reply_form,
            "reply_url": self.admin_url("reply", enquiry),
            "rating_label": dict(RATING_CHOICES).get(enquiry.rating, ""),
            "low_rating": low,
            "follow_up_form": follow_up_form,
            "follow_up_url": self.admin_url("rating_follow_up", enquiry),
        }

    def snippet_start(self, request, enquiry: Enquiry) -> dict:
        """`?snippet=<id>` starts the reply from that snippet, in the enquiry's language: a link that
        works without JavaScript."""
        snippet_id = request.GET.get("snippet", "")
        if not (snippet_id.isascii() and snippet_id.isdigit() and len(snippet_id) < 10):
            return {}
        snippet = ReplySnippet.objects.filter(pk=snippet_id).first()
        return {"body": services.snippet_text(snippet, enquiry.language)} if snippet else {}

    def change_page_again(self, request, enquiry: Enquiry, **extra_context):
        """The change page as it opens, with the reply (or follow-up) form as it was sent: with
        its errors, a snippet inserted, or the reply's preview."""
        as_opened = copy.copy(request)
        as_opened.method = "GET"
        form_url = self.admin_url("change", enquiry)
        return self.change_view(as_opened, quote(str(enquiry.pk)), form_url=form_url, extra_context=extra_context)

    def conversation_target(self, request, object_id) -> Enquiry | None:
        """The enquiry a conversation view acts on; only for those who may change enquiries."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        enquiry = self.get_object(request, unquote(object_id))
        if enquiry is not None and not self.has_change_permission(request, enquiry):
            raise PermissionDenied
        return enquiry

    def reply_view(self, request, object_id):
        """Insert a snippet, preview the mail, or send the reply (services.send_reply)."""
        enquiry = self.conversation_target(request, object_id)
        if enquiry is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        change_url = self.admin_url("change", enquiry)
        if enquiry.anonymised_at is not None:
            self.message_user(request, _("This enquiry is anonymised: there is no one to reply to."), messages.ERROR)
            return redirect(change_url)
        if not self.can_reply(request, enquiry):
            raise PermissionDenied
        if request.method != "POST":
            return redirect(change_url)
        if "_insert" in request.POST:
            return self.change_page_again(request, enquiry, reply_form=self.with_snippet(request, enquiry))
        form = EnquiryReplyForm(request.POST, enquiry=enquiry)
        if not form.is_valid():
            return self.change_page_again(request, enquiry, reply_form=form)
        body, language, status = (form.cleaned_data[name] for name in ("body", "language", "status"))
        if "_send" not in request.POST:
            subject, text = services.reply_mail(enquiry, body, request.user, language)
            preview = {
                "to": enquiry.email,
                "reply_to": services.owner_or_team(enquiry),
                "subject": subject,
                "body": text,
            }
            return self.change_page_again(request, enquiry, reply_form=form, reply_preview=preview)
        try:
            _message, delivered = services.send_reply(
                enquiry, author=request.user, body=body, language=language, status=status
            )
        except services.EnquiryClosed:
            self.message_user(request, _("This enquiry is anonymised: there is no one to reply to."), messages.ERROR)
            return redirect(change_url)
        if delivered:
            self.message_user(request, _("Your reply was sent to %(email)s.") % {"email": enquiry.email})
        else:
            self.message_user(
                request,
                _("Your reply to %(email)s is saved. The mail server did not take it yet; it will be sent again.")
                % {"email": enquiry.email},
                messages.WARNING,
            )
        return redirect(f"{change_url}#conversation")

    def with_snippet(self, request, enquiry: Enquiry) -> EnquiryReplyForm:
        """The reply as typed, with the chosen snippet's text added in the language of the reply."""
        posted = EnquiryReplyForm(request.POST, enquiry=enquiry)
        posted.is_valid()
        language = posted.cleaned_data.get("language") or enquiry.language
        body = request.POST.get(posted.add_prefix("body"), "")
        if snippet := posted.cleaned_data.get("snippet"):
            body = "\n\n".join(part for part in (body.rstrip(), services.snippet_text(snippet, language)) if part)
        else:
            self.message_user(request, _("Choose a snippet to insert first."), messages.WARNING)
        initial = {"body": body, "language": language, "status": posted.cleaned_data.get("status")}
        return EnquiryReplyForm(enquiry=enquiry, initial={key: value for key, value in initial.items() if value})

    def rating_follow_up_view(self, request, object_id):
        """Record how a low rating was followed up (services.follow_up_low_rating)."""
        enquiry = self.conversation_target(request, object_id)
        if enquiry is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        change_url = self.admin_url("change", enquiry)
        if request.method != "POST":
            return redirect(change_url)
        form = RatingFollowUpForm(request.POST)
        if not form.is_valid():
            return self.change_page_again(request, enquiry, follow_up_form=form)
        if services.follow_up_low_rating(enquiry, form.cleaned_data["note"], request.user):
            self.message_user(request, _("The low rating is marked as followed up."), messages.SUCCESS)
        else:
            self.message_user(
                request, _("This rating needs no follow-up, or it was followed up already."), messages.WARNING
            )
        return redirect(f"{change_url}#rating")

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
