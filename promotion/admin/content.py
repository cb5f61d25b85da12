from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from .. import models


@admin.register(models.ZoneProfile)
class ZoneProfileAdmin(TranslationAdmin):
    list_display = ["name", "planned_area_km2", "updated_at"]

    def has_add_permission(self, request):
        return not models.ZoneProfile.objects.exists()


@admin.register(models.KeyFigure)
class KeyFigureAdmin(TranslationAdmin):
    list_display = ["label", "value", "unit", "year", "growth_percent", "category", "is_headline", "position"]
    list_editable = ["position"]
    list_filter = ["category", "is_headline", "unit", "year"]
    search_fields = ["label", "slug", "note"]
    prepopulated_fields = {"slug": ["label"]}


@admin.register(models.Milestone)
class MilestoneAdmin(TranslationAdmin):
    list_display = ["title", "year", "month", "when_note"]
    list_filter = ["year"]
    search_fields = ["title", "description"]


@admin.register(models.Honour)
class HonourAdmin(TranslationAdmin):
    list_display = ["title", "years", "position"]
    list_editable = ["position"]
    search_fields = ["title"]


@admin.register(models.PlanTarget)
class PlanTargetAdmin(TranslationAdmin):
    list_display = ["label", "value", "unit", "baseline", "position"]
    list_select_related = ["baseline"]
    list_editable = ["position"]


class ChainStageInline(TranslationTabularInline):
    model = models.ChainStage
    extra = 1


@admin.register(models.Industry)
class IndustryAdmin(TranslationAdmin):
    list_display = ["name", "parent", "is_leading", "chain_kind", "position", "updated_at"]
    list_select_related = ["parent"]
    list_editable = ["position"]
    list_filter = ["is_leading", "chain_kind"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ChainStageInline]


@admin.register(models.Park)
class ParkAdmin(TranslationAdmin):
    list_display = ["name", "kind", "is_featured", "position", "updated_at"]
    list_editable = ["position"]
    list_filter = ["kind", "is_featured", "industries"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["industries"]


@admin.register(models.Enterprise)
class EnterpriseAdmin(TranslationAdmin):
    list_display = ["name", "industry", "park", "distinction", "updated_at"]
    list_select_related = ["industry", "park"]
    list_filter = ["distinction", "industry", "park"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Project)
class ProjectAdmin(TranslationAdmin):
    list_display = ["name", "status", "investment_yuan", "enterprise", "industry", "park", "is_featured"]
    list_select_related = ["enterprise", "industry", "park"]
    list_filter = ["status", "is_featured", "industry", "park"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}


class PolicyMeasureInline(TranslationTabularInline):
    model = models.PolicyMeasure
    extra = 1


@admin.register(models.Policy)
class PolicyAdmin(TranslationAdmin):
    list_display = ["title", "kind", "is_featured", "tax_split", "position", "updated_at"]
    list_editable = ["position"]
    list_filter = ["kind", "is_featured"]
    search_fields = ["title", "summary", "description"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PolicyMeasureInline]

    @admin.display(description=_("tax split"))
    def tax_split(self, policy: models.Policy) -> str:
        if not policy.shares_tax:
            return "—"
        return f"{policy.owner_share_percent} : {policy.zone_share_percent}"


@admin.register(models.Highlight)
class HighlightAdmin(TranslationAdmin):
    list_display = ["title", "topic", "position", "updated_at"]
    list_editable = ["position"]
    list_filter = ["topic"]
    search_fields = ["title", "body"]
