"""The resource panel for topic pages, so guidance need not import resources."""

from django import template

from ..selectors import resources_for_topic

register = template.Library()


@register.simple_tag
def topic_resources(topic) -> list:
    """`{% topic_resources topic as resources %}`: every resource linked to the topic."""
    return resources_for_topic(topic)
