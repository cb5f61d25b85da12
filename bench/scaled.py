"""A scaled, synthetic dataset on top of the zone's real content, for performance measurements.

`build_scaled_data()` adds rows until each table holds at least the numbers asked for: it
never changes or removes what is already there (the zone's fixtures, earlier synthetic rows),
so running it again only tops up. Synthetic rows are plainly numbered ("Industrial Park 037",
"园区037"; "Enterprise 04211 Co., Ltd.", "企业04211有限公司") so nobody mistakes them for
the zone's account. Everything is written with `bulk_create` in batches, one transaction per
batch: 100,000 enquiries with their notes take seconds on SQLite, and the same code runs on
PostgreSQL. Each model family has a function of its own (`add_parks`, `add_enquiries`, …).
"""

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TextIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Case, CharField, Value, When
from django.db.models.functions import Cast, Concat, ExtractYear, LPad
from django.utils import timezone

from promotion.caching import bump_content_version, bump_enquiry_version
from promotion.models import (
    ChainStage,
    Enquiry,
    EnquiryNote,
    Enterprise,
    Industry,
    Park,
    Policy,
    PolicyMeasure,
    Project,
)
from promotion.models.enquiries import HeardFrom, InvestmentBand, Timeline
from promotion.services import ANONYMISED, OFFICERS_GROUP

from .scale import NOTES_PER_ENQUIRY, OFFICERS, SCALE

SYNTHETIC_POSITION = 1000  # after the zone's own rows, which the fixtures number from 1
ENQUIRY_YEARS = 3
PAD_WIDTH = 5  # references read HQ-<year>-<id:05>

SECTORS = [
    ("Precision Castings", "精密铸造"),
    ("Hydraulic Components", "液压部件"),
    ("Mining Equipment", "矿山装备"),
    ("LED Lighting", "LED照明"),
    ("Semiconductor Packaging", "半导体封装"),
    ("Lithium Materials", "锂电材料"),
    ("Pharmaceutical Intermediates", "医药中间体"),
    ("Cold-chain Logistics", "冷链物流"),
    ("Building Materials", "建筑材料"),
    ("Technical Textiles", "产业用纺织品"),
    ("Food Processing", "食品加工"),
    ("Software Services", "软件服务"),
    ("Automotive Electronics", "汽车电子"),
    ("Bearings", "轴承"),
    ("Wire and Cable", "电线电缆"),
    ("Solar Components", "光伏组件"),
    ("Industrial Robots", "工业机器人"),
    ("Fine Chemicals", "精细化工"),
    ("Medical Devices", "医疗器械"),
    ("Aluminium Profiles", "铝型材"),
]
STAGES = [("Raw materials", "原材料"), ("Components", "零部件"), ("Assembly", "整机装配"), ("Services", "配套服务")]
# A few dozen countries and regions, China first and most often, as the zone's enquiries come.
COUNTRIES = (
    ["CN"] * 30
    + ["HK", "TW", "MO", "SG"] * 3
    + ["JP", "KR", "MY", "TH", "VN", "ID", "PH", "IN", "AE", "SA", "TR", "DE", "FR", "GB", "IT"]
    + ["ES", "NL", "BE", "CH", "SE", "FI", "PL", "RU", "US", "CA", "MX", "BR", "AU", "NZ", "ZA", "EG", "KZ"]
)
NOTE_TEXTS = [
    "Called the investor; sent the 8:2 tax-sharing summary and land prices.",
    "Asked for the project's floor-space and power needs before a site visit.",
    "Site visit planned with the park committee.",
    "Investor compares us with two other zones in Henan; follow up next month.",
    "已电话联系投资方，发送了园区介绍和土地价格。",
    "投资方希望考察电子产业园，已安排接待。",
    "No reply to two mails; trying the phone number next.",
    "Forwarded to the industry bureau for the environmental pre-assessment.",
]
SPAM_NOTE = "Quarantined by the form's spam checks; nothing to do."
MESSAGES = [
    "We plan a production line and would like to know about land, power prices and the 8:2 policy.",
    "Please send information on standard factory buildings for rent and the incentives for new plants.",
    "我们计划在贵区投资建厂，请介绍土地、用工和税收政策。",
    "Looking for a site of about {area} mu for a {sector} plant; timeline and approvals?",
    "希望了解{sector}产业链配套情况及园区的物流条件。",
]
SPACES = ["", "20,000 m² of land", "5,000 m² factory", "50亩工业用地"]
OPEN_STATUSES = {Enquiry.Status.IN_PROGRESS, Enquiry.Status.AWAITING_INVESTOR, Enquiry.Status.QUALIFIED}


# --- Helpers --------------------------------------------------------------------------


def tr(**fields: tuple[str, str]) -> dict:
    """Keyword arguments for a translated model: the base field and both language columns.

    `bulk_create` skips modeltranslation's save-time syncing, so every column is set here."""
    values = {}
    for name, (en, zh) in fields.items():
        values[name] = en
        values[f"{name}_en"] = en
        values[f"{name}_zh_hans"] = zh
    return values


def chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def missing_numbers(model, target: int, pattern: str) -> list[tuple[int, str]]:
    """Numbers (and their slugs, `pattern.format(n)`, unused by any row) for the rows `model` lacks."""
    missing = target - model.objects.count()
    taken = set(model.objects.values_list("slug", flat=True)) if missing > 0 else set()
    numbers, n = [], 0
    while len(numbers) < missing:
        n += 1
        slug = pattern.format(n)
        if slug not in taken:
            numbers.append((n, slug))
    return numbers


@dataclass
class Run:
    """What every step shares: the random numbers, the batch size, the progress output and the tally."""

    rng: random.Random
    batch_size: int
    stdout: TextIO | None = None
    added: Counter = field(default_factory=Counter)

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message if message.endswith("\n") else message + "\n")

    def create(self, model, objects: list, label: str) -> list:
        """bulk_create in batches, one transaction per batch; returns the objects with their pks."""
        for batch in chunks(objects, self.batch_size):
            with transaction.atomic():
                model.objects.bulk_create(batch)
        self.added[label] += len(objects)
        return objects


# --- Content ----------------------------------------------------------------------------


def add_industries(run: Run, target: int) -> None:
    """Industries, a third of them under one of the zone's own, each with two to four chain stages."""
    numbers = missing_numbers(Industry, target, "industry-{:03d}")
    if not numbers:
        return
    roots = list(Industry.objects.filter(parent=None).values_list("pk", flat=True))
    industries = []
    for n, slug in numbers:
        sector, sector_zh = SECTORS[n % len(SECTORS)]
        industries.append(
            Industry(
                slug=slug,
                position=SYNTHETIC_POSITION,
                parent_id=run.rng.choice(roots) if roots and run.rng.random() < 0.3 else None,
                is_leading=n % 25 == 0,
                chain_kind=run.rng.choice(Industry.ChainKind.values),
                **tr(
                    name=(f"Industry {n:03d}: {sector}", f"产业{n:03d}：{sector_zh}"),
                    summary=(
                        f"Synthetic industry {n:03d} for load tests: {sector.lower()} and their supply chain.",
                        f"压力测试用的虚构产业{n:03d}：{sector_zh}及其产业链。",
                    ),
                    description=(
                        f"Industry {n:03d} makes {sector.lower()} for customers across central China. "
                        "The zone offers land, standard factory buildings and the 8:2 tax-sharing mechanism.",
                        f"产业{n:03d}主要生产{sector_zh}产品，面向华中地区客户。开发区提供土地、标准化厂房和8:2税收分成机制。",
                    ),
                    image_alt=("", ""),
                ),
            )
        )
    run.create(Industry, industries, "industries")
    stages = [
        ChainStage(industry=industry, position=position, **tr(name=stage))
        for industry in industries
        for position, stage in enumerate(STAGES[: run.rng.randint(2, 4)], start=1)
    ]
    run.create(ChainStage, stages, "chain_stages")


def add_parks(run: Run, target: int) -> None:
    """Parks, mostly industrial ones, each linked to one to three industries."""
    numbers = missing_numbers(Park, target, "industrial-park-{:03d}")
    if not numbers:
        return
    industry_ids = list(Industry.objects.values_list("pk", flat=True))
    kinds = [Park.Kind.INDUSTRIAL_PARK] * 8 + [Park.Kind.BASE, Park.Kind.ECOLOGICAL_PARK]
    parks = [
        Park(
            slug=slug,
            position=SYNTHETIC_POSITION,
            kind=run.rng.choice(kinds),
            area_hectares=Decimal(run.rng.randint(2_000, 200_000)) / 100,
            is_featured=n % 20 == 0,
            **tr(
                name=(f"Industrial Park {n:03d}", f"园区{n:03d}"),
                summary=(
                    f"Synthetic park {n:03d} for load tests, with standard factory buildings.",
                    f"压力测试用的虚构园区{n:03d}，建有标准化厂房。",
                ),
                description=(
                    f"Industrial Park {n:03d} lies along the Hongqi Canal, with roads, power, water, "
                    "gas and broadband to every plot, and serviced land ready for new plants.",
                    f"园区{n:03d}位于红旗渠沿线，道路、电力、供水、燃气和宽带通达每个地块，可供新项目落地。",
                ),
                image_alt=("", ""),
            ),
        )
        for n, slug in numbers
    ]
    run.create(Park, parks, "parks")
    through = Park.industries.through
    links = [
        through(park_id=park.pk, industry_id=industry_id)
        for park in parks
        for industry_id in run.rng.sample(industry_ids, min(len(industry_ids), run.rng.randint(1, 3)))
    ]
    run.create(through, links, "park_industries")


def add_enterprises(run: Run, target: int) -> None:
    """Companies spread over the industries and parks; a tenth of them with a distinction."""
    numbers = missing_numbers(Enterprise, target, "enterprise-{:05d}")
    if not numbers:
        return
    industry_ids = list(Industry.objects.values_list("pk", flat=True))
    park_ids = list(Park.objects.values_list("pk", flat=True))
    distinctions = [Enterprise.Distinction.TOP_500] * 2 + [Enterprise.Distinction.LEADING] * 8
    enterprises = []
    for n, slug in numbers:
        industry_id = run.rng.choice(industry_ids) if run.rng.random() < 0.92 else None
        park_id = run.rng.choice(park_ids) if run.rng.random() < 0.88 else None
        sector, sector_zh = SECTORS[n % len(SECTORS)]
        enterprises.append(
            Enterprise(
                slug=slug,
                position=SYNTHETIC_POSITION,
                industry_id=industry_id,
                park_id=park_id,
                distinction=run.rng.choice(distinctions) if run.rng.random() < 0.1 else "",
                **tr(
                    name=(f"Enterprise {n:05d} Co., Ltd.", f"企业{n:05d}有限公司"),
                    summary=(
                        f"A synthetic company for load tests, making {sector.lower()}; "
                        f"{run.rng.randint(20, 3000)} employees.",
                        f"压力测试用的虚构企业，生产{sector_zh}产品，员工{run.rng.randint(20, 3000)}人。",
                    ),
                ),
            )
        )
    run.create(Enterprise, enterprises, "enterprises")


def add_policies(run: Run, target: int) -> None:
    """Policies, every tenth a tax-sharing one, each with two measures."""
    numbers = missing_numbers(Policy, target, "policy-{:03d}")
    if not numbers:
        return
    policies = []
    for n, slug in numbers:
        sector, sector_zh = SECTORS[n % len(SECTORS)]
        owner_share = run.rng.choice([70, 80]) if n % 10 == 0 else None
        policies.append(
            Policy(
                slug=slug,
                position=SYNTHETIC_POSITION,
                kind=Policy.Kind.INCENTIVE if n % 3 else Policy.Kind.MECHANISM,
                owner_share_percent=owner_share,
                zone_share_percent=None if owner_share is None else 100 - owner_share,
                is_featured=n % 20 == 0,
                **tr(
                    title=(f"Policy {n:03d}: support for {sector.lower()}", f"政策{n:03d}：{sector_zh}扶持"),
                    summary=(
                        f"Synthetic policy {n:03d} for load tests: land, rent and training support.",
                        f"压力测试用的虚构政策{n:03d}：土地、租金和培训支持。",
                    ),
                    description=(
                        f"Projects in {sector.lower()} that settle in the zone receive help with land, "
                        "standard factory rent for three years and training for their first workers.",
                        f"入驻开发区的{sector_zh}项目可获得土地支持、三年标准化厂房租金补贴和首批员工培训。",
                    ),
                    eligibility=(
                        "New projects investing at least 50 million yuan.",
                        "固定资产投资5000万元以上的新建项目。",
                    ),
                    benefits=("Rent subsidies and training grants.", "租金补贴和培训补助。"),
                ),
            )
        )
    run.create(Policy, policies, "policies")
    measures = [
        PolicyMeasure(
            policy=policy,
            position=position,
            **tr(
                title=(f"Measure {position}", f"措施{position}"),
                description=("Handled by the zone's one-stop service centre.", "由开发区一站式服务中心办理。"),
            ),
        )
        for policy in policies
        for position in (1, 2)
    ]
    run.create(PolicyMeasure, measures, "policy_measures")


def add_projects(run: Run, target: int) -> None:
    """Projects of the enterprises, in their industry and park, at every status."""
    numbers = missing_numbers(Project, target, "project-{:04d}")
    if not numbers:
        return
    enterprises = list(Enterprise.objects.values_list("pk", "industry_id", "park_id"))
    projects = []
    for n, slug in numbers:
        enterprise_id, industry_id, park_id = run.rng.choice(enterprises) if enterprises else (None,) * 3
        sector, sector_zh = SECTORS[n % len(SECTORS)]
        output = run.rng.randint(1, 50) * 10_000
        projects.append(
            Project(
                slug=slug,
                position=SYNTHETIC_POSITION,
                status=run.rng.choice(Project.Status.values),
                investment_yuan=Decimal(run.rng.randint(20, 5_000) * 1_000_000),
                enterprise_id=enterprise_id,
                industry_id=industry_id,
                park_id=park_id,
                is_featured=n % 25 == 0,
                **tr(
                    name=(f"Project {n:04d}: {sector.lower()} line", f"项目{n:04d}：{sector_zh}生产线"),
                    summary=(
                        f"Synthetic project {n:04d} for load tests: a new {sector.lower()} line.",
                        f"压力测试用的虚构项目{n:04d}：新建{sector_zh}生产线。",
                    ),
                    capacity=(f"{output:,} units a year", f"年产{output}件"),
                ),
            )
        )
    run.create(Project, projects, "projects")


# --- Enquiries --------------------------------------------------------------------------


def add_officers(run: Run, count: int) -> list[int]:
    """Staff members in "Promotion officers", to own enquiries and write notes; their ids."""
    User = get_user_model()
    group, _ = Group.objects.get_or_create(name=OFFICERS_GROUP)
    ids = []
    for n in range(1, count + 1):
        user, created = User.objects.get_or_create(
            username=f"officer{n:02d}",
            defaults={"email": f"officer{n:02d}@example.com", "is_staff": True, "first_name": f"Officer {n:02d}"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            run.added["officers"] += 1
        user.groups.add(group)
        ids.append(user.pk)
    return ids


def status_for(rng: random.Random, age: timedelta) -> str:
    """Young enquiries are mostly new; old ones mostly settled, one way or the other."""
    S = Enquiry.Status
    if age < timedelta(days=2):
        weights = {S.NEW: 60, S.IN_PROGRESS: 25, S.SPAM: 15}
    elif age < timedelta(days=30):
        weights = {S.NEW: 12, S.IN_PROGRESS: 30, S.AWAITING_INVESTOR: 20, S.QUALIFIED: 10, S.NOT_PURSUED: 13}
        weights[S.SPAM] = 15
    else:
        weights = {S.NEW: 2, S.IN_PROGRESS: 8, S.AWAITING_INVESTOR: 8, S.QUALIFIED: 10, S.LANDED: 10}
        weights.update({S.NOT_PURSUED: 47, S.SPAM: 15})
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@dataclass
class EnquiryChoices:
    """What an enquiry is made from: who may own it, what it may be about, and the site's clock."""

    officer_ids: list[int]
    industries: list  # with their parents, so that compute_priority() reads no row per enquiry
    park_ids: list
    now: datetime
    response: timedelta = field(default_factory=lambda: timedelta(days=settings.ENQUIRY_REPLY_WORKING_DAYS))
    retention: timedelta = field(default_factory=lambda: timedelta(days=settings.ENQUIRY_RETENTION_DAYS))


def new_enquiry(rng: random.Random, age: timedelta, choices: EnquiryChoices) -> Enquiry:
    """One enquiry as the form would have stored it `age` ago, anonymised if it is that old by now."""
    received = choices.now - age
    status = status_for(rng, age)
    number = rng.randint(10_000, 999_999)
    chinese = rng.random() < 0.35
    sector, sector_zh = rng.choice(SECTORS)
    message = rng.choice(MESSAGES).format(area=rng.randint(20, 500), sector=sector_zh if chinese else sector.lower())
    owned = rng.random() < (0.2 if status == Enquiry.Status.NEW else 0.9)
    enquiry = Enquiry(
        received_at=received,
        consent_at=received,
        reply_due_at=received + choices.response,  # near enough (working days) for synthetic data
        language="zh-hans" if chinese else "en",
        name=f"投资者{number}" if chinese else f"Investor {number}",
        organisation=f"企业{number}有限公司" if chinese else f"Synthetic Holdings {number} Ltd.",
        email=f"investor{number}@example.com",
        phone=f"+86 372 {number:06d}" if rng.random() < 0.6 else "",
        country="CN" if chinese else rng.choice(COUNTRIES),
        industry=rng.choice(choices.industries),
        park_id=rng.choice(choices.park_ids),
        investment_band=rng.choice(InvestmentBand.values),
        expected_jobs=rng.choice([None, rng.randint(5, 2000)]),
        space_needed=rng.choice(SPACES),
        timeline=rng.choice(Timeline.values),
        heard_from=rng.choice([*HeardFrom.values, ""]),
        message=message,
        ip_address=f"198.51.100.{rng.randint(1, 254)}",
        status=status,
        spam_reason="honeypot" if status == Enquiry.Status.SPAM else "",
        owner_id=rng.choice(choices.officer_ids) if owned and status != Enquiry.Status.SPAM else None,
        follow_up_on=(
            timezone.localdate(received) + timedelta(days=rng.randint(7, 60))
            if status in OPEN_STATUSES and rng.random() < 0.5
            else None
        ),
    )
    enquiry.priority = enquiry.compute_priority()
    if age > choices.retention:  # what anonymise_enquiries has done to it by now
        enquiry.name = enquiry.organisation = enquiry.message = ANONYMISED
        enquiry.email, enquiry.phone, enquiry.space_needed = "anonymised@invalid", "", ""
        enquiry.ip_address = None
        enquiry.anonymised_at = received + choices.retention
    return enquiry


def notes_on(rng: random.Random, enquiry: Enquiry, count: int, choices: EnquiryChoices) -> list[EnquiryNote]:
    """An officer's notes, written within twenty days of the enquiry (and never in the future)."""
    notes = []
    for _ in range(count):
        written = min(enquiry.received_at + timedelta(hours=rng.uniform(1, 24 * 20)), choices.now)
        if enquiry.status == Enquiry.Status.SPAM:
            text = SPAM_NOTE
        elif enquiry.anonymised_at:
            text = ANONYMISED
        else:
            text = rng.choice(NOTE_TEXTS)
        author = enquiry.owner_id or rng.choice(choices.officer_ids)
        notes.append(EnquiryNote(enquiry_id=enquiry.pk, author_id=author, created_at=written, text=text))
    return notes


def reference_expression():
    """HQ-<year received, in the zone's time>-<id, at least five digits>, as submit_enquiry() writes it."""
    as_text = Cast("pk", output_field=CharField())
    padded = Case(
        When(pk__lt=10**PAD_WIDTH, then=LPad(as_text, PAD_WIDTH, Value("0"))),
        default=as_text,
        output_field=CharField(),
    )
    year = Cast(ExtractYear("received_at", tzinfo=timezone.get_default_timezone()), output_field=CharField())
    return Concat(Value("HQ-"), year, Value("-"), padded, output_field=CharField())


def add_enquiries(run: Run, target: int, notes_per_enquiry: int, officer_count: int) -> None:
    """Enquiries over the last three years with their notes; each batch with its references in one transaction."""
    missing = target - Enquiry.objects.count()
    if missing <= 0:
        return
    choices = EnquiryChoices(
        officer_ids=add_officers(run, officer_count),
        industries=list(Industry.objects.select_related("parent")),
        park_ids=[None] * 3 + list(Park.objects.values_list("pk", flat=True)),
        now=timezone.now(),
    )
    span = ENQUIRY_YEARS * 365 * 24 * 3600
    # Oldest first, so that ids (and references) grow with time as they do on the site.
    ages = sorted((timedelta(seconds=run.rng.uniform(60, span)) for _ in range(missing)), reverse=True)
    done = 0
    for batch in chunks(ages, run.batch_size):
        enquiries = [new_enquiry(run.rng, age, choices) for age in batch]
        with transaction.atomic():
            Enquiry.objects.bulk_create(enquiries)
            ids = [enquiry.pk for enquiry in enquiries]
            if None in ids:  # a backend that does not return ids from a bulk insert
                raise RuntimeError("bulk_create returned no ids; use SQLite 3.35+ or PostgreSQL")
            for some in chunks(ids, 900):
                Enquiry.objects.filter(pk__in=some, reference=None).update(reference=reference_expression())
            notes = [note for e in enquiries for note in notes_on(run.rng, e, notes_per_enquiry, choices)]
            EnquiryNote.objects.bulk_create(notes)
        done += len(enquiries)
        run.added["enquiries"] += len(enquiries)
        run.added["enquiry_notes"] += len(notes)
        run.say(f"  enquiries: {done:,}/{missing:,}")


# --- The whole dataset -------------------------------------------------------------------


def counts() -> dict[str, int]:
    """How many rows each table the scaled dataset grows holds now."""
    return {
        "parks": Park.objects.count(),
        "industries": Industry.objects.count(),
        "park_industries": Park.industries.through.objects.count(),
        "enterprises": Enterprise.objects.count(),
        "projects": Project.objects.count(),
        "policies": Policy.objects.count(),
        "enquiries": Enquiry.objects.count(),
        "enquiry_notes": EnquiryNote.objects.count(),
        "officers": get_user_model().objects.filter(groups__name=OFFICERS_GROUP).count(),
    }


def build_scaled_data(
    *,
    parks: int = SCALE["parks"],
    industries: int = SCALE["industries"],
    enterprises: int = SCALE["enterprises"],
    policies: int = SCALE["policies"],
    projects: int = SCALE["projects"],
    enquiries: int = SCALE["enquiries"],
    notes_per_enquiry: int = NOTES_PER_ENQUIRY,
    officers: int = OFFICERS,
    batch_size: int = 5000,
    seed: int = 2026,
    stdout: TextIO | None = None,
) -> dict:
    """Add synthetic rows until each table holds at least the given number; return the counts.

    The result is `{"added": {table: rows added}, "totals": {table: rows now}, "seconds": …}`."""
    started = time.monotonic()
    run = Run(rng=random.Random(seed), batch_size=max(1, batch_size), stdout=stdout)
    # Industries first: parks link to them, enterprises and enquiries point at both.
    steps = [
        ("industries", lambda: add_industries(run, industries)),
        ("parks", lambda: add_parks(run, parks)),
        ("enterprises", lambda: add_enterprises(run, enterprises)),
        ("policies", lambda: add_policies(run, policies)),
        ("projects", lambda: add_projects(run, projects)),
        ("enquiries", lambda: add_enquiries(run, enquiries, notes_per_enquiry, officers)),
    ]
    for label, step in steps:
        step_started = time.monotonic()
        step()
        run.say(f"{label}: +{run.added[label]:,} in {time.monotonic() - step_started:.1f} s")
    if any(run.added.values()):
        bump_content_version()  # bulk_create sends no post_save: tell the page cache that the content changed
        bump_enquiry_version()
    return {"added": dict(run.added), "totals": counts(), "seconds": round(time.monotonic() - started, 2)}
