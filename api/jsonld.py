"""schema.org JSON-LD for each HTML page: what the page is, in which language, under which
licence. Built from the objects the page's view already put in its template context.

Guidance topics, proposal notes and case studies are Articles, a stage, a proposal component
and the checklists are HowTo (its topics, notes or do's are the steps), the glossary is a
DefinedTermSet, the resource library a CollectionPage, a self-assessment a Quiz; other pages
are WebPages of the fitting subtype. tests/api/test_jsonld.py checks every page against
the vocabulary.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from guidance.selectors import dos_and_donts

from .kinds.base import request_base_url
from .services import LICENCE_URL

CONTEXT = "https://schema.org"


def _lang(obj, current):
    return obj.text_language if hasattr(obj, "text_language") else current


def _website(base, current):
    return {"@type": "WebSite", "name": str(settings.SITE_NAME), "url": f"{base}/{current}/"}


def _modified(obj) -> str:
    # The date the text last changed (the file's `updated:`), not the moment it was loaded.
    day = getattr(obj, "updated_on", None)
    return day.isoformat() if day else obj.updated_at.date().isoformat()


def _topic(topic, base, current):
    return {
        "@type": "Article",
        "headline": topic.title,
        "description": topic.summary,
        "inLanguage": _lang(topic, current),
        "dateModified": _modified(topic),
        "license": LICENCE_URL,
        "isPartOf": {
            "@type": "HowTo",
            "name": topic.stage.title,
            "url": base + topic.stage.get_absolute_url(),
        },
    }


def _stage(stage, topics, base, current):
    return {
        "@type": "HowTo",
        "name": stage.title,
        "description": stage.summary,
        "inLanguage": _lang(stage, current),
        "dateModified": _modified(stage),
        "license": LICENCE_URL,
        "step": [
            {
                "@type": "HowToStep",
                "position": number,
                "name": topic.title,
                "text": topic.summary,
                "url": base + topic.get_absolute_url(),
            }
            for number, topic in enumerate(topics, 1)
        ],
    }


def _checklist(stage, topics, base, current):
    name = (
        _("Checklist: %(title)s") % {"title": stage.title}
        if stage
        else _("Checklist for the whole guide")
    )
    sections = []
    for number, topic in enumerate(topics, 1):
        dos, donts = getattr(topic, "dos", None), getattr(topic, "donts", None)
        if dos is None:
            dos, donts = dos_and_donts(topic)
        steps = [{"@type": "HowToStep", "text": item.text} for item in dos]
        steps += [{"@type": "HowToTip", "text": _("Don't") + ": " + item.text} for item in donts]
        sections.append(
            {
                "@type": "HowToSection",
                "position": number,
                "name": topic.title,
                "url": base + topic.get_absolute_url(),
                "itemListElement": steps,
            }
        )
    return {"@type": "HowTo", "name": name, "license": LICENCE_URL, "step": sections}


def _glossary(terms, base, current, url):
    return {
        "@type": "DefinedTermSet",
        "name": _("Glossary"),
        "license": LICENCE_URL,
        "hasDefinedTerm": [
            {
                "@type": "DefinedTerm",
                "name": term.term,
                "termCode": term.slug,
                "description": term.definition,
                "url": f"{url}#{term.slug}",
                "inDefinedTermSet": url,
                **({"alternateName": term.expansion} if term.expansion else {}),
            }
            for term in terms
        ],
    }


def _case_study(case, base, current):
    data = {
        "@type": "Article",
        "headline": case.title,
        "description": case.summary,
        "inLanguage": _lang(case, current),
        "dateModified": _modified(case),
        "license": LICENCE_URL,
        "about": {"@type": "Organization", "name": case.organisation},
        "spatialCoverage": {"@type": "Country", "name": str(case.country_name)},
        "keywords": [theme.name for theme in case.themes.all()],
    }
    if case.image:
        data["image"] = {
            "@type": "ImageObject",
            "contentUrl": base + case.image.url,
            "description": case.image_alt,
        }
    if case.published_on:  # empty where the source gives no date (never invented)
        data["datePublished"] = case.published_on.isoformat()
    return data


def _case_index(page, base, current):
    return {
        "@type": "CollectionPage",
        "name": _("Case studies"),
        "mainEntity": {
            "@type": "ItemList",
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": page.start_index() + offset,
                    "name": case.title,
                    "url": base + case.get_absolute_url(),
                }
                for offset, case in enumerate(page.object_list)
            ],
        },
    }


def _page(page, base, current, kind="WebPage"):
    data = {"@type": kind, "name": page.title, "inLanguage": _lang(page, current)}
    if page.summary:
        data["description"] = page.summary
    data["dateModified"] = _modified(page)
    data["license"] = LICENCE_URL
    return data


def page_data(context) -> dict | None:
    """The JSON-LD object for the page being rendered, or None (error pages)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    base = request_base_url(request)
    current = context.get("current_language", "en")
    url = context.get("canonical") or request.build_absolute_uri()
    view = match.view_name
    stage, topic, page = context.get("stage"), context.get("topic"), context.get("page")
    if view == "guidance:topic" and topic:
        data = _topic(topic, base, current)
    elif view == "guidance:stage" and stage:
        data = _stage(stage, context.get("topics", []), base, current)
    elif view in ("guidance:checklist", "guidance:stage-checklist"):
        data = _checklist(stage, context.get("topics", []), base, current)
    elif view == "guidance:glossary":
        data = _glossary(context.get("terms", []), base, current, url)
    elif view == "guidance:index":
        data = _stage_list(context.get("stages", []), base)
    elif view == "casestudies:detail" and context.get("case"):
        data = _case_study(context["case"], base, current)
    elif view == "casestudies:index" and page is not None:
        data = _case_index(page, base, current)
    elif view == "home":
        data = {"@type": "WebSite", "name": str(settings.SITE_NAME), "license": LICENCE_URL}
        if page:
            data["description"] = page.summary
    elif view == "page" and page:
        data = _page(page, base, current, "AboutPage" if page.slug == "about" else "WebPage")
    elif view == "proposals:note" and context.get("note"):
        data = _note(context["note"], base, current)
    elif view == "proposals:component" and context.get("component"):
        data = _component(context["component"], context.get("notes", []), base, current)
    elif view == "proposals:index":
        data = _proposal_guide(context.get("components", []), context.get("page"), base, current)
    elif view == "resources:index" and "groups" in context:
        data = _library(context["groups"], base, current)
    elif view == "assessments:detail" and context.get("assessment"):
        data = _instrument(context["assessment"], context.get("instrument"), current)
    elif view == "search":
        data = {"@type": "SearchResultsPage", "name": _("Search")}
    elif view == "developers":
        data = {
            "@type": "TechArticle",
            "headline": _("Open data and API"),
            "license": LICENCE_URL,
        }
    else:
        data = {"@type": "WebPage"}
    data.setdefault("inLanguage", current)
    data["url"] = url
    if data["@type"] != "WebSite":
        data["isPartOf"] = data.get("isPartOf") or _website(base, current)
    return {"@context": CONTEXT, **data}


def _note(note, base, current):
    """A guidance note of the second guide: an Article inside its component's HowTo."""
    return {
        "@type": "Article",
        "headline": f"{note.code} {note.title}",
        "description": note.summary,
        "inLanguage": _lang(note, current),
        "dateModified": _modified(note),
        "license": LICENCE_URL,
        "isPartOf": {
            "@type": "HowTo",
            "name": note.component.title,
            "url": base + note.component.get_absolute_url(),
        },
    }


def _component(component, notes, base, current):
    return {
        "@type": "HowTo",
        "name": component.title,
        "description": component.summary,
        "inLanguage": _lang(component, current),
        "dateModified": _modified(component),
        "license": LICENCE_URL,
        "step": [
            {
                "@type": "HowToStep",
                "position": number,
                "name": f"{note.code} {note.title}",
                "text": note.summary,
                "url": base + note.get_absolute_url(),
            }
            for number, note in enumerate(notes, 1)
        ],
    }


def _proposal_guide(components, page, base, current):
    data = {
        "@type": "HowTo",
        "name": page.title if page else _("Project proposals"),
        "license": LICENCE_URL,
        "step": [
            {
                "@type": "HowToSection",
                "position": number,
                "name": component.title,
                "url": base + component.get_absolute_url(),
                "itemListElement": [
                    {
                        "@type": "HowToStep",
                        "position": place,
                        "name": f"{note.code} {note.title}",
                        "url": base + note.get_absolute_url(),
                    }
                    for place, note in enumerate(getattr(component, "note_list", []), 1)
                ],
            }
            for number, component in enumerate(components, 1)
        ],
    }
    if page:
        data["description"] = page.summary
        data["inLanguage"] = _lang(page, current)
    return data


def _library(groups, base, current):
    """The resource library: a CollectionPage whose items are the resources, which live
    elsewhere (their own addresses), each with its publisher."""
    resources = [resource for group in groups for resource in group["resources"]]
    return {
        "@type": "CollectionPage",
        "name": _("Resource library"),
        "license": LICENCE_URL,
        "mainEntity": {
            "@type": "ItemList",
            "numberOfItems": len(resources),
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": number,
                    "item": {
                        "@type": "CreativeWork",
                        "name": resource.title,
                        "url": resource.url,
                        "inLanguage": resource.title_language,
                        "publisher": {"@type": "Organization", "name": resource.publisher},
                        **({"datePublished": str(resource.year)} if resource.year else {}),
                    },
                }
                for number, resource in enumerate(resources, 1)
            ],
        },
    }


def _instrument(row, instrument, current):
    """A self-assessment instrument: a Quiz (schema.org's type for a set of questions)."""
    data = {
        "@type": "Quiz",
        "name": row.title,
        "description": row.summary,
        "inLanguage": row.language,
        "dateModified": row.updated_at.date().isoformat(),
        "license": LICENCE_URL,
    }
    if instrument is not None:
        data["about"] = [
            {"@type": "Thing", "name": category.title} for category in instrument.categories
        ]
    return data


def _stage_list(stages, base):
    return {
        "@type": "HowTo",
        "name": _("The guide"),
        "license": LICENCE_URL,
        "step": [
            {
                "@type": "HowToSection",
                "position": number,
                "name": stage.title,
                "url": base + stage.get_absolute_url(),
                "itemListElement": [
                    {
                        "@type": "HowToStep",
                        "position": place,
                        "name": topic.title,
                        "url": base + topic.get_absolute_url(),
                    }
                    for place, topic in enumerate(getattr(stage, "topic_list", []), 1)
                ],
            }
            for number, stage in enumerate(stages, 1)
        ],
    }
