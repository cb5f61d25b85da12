"""The filters of the enquiry list. Each offers only what occurs in the enquiries (countries, parks,
industries, owners), plus the questions an officer asks: mine, nobody's, what is late."""

from functools import lru_cache

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries
from django_countries import filters as country_filters

from .. import countries as zone_countries
from ..caching import ENQUIRY_VERSION_KEY, version
from ..models import Enquiry
from ..services import OFFICERS_GROUP

# A new enquiry version makes new keys; this only lets the old sets go.
USED_COUNTRIES_SECONDS = 24 * 60 * 60

# The method another part of the site may add for low ratings; the filter offers it once it exists.
LOW_RATINGS = "low_ratings_awaiting_follow_up"

__all__ = [
    "UsedCountryFilter",
    "OwnerFilter",
    "ResponseFilter",
    "StatusFilter",
    "UsedRelatedFilter",
    "countries_named",
    "person",
    "promotion_officers",
]


def person(user) -> str:
    """How the admin names a member of staff: their full name, or their username if they have none."""
    return user.get_full_name() or user.get_username()


def promotion_officers():
    """The staff who may own enquiries: active Promotion officers, by name."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, groups__name=OFFICERS_GROUP)
        .order_by("first_name", "last_name", "username")
    )


@lru_cache(maxsize=len(settings.LANGUAGES))
def country_names(language: str) -> tuple[tuple[str, str], ...]:
    """Every country or region as the site names it in this language (django-countries' names and
    the zone's own, COUNTRIES_OVERRIDE), folded for comparison."""
    with translation.override(language):
        return tuple((code, name.casefold()) for code, name in zone_countries.choices())


def countries_named(term: str) -> set[str]:
    """The codes a search term stands for: the countries or regions it names in any of the site's
    languages ("germany", "德国"), or its ISO code ("DE", "DEU"); failing those, the countries whose
    name contains it ("kingdom"). Empty for a term that is no country's."""
    term = " ".join(term.split()).casefold()
    if len(term) < 2:
        return set()
    names = [pair for language, _name in settings.LANGUAGES for pair in country_names(language)]
    named = {code for code, name in names if name == term}
    if term.isascii() and term.isalpha() and (code := countries.alpha2(term)):
        named.add(code)
    return named or {code for code, name in names if term in name}


class UsedCountryFilter(country_filters.CountryFilter):
    """django-countries' filter (the countries some enquiry comes from), its names sorted once per language.
    Reading the distinct countries of every enquiry took longer than the rest of the sidebar, so the set
    is kept in the shared cache under the enquiry version (promotion.caching), which every saved or
    deleted enquiry moves on (code writing enquiries without signals calls bump_enquiry_version()).
    The version is read first, so a change committed meanwhile reads afresh."""

    def used_codes(self, model) -> frozenset[str]:
        manager = model._default_manager
        key = f"promotion:used-countries:{model._meta.label_lower}:{self.field_path}:{version(ENQUIRY_VERSION_KEY)}"
        codes = cache.get(key)
        if codes is None:
            codes = frozenset(manager.order_by(self.field_path).values_list(self.field_path, flat=True).distinct())
            cache.set(key, codes, USED_COUNTRIES_SECONDS)
        return codes

    def lookup_choices(self, changelist):
        used = self.used_codes(changelist.model)
        return [(code, name) for code, name in zone_countries.choices() if code in used]


def has_low_ratings() -> bool:
    return hasattr(Enquiry.objects.all(), LOW_RATINGS)


class UsedRelatedFilter(admin.RelatedFieldListFilter):
    """The parks (or industries) that some enquiry names, like Django's RelatedOnlyFieldListFilter,
    but asked of each park through the enquiries' index on it rather than by reading the distinct
    parks of every enquiry. Each is offered by its name, as its str() reads it: in the reader's
    language, else in English (modeltranslation's values_list() falls back as its fields do)."""

    def field_choices(self, field, request, model_admin):
        related = field.remote_field.model
        used = Exists(model_admin.model._default_manager.filter(**{field.name: OuterRef("pk")}))
        ordering = self.field_admin_ordering(field, request, model_admin) or related._meta.ordering
        return list(related._default_manager.filter(used).order_by(*ordering).values_list("pk", "name"))


class StatusFilter(admin.SimpleListFilter):
    """The statuses, and "all open" first. It answers to `status__exact`, the parameter of the
    field's own filter, so that links and bookmarks made before keep working."""

    title = _("status")
    parameter_name = "status__exact"
    OPEN = "open"

    def lookups(self, request, model_admin):
        return [(self.OPEN, pgettext_lazy("enquiries", "All open")), *Enquiry.Status.choices]

    def queryset(self, request, queryset):
        if self.value() == self.OPEN:
            return queryset.open()
        if self.value() in Enquiry.Status.values:
            return queryset.filter(status=self.value())
        return queryset


class ResponseFilter(admin.SimpleListFilter):
    """What is waiting for the team: overdue replies, replies not yet sent, follow-ups that are due
    and, where the site records them, low ratings nobody has followed up."""

    title = _("response target")
    parameter_name = "overdue"
    OVERDUE, AWAITING_REPLY, FOLLOW_UP, LOW_RATING = "yes", "awaiting_reply", "follow_up", "low_rating"

    def lookups(self, request, model_admin):
        choices = [
            (self.OVERDUE, _("Overdue")),
            (self.AWAITING_REPLY, _("Awaiting a first reply")),
            (self.FOLLOW_UP, _("Follow-up due")),
        ]
        if has_low_ratings():
            choices.append((self.LOW_RATING, _("Low rating awaiting follow-up")))
        return choices

    def queryset(self, request, queryset):
        match self.value():
            case self.OVERDUE:
                return queryset.overdue()
            case self.AWAITING_REPLY:
                return queryset.awaiting_first_reply()
            case self.FOLLOW_UP:
                return queryset.follow_up_due()
            case self.LOW_RATING if has_low_ratings():
                return getattr(queryset, LOW_RATINGS)()
        return queryset


class OwnerFilter(admin.SimpleListFilter):
    """Me and nobody first, then everyone who owns an enquiry, by full name."""

    title = _("owner")
    parameter_name = "owner"
    ME, NOBODY = "me", "none"

    def lookups(self, request, model_admin):
        owners = (
            get_user_model()
            .objects.filter(Exists(Enquiry.objects.filter(owner=OuterRef("pk"))))
            .exclude(pk=request.user.pk)
            .order_by("first_name", "last_name", "username")
        )
        return [
            (self.ME, pgettext_lazy("owner", "Me")),
            (self.NOBODY, pgettext_lazy("owner", "Unassigned")),
            *((str(user.pk), person(user)) for user in owners),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.ME:
            return queryset.filter(owner=request.user)
        if value == self.NOBODY:
            return queryset.filter(owner__isnull=True)
        if value and value.isdigit():
            return queryset.filter(owner_id=int(value))
        return queryset
