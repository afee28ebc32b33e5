"""sitemap.xml: every public page in every language, with hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import translation

from assessments.sitemaps import AssessmentSitemap as AssessmentItems
from casestudies.models import CaseStudy
from guidance.models import Page, Stage, Topic
from proposals.sitemaps import SITEMAPS as PROPOSAL_SITEMAPS

from .origin import origin_parts


class I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    # Every <loc> from the configured origin (SITE_URL), never from the request's Host.
    def get_protocol(self, protocol=None):
        configured = origin_parts()
        return configured[0] if configured else super().get_protocol(protocol)

    def get_domain(self, site=None):
        configured = origin_parts()
        return configured[1] if configured else super().get_domain(site)

    def _get(self, name, item, default=None):
        # Django calls lastmod() without the language; a translation has its own
        # `updated:` date, so read it in the language of the URL being listed.
        if name == "lastmod" and self.i18n:
            with translation.override(item[1]):
                return super()._get(name, item, default)
        return super()._get(name, item, default)


class StaticSitemap(I18nSitemap):
    def items(self):
        return [
            "home", "guide", "about", "accessibility", "glossary", "case-studies", "checklist",
            "developers", "resources", "whats-new",
        ]  # fmt: skip

    def location(self, item):
        return {
            "home": reverse("home"),
            "guide": reverse("guidance:index"),
            "about": reverse("page", kwargs={"slug": "about"}),
            "accessibility": reverse("page", kwargs={"slug": "accessibility"}),
            "glossary": reverse("guidance:glossary"),
            "case-studies": reverse("casestudies:index"),
            "checklist": reverse("guidance:checklist"),
            "developers": reverse("developers"),
            "resources": reverse("resources:index"),
            "whats-new": reverse("guidance:whats-new"),
        }[item]

    def lastmod(self, item):
        # The pages made from a content file carry its `updated:` date; the lists do not.
        if item in ("home", "about", "accessibility"):
            page = Page.objects.filter(slug=item).first()
            return page.updated_on if page else None
        return None


class StageSitemap(I18nSitemap):
    def items(self):
        return Stage.objects.published().order_by("order")

    def lastmod(self, item):
        return item.updated_on


class StageChecklistSitemap(I18nSitemap):
    def items(self):
        return Stage.objects.published().order_by("order")

    def location(self, item):
        return reverse("guidance:stage-checklist", kwargs={"stage": item.slug})


class TopicSitemap(I18nSitemap):
    def items(self):
        return Topic.objects.published().order_by("position")

    def lastmod(self, item):
        return item.updated_on


class CaseStudySitemap(I18nSitemap):
    limit = 5000

    def items(self):
        return CaseStudy.objects.published().order_by("slug")

    def lastmod(self, item):
        return item.updated_on or item.updated_at  # one made in the admin: its last save


class AssessmentSitemap(AssessmentItems, I18nSitemap):
    pass


SITEMAPS = {
    "pages": StaticSitemap,
    "stages": StageSitemap,
    "checklists": StageChecklistSitemap,
    "topics": TopicSitemap,
    "case-studies": CaseStudySitemap,
    "assessments": AssessmentSitemap,
    **PROPOSAL_SITEMAPS,
}
