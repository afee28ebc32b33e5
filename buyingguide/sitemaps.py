"""sitemap.xml: every public page in every language, with hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from casestudies.models import CaseStudy
from guidance.models import Stage, Topic


class I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class StaticSitemap(I18nSitemap):
    def items(self):
        return [
            "home",
            "guide",
            "about",
            "accessibility",
            "glossary",
            "case-studies",
            "checklist",
            "resources",
        ]

    def location(self, item):
        return {
            "home": reverse("home"),
            "guide": reverse("guidance:index"),
            "about": reverse("page", kwargs={"slug": "about"}),
            "accessibility": reverse("page", kwargs={"slug": "accessibility"}),
            "glossary": reverse("guidance:glossary"),
            "case-studies": reverse("casestudies:index"),
            "checklist": reverse("guidance:checklist"),
            "resources": reverse("resources:index"),
        }[item]


class StageSitemap(I18nSitemap):
    def items(self):
        return Stage.objects.published().order_by("order")

    def lastmod(self, item):
        return item.updated_at


class StageChecklistSitemap(I18nSitemap):
    def items(self):
        return Stage.objects.published().order_by("order")

    def location(self, item):
        return reverse("guidance:stage-checklist", kwargs={"stage": item.slug})


class TopicSitemap(I18nSitemap):
    def items(self):
        return Topic.objects.published().order_by("position")

    def lastmod(self, item):
        return item.updated_at


class CaseStudySitemap(I18nSitemap):
    limit = 5000

    def items(self):
        return CaseStudy.objects.published().order_by("slug")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {
    "pages": StaticSitemap,
    "stages": StageSitemap,
    "checklists": StageChecklistSitemap,
    "topics": TopicSitemap,
    "case-studies": CaseStudySitemap,
}
