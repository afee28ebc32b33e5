"""Case-study panels for other apps' pages, so those apps need not import casestudies."""

from django import template

from ..selectors import case_studies_for_note, case_studies_for_topic

register = template.Library()


@register.simple_tag
def topic_case_studies(topic) -> dict:
    """`{% topic_case_studies topic as panel %}`: panel.case_studies (a few), panel.total."""
    return case_studies_for_topic(topic)


@register.simple_tag
def note_case_studies(note) -> dict:
    """`{% note_case_studies note as panel %}`: the same panel for a project-proposal note."""
    return case_studies_for_note(note)
