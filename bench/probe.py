"""`python -m bench.probe pages|queries`: what the benchmark asks of a dataset from inside Django.

`pages` makes sure the bench's superuser exists with the password in $BENCH_PASSWORD, and
prints the rows each table holds and the address of every page to measure. `queries` reads
`{label: address}` on stdin and prints the SQL queries each page makes when it is built
(Django's test client, page cache cleared, under CaptureQueriesContext). Each prints one line,
`BENCH-JSON:` and the JSON, so that nothing else a process may print is taken for it.
"""

import argparse
import json
import os
import sys

PREFIX = "BENCH-JSON:"


def first(model, **filters):
    return model.objects.filter(**filters).order_by("pk").first()


def ensure_superuser(username: str, password: str) -> None:
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username=username)
    user.is_staff = user.is_superuser = user.is_active = True
    user.set_password(password)
    user.save()


def page_addresses() -> dict[str, str]:
    """One address of every page type, the busiest or first of its kind, in English unless said."""
    from django.db.models import Count
    from django.urls import reverse
    from django.utils import translation

    from promotion import services
    from promotion.models import Enquiry, Enterprise, Industry, Park, Policy, Project

    park, enterprise, project = first(Park), first(Enterprise), first(Project)
    industry = first(Industry, is_leading=True) or first(Industry)
    policy = first(Policy, owner_share_percent=None)
    tax_policy = first(Policy, owner_share_percent__isnull=False)
    busy = Industry.objects.annotate(n=Count("enterprises")).order_by("-n", "pk").first()
    enquiry = Enquiry.objects.exclude(reference=None).order_by("-received_at").first()

    def u(name: str, *args) -> str:
        return reverse(f"promotion:{name}", args=args)

    with translation.override("en"):
        return {
            "home": u("home"),
            "about": u("about"),
            "figures": u("figure-list"),
            "park list": u("park-list"),
            "park detail": u("park-detail", park.slug),
            "industry list": u("industry-list"),
            "industry detail": u("industry-detail", industry.slug),
            "enterprises": u("enterprise-list"),
            "enterprises filtered": u("enterprise-list") + f"?industry={busy.slug}&page=2",
            "enterprise detail": u("enterprise-detail", enterprise.slug),
            "project list": u("project-list"),
            "project detail": u("project-detail", project.slug),
            "policy list": u("policy-list"),
            "policy detail": u("policy-detail", policy.slug),
            "tax calculator": u("policy-detail", tax_policy.slug) + "?tax=1000000",
            "environment": u("environment"),
            "innovation": u("innovation"),
            "search": u("search") + "?q=steel",
            "search (Chinese)": "/zh-hans" + u("search").removeprefix("/en") + "?q=钢铁",
            "open data": u("open-data"),
            "figures CSV": u("key-figures-csv"),
            "figures JSON": u("key-figures-json"),
            "sitemap.xml": reverse("sitemap"),
            "sitemap section": reverse("sitemap-section", kwargs={"section": "enterprises"}),
            "enquiry form": u("enquiry"),
            "enquiry form (Chinese)": "/zh-hans" + u("enquiry").removeprefix("/en"),
            "enquiry status": u("enquiry-status", services.status_token(enquiry)),
            "privacy": u("privacy"),
            "home (Chinese)": "/zh-hans/",
            "admin enquiries": reverse("admin:promotion_enquiry_changelist"),
            "admin enquiry search": reverse("admin:promotion_enquiry_changelist") + f"?q={enquiry.reference}",
            "admin enquiry": reverse("admin:promotion_enquiry_change", args=[enquiry.pk]),
        }


def pages(username: str) -> dict:
    from django.urls import reverse

    from .scaled import counts

    ensure_superuser(username, os.environ["BENCH_PASSWORD"])
    addresses = {"login": reverse("admin:login"), "admin": reverse("admin:index")}
    return {"rows": counts(), "pages": page_addresses(), **addresses}


def queries(username: str, addresses: dict[str, str]) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    public = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    staff = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    staff.force_login(get_user_model().objects.get(username=username))
    counted = {}
    for label, path in addresses.items():
        client = staff if label.startswith("admin") else public
        for _ in range(2):  # the first request also fills what a process keeps for good (content types…)
            cache.clear()  # the page as built, not as served from the page cache
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
        counted[label] = {"queries": len(captured), "status": response.status_code}
    return counted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.probe", description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["pages", "queries"])
    parser.add_argument("--user", default="bench", help="the bench's superuser (default bench)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zone_site.settings")
    import django

    django.setup()
    result = pages(args.user) if args.what == "pages" else queries(args.user, json.load(sys.stdin))
    print(PREFIX + json.dumps(result), flush=True)
    return 0


def parse(stdout: str) -> dict | None:
    """The JSON a probe printed, or None if it printed none."""
    for line in stdout.splitlines():
        if line.startswith(PREFIX):
            return json.loads(line.removeprefix(PREFIX))
    return None


if __name__ == "__main__":
    sys.exit(main())
