"""No data of its own: the files are the source of every translation (docs/translating.md).

`TranslationStatus` has no table; it exists so the admin lists a "Translation status" page and
so a permission (`view_translationstatus`) says who may read it: the Translators and Editors
groups (migration 0001).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

TRANSLATORS = "Translators"


class TranslationStatus(models.Model):
    class Meta:
        managed = False
        default_permissions = ("view",)
        verbose_name = _("translation status")
        verbose_name_plural = _("translation status")

    def __str__(self):
        return str(self._meta.verbose_name)
