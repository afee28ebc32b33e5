"""Any saved or deleted content changes the content version (so cached pages refresh)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal, receiver

from .version import content_version_bump

# Sent by load_content after it wrote changes, inside its transaction. Other apps (the
# search index) listen to it; guidance itself knows nothing of them.
content_loaded = Signal()

CONTENT_APPS = {"guidance", "casestudies"}


def _is_content(sender) -> bool:
    meta = getattr(sender, "_meta", None)
    return bool(meta and meta.app_label in CONTENT_APPS and meta.model_name != "contentversion")


@receiver(post_save)
@receiver(post_delete)
def bump_on_change(sender, **kwargs):
    if _is_content(sender) and not kwargs.get("raw"):
        content_version_bump()


@receiver(m2m_changed)
def bump_on_m2m(sender, instance, action, **kwargs):
    if action.startswith("post_") and _is_content(type(instance)):
        content_version_bump()
