"""A small resource library written into a copy of the fixture content tree."""

import csv
import io

import pytest

from tests.conftest import write

HEADER = (
    "slug",
    "group",
    "type",
    "region",
    "year",
    "languages",
    "title",
    "publisher",
    "url",
    "topics",
)
ROWS = [
    {
        "slug": "open-toolkit",
        "group": "guides-and-toolkits",
        "type": "toolkit",
        "region": "europe",
        "year": "2019",
        "languages": "en fr",
        "title": "Open Source Toolkit, with commas",
        "publisher": "A Government",
        "url": "https://example.org/toolkit",
        "topics": "plan/work-as-a-team",
    },
    {
        "slug": "city-standard",
        "group": "guidelines-bibliography",
        "type": "standard",
        "region": "global",
        "year": "",
        "languages": "en",
        "title": "A City Standard",
        "publisher": "ISO",
        "url": "https://example.org/standard",
        "topics": "plan/define-outcomes buy/evaluate-bids",
    },
    {
        "slug": "latin-dataset",
        "group": "foreign-sources",
        "type": "dataset",
        "region": "latin-america",
        "year": "2020",
        "languages": "es",
        "title": "Datos abiertos de compras",
        "publisher": "=cmd|' /C calc'!A0",  # a hostile cell for the CSV export
        "url": "https://example.org/datos",
        "topics": "buy/evaluate-bids",
    },
]
ANNOTATIONS = {
    "open-toolkit": {
        "en": "How to judge open source; see [work as a team](/guide/plan/work-as-a-team/).",
        "es": "Cómo valorar las opciones de código abierto.",
    },
    "city-standard": {"en": "A standard cities can cite in tenders."},
    "latin-dataset": {
        "en": "Open procurement data with dashboards.",
        "es": "Datos abiertos de compras con tableros.",
        "id": "Data pengadaan terbuka dengan dasbor.",
    },
}


def catalogue(rows) -> str:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


def write_library(root, rows=ROWS, annotations=ANNOTATIONS):
    write(root, "en/resources.csv", catalogue(rows))
    for slug, texts in annotations.items():
        for language, text in texts.items():
            front = "source_hash: 000000000000\n" if language != "en" else ""
            write(root, f"{language}/resources/{slug}.md", f"---\n{front}---\n{text}\n")


@pytest.fixture
def library_tree(content_tree):
    write_library(content_tree)
    return content_tree
