"""Sitemap sections for the project-proposals guide (composed in buyingguide/sitemaps.py)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Checklist, Component, Note


class _I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class ProposalPagesSitemap(_I18nSitemap):
    def items(self):
        names = ["proposals:index", "proposals:summary", "proposals:checklist"]
        if Checklist.objects.filter(kind=Checklist.AGREEMENT).exists():
            names.append("proposals:success-factors")
        return names if Component.objects.exists() else []

    def location(self, item):
        return reverse(item)


class ComponentSitemap(_I18nSitemap):
    def items(self):
        return Component.objects.order_by("order")

    def lastmod(self, item):
        return item.updated_at


class ComponentChecklistSitemap(_I18nSitemap):
    def items(self):
        # Only components with checklists (Measure smart has none) have a checklist page.
        return (
            Component.objects.filter(notes__checklists__isnull=False).distinct().order_by("order")
        )

    def location(self, item):
        return reverse("proposals:component-checklist", kwargs={"component": item.slug})


class NoteSitemap(_I18nSitemap):
    def items(self):
        return Note.objects.select_related("component").order_by("position")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {
    "proposal-pages": ProposalPagesSitemap,
    "proposal-components": ComponentSitemap,
    "proposal-checklists": ComponentChecklistSitemap,
    "proposal-notes": NoteSitemap,
}
