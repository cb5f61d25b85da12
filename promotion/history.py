"""Who changed an enquiry's pipeline (status, owner, priority, follow-up date), and when.

The record is the admin's own history (`LogEntry`): the admin writes it for every edit of the form
and every bulk action, and shows it under "History". Code outside the admin that changes an
enquiry — the investor's answer moving its status, a command — writes it with `record_change()`,
so that every path leaves the same trace. It stores which fields changed, never their values: what
the investor wrote stays out of it and is gone once the enquiry is anonymised.
"""

from collections.abc import Iterable

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import translation
from django.utils.text import capfirst

from .models import Enquiry

# Whom a change is written down as when no member of staff made it. The account cannot log in.
SITE_ACCOUNT = "zone-site"
# The fields whose changes the history must show; the admin records the others too.
PIPELINE_FIELDS = ("status", "owner", "priority", "follow_up_on")


def change_message(*field_names: str, note: str = "") -> list[dict]:
    """The history entry for a change of these fields, as the admin writes it: field labels stored
    untranslated (and translated when the history is read), and why, if given, in English too."""
    with translation.override(None):
        labels = [str(capfirst(Enquiry._meta.get_field(name).verbose_name)) for name in field_names]
        message = [{"changed": {"fields": labels}}]
        if note:
            message.append({"note": str(note)})
    return message


def site_account():
    """The account changes are recorded under when no officer made them: inactive, with no usable
    password, never an owner (owners are active Promotion officers)."""
    user, _created = get_user_model().objects.get_or_create(
        username=SITE_ACCOUNT, defaults={"is_active": False, "password": make_password(None)}
    )
    return user


def record_change(enquiry: Enquiry, user, fields: Iterable[str], message: str = "") -> LogEntry:
    """Write down that `user` changed `fields` of `enquiry` (already saved) just now.

    `user` is None when no member of staff made the change (the investor answered on their status
    page): the entry is then written under the site's own account. `message` says why, in
    English, marked for translation where it is written (`gettext_noop("The investor answered.")`
    or a `gettext_lazy` string); the history shows it in the reader's language.
    Call it inside the transaction that saves the change, so that both or neither are kept."""
    fields = list(fields)
    return LogEntry.objects.log_actions(
        user_id=(user or site_account()).pk,
        queryset=[enquiry],
        action_flag=CHANGE,
        change_message=change_message(*fields, note=message),
        single_object=True,
    )
