"""Generated case studies, for tests that need many of them."""

from casestudies.models import CaseStudy, Theme
from guidance.models import Topic


def make_case_studies(n: int, *, prefix="generated", **overrides) -> list[CaseStudy]:
    topics = list(Topic.objects.select_related("stage"))
    themes = list(Theme.objects.all())
    cases = CaseStudy.objects.bulk_create(
        [
            CaseStudy(
                slug=f"{prefix}-{i:05d}",
                title_en=f"Generated case study {i}",
                title_es=f"Caso generado {i}",
                summary_en=f"Summary {i}",
                summary_es=f"Resumen {i}",
                body_en="## The problem\n\nText.",
                body_html_en="<h2>The problem</h2><p>Text.</p>",
                country="MX",
                organisation_en="Generated org",
                year=2000 + i % 25,
                status=CaseStudy.PUBLISHED,
                **overrides,
            )
            for i in range(n)
        ]
    )
    through_topics = CaseStudy.topics.through
    through_stages = CaseStudy.stages.through
    through_themes = CaseStudy.themes.through
    rows_t, rows_s, rows_th = [], [], []
    for i, case in enumerate(cases):
        topic = topics[i % len(topics)]
        rows_t.append(through_topics(casestudy_id=case.pk, topic_id=topic.pk))
        rows_s.append(through_stages(casestudy_id=case.pk, stage_id=topic.stage_id))
        rows_th.append(through_themes(casestudy_id=case.pk, theme_id=themes[i % len(themes)].pk))
    through_topics.objects.bulk_create(rows_t)
    through_stages.objects.bulk_create(rows_s)
    through_themes.objects.bulk_create(rows_th)
    return cases
