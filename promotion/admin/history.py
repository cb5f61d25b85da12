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


def relabelled(entry: LogEntry, labels: dict) -> str:
    if not entry.is_change() or not entry.change_message.startswith("["):
        return entry.change_message
    messages = json.loads(entry.change_message)
    for message in messages:
        changed = message.get("changed", {})
        if "fields" in changed and "name" not in changed:  # the object's own fields, not an inline's
            changed["fields"] = [
                str(capfirst(labels[label].verbose_name)) if label in labels else label for label in changed["fields"]
            ]
    return json.dumps(messages)
