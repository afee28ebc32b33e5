"""Sitemap section for the self-assessments (composed into the site's sitemap.xml)."""

from django.urls import reverse

from .models import Assessment


class AssessmentSitemap:
    """Mixed into buyingguide's I18nSitemap there, so hreflang alternates come with it."""

    def items(self):
        slugs = Assessment.objects.filter(language="en").order_by("order", "slug")
        return ["index", *slugs.values_list("slug", flat=True)]

    def location(self, item):
        if item == "index":
            return reverse("assessments:index")
        return reverse("assessments:detail", kwargs={"slug": item})
