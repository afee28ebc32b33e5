from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuyingGuideConfig(AppConfig):
    name = "buyingguide"
    verbose_name = _("Site")

    def ready(self):
        from .search import receivers  # noqa: F401  (keeps the search index in step with content)
