"""The real library and the pages added from the rest of the sources (content/)."""

from collections import Counter

from django.utils import translation

from guidance.models import Topic
from resources.models import Resource
from resources.vocabulary import url_problem


def test_the_library_holds_seed_003_in_its_four_groups_and_the_bibliography(real_site):
    groups = Counter(Resource.objects.values_list("group", flat=True))
    assert groups["guides-and-toolkits"] == 4
    assert groups["canadian-sources"] == 4
    assert groups["foreign-sources"] == 1
    assert groups["other-useful-sources"] == 16
    assert groups["guidelines-bibliography"] >= 75


def test_every_resource_is_complete_in_three_languages_and_linked_to_a_topic(real_site):
    for resource in Resource.objects.prefetch_related("topics"):
        assert url_problem(resource.url) is None, resource.slug
        assert resource.topics.exists(), resource.slug
        assert resource.title and resource.publisher and resource.language_codes, resource.slug
        for language in ("en", "es", "id"):
            assert resource.has_translation(language), (language, resource.slug)


def test_accessible_ict_is_a_full_topic_linked_from_where_it_applies(real_site, client):
    topic = Topic.objects.get(stage__slug="plan", slug="buy-accessible-ict")
    assert (
        topic.items.filter(kind="do").count() >= 5 and topic.items.filter(kind="dont").count() >= 3
    )
    titles = set(topic.resources.values_list("slug", flat=True))
    assert {
        "en-301-549",
        "us-section-508",
        "wcag-2-1",
        "un-crpd",
        "itu-ict-accessibility-toolkit",
    } <= titles
    for key in (
        "inform-the-market/write-requirements",
        "inform-the-market/write-evaluation-criteria",
        "manage-delivery/manage-supplier-delivery",
    ):
        for language in ("en", "es", "id"):
            html = client.get(f"/{language}/guide/{key}/").content.decode()
            assert f'href="/{language}/guide/plan/buy-accessible-ict/"' in html, (language, key)


def test_the_transparency_risk_is_a_complete_paragraph_with_what_to_do(real_site):
    topic = Topic.objects.get(stage__slug="why-it-matters", slug="smart-city-risks")
    for language in ("en", "es", "id"):
        with translation.override(language):
            what = topic.what_html
            assert what.count("<h3") == 3, language
            transparency = what.split("<h3", 3)[2]
            paragraphs = [p for p in transparency.split("<p>")[1:] if p.strip()]
            assert all(
                p.rstrip().removesuffix("</p>").rstrip().endswith(".") for p in paragraphs[:2]
            )
            assert 'href="/' in transparency  # links to the topics that address it


def test_home_keeps_four_buying_stages_and_points_to_the_background(real_site, client):
    html = client.get("/es/").content.decode()
    stages = html.split('id="stages-heading"', 1)[1].split("</section>", 1)[0]
    assert stages.count("<li") == 4 and "/es/guide/why-it-matters/" not in stages
    background = html.split('id="background-heading"', 1)[1].split("</section>", 1)[0]
    assert ">Por qué importa</h2>" in background
    assert (
        'href="/es/guide/why-it-matters/"' in background and 'href="/es/resources/"' in background
    )
