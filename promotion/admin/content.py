from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models as db_models
from django.http import Http404, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline
from modeltranslation.fields import TranslationField
from reversion import is_active, set_comment
from reversion.admin import VersionAdmin
from reversion.models import Version
from reversion.revisions import _get_options

from .. import models
from ..figure_text import FigureProseForm, ZoneProfileForm
from .forms import (
    KeyFigureForm,
    PlanTargetForm,
    ReadbackQuery,
    ThumbnailFileWidget,
    figure_readback,
    readback,
    readback_html,
)
from .history import relabelled

EDITOR_FIELDS = ["to_be_confirmed", "editor_note"]


class ContentVersions(VersionAdmin):
    """Every saved version of a content object (both languages, and the inline children the admin follows), with
    who, when and what changed: the history lists the versions newest first in the reader's language (as
    HistoryInReadersLanguage does for the admin's log, which this history replaces), each compared with the one
    before it, and any of them can be restored. Only those who may change the model see any of it."""

    object_history_template = "admin/promotion/content_history.html"
    history_latest_first = True

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        if is_active():  # keep the admin's own message, to be read in the reader's language later
            set_comment(entry.change_message)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if is_active():
            set_comment(entry.change_message)
        return entry

    def get_urls(self):
        opts = self.model._meta
        compare = path(
            "<path:object_id>/history/compare/<int:version_id>/",
            self.admin_site.admin_view(self.compare_view),
            name=f"{opts.app_label}_{opts.model_name}_compare",
        )
        return [compare, *super().get_urls()]

    def _versions(self, object_id) -> list:
        return list(Version.objects.get_for_object_reference(self.model, unquote(object_id)).order_by("pk"))

    def history_view(self, request, object_id, extra_context=None):
        if not self.has_change_permission(request):
            raise PermissionDenied
        response = VersionAdmin.history_view(self, request, object_id, extra_context)
        context = getattr(response, "context_data", None) or {}
        previous = {}
        versions = self._versions(object_id)
        for before, version in zip([None, *versions], versions, strict=False):
            previous[version.revision_id] = (version, before)
        opts = self.model._meta
        for action in context.get("action_list", []):
            if not isinstance(action, dict):
                continue
            action["comment"] = reader_comment(action["revision"].comment, self.model)
            version, before = previous.get(action["revision"].pk, (None, None))
            if version is not None and before is not None:
                action["compare_url"] = reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_compare",
                    args=(quote(version.object_id), version.pk),
                )
        return response

    def compare_view(self, request, object_id, version_id):
        """What one version changed against the version before it, field by field, in the reader's language."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        versions = self._versions(object_id)
        index = next((i for i, v in enumerate(versions) if v.pk == version_id), None)
        if index is None:
            raise Http404
        version = versions[index]
        before = versions[index - 1] if index else None
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": version.object_repr,
            "subtitle": None,
            "version": version,
            "before": before,
            "rows": version_differences(self.model, before, version),
            "inline_groups": inline_differences(self.model, before, version),
            "history_url": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history", args=(quote(object_id),)
            ),
            "revert_url": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                args=(quote(version.object_id), version.pk),
            ),
            "before_url": before
            and reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                args=(quote(before.object_id), before.pk),
            ),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/promotion/content_compare.html", context)


def reader_comment(comment: str, model) -> str:
    """A version's comment (the admin's stored message) as the admin's history would read it now."""
    entry = LogEntry(action_flag=CHANGE, change_message=comment)
    entry.change_message = relabelled(entry, model)
    return entry.get_change_message()


def shown(field, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        related = field.related_model._default_manager.filter(pk__in=value)
        return ", ".join(sorted(str(obj) for obj in related)) or "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        obj = field.related_model._default_manager.filter(pk=value).first()
        return str(obj) if obj is not None else str(value)
    return str(value)


def version_differences(model, before, version) -> list[tuple[str, str, str]]:
    """(label, before, after) for each field the version changed; every field when there is no version before."""
    old = before.field_dict if before is not None else {}
    return field_changes(model, old, version.field_dict, every=before is None)


def field_changes(model, old: dict, new: dict, *, every: bool = False, skip=()) -> list[tuple[str, str, str]]:
    """(label, before, after) for each field whose value differs between two versions' field dicts (each language
    on a row of its own); with `every`, each field the newer one holds."""
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    translated = {f.translated_field.name for f in fields if isinstance(f, TranslationField)}
    rows = []
    for field in fields:
        if field.name in translated or field.name in skip or field.primary_key or getattr(field, "auto_now", False):
            continue
        name = field.attname
        if name not in new and name not in old:
            continue
        if not every and old.get(name) == new.get(name):
            continue
        was, now = shown(field, old.get(name)), shown(field, new.get(name))
        if was == now and not every:  # an empty text saved as "" where it was None
            continue
        rows.append((str(capfirst(field.verbose_name)), was, now))
    return rows


def inline_differences(model, before, version) -> list[dict]:
    """The rows of each inline (a policy's measures, an industry's chain stages) that the version added, removed
    or changed against the version before, field by field. A version holds its inline rows as they were saved
    with it: its model follows the reverse relation (the admin registers it so), and the revision keeps them."""
    groups = []
    for relation in followed_relations(model):
        child_model, parent_field = relation.related_model, relation.field
        old = inline_versions(before, child_model, parent_field) if before is not None else {}
        new = inline_versions(version, child_model, parent_field)
        changes = []
        for object_id in old.keys() | new.keys():
            was, now = old.get(object_id), new.get(object_id)
            rows = field_changes(
                child_model,
                was.field_dict if was else {},
                now.field_dict if now else {},
                skip={parent_field.name},
            )
            if now is not None and was is not None and not rows:
                continue
            if was is None:
                status, shown_version = "added", now
                # A new row's empty fields say nothing: leave them out.
                rows = [row for row in rows if row[2] != "—"]
            elif now is None:
                status, shown_version = "removed", was
                rows = [row for row in rows if row[1] != "—"]
            else:
                status, shown_version = "changed", now
            changes.append(
                {
                    "status": status,
                    "status_label": INLINE_STATUS[status],
                    "object_repr": shown_version.object_repr,
                    "rows": rows,
                    "order": (shown_version.field_dict.get("position") or 0, int(object_id)),
                }
            )
        if changes:
            changes.sort(key=lambda change: change["order"])
            groups.append(
                {
                    "verbose_name": capfirst(child_model._meta.verbose_name),
                    "verbose_name_plural": capfirst(child_model._meta.verbose_name_plural),
                    "changes": changes,
                }
            )
    return groups


def followed_relations(model) -> list:
    """The reverse foreign keys (inline rows) each version of the model keeps with it."""
    relations = [model._meta.get_field(name) for name in _get_options(model).follow]
    return [relation for relation in relations if relation.one_to_many]


INLINE_STATUS = {
    "added": pgettext_lazy("an inline row in a version", "Added"),
    "removed": pgettext_lazy("an inline row in a version", "Removed"),
    "changed": pgettext_lazy("an inline row in a version", "Changed"),
}


def inline_versions(parent_version, child_model, parent_field) -> dict:
    """The versions of the parent's inline rows kept in the parent version's revision, by object id."""
    parent_id = parent_field.target_field.to_python(parent_version.object_id)
    versions = parent_version.revision.version_set.get_for_model(child_model)
    return {v.object_id: v for v in versions if v.field_dict.get(parent_field.attname) == parent_id}


class ContentAdmin(ContentVersions, TranslationAdmin):
    """The admin of every content model: the note for editors and the "to be confirmed" mark in a section of their
    own at the end of the form, a column and a filter to work through what awaits the zone's confirmation, and the
    notes searchable. None of it reaches the public site."""

    formfield_overrides = {db_models.ImageField: {"widget": ThumbnailFileWidget}}

    class Media:
        # Each field's English and Chinese rows side by side, inlines kept within the page.
        css = {"all": ["css/admin-content.css"]}

    def declared_order(self, name: str) -> tuple:
        """What the object is comes first: its own fields, then what it shares with other content (its value and
        unit, its illustration), then its position; within each, the model's order."""
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return (1.5, 0)  # a read-only reading, such as a figure's readback: beside the fields it reads
        field = getattr(field, "translated_field", field)
        bases = [cls for cls in self.model.__mro__[1:] if getattr(cls, "_meta", None) and cls._meta.abstract]
        declared = (
            depth
            for depth, base in enumerate(bases, 1)
            if field.name in {f.name for f in [*base._meta.local_fields, *base._meta.local_many_to_many]}
        )
        return (next(declared, 0), field.creation_counter)

    def get_fieldsets(self, request, obj=None):
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):
            fields = [f for f in options.get("fields", []) if f not in EDITOR_FIELDS]
            if not self.fieldsets:
                fields.sort(key=self.declared_order)
            if fields:
                fieldsets.append((name, {**options, "fields": fields}))
        fieldsets.append(
            (
                _("For editors only"),
                {"fields": EDITOR_FIELDS, "description": _("Never shown on the public site.")},
            )
        )
        return fieldsets

    def get_list_display(self, request):
        return [*super().get_list_display(request), "to_be_confirmed"]

    def get_list_filter(self, request):
        return ["to_be_confirmed", *super().get_list_filter(request)]

    def get_search_fields(self, request):
        search_fields = super().get_search_fields(request)
        return [*search_fields, "editor_note"] if search_fields else search_fields


@admin.register(models.ZoneProfile)
class ZoneProfileAdmin(ContentAdmin):
    form = ZoneProfileForm
    list_display = ["name", "planned_area_km2", "updated_at"]
    filter_horizontal = ["environment_parks", "innovation_parks", "innovation_policies"]

    def has_add_permission(self, request):
        return not models.ZoneProfile.objects.exists()


@admin.register(models.KeyFigure)
class KeyFigureAdmin(ContentAdmin):
    form = KeyFigureForm
    list_display = [
        "label",
        "value",
        "unit",
        "year",
        "growth_percent",
        "readback_column",
        "category",
        "is_headline",
        "position",
    ]
    list_editable = ["position"]
    list_filter = ["category", "is_headline", "unit", "year"]
    search_fields = ["label", "slug", "note"]
    prepopulated_fields = {"slug": ["label"]}
    readonly_fields = ["readback"]

    class Media:
        js = ["js/admin-figure-readback.js"]

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "readback/",
                self.admin_site.admin_view(self.readback_view),
                name=f"{opts.app_label}_{opts.model_name}_readback",
            ),
            *super().get_urls(),
        ]

    def readback_view(self, request):
        """The figure in the form as it stands, as each language writes it, or why it cannot be right."""
        if not self.has_view_or_change_permission(request) and not self.has_add_permission(request):
            raise PermissionDenied
        query = ReadbackQuery(request.GET)
        if not query.is_valid():
            errors = {name: [str(message) for message in messages] for name, messages in query.errors.items()}
            return JsonResponse({"errors": errors}, status=400)
        data = query.cleaned_data
        return JsonResponse(
            {
                "texts": readback(
                    data["value"],
                    data["unit"],
                    data["qualifier"],
                    data["year"],
                    data["period"],
                    data["growth"],
                )
            }
        )

    @admin.display(description=_("as each language writes it"))
    def readback(self, figure: models.KeyFigure | None = None):
        url = reverse(f"{self.admin_site.name}:promotion_keyfigure_readback")
        texts = figure_readback(figure) if figure is not None and figure.pk else {}
        inner = readback_html(texts) if texts else _("Saved figures are read back here.")
        return format_html(
            '<div class="figure-readback" aria-live="polite" data-readback-url="{}">{}</div>', url, inner
        )

    @admin.display(description=_("as each language writes it"))
    def readback_column(self, figure: models.KeyFigure):
        return format_html('<div class="figure-readback">{}</div>', readback_html(figure_readback(figure)))


@admin.register(models.Milestone)
class MilestoneAdmin(ContentAdmin):
    form = FigureProseForm
    list_display = ["title", "year", "month", "when_note"]
    list_filter = ["year"]
    search_fields = ["title", "description"]

    def view_on_site(self, obj) -> str:
        """The About page shows it, at its section; it has no page of its own."""
        return reverse("promotion:about") + "#history-title"


@admin.register(models.Honour)
class HonourAdmin(ContentAdmin):
    list_display = ["title", "years", "position"]
    list_editable = ["position"]
    search_fields = ["title"]

    def view_on_site(self, obj) -> str:
        """The About page shows it, at its section; it has no page of its own."""
        return reverse("promotion:about") + "#honours-title"


@admin.register(models.PlanTarget)
class PlanTargetAdmin(ContentAdmin):
    form = PlanTargetForm
    list_display = ["label", "value", "unit", "baseline", "position"]
    list_select_related = ["baseline"]
    list_editable = ["position"]

    def view_on_site(self, obj) -> str:
        """The About page shows it, at its section; it has no page of its own."""
        return reverse("promotion:about") + "#plan-title"


class ChainStageInline(TranslationTabularInline):
    model = models.ChainStage
    extra = 1


@admin.register(models.Industry)
class IndustryAdmin(ContentAdmin):
    form = FigureProseForm
    list_display = ["name", "parent", "is_leading", "chain_kind", "position", "updated_at"]
    list_select_related = ["parent"]
    list_editable = ["position"]
    list_filter = ["is_leading", "chain_kind"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ChainStageInline]


@admin.register(models.Park)
class ParkAdmin(ContentAdmin):
    form = FigureProseForm
    list_display = ["name", "kind", "is_featured", "position", "updated_at"]
    list_editable = ["position"]
    list_filter = ["kind", "is_featured", "industries"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["industries"]


@admin.register(models.Enterprise)
class EnterpriseAdmin(ContentAdmin):
    form = FigureProseForm
    list_display = ["name", "industry", "park", "distinction", "updated_at"]
    list_select_related = ["industry", "park"]
    list_filter = ["distinction", "industry", "park"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Project)
class ProjectAdmin(ContentAdmin):
    form = FigureProseForm
    list_display = ["name", "status", "investment_yuan", "enterprise", "industry", "park", "is_featured"]
    list_select_related = ["enterprise", "industry", "park"]
    list_filter = ["status", "is_featured", "industry", "park"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}


class PolicyMeasureInline(TranslationStackedInline):
    """Stacked: a measure's title and description, in two languages each, are too wide for a table's row
    (tabular, they made the form 2,390 px wide)."""

    model = models.PolicyMeasure
    form = FigureProseForm
    extra = 1


@admin.register(models.Policy)
class PolicyAdmin(ContentAdmin):
    form = FigureProseForm
    list_display = ["title", "kind", "is_featured", "tax_split", "position", "updated_at"]
    list_editable = ["position"]
    list_filter = ["kind", "is_featured"]
    search_fields = ["title", "summary", "description"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PolicyMeasureInline]

    @admin.display(description=_("tax split (introducing village or town : zone)"))
    def tax_split(self, policy: models.Policy) -> str:
        if not policy.shares_tax:
            return "—"
        return f"{policy.owner_share_percent} : {policy.zone_share_percent}"


@admin.register(models.Highlight)
class HighlightAdmin(ContentAdmin):
    form = FigureProseForm
    list_display = ["title", "topic", "position", "updated_at"]
    list_editable = ["position"]
    list_filter = ["topic"]
    search_fields = ["title", "body"]

    def view_on_site(self, obj) -> str | None:
        """The environment or innovation page, whichever shows the highlight's topic; none where no page shows it."""
        from ..views.content import ENVIRONMENT_TOPICS, INNOVATION_TOPICS

        if obj.topic in ENVIRONMENT_TOPICS:
            return reverse("promotion:environment")
        if obj.topic in INNOVATION_TOPICS:
            return reverse("promotion:innovation")
        return None
