import json

from django.contrib.admin.models import LogEntry
from django.utils import translation
from django.utils.text import capfirst


class HistoryInReadersLanguage:
    """The admin stores the names of changed fields in English; the history page shows them in
    the reader's language ("Changed Summary (English)." reads 已修改 摘要（英文）。)."""

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        labels = field_labels(self.model)
        for entry in getattr(response, "context_data", {}).get("action_list", []):
            entry.change_message = relabelled(entry, labels)
        return response


def field_labels(model) -> dict:
    """Each field's label as the admin stored it (English) → the field."""
    with translation.override(None):
        return {str(capfirst(field.verbose_name)): field for field in model._meta.fields}


def inline_labels(*models) -> dict:
    """Each inline model's name as the admin stored it (English) → its field_labels()."""
    with translation.override(None):
        names = [str(model._meta.verbose_name) for model in models]
    return {name: field_labels(model) for name, model in zip(names, models, strict=True)}


def relabelled(entry: LogEntry, labels: dict, inlines: dict | None = None) -> str:
    """The entry's message with each changed field named in the reader's language: the object's own fields
    from `labels`, an inline row's ("Changed Title (English) for measure …") from `inlines` (see inline_labels)."""
    if not entry.is_change() or not entry.change_message.startswith("["):
        return entry.change_message
    messages = json.loads(entry.change_message)
    for message in messages:
        changed = message.get("changed", {})
        if "fields" not in changed:
            continue
        own = labels if "name" not in changed else (inlines or {}).get(changed["name"], {})
        changed["fields"] = [
            str(capfirst(own[label].verbose_name)) if label in own else label for label in changed["fields"]
        ]
    return json.dumps(messages)
