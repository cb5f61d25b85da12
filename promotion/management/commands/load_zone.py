from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from promotion.loading import (
    copy_fixture_media,
    fixture_files,
    make_missing_renditions,
    plan_load,
    read_fixtures,
    write_plan,
)

ZONE_FIXTURE = "zone"


class Command(BaseCommand):
    help = (
        "Load the zone's content and illustrations: everything into an empty database, afterwards only what is "
        "missing. Content that editors changed is kept unless --force is given (safe to repeat)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite stored objects and images that differ from the fixtures (lists them first).",
        )

    def handle(self, *args, force=False, verbosity=1, **options):
        paths = fixture_files(ZONE_FIXTURE)
        if not paths:
            raise CommandError(f"No {ZONE_FIXTURE}.json in FIXTURE_DIRS")
        copied = copy_fixture_media(force=force)
        objects = read_fixtures(paths)
        with transaction.atomic():
            plan = plan_load(objects, force=force)
            if verbosity:
                for entry in plan.skipped:
                    self.stderr.write(self.style.WARNING(f"Skipped {entry}: {entry.skipped}"))
                if force and plan.differing:
                    self.stdout.write(f"Overwriting {len(plan.differing)} object(s) that differ from the fixtures:")
                    self.list_differences(plan)
            write_plan(plan)
        made = make_missing_renditions(copied)
        if not verbosity:
            return
        self.stdout.write(f"Added {len(plan.added)} object(s) missing from the database")
        if verbosity > 1:
            for entry in plan.added:
                self.stdout.write(f"  {entry}")
        self.stdout.write(f"Copied {len(copied)} image(s) into MEDIA_ROOT and made {made} image rendition(s)")
        if force:
            self.stdout.write(f"Overwrote {len(plan.differing)} object(s) with the fixtures")
        elif plan.differing:
            if verbosity > 1:
                self.list_differences(plan)
            self.stdout.write(
                self.style.WARNING(
                    f"{len(plan.differing)} stored object(s) differ from the fixtures and were left as they are; "
                    "`load_zone --force` would overwrite them"
                    + ("" if verbosity > 1 else " (`load_zone -v 2` lists them)")
                )
            )
        else:
            self.stdout.write("No stored object differs from the fixtures")

    def list_differences(self, plan):
        for entry in plan.differing:
            self.stdout.write(f"  {entry}: {', '.join(entry.differs)}")
