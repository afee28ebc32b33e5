"""The editors' case-study admin: the form, what a save does, preview, lists, history,
and that nothing an editor types is lost (validation, load_content, export)."""

import datetime
import re

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from buyingguide.loading import content_load
from buyingguide.models import SearchEntry
from buyingguide.search import search
from casestudies import services
from casestudies.models import CaseStudy, Theme
from guidance.models import Topic
from guidance.version import content_version

from .conftest import (
    ADD_URL,
    case_data,
    change_url,
    existing_case_data,
    png_bytes,
    preview_url,
    stage,
    topic,
)


def add_case(client, **overrides) -> CaseStudy:
    response = client.post(ADD_URL, case_data(**overrides))
    assert response.status_code == 302, form_errors(response)
    return CaseStudy.objects.get(slug=overrides.get("slug", "town-booking-system"))


def form_errors(response) -> dict:
    if response.context and "adminform" in response.context:
        return dict(response.context["adminform"].form.errors)
    return {"status": response.status_code}


def today() -> str:
    return timezone.localdate().isoformat()


# --- the form -----------------------------------------------------------------------------


def test_add_form_groups_languages_and_offers_lists_and_preview(editor_client):
    html = editor_client.get(ADD_URL).content.decode()
    for lang in ("en", "es", "ind"):  # the tabs group these fields by language
        assert f'name="title_{lang}" class="vTextField mt mt-field-title-{lang}' in html
        assert f'name="image_alt_{lang}"' in html
    assert "modeltranslation/js/tabbed_translation_fields.js" in html
    assert "casestudies/admin/tabs.js" in html
    assert "googleapis" not in html and "//cdn" not in html  # no third-party scripts
    # Topics and themes are searchable lists; stages are checkboxes; topics name their stage.
    assert 'name="topics"' in html and 'class="selectfilter"' in html
    assert (
        '<option value="{}">Plan: Work as a team</option>'.format(topic("plan/work-as-a-team").pk)
        in html
    )
    assert 'type="checkbox" name="stages"' in html
    assert "Write in Markdown." in html and "/guide/plan/define-outcomes/" in html
    assert 'name="_preview"' in html
    assert html.count("What the image shows, for people who can") == 3  # one per language
    assert "a future date schedules it" in html
    for name in ("country", "status", "published_on", "image", "organisation_en", "year"):
        assert f'name="{name}"' in html


def test_save_renders_markdown_per_language_like_the_loader(editor_client):
    case = add_case(
        editor_client,
        body_en="We published in OCDS. More OCDS later.\n\n"
        "See [the team](/guide/plan/work-as-a-team/) and [a case](/case-studies/"
        "emergency-masks/).\n\n<script>alert(1)</script>",
        title_es="Un pueblo compra un sistema de reservas",
        summary_es="Tres pueblos.",
        organisation_es="Asociación de pueblos",
        body_es="Usamos OCDS. Vea [el equipo](/guide/plan/work-as-a-team/).",
    )
    html_en = case.body_html_en
    assert '<a href="/en/guide/plan/work-as-a-team/">the team</a>' in html_en
    assert '<a href="/en/case-studies/emergency-masks/">a case</a>' in html_en
    # The glossary abbreviation is linked on first use only.
    assert html_en.count('<abbr title="Open Contracting Data Standard">OCDS</abbr>') == 1
    assert '<a href="/en/glossary/#ocds">' in html_en
    assert "<script>" not in html_en and "&lt;script&gt;alert(1)&lt;/script&gt;" in html_en
    assert '<a href="/es/guide/plan/work-as-a-team/">el equipo</a>' in case.body_html_es
    assert '<a href="/es/glossary/#ocds">' in case.body_html_es
    assert case.body_html_ind == ""


def test_admin_rendering_is_exactly_the_loaders(real_site):
    """Same renderer, sanitiser, link rewriting and glossary linking as the content files."""
    cases = list(CaseStudy.objects.all())
    assert len(cases) > 5
    for case in cases:
        stored = {lang: getattr(case, f"body_html_{lang}") for lang in ("en", "es", "ind")}
        broken = services.case_study_render(case)
        assert broken == {}, case.slug
        for lang, html in stored.items():
            assert getattr(case, f"body_html_{lang}") == html, (case.slug, lang)


def test_broken_internal_link_is_an_error_naming_the_link(editor_client):
    response = editor_client.post(
        ADD_URL,
        case_data(
            body_en="See [missing](/guide/plan/no-such-topic/).",
            title_es="Título",
            summary_es="Resumen.",
            organisation_es="Org",
            body_es="Vea [esto](/case-studies/nope/).",
        ),
    )
    assert response.status_code == 200
    errors = form_errors(response)
    assert "/guide/plan/no-such-topic/" in errors["body_en"][0]
    assert "/case-studies/nope/" in errors["body_es"][0]
    assert not CaseStudy.objects.filter(slug="town-booking-system").exists()


def test_link_to_the_case_study_itself_is_fine_on_creation(editor_client):
    case = add_case(editor_client, body_en="[Share](/case-studies/town-booking-system/)")
    assert 'href="/en/case-studies/town-booking-system/"' in case.body_html_en


def test_stages_are_the_chosen_ones_plus_those_of_the_topics(editor_client):
    case = add_case(
        editor_client, topics=[topic("buy/evaluate-bids").pk], stages=[stage("plan").pk]
    )
    assert {s.slug for s in case.stages.all()} == {"plan", "buy"}
    # The form shows only the stage ticked by hand; the topic's stage is implied.
    form = editor_client.get(change_url(case)).context["adminform"].form
    assert form.initial["stages"] == [stage("plan").pk]
    # Dropping the hand-ticked stage keeps the topic's.
    response = editor_client.post(change_url(case), existing_case_data(case, stages=[]))
    assert response.status_code == 302
    assert {s.slug for s in case.stages.all()} == {"buy"}


def test_save_keeps_search_index_and_content_version_in_step(
    editor_client, django_capture_on_commit_callbacks
):
    visitor = Client()
    topic_page = "/en/guide/plan/define-outcomes/"
    visitor.get(topic_page)
    assert visitor.get(topic_page)["X-Page-Cache"] == "hit"
    version = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        case = add_case(
            editor_client,
            status="published",
            published_on=today(),
            topics=[topic("plan/define-outcomes").pk],
            title_es="Reservas compartidas",
            summary_es="Tres pueblos.",
            organisation_es="Pueblos del valle",
        )
    assert content_version() > version
    entries = {e.language: e for e in SearchEntry.objects.filter(key=f"case-study:{case.pk}")}
    assert set(entries) == {"en", "es", "id"}
    assert entries["es"].title == "Reservas compartidas"
    assert entries["id"].title == case.title_en and entries["id"].text_language == "en"
    assert [r.url for r in search("booking", "en")] == [case.get_absolute_url()]
    # The topic page (a many-to-many relation, saved after the case study) shows it at once.
    response = visitor.get(topic_page)
    assert response["X-Page-Cache"] == "miss"
    assert case.title_en in response.content.decode()

    version = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            change_url(case),
            existing_case_data(case, title_en="Valley towns share one booking system"),
        )
    assert response.status_code == 302
    assert content_version() > version
    assert SearchEntry.objects.get(key=f"case-study:{case.pk}", language="en").title == (
        "Valley towns share one booking system"
    )
    assert "Valley towns share" in visitor.get(topic_page).content.decode()


# --- validation: clear messages, nothing lost ----------------------------------------------


def test_validation_error_keeps_everything_typed(editor_client):
    typed = case_data(
        title_en="",
        summary_en="Kept summary ✓",
        body_en="## Kept\n\nStory kept.",
        title_es="Título guardado",
        summary_es="Resumen guardado",
        organisation_es="Organización guardada",
        quote_en="Kept quote",
        quote_by_en="Ana",
        year="2019",
        country="ID",
        stages=[stage("buy").pk],
    )
    response = editor_client.post(ADD_URL, typed)
    assert response.status_code == 200
    assert "title_en" in form_errors(response)
    html = response.content.decode()
    for name in (
        "summary_en",
        "title_es",
        "summary_es",
        "organisation_es",
        "quote_en",
        "quote_by_en",
        "organisation_en",
        "slug",
    ):
        assert typed[name] in html, name
    assert "## Kept\n\nStory kept.</textarea>" in html
    assert '<option value="ID" selected>' in html
    assert re.search(rf'name="stages" value="{stage("buy").pk}"[^>]* checked', html)
    assert f'<option value="{topic("plan/work-as-a-team").pk}" selected>' in html


def test_translation_needs_its_title_and_the_title_its_summary(editor_client):
    response = editor_client.post(ADD_URL, case_data(summary_es="Solo un resumen"))
    assert "Give the title in Español too" in form_errors(response)["title_es"][0]
    response = editor_client.post(ADD_URL, case_data(title_ind="Judul"))
    errors = form_errors(response)
    assert "needs this field in Bahasa Indonesia too" in errors["summary_ind"][0]
    assert "organisation_ind" in errors


def test_quote_needs_whom_it_is_from_and_topics_and_themes_are_required(editor_client):
    response = editor_client.post(
        ADD_URL, case_data(quote_en="We saved money.", topics=[], themes=[])
    )
    errors = form_errors(response)
    assert "whom the quote is from" in errors["quote_by_en"][0]
    assert "at least one guidance topic" in errors["topics"][0]
    assert "at least one theme" in errors["themes"][0]


@pytest.mark.parametrize("slug", ["Has_Capitals", "trailing-", "spaces here"])
def test_slug_must_be_a_content_file_name(editor_client, slug):
    response = editor_client.post(ADD_URL, case_data(slug=slug))
    assert response.status_code == 200
    assert "slug" in form_errors(response)


# --- images -------------------------------------------------------------------------------


def upload(name="photo.png", content=None, content_type="image/png"):
    return SimpleUploadedFile(
        name, png_bytes() if content is None else content, content_type=content_type
    )


def test_image_needs_alt_text_in_every_language_that_has_a_title(editor_client, media_root):
    response = editor_client.post(
        ADD_URL,
        case_data(
            image=upload(),
            image_alt_en="Three town halls on a map",
            title_es="Reservas",
            summary_es="Tres pueblos.",
            organisation_es="Pueblos",
        ),
    )
    assert response.status_code == 200
    errors = form_errors(response)
    assert list(errors) == ["image_alt_es"]
    assert errors["image_alt_es"][0].startswith("Describe the image in Español")
    assert "text alternative is required" in errors["image_alt_es"][0]
    # Indonesian has no title, so no Indonesian alt text is asked for.
    response = editor_client.post(
        ADD_URL,
        case_data(
            image=upload(),
            image_alt_en="Three town halls on a map",
            title_es="Reservas",
            summary_es="Tres pueblos.",
            organisation_es="Pueblos",
            image_alt_es="Tres ayuntamientos en un mapa",
        ),
    )
    assert response.status_code == 302
    case = CaseStudy.objects.get(slug="town-booking-system")
    assert case.image.name.startswith("case-studies/") and case.image.name.endswith(".png")
    assert (media_root / case.image.name).read_bytes() == png_bytes()


def test_alt_text_without_an_image_is_pointed_out(editor_client):
    response = editor_client.post(ADD_URL, case_data(image_alt_en="A photo"))
    assert "There is no image" in form_errors(response)["image_alt_en"][0]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.png", b"this is text pretending to be a picture"),
        ("photo.jpg", b"<html><script>alert(1)</script></html>"),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("photo.png", png_bytes()[:40]),  # a truncated, corrupt PNG
    ],
)
def test_non_image_upload_is_refused(editor_client, media_root, name, content):
    response = editor_client.post(
        ADD_URL, case_data(image=upload(name, content), image_alt_en="A photo")
    )
    assert response.status_code == 200
    assert "not an image we can use" in form_errors(response)["image"][0]
    assert (
        not CaseStudy.objects.exists()
        or not CaseStudy.objects.filter(slug="town-booking-system").exists()
    )


def test_image_is_judged_by_content_not_name(editor_client, media_root):
    """A real JPEG named like a web page is accepted and stored as .jpg."""
    response = editor_client.post(
        ADD_URL,
        case_data(
            image=upload("page.html", png_bytes(image_format="JPEG"), "text/html"),
            image_alt_en="A red square",
        ),
    )
    assert response.status_code == 302
    name = CaseStudy.objects.get(slug="town-booking-system").image.name
    assert name.startswith("case-studies/page") and name.endswith(".jpg")


def test_uploaded_photo_loses_its_gps_and_other_metadata(editor_client, media_root):
    """Phone photos carry where they were taken; the stored copy must not."""
    import io

    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {2: (51.0, 30.0, 0.0), 1: "N"}  # GPS: latitude
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(buffer, format="JPEG", exif=exif)
    assert b"PhoneMaker" in buffer.getvalue()
    response = editor_client.post(
        ADD_URL,
        case_data(
            image=upload("photo.jpg", buffer.getvalue(), "image/jpeg"), image_alt_en="A red square"
        ),
    )
    assert response.status_code == 302
    stored = CaseStudy.objects.get(slug="town-booking-system").image
    with stored.open("rb") as handle:
        data = handle.read()
    assert b"PhoneMaker" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (20, 10)
        assert not image.getexif()


def test_oversized_image_is_refused(editor_client, media_root, settings):
    big = png_bytes(400, 400)
    settings.MAX_IMAGE_BYTES = len(big) - 1
    response = editor_client.post(
        ADD_URL, case_data(image=upload(content=big), image_alt_en="A big square")
    )
    assert response.status_code == 200
    message = form_errors(response)["image"][0]
    assert "the limit is" in message and "Make it smaller" in message


# --- preview ------------------------------------------------------------------------------


def test_preview_shows_the_public_page_of_a_draft_with_a_banner(editor_client):
    case = add_case(
        editor_client,
        title_es="Reservas compartidas",
        summary_es="Tres.",
        organisation_es="Pueblos",
        body_es="## El problema\n\nCada pueblo.",
    )
    assert Client().get(case.get_absolute_url()).status_code == 404  # not public yet
    response = editor_client.get(preview_url(case, "en"))
    assert response.status_code == 200
    assert response["X-Robots-Tag"].startswith("noindex")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "X-Page-Cache" not in response  # never from, nor into, the page cache
    html = response.content.decode()
    assert "Preview — not published" in html and "This is a draft" in html
    assert '<html lang="en">' in html
    assert f"<h1>{case.title_en}</h1>" in html and case.body_html_en in html
    assert 'class="case-facts"' in html  # the public template
    assert change_url(case) in html
    es = editor_client.get(preview_url(case, "es")).content.decode()
    assert '<html lang="es">' in es and "<h1>Reservas compartidas</h1>" in es
    assert "Vista previa" in es  # the banner is in the page's language
    ind = editor_client.get(preview_url(case, "id")).content.decode()
    assert '<html lang="id">' in ind and 'lang="en"' in ind and "fallback-notice" in ind


def test_preview_of_a_scheduled_case_study_says_when(editor_client):
    later = timezone.localdate() + datetime.timedelta(days=30)
    case = add_case(editor_client, status="published", published_on=later.isoformat())
    html = editor_client.get(preview_url(case)).content.decode()
    assert "Preview — not published" in html and "Scheduled" in html


def test_preview_links_and_save_and_preview(editor_client):
    response = editor_client.post(ADD_URL, case_data(_preview="Save and preview"))
    case = CaseStudy.objects.get(slug="town-booking-system")
    assert response.status_code == 302 and response["Location"] == preview_url(case, "en")
    html = editor_client.get(change_url(case)).content.decode()
    for lang in ("en", "es", "id"):
        assert f'href="{preview_url(case, lang)}"' in html
    response = editor_client.post(
        change_url(case),
        existing_case_data(case, _preview="Save and preview"),
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response["Location"] == preview_url(case, "es")


def test_preview_is_for_staff_with_permission_only(client, editor_client, django_user_model):
    case = add_case(editor_client)
    assert editor_client.get(preview_url(case)).status_code == 200
    assert Client().get(preview_url(case)).status_code == 404  # visitors: no such page
    staff = django_user_model.objects.create_user("clerk", password="x" * 20, is_staff=True)
    other = Client()
    other.force_login(staff)
    assert other.get(preview_url(case)).status_code == 404  # staff without the permission
    assert editor_client.get(preview_url(case, "fr")).status_code == 404
    assert editor_client.get("/en/case-studies/no-such-case/").status_code == 404
    # Once published, visitors see it, without the preview banner or its headers.
    case.status = CaseStudy.PUBLISHED
    services.case_study_save(case)
    response = Client().get(preview_url(case))
    assert response.status_code == 200 and "X-Robots-Tag" not in response
    assert "preview-banner" not in response.content.decode()


# --- lists ---------------------------------------------------------------------------------


def test_list_view_search_filters_and_links(editor_client):
    draft = add_case(
        editor_client,
        title_es="Reservas compartidas",
        summary_es="Tres.",
        organisation_es="Pueblos",
        topics=[topic("buy/evaluate-bids").pk],
    )
    live = CaseStudy.objects.get(slug="open-data-portal")
    url = "/admin/casestudies/casestudy/"

    def listed(query=""):
        response = editor_client.get(url + query)
        assert response.status_code == 200
        return {c.slug for c in response.context["cl"].result_list}

    assert listed() == {draft.slug, live.slug, "emergency-masks"}
    assert listed("?q=reservas") == {draft.slug}  # a Spanish title is searchable
    assert listed("?status__exact=draft") == {draft.slug}
    assert listed("?visible=live") == {live.slug, "emergency-masks"}
    assert listed(f"?stages__id__exact={stage('buy').pk}") == {draft.slug, "emergency-masks"}
    emergency = Theme.objects.get(slug="emergency")
    assert listed(f"?themes__id__exact={emergency.pk}") == {"emergency-masks"}
    assert listed("?country__exact=CL") == {draft.slug}
    assert listed("?languages=missing-es") == {"emergency-masks"}
    assert listed("?languages=missing-id") == {draft.slug, live.slug, "emergency-masks"}
    html = editor_client.get(url).content.decode()
    assert f'href="{live.get_absolute_url()}">View on site</a>' in html
    assert f'href="{preview_url(draft)}">Preview</a>' in html
    assert "Draft: not visible" in html and "Live on the site" in html


def test_theme_admin_is_tabbed_searchable_and_links_to_the_site(editor_client):
    response = editor_client.post(
        "/admin/casestudies/theme/add/",
        {
            "name_en": "Health",
            "name_es": "Salud",
            "name_ind": "Kesehatan",
            "slug": "health",
            "description_en": "Buying for hospitals.",
            "description_es": "",
            "description_ind": "",
            "order": "9",
        },
    )
    assert response.status_code == 302
    assert Theme.objects.get(slug="health").name_es == "Salud"
    html = editor_client.get("/admin/casestudies/theme/?q=salud").content.decode()
    assert "Health" in html and "Open data" not in html
    assert 'href="/en/case-studies/?theme=health"' in html
    form = editor_client.get("/admin/casestudies/theme/add/").content.decode()
    assert "casestudies/admin/tabs.js" in form and 'name="name_es"' in form
    response = editor_client.post(
        "/admin/casestudies/theme/add/", {"name_en": "Bad", "slug": "Bad_Slug", "order": "1"}
    )
    assert "slug" in response.context["adminform"].form.errors


# --- history ------------------------------------------------------------------------------


def test_history_shows_who_changed_what(editor_client, editor):
    case = add_case(editor_client)
    editor_client.post(
        change_url(case),
        existing_case_data(
            case,
            title_es="Reservas",
            summary_es="Tres.",
            organisation_es="Pueblos",
            status="published",
        ),
    )
    entries = list(LogEntry.objects.filter(object_id=str(case.pk)).order_by("action_time"))
    assert [(e.user, e.action_flag) for e in entries] == [(editor, ADDITION), (editor, CHANGE)]
    message = entries[1].get_change_message()
    assert "Title [es]" in message and "Status" in message
    html = editor_client.get(change_url(case).replace("change/", "history/")).content.decode()
    assert "edna" in html and "Title [es]" in html


# --- content files: load_content never overwrites, export round trip -----------------------


def test_load_content_keeps_an_admin_edit_and_reports_the_conflict(
    editor_client, content_tree, capsys
):
    call_command("load_content", str(content_tree))
    case = CaseStudy.objects.get(slug="open-data-portal")
    response = editor_client.post(
        change_url(case),
        existing_case_data(case, title_en="A city publishes every contract, edited in the admin"),
    )
    assert response.status_code == 302
    capsys.readouterr()
    call_command("load_content", str(content_tree))
    err = capsys.readouterr().err
    assert "conflict: case study 'open-data-portal'" in err
    assert "export_content" in err and "--force" in err
    case.refresh_from_db()
    assert case.title_en == "A city publishes every contract, edited in the admin"


def snapshot(case):
    case.refresh_from_db()
    fields = {
        name: getattr(case, name) or ""
        for name in (
            "slug",
            "country",
            "year",
            "status",
            "published_on",
            "title_en",
            "title_es",
            "summary_en",
            "summary_es",
            "body_en",
            "body_es",
            "body_html_en",
            "body_html_es",
            "organisation_en",
            "organisation_es",
            "quote_en",
            "quote_by_en",
            "quote_es",
            "quote_by_es",
            "title_ind",
        )
    }
    fields["topics"] = sorted(t.key for t in case.topics.all())
    fields["stages"] = sorted(s.slug for s in case.stages.all())
    fields["themes"] = sorted(t.slug for t in case.themes.all())
    return fields


def test_export_then_load_is_a_round_trip_for_an_admin_made_case_study(
    editor_client, content_tree, capsys
):
    assert content_load(content_tree).ok
    case = add_case(
        editor_client,
        status="published",
        published_on="2024-05-02",
        body_en='## The problem\r\n\r\nEach town paid: 3 × 10% ("costly").\r\n\r\n'
        "## Results\r\n\r\n- one\r\n- two [see](/guide/buy/evaluate-bids/)",
        title_es="Reservas: compartidas",
        summary_es="Tres pueblos, un sistema.",
        organisation_es="Pueblos del valle",
        body_es="## El problema\r\n\r\nCada pueblo.",
        quote_en="We saved a lot.",
        quote_by_en="Ana, mayor",
        stages=[stage("buy").pk],
        themes=[Theme.objects.get(slug="emergency").pk, Theme.objects.get(slug="open-data").pk],
    )
    assert "\r" not in case.body_en  # browsers send \r\n; files and database use \n
    before = snapshot(case)
    call_command("export_content", str(content_tree))
    assert (content_tree / "en/case-studies/town-booking-system.md").exists()
    assert (content_tree / "es/case-studies/town-booking-system.md").exists()
    assert not (content_tree / "id/case-studies/town-booking-system.md").exists()

    report = content_load(content_tree)  # the exported files are adopted, no conflict
    assert report.ok and not report.conflicts
    assert snapshot(case) == before
    assert CaseStudy.objects.get(pk=case.pk).source == CaseStudy.FROM_FILE

    CaseStudy.objects.filter(pk=case.pk).delete()  # from the files alone, the same again
    assert content_load(content_tree).ok
    again = CaseStudy.objects.get(slug="town-booking-system")
    assert snapshot(again) == before
    assert not content_load(content_tree).stats.changed


# --- guidance is read-only, with a note on where to edit it --------------------------------


def test_guidance_admin_says_where_to_edit(admin_client, fixture_site):
    note = "This text is managed in the content files"
    topic_obj = Topic.objects.first()
    for url in (
        "/admin/guidance/topic/",
        f"/admin/guidance/topic/{topic_obj.pk}/change/",
        "/admin/guidance/stage/",
        "/admin/guidance/glossaryterm/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert note in html and "load_content" in html, url
    change = admin_client.get(f"/admin/guidance/topic/{topic_obj.pk}/change/")
    assert 'name="_save"' not in change.content.decode()  # read-only, even for superusers


# --- dates a reader can trust -------------------------------------------------------------


def test_an_editor_marks_an_estimated_year_and_the_save_dates_the_text(editor_client):
    case = add_case(editor_client, year_inferred="on")
    assert case.year_inferred and case.year == 2023
    assert case.updated_on_en == timezone.localdate()  # the save dates the text it changed
    assert case.updated_on_es is None  # no Spanish text, no Spanish date


def test_an_estimated_year_needs_a_year(editor_client):
    response = editor_client.post(ADD_URL, case_data(year="", year_inferred="on"))
    assert response.status_code == 200
    assert form_errors(response)["year_inferred"] == [
        "Give the estimated year first, then tick this."
    ]
    assert not CaseStudy.objects.filter(slug="town-booking-system").exists()
