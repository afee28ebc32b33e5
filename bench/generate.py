"""Bulk-create published case studies for load testing (benchmark databases only).

Each generated case study copies the text of one of the loaded case studies (all languages),
so pages, filters and the search index see realistic sizes; it gets a new slug and title, a
spread of publication dates, and topics, stages and themes drawn from the loaded content.

    python bench/generate.py 1000          # against the database in DATABASE_URL

Never run it against a real database: the rows are marked as admin-made, so load_content
keeps them.
"""

import datetime
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "bench-case-"
COPIED = ("title", "summary", "body", "body_html", "organisation", "quote", "quote_by", "image_alt")


def generate_case_studies(count: int, seed: int = 9) -> int:
    """Create `count` published case studies, rebuild the search index; return the count."""
    from django.db import transaction

    from buyingguide.search import search_index_rebuild
    from casestudies.countries import COUNTRIES
    from casestudies.models import CaseStudy, Theme
    from guidance.languages import LANGUAGE_CODES, localized
    from guidance.models import Topic
    from guidance.version import content_version_bump

    rng = random.Random(seed)
    templates = list(CaseStudy.objects.filter(status=CaseStudy.PUBLISHED))
    topics = list(Topic.objects.select_related("stage"))
    themes = list(Theme.objects.all())
    if not templates or not topics:
        raise RuntimeError("load the content first (manage.py load_content)")
    countries = sorted(COUNTRIES)
    fields = [localized(name, code) for name in COPIED for code in LANGUAGE_CODES]
    today = datetime.date.today()
    start = CaseStudy.objects.filter(slug__startswith=PREFIX).count()

    with transaction.atomic():
        cases = []
        for n in range(start, start + count):
            template = templates[n % len(templates)]
            values = {name: getattr(template, name) for name in fields}
            values["title_en"] = f"{template.title_en} ({n + 1})"
            cases.append(
                CaseStudy(
                    slug=f"{PREFIX}{n + 1:05d}",
                    country=rng.choice(countries),
                    year=rng.randint(2012, 2025),
                    status=CaseStudy.PUBLISHED,
                    published_on=today - datetime.timedelta(days=rng.randint(1, 3000)),
                    source=CaseStudy.FROM_ADMIN,
                    **values,
                )
            )
        created = CaseStudy.objects.bulk_create(cases, batch_size=500)

        topic_rows, stage_rows, theme_rows = [], [], []
        for case in created:
            chosen = rng.sample(topics, k=rng.randint(1, 3))
            topic_rows += [CaseStudy.topics.through(casestudy=case, topic=t) for t in chosen]
            stage_rows += [
                CaseStudy.stages.through(casestudy=case, stage=s) for s in {t.stage for t in chosen}
            ]
            theme_rows += [
                CaseStudy.themes.through(casestudy=case, theme=t)
                for t in rng.sample(themes, k=min(len(themes), rng.randint(0, 2)))
            ]
        for rows in (topic_rows, stage_rows, theme_rows):
            if rows:
                type(rows[0]).objects.bulk_create(rows, batch_size=1000)

        search_index_rebuild()
        content_version_bump()  # bulk_create sends no signals: bump by hand
    return len(created)


def main(argv: list[str]) -> int:
    count = int(argv[1]) if len(argv) > 1 else 1000
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buyingguide.settings.base")
    import django

    django.setup()
    print(f"created {generate_case_studies(count)} case studies")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
