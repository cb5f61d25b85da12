from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from .. import models
from .history import HistoryInReadersLanguage

EDITOR_FIELDS = ["to_be_confirmed", "editor_note"]


class ContentAdmin(HistoryInReadersLanguage, TranslationAdmin):
    """The admin of every content model: the note for editors and the "to be confirmed" mark in a section of their
    own at the end of the form, a column and a filter to work through what awaits the zone's confirmation, and the
    notes searchable. None of it reaches the public site."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):
            fields = [f for f in options.get("fields", []) if f not in EDITOR_FIELDS]
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
    list_display = ["name", "planned_area_km2", "updated_at"]

    def has_add_permission(self, request):
        return not models.ZoneProfile.objects.exists()


@admin.register(models.KeyFigure)
class KeyFigureAdmin(ContentAdmin):
    list_display = ["label", "value", "unit", "year", "growth_percent", "category", "is_headline", "position"]
    list_editable = ["position"]
    list_filter = ["category", "is_headline", "unit", "year"]
    search_fields = ["label", "slug", "note"]
    prepopulated_fields = {"slug": ["label"]}


@admin.register(models.Milestone)
class MilestoneAdmin(ContentAdmin):
    list_display = ["title", "year", "month", "when_note"]
    list_filter = ["year"]
    search_fields = ["title", "description"]


@admin.register(models.Honour)
class HonourAdmin(ContentAdmin):
    list_display = ["title", "years", "position"]
    list_editable = ["position"]
    search_fields = ["title"]


@admin.register(models.PlanTarget)
class PlanTargetAdmin(ContentAdmin):
    list_display = ["label", "value", "unit", "baseline", "position"]
    list_select_related = ["baseline"]
    list_editable = ["position"]


class ChainStageInline(TranslationTabularInline):
    model = models.ChainStage
    extra = 1


@admin.register(models.Industry)
class IndustryAdmin(ContentAdmin):
    list_display = ["name", "parent", "is_leading", "chain_kind", "position", "updated_at"]
    list_select_related = ["parent"]
    list_editable = ["position"]
    list_filter = ["is_leading", "chain_kind"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ChainStageInline]


@admin.register(models.Park)
class ParkAdmin(ContentAdmin):
    list_display = ["name", "kind", "is_featured", "position", "updated_at"]
    list_editable = ["position"]
    list_filter = ["kind", "is_featured", "industries"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["industries"]


@admin.register(models.Enterprise)
class EnterpriseAdmin(ContentAdmin):
    list_display = ["name", "industry", "park", "distinction", "updated_at"]
    list_select_related = ["industry", "park"]
    list_filter = ["distinction", "industry", "park"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Project)
class ProjectAdmin(ContentAdmin):
    list_display = ["name", "status", "investment_yuan", "enterprise", "industry", "park", "is_featured"]
    list_select_related = ["enterprise", "industry", "park"]
    list_filter = ["status", "is_featured", "industry", "park"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}


class PolicyMeasureInline(TranslationTabularInline):
    model = models.PolicyMeasure
    extra = 1


@admin.register(models.Policy)
class PolicyAdmin(ContentAdmin):
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
    list_display = ["title", "topic", "position", "updated_at"]
    list_editable = ["position"]
    list_filter = ["topic"]
    search_fields = ["title", "body"]
