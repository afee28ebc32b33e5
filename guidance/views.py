"""Stage, topic (guidance page), checklist (HTML and CSV) and glossary pages."""

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from buyingguide.origin import absolute_url

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
