"""Load the zone's shipped content without undoing what editors have saved since.

The fixtures seed an empty database. Later loads add only the objects whose primary key is
missing and leave every stored object as it is; only `force` overwrites the stored objects
that differ from the fixtures. An object that would take a unique value (a slug) an editor
has since given to another object is skipped, and so is anything added that refers to it.
"""

import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.base import DeserializedObject
from django.db import connection
from django.db.models import Model
from modeltranslation.fields import TranslationField

from .models import Industry, Park
from .renditions import FORMATS, make_renditions, rendition_name, widths_for


def fixture_files(label: str) -> list[Path]:
    """`<label>.json` in each of FIXTURE_DIRS."""
    return [path for folder in settings.FIXTURE_DIRS if (path := Path(folder) / f"{label}.json").is_file()]


def read_fixtures(paths: Iterable[Path]) -> list[DeserializedObject]:
    objects = []
    for path in paths:
        with open(path, encoding="utf-8") as stream:
            objects.extend(serializers.deserialize("json", stream))
    return objects


def describe(obj: Model) -> str:
    return f"{obj._meta.label_lower} {obj.pk} “{obj}”"


@dataclass
class Entry:
    """One fixture object, compared with what the database holds under its primary key."""

    item: DeserializedObject
    stored: bool
    differs: list[str] = field(default_factory=list)  # the stored fields that differ from the fixture
    skipped: str = ""  # why it is not written

    @property
    def key(self) -> tuple[str, object]:
        return self.item.object._meta.label_lower, self.item.object.pk

    def __str__(self) -> str:
        return describe(self.item.object)


@dataclass
class Plan:
    entries: list[Entry]
    force: bool

    @property
    def added(self) -> list[Entry]:
        return [e for e in self.entries if not e.stored and not e.skipped]

    @property
    def differing(self) -> list[Entry]:
        """Stored objects that differ from the fixtures: overwritten with force, otherwise left alone."""
        return [e for e in self.entries if e.stored and e.differs and not e.skipped]

    @property
    def skipped(self) -> list[Entry]:
        return [e for e in self.entries if e.skipped]

    @property
    def to_write(self) -> list[Entry]:
        return self.added + (self.differing if self.force else [])


def plan_load(objects: Iterable[DeserializedObject], *, force: bool = False) -> Plan:
    entries = []
    for item in objects:
        stored = type(item.object)._default_manager.filter(pk=item.object.pk).first()
        entries.append(Entry(item, stored is not None, differing_fields(stored, item) if stored else []))
    plan = Plan(entries, force)
    for entry in plan.to_write:
        entry.skipped = unique_clash(entry.item.object)
    # An object skipped is not in the database, so what is written must not refer to it.
    missing = {e.key for e in plan.skipped if not e.stored}
    while dangling := [(e, ref) for e in plan.to_write for ref in references(e.item) if ref in missing]:
        for entry, (label, pk) in dangling:
            entry.skipped = f"it refers to {label} {pk}, which is skipped"
            if not entry.stored:
                missing.add(entry.key)
    return plan


def write_plan(plan: Plan) -> None:
    """Save what the plan adds (and overwrites, with force); call it inside a transaction."""
    written = plan.to_write
    for entry in written:
        entry.item.save()
    # Rows saved with their own keys leave PostgreSQL's sequences behind; move them on.
    models = {type(e.item.object) for e in written}
    if models:
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


def differing_fields(stored: Model, item: DeserializedObject) -> list[str]:
    fixture = item.object
    fields = fixture._meta.concrete_fields
    # modeltranslation keeps `name` beside `name_en` and `name_zh_hans`; compare the languages.
    translated = {f.translated_field.name for f in fields if isinstance(f, TranslationField)}
    names = [
        f.name
        for f in fields
        if f.serialize
        and f.name not in translated
        and not getattr(f, "auto_now", False)
        and comparable(f, f.value_from_object(stored)) != comparable(f, f.value_from_object(fixture))
    ]
    for name, pks in (item.m2m_data or {}).items():
        if set(getattr(stored, name).values_list("pk", flat=True)) != set(pks):
            names.append(name)
    return names


def comparable(field, value):
    # A translation the fixture leaves out is stored as None; the admin saves it as "".
    return "" if value is None and isinstance(field, TranslationField) else value


def unique_clash(obj: Model) -> str:
    """Why `obj` cannot be saved: a unique value of its that another stored object holds."""
    manager = type(obj)._default_manager
    for f in obj._meta.concrete_fields:
        value = getattr(obj, f.attname)
        if f.unique and not f.primary_key and value is not None:
            other = manager.filter(**{f.attname: value}).exclude(pk=obj.pk).first()
            if other:
                return f"its {f.name} “{value}” is already used by {describe(other)}"
    return ""


def references(item: DeserializedObject) -> Iterator[tuple[str, object]]:
    obj = item.object
    for f in obj._meta.concrete_fields:
        if f.is_relation and (pk := getattr(obj, f.attname)) is not None:
            yield f.related_model._meta.label_lower, pk
    for name, pks in (item.m2m_data or {}).items():
        label = obj._meta.get_field(name).related_model._meta.label_lower
        for pk in pks:
            yield label, pk


def copy_fixture_media(*, force: bool = False) -> list[str]:
    """Copy the shipped images into MEDIA_ROOT where they are missing (every one, with force); return their names."""
    media_root = Path(settings.MEDIA_ROOT)
    copied = []
    for folder in settings.FIXTURE_DIRS:
        source_root = Path(folder) / "media"
        for source in sorted(p for p in source_root.rglob("*") if p.is_file()):
            name = source.relative_to(source_root).as_posix()
            target = media_root / name
            if force or not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
                copied.append(name)
    return copied


def make_missing_renditions(replaced: Iterable[str] = ()) -> int:
    """Make the renditions of every stored image that lacks some, or whose file was just replaced."""
    replaced = set(replaced)
    images = set()
    for model in (Park, Industry):
        images.update(model.objects.exclude(image="").values_list("image", "image_width"))
    made = 0
    for name, width in sorted(images):
        if default_storage.exists(name) and (name in replaced or not renditions_exist(name, width)):
            made += len(make_renditions(name))
    return made


def renditions_exist(name: str, width: int | None) -> bool:
    return bool(width) and all(
        default_storage.exists(rendition_name(name, w, extension)) for w in widths_for(width) for extension in FORMATS
    )
