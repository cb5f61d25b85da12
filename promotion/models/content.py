"""The zone's content: everything its own account tells an investor."""

from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Max, Window
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from ..units import Qualifier, Unit, growth, quantity
from ..uploads import SafeImageField


class Shown(models.Model):
    """Anything the public pages show. Saving or deleting one, or changing the links between two,
    makes every cached page stale (promotion.caching); nothing else does."""

    class Meta:
        abstract = True


class Content(Shown):
    """Fields every editable piece of content shares, with the editors' own two that the public never sees:
    a note for editors, and a mark on what awaits the zone's confirmation."""

    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Lower numbers come first."))
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    to_be_confirmed = models.BooleanField(
        _("to be confirmed"),
        default=False,
        help_text=_("Something here awaits the zone's confirmation; the note for editors says what."),
    )
    editor_note = models.TextField(
        _("note for editors"),
        blank=True,
        help_text=_("Remarks for editors, such as what to confirm with the zone. Never shown on the public site."),
    )

    class Meta:
        abstract = True


class Measured(models.Model):
    """A value with a unit, written the way the reader's language reads it."""

    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit, default=Unit.NUMBER)
    qualifier = models.CharField(_("qualifier"), max_length=20, choices=Qualifier, default=Qualifier.EXACT, blank=True)

    class Meta:
        abstract = True

    @property
    def amount(self):
        if self.value is None:
            return None
        return quantity(self.value, self.unit, self.qualifier)


def illustration_path(instance: "Illustrated", filename: str) -> str:
    return f"{instance.illustrations_folder}/{filename}"


class Illustrated(models.Model):
    """Content with an illustration, stored in the subclass's `illustrations_folder` of the media,
    with its dimensions (for the renditions and the page's layout) and a description."""

    illustrations_folder: str

    # The dimensions come first: Django fills them from the file only while they are empty.
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image = SafeImageField(
        _("illustration"),
        upload_to=illustration_path,
        blank=True,
        width_field="image_width",
        height_field="image_height",
    )
    image_alt = models.CharField(_("illustration description"), max_length=200, blank=True)

    class Meta:
        abstract = True


# Put into a detail address to find where a slug goes; never looked up.
STAND_IN_SLUG = "__slug__"


def address_by_slug(model) -> Callable[[str], str]:
    """The page address of a `model` object from its slug alone, in the active language: the model's own
    get_absolute_url() worked out once with a stand-in slug (a slug needs no quoting, so the address is the
    same), for lists of hundreds or thousands."""
    head, _, tail = model(slug=STAND_IN_SLUG).get_absolute_url().partition(STAND_IN_SLUG)
    return lambda slug: f"{head}{slug}{tail}"


class NamedQuerySet(models.QuerySet):
    """Lists of content that has a name and a page of its own."""

    def as_links(self, *fields: str):
        """Only what a list of links needs: slug, name and last change, and the `fields` named."""
        return self.only("slug", "name", "updated_at", *fields)

    def as_choices(self):
        """What a list to choose from needs (the enterprise directory's filters), as dicts: each one's slug and
        name, and under "changed" the latest change among them all (the same on every row)."""
        return self.values("slug", "name").annotate(changed=Window(Max("updated_at")))


class FeaturedQuerySet(models.QuerySet):
    def featured(self):
        """What the home page puts forward."""
        return self.filter(is_featured=True)


class ZoneProfile(Content):
    """The zone itself: one row, shown on the home and about pages."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=100)
    other_brand = models.CharField(
        _("other brand"),
        max_length=200,
        blank=True,
        help_text=_("The same institution under another name."),
    )
    location = models.TextField(_("location"))
    planned_area_km2 = models.DecimalField(_("planned area (km²)"), max_digits=7, decimal_places=2)
    leading_industries = models.CharField(_("leading industries"), max_length=300)
    positioning = models.TextField(_("positioning"))
    goal = models.TextField(_("goal"))
    overview = models.TextField(_("overview"))
    # What the investment environment and innovation pages point to, besides their topics.
    environment_parks = models.ManyToManyField(
        "Park",
        verbose_name=_("parks on the investment environment page"),
        related_name="environment_profiles",
        blank=True,
        help_text=_("The parks and bases the Investment environment page points to, in the parks' order."),
    )
    innovation_parks = models.ManyToManyField(
        "Park",
        verbose_name=_("parks on the innovation page"),
        related_name="innovation_profiles",
        blank=True,
        help_text=_("The parks and bases the Innovation and talent page points to, in the parks' order."),
    )
    innovation_policies = models.ManyToManyField(
        "Policy",
        verbose_name=_("policies on the innovation page"),
        related_name="innovation_profiles",
        blank=True,
        help_text=_("The policies the Innovation and talent page points to, in the policies' order."),
    )

    class Meta:
        verbose_name = _("zone profile")
        verbose_name_plural = _("zone profile")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("promotion:about")

    @property
    def planned_area(self):
        """ "27.05 km²" / "27.05平方公里"."""
        return quantity(self.planned_area_km2, Unit.SQUARE_KILOMETRE)


class KeyFigureQuerySet(models.QuerySet):
    def headline(self):
        return self.filter(is_headline=True)

    def in_category(self, category: str):
        return self.filter(category=category)


class KeyFigure(Measured, Content):
    """One number the zone's account gives, with its unit, year and growth."""

    class Category(models.TextChoices):
        SCALE = "scale", _("Scale")
        ECONOMY = "economy", _("Economic results")
        INVESTMENT = "investment", _("Investment")
        INNOVATION = "innovation", _("Innovation and talent")
        INFRASTRUCTURE = "infrastructure", _("Infrastructure")
        URBANISATION = "urbanisation", _("Urbanisation and housing")
        INFORMATISATION = "informatisation", _("Informatisation")
        POLICY = "policy", _("Policy")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    label = models.CharField(_("label"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    period = models.CharField(
        _("period"),
        max_length=120,
        blank=True,
        help_text=_("When the figure holds, where it is not a single year, e.g. “cumulative”."),
    )
    growth_percent = models.DecimalField(
        _("year-on-year growth (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    category = models.CharField(_("category"), max_length=20, choices=Category)
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_("Shown on the public site beside the figure; remarks for editors go in the note for editors."),
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where the figure comes from; left empty, the zone's own account."),
    )
    is_headline = models.BooleanField(_("headline figure"), default=False)

    objects = KeyFigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        ordering = ["category", "position", "id"]
        indexes = [models.Index(fields=["is_headline", "category", "position"], name="figure_headline")]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("promotion:figure-list") + f"#{self.slug}"

    @property
    def growth_text(self) -> str:
        return growth(self.growth_percent)


class Milestone(Content):
    """A dated step in the zone's history."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True, choices=[(m, m) for m in range(1, 13)])
    when_note = models.CharField(
        _("when, in words"), max_length=60, blank=True, help_text=_("e.g. “early”, when no month is known.")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["year", "month", "position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month__isnull=True) | models.Q(month__gte=1, month__lte=12),
                name="%(app_label)s_%(class)s_month_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.title}"

    @property
    def when(self) -> str:
        """ "March 2006" / "2006年3月"; "Early 1992" / "1992年初" (from the note "年初" or "初")."""
        if self.month:
            return date_format(date(self.year, self.month, 1), "YEAR_MONTH_FORMAT")
        return (
            pgettext("a year with a note", "%(note)s %(year)s") % {"note": self.when_note, "year": self.year}
        ).strip()


class Honour(Content):
    """A title the zone has been awarded."""

    title = models.CharField(_("title"), max_length=200)
    years = models.CharField(_("years"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class PlanTarget(Measured, Content):
    """A 13th Five-Year Plan target, beside the figure it grows from where the account gives one."""

    label = models.CharField(_("indicator"), max_length=200)
    # A target may be set in words only.
    value = models.DecimalField(_("target value"), max_digits=20, decimal_places=2, null=True, blank=True)
    baseline = models.ForeignKey(
        KeyFigure,
        verbose_name=_("actual figure"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_targets",
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class IndustryQuerySet(NamedQuerySet):
    def leading(self):
        return self.filter(is_leading=True)


class Industry(Illustrated, Content):
    """An industry the zone develops, with the chain it climbs."""

    class ChainKind(models.TextChoices):
        SEQUENCE = "sequence", _("Upgrading path")
        PORTFOLIO = "portfolio", _("Product range")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="branches",
    )
    is_leading = models.BooleanField(_("leading industry"), default=False, db_index=True)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"))
    chain_kind = models.CharField(_("chain kind"), max_length=20, choices=ChainKind, default=ChainKind.SEQUENCE)

    objects = IndustryQuerySet.as_manager()
    illustrations_folder = "industries"

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("promotion:industry-detail", kwargs={"slug": self.slug})


class ChainStage(Shown):
    """One step of an industry's chain, in order."""

    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), on_delete=models.CASCADE, related_name="chain_stages"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("chain stage")
        verbose_name_plural = _("chain stages")
        ordering = ["industry", "position", "id"]

    def __str__(self) -> str:
        return self.name


class ParkQuerySet(FeaturedQuerySet, NamedQuerySet):
    def on_environment_page(self):
        return self.filter(environment_profiles__isnull=False).distinct()

    def on_innovation_page(self):
        return self.filter(innovation_profiles__isnull=False).distinct()


class Park(Illustrated, Content):
    """An industrial park or base inside the zone."""

    class Kind(models.TextChoices):
        INDUSTRIAL_PARK = "industrial_park", _("Industrial park")
        BASE = "base", _("Base")
        ECOLOGICAL_PARK = "ecological_park", _("Ecological park")

    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.INDUSTRIAL_PARK)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"))
    area_hectares = models.DecimalField(_("area (hectares)"), max_digits=8, decimal_places=2, null=True, blank=True)
    industries = models.ManyToManyField(Industry, verbose_name=_("industries"), related_name="parks", blank=True)
    is_featured = models.BooleanField(_("featured"), default=False)

    objects = ParkQuerySet.as_manager()
    illustrations_folder = "parks"

    class Meta:
        verbose_name = _("park")
        verbose_name_plural = _("parks and bases")
        ordering = ["position", "name"]
        indexes = [models.Index(fields=["is_featured", "position", "name"], name="park_featured")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("promotion:park-detail", kwargs={"slug": self.slug})


class EnterpriseQuerySet(NamedQuerySet):
    def in_directory(self):
        """What the directory's cards show: name, distinction, summary, the names of the industry and park."""
        return self.select_related("industry", "park").only(
            "slug", "name", "summary", "distinction", "updated_at", "industry__name", "park__name"
        )


class Enterprise(Content):
    """A company in the zone that its account names."""

    class Distinction(models.TextChoices):
        NONE = "", _("—")
        TOP_500 = "top500", _("China top 500 enterprise")
        LEADING = "leading", _("Provincial or city-level well-known leading enterprise")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    summary = models.TextField(_("summary"))
    distinction = models.CharField(_("distinction"), max_length=20, choices=Distinction, blank=True, default="")
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enterprises",
    )
    park = models.ForeignKey(
        Park,
        verbose_name=_("park"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enterprises",
    )

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["position", "name"]
        indexes = [
            models.Index(fields=["position", "name"], name="enterprise_order"),
            models.Index(fields=["industry", "position", "name"], name="enterprise_industry"),
            models.Index(fields=["park", "position", "name"], name="enterprise_park"),
            # The sitemap index counts the enterprises and takes their latest change from this index alone.
            models.Index(fields=["updated_at"], name="enterprise_updated"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("promotion:enterprise-detail", kwargs={"slug": self.slug})


class ProjectQuerySet(FeaturedQuerySet, NamedQuerySet):
    pass


class Project(Content):
    """A major project built, introduced or signed in the zone."""

    class Status(models.TextChoices):
        IN_OPERATION = "in_operation", _("Completed and in operation")
        UNDER_WAY = "under_way", _("Under construction")
        INTRODUCED = "introduced", _("Introduced")
        SIGNED = "signed", _("Signed")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=Status)
    summary = models.TextField(_("summary"))
    investment_yuan = models.DecimalField(
        _("investment (yuan)"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    capacity = models.CharField(_("capacity"), max_length=200, blank=True)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), on_delete=models.SET_NULL, null=True, blank=True, related_name="projects"
    )
    park = models.ForeignKey(
        Park, verbose_name=_("park"), on_delete=models.SET_NULL, null=True, blank=True, related_name="projects"
    )
    is_featured = models.BooleanField(_("featured"), default=False)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["position", "name"]
        indexes = [models.Index(fields=["is_featured", "position", "name"], name="project_featured")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("promotion:project-detail", kwargs={"slug": self.slug})


class PolicyQuerySet(FeaturedQuerySet):
    def on_innovation_page(self):
        return self.filter(innovation_profiles__isnull=False).distinct()


class Policy(Content):
    """An incentive or mechanism, told as an investor needs it.

    A policy that shares tax (the 8:2 enclave-economy rule) shares it between local governments: the
    village or town outside the zone that introduced the project (the account's "project owners") and the
    zone. No part of it goes back to the investor.
    """

    class Kind(models.TextChoices):
        INCENTIVE = "incentive", _("Incentive")
        MECHANISM = "mechanism", _("Mechanism")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"))
    eligibility = models.TextField(_("who qualifies"), blank=True)
    benefits = models.TextField(_("what they get"), blank=True)
    owner_share_percent = models.PositiveSmallIntegerField(
        _("introducing village's or town's share of tax (%)"),
        null=True,
        blank=True,
        help_text=_(
            "The part of a project's tax revenue kept by the village or town outside the zone that introduced the "
            "project. The split is between local governments; the investor receives no part of it."
        ),
    )
    zone_share_percent = models.PositiveSmallIntegerField(_("zone's share of tax (%)"), null=True, blank=True)
    is_featured = models.BooleanField(_("featured"), default=False)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["position", "title"]
        indexes = [models.Index(fields=["is_featured", "position", "title"], name="policy_featured")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(owner_share_percent__isnull=True, zone_share_percent__isnull=True)
                    | models.Q(
                        owner_share_percent__isnull=False,
                        zone_share_percent__isnull=False,
                        owner_share_percent__lte=100,
                        owner_share_percent=100 - models.F("zone_share_percent"),
                    )
                ),
                name="%(app_label)s_%(class)s_tax_shares_make_100",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("promotion:policy-detail", kwargs={"slug": self.slug})

    @property
    def shares_tax(self) -> bool:
        return self.owner_share_percent is not None

    def split_tax(self, tax: Decimal) -> tuple[Decimal, Decimal]:
        """The introducing village's or town's part and the zone's part of a project's tax revenue, to the fen."""
        cent = Decimal("0.01")
        owner = (tax * self.owner_share_percent / 100).quantize(cent, rounding=ROUND_HALF_UP)
        return owner, tax - owner


class PolicyMeasure(Shown):
    """One system or measure that makes up a policy."""

    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="measures")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["policy", "position", "id"]

    def __str__(self) -> str:
        return self.title


class HighlightQuerySet(models.QuerySet):
    def on_topic(self, topic: str):
        return self.filter(topic=topic)


class Highlight(Content):
    """A fact in words about the zone's surroundings or innovation, grouped by topic."""

    class Topic(models.TextChoices):
        INFRASTRUCTURE = "infrastructure", _("Infrastructure")
        INFORMATISATION = "informatisation", _("Informatisation and e-commerce")
        URBANISATION = "urbanisation", _("New urbanisation")
        INNOVATION = "innovation", _("Science and technology")
        TALENT = "talent", _("Talent")
        INVESTMENT = "investment", _("Investment promotion")

    topic = models.CharField(_("topic"), max_length=20, choices=Topic, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))

    objects = HighlightQuerySet.as_manager()

    class Meta:
        verbose_name = _("highlight")
        verbose_name_plural = _("highlights")
        ordering = ["topic", "position", "id"]

    def __str__(self) -> str:
        return self.title
