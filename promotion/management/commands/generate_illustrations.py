import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from promotion.illustrations import save_illustration

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "zone.json"
FIXTURE_MEDIA = Path(settings.BASE_DIR) / "fixtures" / "media"


class Command(BaseCommand):
    help = "Draw the illustration of every park and industry that fixtures/zone.json names, into fixtures/media/."

    def handle(self, *args, **options):
        objects = json.loads(FIXTURE.read_text(encoding="utf-8"))
        drawn = 0
        for obj in objects:
            image = obj["fields"].get("image")
            if not image:
                continue
            target = FIXTURE_MEDIA / image
            save_illustration(obj["fields"]["slug"], target)
            drawn += 1
            if options["verbosity"] > 1:
                self.stdout.write(str(target))
        self.stdout.write(self.style.SUCCESS(f"Drew {drawn} illustration(s) into {FIXTURE_MEDIA}"))
