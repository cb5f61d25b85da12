from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .caching import bump_content_version, is_content_model


@receiver(post_save)
@receiver(post_delete)
@receiver(m2m_changed)
def content_changed(sender, **kwargs) -> None:
    """Any change to content (a park's industries included) makes every cached page stale."""
    if is_content_model(sender):
        bump_content_version()
