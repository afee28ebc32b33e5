"""One row per answer to "Was this page useful?": no address, no user agent, no cookie."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

COMMENT_MAX_LENGTH = 1000
PAGE_MAX_LENGTH = 300


class Vote(models.Model):
    # The page's path without its language prefix ("/guide/plan/"), so the three languages
    # of a page share one key and the report can set them side by side.
    page = models.CharField(_("page"), max_length=PAGE_MAX_LENGTH)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    content_version = models.PositiveIntegerField(
        _("content version"), help_text=_("The content version of the page the reader saw.")
    )
    useful = models.BooleanField(_("useful"))
    comment = models.TextField(_("what they were looking for"), blank=True)
    # Set once, when a comment arrives: a second comment for the same answer is refused,
    # and clearing the text later (comments_clear) does not reopen it.
    commented_at = models.DateTimeField(_("commented at"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("page feedback")
        verbose_name_plural = _("page feedback")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["page", "language", "created_at"])]

    def __str__(self):
        return f"{self.language}{self.page} {'yes' if self.useful else 'no'}"
