import shutil
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand

from promotion.models import Industry, Park
from promotion.renditions import make_renditions

FIXTURE_MEDIA = Path(settings.BASE_DIR) / "fixtures" / "media"
ZONE_FIXTURES = ["zone"]


class Command(BaseCommand):
    help = "Load the zone's content: copy its illustrations into MEDIA_ROOT and load the fixtures (safe to repeat)."

    def handle(self, *args, **options):
        if FIXTURE_MEDIA.is_dir():
            shutil.copytree(FIXTURE_MEDIA, settings.MEDIA_ROOT, dirs_exist_ok=True)
        call_command("loaddata", *ZONE_FIXTURES, verbosity=options["verbosity"])
        made = 0
        for model in (Park, Industry):
            for name in model.objects.exclude(image="").values_list("image", flat=True):
                if default_storage.exists(name):
                    made += len(make_renditions(name))
        if options["verbosity"]:
            self.stdout.write(f"Made {made} image rendition(s)")
