"""The fixtures carry the zone's own account: every fact exactly, loadable again and again."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from PIL import Image

from promotion.figure_text import figures_named, fill
from promotion.models import (
    ChainStage,
    Enterprise,
    Honour,
    Industry,
    KeyFigure,
    Milestone,
    Park,
    PlanTarget,
    Policy,
    PolicyMeasure,
    Project,
    ZoneProfile,
)

pytestmark = pytest.mark.django_db

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "zone.json"
FIXTURE_MODELS = {obj["model"] for obj in json.loads(FIXTURE.read_text(encoding="utf-8"))}
PROMOTION_MODELS = [m for m in apps.get_app_config("promotion").get_models() if m._meta.label_lower in FIXTURE_MODELS]

# (slug, value, unit, year, growth %, label) as the account gives them.
KEY_FIGURES = [
    ("planned-area", "27.05", "km2", None, None, "Planned area"),
    ("entered-enterprises", "419", "enterprises", None, None, "Entered enterprises"),
    ("enterprises-accumulated", "436", "enterprises", None, None, "Enterprises accumulated in the zone"),
    ("above-size-enterprises", "124", "enterprises", None, None, "Enterprises above designated size"),
    ("employees", "120000", "people", None, None, "Employees"),
    ("main-business-income-2015", "61000000000", "yuan", 2015, "10.3", "Main business income"),
    ("total-output-value-2015", "90000000000", "yuan", 2015, "13.6", "Total output value"),
    ("fixed-asset-investment-2015", "23400000000", "yuan", 2015, "20", "Investment in fixed assets"),
    ("tax-revenue-2015", "1040000000", "yuan", 2015, "60", "Tax revenue"),
    ("new-projects-100m", "65", "projects", None, None, "New projects of over 100 million yuan each"),
    ("foreign-capital-introduced", "36000000000", "number", None, None, "Foreign capital introduced"),
    ("foreign-capital-used", "150000000", "usd", None, None, "Foreign capital actually used"),
    ("pearl-river-delta-projects", "10", "projects", None, None, None),
    ("shenzhou-power-investment", "350000000", "yuan", None, None, None),
    ("shenzhou-power-annual-output", "3000000000", "wh", None, None, None),
    ("mobile-phone-annual-output", "3000000", "phones", None, None, None),
    ("national-high-tech-enterprises", "5", "enterprises", None, None, "National new high-tech enterprises"),
    ("engineering-centres", "10", "centres", None, None, "Engineering centres"),
    ("postdoctoral-workstations", "2", "workstations", None, None, "Post-doctoral workstations"),
    ("academician-workstations", "1", "workstations", None, None, None),
    ("high-end-management-personnel", "262", "people", None, None, None),
    ("professionals-introduced", "3450", "people", None, None, None),
    ("aluminium-dc-power-consumption", "11819", "kwh", None, None, "DC power consumption per tonne of aluminium"),
    ("aluminium-energy-saving", "10.7", "percent", None, None, None),
    ("science-progress-city-years", "3", "years", None, None, None),
    ("main-roads", "13", "roads", None, None, None),
    ("main-road-length", "105", "km", None, None, None),
    ("pipe-network", "235", "km", None, None, "Pipe network"),
    ("power-grid", "228", "km", None, None, "Power grid"),
    ("huan-river-park-area", "26.68", "ha", None, None, None),
    ("new-green-area", "1200000", "m2", None, None, "New green area"),
    ("enterprise-websites", "95", "percent", None, None, None),
    ("resettlement-housing", "200000", "m2", None, None, "Resettlement housing"),
    ("security-housing", "4500", "units", None, None, "Security housing"),
    ("tax-share-introducing-towns", "80", "percent", None, None, None),
    ("tax-share-zone", "20", "percent", None, None, None),
    ("entrepreneur-talent-funding", "1000000", "number", None, None, None),
    ("yao-town-villages", "7", "villages", None, None, None),
    ("henan-first-batch-clusters", "180", "clusters", None, None, None),
    ("provincial-zones-in-counties", "3", "zones", None, None, None),
]

MILESTONES = [(1992, None), (2006, 3), (2006, 4), (2008, 12), (2012, 10)]

HONOURS = [
    "National Demonstration Pilot Park for Recycling Reformation",
    "Top Ten Industrial Cluster Districts in Henan Province",
    "Three-star Level Industrial Cluster District",
    "Advanced Development Zone of Henan Province Opening to the Outside World",
    "Henan Demonstration Pilot for Intensively and Economically Using Land",
    "Integrating Test Zone of Informatization and Industrialization in Henan Province",
    "The Advantages Training Area of Intellectual Property in Henan Province",
]

# (indicator, target value, unit, the figure it is set beside)
PLAN_TARGETS = [
    ("Regional GDP", "36000000000", "yuan", None),
    ("Main business income", "120000000000", "yuan", "main-business-income-2015"),
    ("Total industrial output value", "150000000000", "yuan", "total-output-value-2015"),
    ("Actual use of foreign capital", "1000000000", "usd", "foreign-capital-used"),
    ("Population in the zone", "300000", "people", None),
]

CHAINS = {
    "steel": ["Crude steel", "Special steel", "High-quality tube materials"],
    "coal-machinery": ["Single hydraulic supports", "Fully mechanised mining equipment", "Energy technology"],
    "auto-parts": ["Rough parts", "Assembly", "Special vehicles", "New-energy vehicles"],
    "electronic-products": ["Electronic cloth", "Household appliances", "Mobile phones", "LED lighting", "PV modules"],
}

PARKS = [
    "Coal Machine Equipment Manufacturing Industrial Park",
    "Electronics Industrial Park",
    "Biotechnology Industrial Park",
    "Electric Mobile Industrial Park",
    "Heavy Machinery Equipment Manufacturing Park",
    "Hongqi Canal Power Industrial Park",
    "Power Battery Industrial Park",
    "Tsinghua–Hongqi Canal New Material Industrialization Base",
    "Hongqi Canal (Anyang) E-commerce Base",
    "Huan River Ecological Leisure Park",
]

ENTERPRISES = {
    "China Datang": "top500",
    "Zhongfu Industry": "top500",
    "Linzhou Heavy Machinery Group Co., Ltd.": "leading",
    "Henan Fengbao Special Steel Co., Ltd.": "leading",
    "Sin Agriyin Thai Linzhou Biotechnology Park Company": "leading",
    "Linzhou Guangyuan New Materials Co., Ltd.": "leading",
    "Shanghai Yinzhou Electric Appliance": "",
    "Theo Elevator": "",
    "Beijing Shenzhou Power Company": "",
    "Alibaba": "",
}

PROJECT_MEASURES = [
    "Responsibility system of county-level leaders contracting enterprises and projects",
    "Project construction regular meeting system",
    "Supervision system",
    "Joint approval system",
    "Green channel system",
    "One-stop management system",
]


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in PROMOTION_MODELS}


def assert_account_facts_are_stored() -> int:
    """Check every fact above against the database; return how many were checked."""
    checked = 0
    profile = ZoneProfile.objects.get()
    assert profile.name == "Hongqi Canal Economic and Technological Development Zone"
    assert profile.planned_area_km2 == Decimal("27.05")
    assert "north-east of Linzhou City" in profile.location
    assert "three provinces" in profile.location
    assert profile.other_brand == "Linzhou Industrial Agglomeration Zone"
    checked += 5

    for slug, value, unit, year, growth, label in KEY_FIGURES:
        figure = KeyFigure.objects.get(slug=slug)
        assert (figure.value, figure.unit, figure.year) == (Decimal(value), unit, year), slug
        assert figure.growth_percent == (Decimal(growth) if growth else None), slug
        if label:
            assert figure.label == label, slug
        checked += 1
    assert KeyFigure.objects.get(slug="employees").qualifier == "up_to"
    assert KeyFigure.objects.get(slug="enterprise-websites").qualifier == "more_than"
    assert KeyFigure.objects.get(slug="pearl-river-delta-projects").qualifier == "more_than"

    assert [(m.year, m.month) for m in Milestone.objects.all()] == MILESTONES
    assert Milestone.objects.get(year=1992).when_note == "Early"
    assert "State Council" in Milestone.objects.get(year=2012).description
    clusters = Milestone.objects.get(year=2008).description  # names the key figure, which the page writes out
    assert "first batch of 180 industrial clusters" in fill(clusters, figures_named(clusters), "en")
    checked += len(MILESTONES)

    assert [h.title for h in Honour.objects.all()] == HONOURS
    assert Honour.objects.get(title=HONOURS[1]).years == "2013, 2014 and 2015"
    checked += len(HONOURS)

    for label, value, unit, baseline in PLAN_TARGETS:
        target = PlanTarget.objects.get(label=label)
        assert (target.value, target.unit) == (Decimal(value), unit), label
        assert (target.baseline.slug if target.baseline else None) == baseline, label
        checked += 1
    assert PlanTarget.objects.filter(value=None).count() == 2

    for slug, stages in CHAINS.items():
        assert [s.name for s in ChainStage.objects.filter(industry__slug=slug)] == stages, slug
        checked += 1
    assert set(Industry.objects.leading().values_list("slug", flat=True)) == {
        "equipment-manufacturing",
        "electronic-products",
    }

    assert set(PARKS) <= set(Park.objects.values_list("name", flat=True))
    assert Park.objects.get(slug="huan-river-park").area_hectares == Decimal("26.68")
    checked += len(PARKS)

    for name, distinction in ENTERPRISES.items():
        assert Enterprise.objects.get(name=name).distinction == distinction, name
        checked += 1
    assert Enterprise.objects.get(name="Henan Fengbao Special Steel Co., Ltd.").industry.slug == "steel"

    shenzhou = Project.objects.get(slug="shenzhou-power-lithium-batteries")
    assert shenzhou.investment_yuan == Decimal("350000000")
    assert shenzhou.status == Project.Status.SIGNED
    checked += 1

    tax = Policy.objects.get(slug="tax-sharing")
    assert (tax.owner_share_percent, tax.zone_share_percent) == (80, 20)
    assert "enclave economy" in tax.title.lower()
    talent = Policy.objects.get(slug="talent-100-entrepreneurs")
    assert "Peking University" in talent.description and "Tsinghua University" in talent.description
    measures = list(PolicyMeasure.objects.filter(policy__slug="project-promotion").values_list("title", flat=True))
    assert measures == PROJECT_MEASURES
    checked += 3
    return checked


def test_fixtures_load_into_an_empty_database_with_every_fact():
    for model in reversed(PROMOTION_MODELS):
        model.objects.all().delete()
    assert set(row_counts().values()) == {0}

    call_command("loaddata", "zone", verbosity=0)

    assert assert_account_facts_are_stored() >= 40


def test_loading_twice_changes_no_row_count():
    before = row_counts()
    call_command("loaddata", "zone", verbosity=0)
    call_command("loaddata", "zone", verbosity=0)
    assert row_counts() == before
    assert all(before.values()), before


def test_every_object_in_the_fixture_has_a_fixed_key():
    objects = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert all(isinstance(obj.get("pk"), int) for obj in objects)
    keys = [(obj["model"], obj["pk"]) for obj in objects]
    assert len(keys) == len(set(keys))


def test_fixture_illustrations_are_real_images_of_the_declared_size():
    fixture_media = Path(settings.BASE_DIR) / "fixtures" / "media"
    objects = [o for o in json.loads(FIXTURE.read_text(encoding="utf-8")) if o["fields"].get("image")]
    assert len(objects) == Park.objects.count() + Industry.objects.count()
    for obj in objects:
        with Image.open(fixture_media / obj["fields"]["image"]) as image:
            image.verify()
        with Image.open(fixture_media / obj["fields"]["image"]) as image:
            assert image.size == (obj["fields"]["image_width"], obj["fields"]["image_height"])


def test_load_zone_copies_the_illustrations_and_loads_the_content(settings):
    call_command("load_zone", verbosity=0)
    park = Park.objects.get(slug="electronics-park")
    assert (Path(settings.MEDIA_ROOT) / park.image.name).is_file()
    assert KeyFigure.objects.filter(slug="tax-revenue-2015").exists()
