"""Fields that carry language: registered with django-modeltranslation."""

from modeltranslation.translator import TranslationOptions, register

from . import models


@register(models.ZoneProfile)
class ZoneProfileTranslation(TranslationOptions):
    fields = ("name", "short_name", "other_brand", "location", "leading_industries", "positioning", "goal", "overview")


@register(models.KeyFigure)
class KeyFigureTranslation(TranslationOptions):
    fields = ("label", "period", "note", "source")


@register(models.Milestone)
class MilestoneTranslation(TranslationOptions):
    fields = ("when_note", "title", "description")


@register(models.Honour)
class HonourTranslation(TranslationOptions):
    fields = ("title", "years", "description")


@register(models.PlanTarget)
class PlanTargetTranslation(TranslationOptions):
    fields = ("label", "description")


@register(models.Industry)
class IndustryTranslation(TranslationOptions):
    fields = ("name", "summary", "description", "image_alt")


@register(models.ChainStage)
class ChainStageTranslation(TranslationOptions):
    fields = ("name",)


@register(models.Park)
class ParkTranslation(TranslationOptions):
    fields = ("name", "summary", "description", "image_alt")


@register(models.Enterprise)
class EnterpriseTranslation(TranslationOptions):
    fields = ("name", "summary")


@register(models.Project)
class ProjectTranslation(TranslationOptions):
    fields = ("name", "summary", "capacity")


@register(models.Policy)
class PolicyTranslation(TranslationOptions):
    fields = ("title", "summary", "description", "eligibility", "benefits")


@register(models.PolicyMeasure)
class PolicyMeasureTranslation(TranslationOptions):
    fields = ("title", "description")


@register(models.Highlight)
class HighlightTranslation(TranslationOptions):
    fields = ("title", "body")


@register(models.ReplySnippet)
class ReplySnippetTranslation(TranslationOptions):
    fields = ("title", "body")
