"""Spanish and Indonesian pages: no English interface strings, right lang attributes."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from django.conf import settings

from guidance.translations import po_entries

# Short or language-neutral msgids that legitimately read the same in another language.
NEUTRAL = {
    "English",
    "Español",
    "Bahasa Indonesia",
    "Colombia",
    "Ecuador",
    "China",
    "India",
    "Indonesia",
    "Nigeria",
    "Argentina",
    "Chile",
    "Costa Rica",
    "Guatemala",
    "Ghana",
    "Kenya",
    "Paraguay",
    "Portugal",
    "Rwanda",
    "Singapore",
    "Uganda",
    "Uruguay",
    "Viet Nam",
    "Malaysia",
    "Japan",
    "Estonia",
    "Finland",
    "Canada",
    "Australia",
    "Bangladesh",
    "Peru",
    "Ukraine",
    "Thailand",
    "Germany",
    "Italy",
    "France",
    "Brazil",
    "Filipina",
    "Spain",
    "Mexico",
    "Philippines",
    "Netherlands",
    "South Africa",
    "New Zealand",
    "South Korea",
    "Dominican Republic",
    "United Kingdom",
    "United States",
    "Case study",
    "Atom",
    "CSV",
    "Glossary",
    # The 2020 product's name, quoted as a proper name in the licence attribution.
    "Digital Buying Guide",
}


def english_interface_strings():
    text = (Path(settings.BASE_DIR) / "locale/es/LC_MESSAGES/django.po").read_text()
    strings = set()
    for msgid, _strings, _fuzzy in po_entries(text):
        if "%(" in msgid or "{{" in msgid:
            # Keep the literal part before the first placeholder when it is long enough.
            msgid = re.split(r"%\(|\{\{", msgid)[0].strip()
        if len(msgid) >= 12 and msgid not in NEUTRAL:
            strings.add(msgid.replace("'", "&#x27;").replace("\u2019", "’"))
    return strings


def visible_text(html):
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    # Drop the guide's own text (translated content may quote English names, such as the
    # 2020 "Digital Buying Guide"); what is left is the interface.
    html = re.sub(r'<div class="prose"[^>]*>.*?</div>', " ", html, flags=re.S)
    html = re.sub(r"<dd[^>]*>.*?</dd>", " ", html, flags=re.S)
    html = re.sub(r'<span class="expansion"[^>]*>.*?</span>', " ", html, flags=re.S)
    # Drop whatever is explicitly marked as English (fallback passages, language names).
    html = re.sub(r'<(\w+)[^>]*\slang="en"[^>]*>.*?</\1>', " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def sitemap_paths(client):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return [e.text.replace("http://testserver", "") for e in root.findall("s:url/s:loc", ns)]


def test_spanish_and_indonesian_pages_have_no_english_interface_strings(real_site, client):
    english = english_interface_strings()
    assert len(english) > 50
    problems = []
    for path in sitemap_paths(client):
        language = path.split("/")[1]
        if language == "en":
            continue
        html = client.get(path).content.decode()
        assert f'<html lang="{language}">' in html, path
        assert "fallback-notice" not in html, f"{path} is not fully translated"
        text = visible_text(html)
        for msgid in english:
            if msgid in text:
                problems.append((path, msgid))
    assert not problems, problems[:20]


def test_only_language_names_are_marked_as_another_language(real_site, client):
    for path in ("/es/guide/plan/work-as-a-team/", "/id/case-studies/india-gem/"):
        html = client.get(path).content.decode()
        main = html.split("<main", 1)[1].split("</main>", 1)[0]
        # Resource titles are the resources' own (often English) titles, marked as such.
        main = main.split('<section aria-labelledby="resources">', 1)[0]
        assert 'lang="en"' not in main, path
