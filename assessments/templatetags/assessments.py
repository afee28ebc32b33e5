"""{% related_assessments topic=topic %} / {% related_assessments stage=stage %}: a panel
linking the self-assessments tagged to a topic (through their indicators) or a stage."""

from django import template

from guidance.memo import per_content

from ..selectors import listed_assessments

register = template.Library()


def _related(kind: str, key: str) -> list:
    def relates(definition):
        if kind == "stage":
            return key in definition.get("stages", [])
        return any(
            key in indicator.get("topics", [])
            for category in definition["categories"]
            for indicator in category["indicators"]
        )

    return [row for row in listed_assessments() if relates(row.definition)]


@register.inclusion_tag("assessments/related.html")
def related_assessments(topic=None, stage=None):
    if stage is not None:
        related = per_content("related-assessments", _related, "stage", stage.slug)
    elif topic is not None:
        related = per_content("related-assessments", _related, "topic", topic.key)
    else:
        related = []
    return {"related": related}


@register.inclusion_tag("assessments/home_panel.html")
def assessments_home():
    return {"assessments": listed_assessments()}
