import json
from functools import cache

from django.contrib.admin.models import LogEntry
from django.utils import translation
from django.utils.text import capfirst


class HistoryInReadersLanguage:
    """The admin stores the names of changed fields in English; the history page shows them in
    the reader's language ("Changed Summary (English)." reads 已修改 摘要（英文）。)."""

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        for entry in getattr(response, "context_data", {}).get("action_list", []):
            entry.change_message = relabelled(entry, self.model)
        return response


@cache
def field_labels(model) -> dict:
    """Each field's label as the admin stored it (English) → the field."""
    with translation.override(None):
        return {str(capfirst(field.verbose_name)): field for field in model._meta.fields}


@cache
def inline_labels(model) -> dict:
    """The name (as the admin stored it, English) of each model edited inline with `model`, which has a foreign
    key to it → its field_labels()."""
    inlines = {relation.related_model for relation in model._meta.related_objects if relation.one_to_many}
    with translation.override(None):
        return {str(inline._meta.verbose_name): field_labels(inline) for inline in inlines}


def relabelled(entry: LogEntry, model) -> str:
    """The entry's message with each changed field of `model` named in the reader's language, an inline row's
    too ("Changed Title (English) for measure …")."""
    if not entry.is_change() or not entry.change_message.startswith("["):
        return entry.change_message
    messages = json.loads(entry.change_message)
    for message in messages:
        changed = message.get("changed", {})
        if "fields" not in changed:
            continue
        own = field_labels(model) if "name" not in changed else inline_labels(model).get(changed["name"], {})
        changed["fields"] = [
            str(capfirst(own[label].verbose_name)) if label in own else label for label in changed["fields"]
        ]
    return json.dumps(messages)
