import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone


class Command(BaseCommand):
    help = "Back up the database (SQLite or PostgreSQL) and the uploaded media into var/backups/ (or --to)."

    def add_arguments(self, parser):
        parser.add_argument("--to", default=str(Path(settings.VAR_DIR) / "backups"), help="folder for the backup")

    def handle(self, *args, **options):
        folder = Path(options["to"])
        folder.mkdir(parents=True, exist_ok=True)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        database = self.backup_database(folder, stamp)
        media = folder / f"media-{stamp}.tar.gz"
        with tarfile.open(media, "w:gz") as archive:
            if Path(settings.MEDIA_ROOT).is_dir():
                archive.add(settings.MEDIA_ROOT, arcname="media")
        self.stdout.write(self.style.SUCCESS(f"Backed up the database to {database} and the media to {media}"))

    def backup_database(self, folder: Path, stamp: str) -> Path:
        if connection.vendor == "sqlite":
            target = folder / f"db-{stamp}.sqlite3"
            connection.ensure_connection()
            # SQLite's online backup copies a consistent snapshot while the site keeps writing.
            with sqlite3.connect(target) as copy:
                connection.connection.backup(copy)
            copy.close()
            return target
        if connection.vendor == "postgresql":
            pg_dump = shutil.which("pg_dump")
            if not pg_dump:
                raise CommandError("pg_dump is not installed (Debian package postgresql-client)")
            target = folder / f"db-{stamp}.dump"
            db = connection.settings_dict
            command = [pg_dump, "--format=custom", "--no-owner", f"--file={target}", "--dbname", db["NAME"]]
            for option, key in [("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")]:
                if db.get(key):
                    command += [option, str(db[key])]
            env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "PGPASSWORD": db.get("PASSWORD") or ""}
            subprocess.run(command, check=True, env=env)
            return target
        raise CommandError(f"No backup method for the {connection.vendor} database")
