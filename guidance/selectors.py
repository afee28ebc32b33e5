"""Read-only queries the guidance pages use; each returns what a template needs."""

from django.db.models import Prefetch

from .memo import per_content
from .models import ChecklistItem, Stage, Topic

# What lists of topics never show: their texts (the topic page reads its own topic whole).
TOPIC_TEXTS = ("why_html", "what_html", "toc")


def stages_in_order():
    return list(Stage.objects.published().order_by("order"))


def topics_for_stage(stage: Stage):
    return list(Topic.objects.published().filter(stage=stage).order_by("order"))


def reading_order() -> list[Topic]:
    """Every topic in the whole guide's order, without its texts; one query per content
    state and process (guidance/memo.py). Shared: nobody may modify these objects."""
    return per_content(
        "reading-order",
        lambda: list(
            Topic.objects.published().defer(*TOPIC_TEXTS, "stage__body_html").order_by("position")
        ),
    )


def topic_neighbours(topic: Topic) -> tuple[Topic | None, Topic | None]:
    """Previous and next topic in the whole guide's reading order."""
    topics = reading_order()
    previous = [t for t in topics if t.position < topic.position]
    following = [t for t in topics if t.position > topic.position]
    return (previous[-1] if previous else None), (following[0] if following else None)


def checklist_topics(stage: Stage | None = None):
    """Topics (of one stage, or the whole guide) with their items split into dos and don'ts."""
    topics = Topic.objects.published().prefetch_related(
        Prefetch("items", queryset=ChecklistItem.objects.order_by("kind", "order"))
    )
    if stage is not None:
        topics = topics.filter(stage=stage)
    topics = list(topics.order_by("position"))
    for topic in topics:
        topic.dos, topic.donts = dos_and_donts(topic)
    return topics


def dos_and_donts(topic: Topic) -> tuple[list[ChecklistItem], list[ChecklistItem]]:
    """A topic's do items and don't items, each in order (uses a prefetch when present)."""
    items = sorted(topic.items.all(), key=lambda item: (item.kind, item.order))
    return (
        [i for i in items if i.kind == ChecklistItem.DO],
        [i for i in items if i.kind == ChecklistItem.DONT],
    )
