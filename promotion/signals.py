import logging

from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_save
from django.dispatch import receiver

from .caching import ENQUIRY_VERSION_KEY, VERSION_KEY, bump_version, is_content_model, set_new_version
from .models import Enquiry, EnquiryMessage, Illustrated
from .renditions import make_renditions


@receiver(post_save)
@receiver(post_delete)
@receiver(m2m_changed)
def content_changed(sender, **kwargs) -> None:
    """Any change to content (a park's industries included) makes every cached page stale."""
    if is_content_model(sender):
        bump_version(VERSION_KEY)


@receiver(post_migrate)
def released(sender, **kwargs) -> None:
    """A deploy runs migrate: from then on pages, and the forms and parts kept of them, are made by the new code
    (a shared cache outlives the old servers). A cache that cannot be reached does not stop the migration."""
    if sender.name != "promotion":
        return
    try:
        set_new_version(VERSION_KEY)
    except Exception:  # noqa: BLE001 — any backend's error; the pages then wait for the next content change
        logging.getLogger(__name__).warning("migrate could not move the content version on", exc_info=True)


@receiver(post_save, sender=Enquiry)
@receiver(post_delete, sender=Enquiry)
@receiver(post_save, sender=EnquiryMessage)
@receiver(post_delete, sender=EnquiryMessage)
def enquiries_changed(sender, **kwargs) -> None:
    """A new enquiry, a reply, a rating or a removal makes the pages built from enquiries stale."""
    bump_version(ENQUIRY_VERSION_KEY)


@receiver(pre_save)
def note_new_image(sender, instance, raw=False, **kwargs) -> None:
    if not raw and issubclass(sender, Illustrated) and instance.image and not instance.image._committed:
        instance._new_image = True


@receiver(post_save)
def make_renditions_of_new_image(sender, instance, raw=False, **kwargs) -> None:
    """A newly uploaded image gets its renditions at once (the shipped ones are made by load_zone)."""
    if getattr(instance, "_new_image", False):
        instance._new_image = False
        make_renditions(instance.image.name)
