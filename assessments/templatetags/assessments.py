"""{% related_assessments topic=topic %} / {% related_assessments stage=stage %}: a panel
linking the self-assessments tagged to a topic (through their indicators) or a stage."""

from django import template

from ..selectors import assessments_in_language

register = template.Library()


@register.inclusion_tag("assessments/related.html")
def related_assessments(topic=None, stage=None):
    def relates(definition):
        if stage is not None:
            return stage.slug in definition.get("stages", [])
        return topic is not None and any(
            topic.key in indicator.get("topics", [])
            for category in definition["categories"]
            for indicator in category["indicators"]
        )

    return {"related": [row for row in assessments_in_language() if relates(row.definition)]}


@register.inclusion_tag("assessments/home_panel.html")
def assessments_home():
    return {"assessments": assessments_in_language()}
