"""Search entries for the self-assessments: the site's index calls `assessment_entries`."""

from django.utils.translation import override

from guidance.markdown import plain_text

from .selectors import assessments_in_language


def assessment_entries(language, entry_class):
    """One entry per instrument in `language`: title, summary, introduction and questions."""
    with override(language):
        for row in assessments_in_language(language):
            questions = " ".join(
                f"{indicator['title']} " + " ".join(q["text"] for q in indicator["questions"])
                for category in row.definition["categories"]
                for indicator in category["indicators"]
            )
            yield entry_class(
                language=language,
                kind=entry_class.ASSESSMENT,
                key=f"assessment:{row.slug}",
                url=row.get_absolute_url(),
                title=row.title,
                section="",
                body=f"{row.summary} {plain_text(row.body_html)} {questions}",
                text_language=row.language,
            )
