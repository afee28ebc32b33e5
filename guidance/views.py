"""Stage, topic (guidance page), checklist (HTML and CSV) and glossary pages."""

import csv
import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buyingguide.origin import absolute_url

from .changes import recent_changes
from .models import GlossaryTerm, Stage, Topic
from .selectors import checklist_topics, dos_and_donts, topic_neighbours, topics_for_stage


def stage_detail(request, stage):
    stage = get_object_or_404(Stage.objects.published(), slug=stage)
    return render(
        request, "guidance/stage.html", {"stage": stage, "topics": topics_for_stage(stage)}
    )


def topic_detail(request, stage, topic):
    """A guidance page. Other apps' panels (case studies) come from their template tags,
    so guidance does not import them."""
    topic = get_object_or_404(Topic.objects.published(), stage__slug=stage, slug=topic)
    dos, donts = dos_and_donts(topic)
    previous, following = topic_neighbours(topic)
    context = {
        "topic": topic,
        "stage": topic.stage,
        "dos": dos,
        "donts": donts,
        "previous": previous,
        "next": following,
    }
    return render(request, "guidance/topic.html", context)


def checklist(request, stage=None, fmt="html"):
    stage_obj = None
    if stage is not None:
        stage_obj = get_object_or_404(Stage.objects.published(), slug=stage)
    topics = checklist_topics(stage_obj)
    if fmt == "csv":
        return _checklist_csv(request, stage_obj, topics)
    if fmt != "html":
        raise Http404
    return render(request, "guidance/checklist.html", {"stage": stage_obj, "topics": topics})


def _checklist_csv(request, stage, topics):
    name = slugify(stage.title if stage else _("Digital Buying Guide")) or "checklist"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-checklist.csv"'
    response.write("\ufeff")  # byte-order mark: spreadsheet programs then read UTF-8 right
    writer = csv.writer(response)
    writer.writerow([_("Stage"), _("Topic"), _("Do or don't"), _("Text"), _("Link")])
    for topic in topics:
        link = absolute_url(topic.get_absolute_url(), request)
        for item in topic.dos + topic.donts:
            writer.writerow(
                [
                    topic.stage.title,
                    topic.title,
                    _("Do") if item.kind == "do" else _("Don't"),
                    item.text,
                    link,
                ]
            )
    return response


def glossary(request):
    return render(
        request,
        "guidance/glossary.html",
        {"terms": list(GlossaryTerm.objects.published().order_by("term"))},
    )


def guide_index(request):
    stages = list(Stage.objects.published().order_by("order").prefetch_related("topics"))
    for stage in stages:
        stage.topic_list = sorted(stage.topics.all(), key=lambda t: t.order)
    return render(request, "guidance/index.html", {"stages": stages, "nav": "guide"})


def whats_new(request):
    """The latest changes across the site, newest first, in the reader's language."""
    return render(request, "guidance/whats_new.html", {"changes": recent_changes()})


class ChangesFeed(Feed):
    """ "What's new" as Atom, one entry per change; links from SITE_URL (absolute_url)."""

    feed_type = Atom1Feed
    title = gettext_lazy("Digital Buying Guide: what's new")
    subtitle = gettext_lazy("The latest changes to the guide and its case studies, and why.")

    def link(self):
        return absolute_url(reverse("guidance:whats-new"))

    def feed_url(self):
        return absolute_url(reverse("guidance:whats-new-feed"))

    def items(self):
        return recent_changes()

    def item_title(self, item):
        return item.target.title

    def item_link(self, item):
        return absolute_url(item.target.get_absolute_url())

    def item_guid(self, item):
        # Two changes of one page have the same link: the id names the change itself.
        return absolute_url(reverse("guidance:whats-new")) + f"#change-{item.pk}"

    item_guid_is_permalink = False

    def item_description(self, item):
        # Atom's <summary type="html"> is read as HTML: the plain-text note is escaped.
        return escape(item.note)

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time.min))

    def item_updateddate(self, item):
        return self.item_pubdate(item)
