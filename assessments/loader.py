"""Load self-assessment instruments from `content/<lang>/assessments/<slug>.md`.

Driven by `load_content` like the other apps, with the same all-or-nothing guarantee:
`assessments_parse` validates every file (errors name the file and line), `assessments_render`
renders the introductions once every link target is known, `assessments_apply` writes.
The file format is described in docs/assessments.md.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.utils import timezone

from guidance.content import ContentFile, require, valid_slug
from guidance.loadkit import Stats, report_broken_links
from guidance.markdown import render_markdown

from .models import Assessment

PREFIX = "assessments/"
MAX_FIELDS = 10  # a question's fields become a bit mask in links: keep it small


@dataclass
class AssessmentPlan:
    slug: str
    order: int
    files: dict[str, ContentFile]
    fingerprint: str = ""
    values: dict[str, dict] = field(default_factory=dict)  # language → model field values


@dataclass
class AssessmentsPlan:
    assessments: dict[str, AssessmentPlan] = field(default_factory=dict)

    def link_targets(self) -> set[str]:
        return {"/assessments/"} | {f"/assessments/{slug}/" for slug in self.assessments}


def _line(cf: ContentFile, key: str, value) -> int | None:
    """The line where `key: value` is written (as a list item or not), for error messages."""
    targets = {f"{key}: {value}", f'{key}: "{value}"', f"{key}: '{value}'"}
    for number, line in enumerate(cf.text.splitlines(), 1):
        if line.strip().removeprefix("- ").strip() in targets:
            return number
    return None


def _text(value) -> str:
    return str(value).strip() if isinstance(value, str | int | float) else ""


def assessments_parse(groups: dict[str, dict], guidance, casestudies, errors) -> AssessmentsPlan:
    plan = AssessmentsPlan()
    topics = set(guidance.topics)
    cases = set(casestudies.case_studies)
    for key, files in sorted(groups.items()):
        if not key.startswith(PREFIX):
            continue
        slug = key[len(PREFIX) : -3]
        en = files["en"]
        if not valid_slug(slug):
            errors.append(
                en.error(
                    f"'{slug}' is not a valid slug: use lower-case letters, digits and "
                    "hyphens in the file name"
                )
            )
            continue
        order = require(en, "order", errors, int) or 0
        item = AssessmentPlan(slug=slug, order=order, files=files)
        english = _parse_english(en, topics, cases, errors)
        if english is None:
            continue
        english["stages"] = _stages(en, guidance, errors)
        item.fingerprint = _fingerprint(english)
        item.values["en"] = _values(en, english, errors)
        for language, cf in files.items():
            if language == "en":
                continue
            translated = _parse_translation(cf, english, errors)
            if translated is not None:
                translated["stages"] = english["stages"]
                item.values[language] = _values(cf, translated, errors)
        plan.assessments[slug] = item
    return plan


def _stages(cf, guidance, errors) -> list[str]:
    """The stage pages that point to this instrument."""
    stages = cf.meta.get("stages") or []
    if not isinstance(stages, list):
        errors.append(cf.error("'stages' must be a list", needle="stages:"))
        return []
    for stage in stages:
        if str(stage) not in guidance.stages:
            errors.append(
                cf.error(
                    f"unknown stage '{stage}': use one of {', '.join(sorted(guidance.stages))}",
                    needle=str(stage),
                )
            )
    return [str(s) for s in stages]


def _values(cf, definition, errors) -> dict:
    return {
        "title": require(cf, "title", errors) or "",
        "summary": require(cf, "summary", errors) or "",
        "body": cf.body,
        "definition": definition,
    }


def _parse_scales(cf, errors, english=None) -> dict | None:
    scales = cf.meta.get("scales")
    if not isinstance(scales, dict) or not scales:
        errors.append(
            cf.error(
                "the required field 'scales' is missing: name at least one answer scale, "
                "each a list of options with 'code', 'label' and 'points'",
                needle="scales:" if "scales" in cf.meta else None,
            )
        )
        return None
    result = {}
    for name, options in scales.items():
        where = cf.line_of(f"{name}:")
        if not isinstance(options, list) or len(options) < 2:
            errors.append(
                cf.error(f"the scale '{name}' needs a list of two or more options", where)
            )
            continue
        parsed, codes = [], set()
        for number, option in enumerate(options, 1):
            if not isinstance(option, dict) or not isinstance(option.get("code"), str):
                errors.append(
                    cf.error(
                        f"option {number} of the scale '{name}' needs a 'code' of text (put "
                        "quotes around yes, no, on, off and numbers)",
                        where,
                    )
                )
                continue
            code = _text(option["code"])
            label = _text(option.get("label"))
            points = option.get("points")
            if code in codes:
                errors.append(cf.error(f"the scale '{name}' uses the code '{code}' twice", where))
            codes.add(code)
            if not label:
                errors.append(
                    cf.error(f"option '{code}' of the scale '{name}' needs a 'label'", where)
                )
            if english is None and not (
                points is None or (isinstance(points, int) and not isinstance(points, bool))
            ):
                errors.append(
                    cf.error(
                        f"option '{code}' of the scale '{name}': 'points' must be a whole "
                        "number, or empty (~) for 'not applicable'",
                        where,
                    )
                )
                points = None
            parsed.append({"code": code, "label": label, "points": points})
        if english is None and not any(o["points"] for o in parsed):
            errors.append(
                cf.error(f"the scale '{name}' needs at least one option worth points", where)
            )
        result[str(name)] = parsed
    return result


def _parse_english(cf, topics, cases, errors) -> dict | None:
    count = len(errors)
    scales = _parse_scales(cf, errors)
    categories = require(cf, "categories", errors, list)
    if scales is None or categories is None:
        return None
    seen_ids: set[str] = set()
    out = []
    for c_number, category in enumerate(categories, 1):
        if not isinstance(category, dict):
            errors.append(cf.error(f"category {c_number} must be a map with 'id' and 'title'"))
            continue
        c_id = _text(category.get("id"))
        c_out = _node(cf, category, f"category {c_number}", seen_ids, errors)
        c_out["intro"] = _text(category.get("intro"))
        c_out["indicators"] = []
        indicators = _children(cf, category, "indicators", f"the category '{c_id}'", errors)
        for i_number, indicator in enumerate(indicators, 1):
            if not isinstance(indicator, dict):
                errors.append(cf.error(f"indicator {i_number} of '{c_id}' must be a map"))
                continue
            i_out = _node(cf, indicator, f"indicator {i_number} of '{c_id}'", seen_ids, errors)
            i_id = i_out["id"]
            i_out["next"] = _text(indicator.get("next"))
            i_out["topics"] = _links(cf, indicator, "topics", topics, i_id, errors)
            i_out["case_studies"] = _links(cf, indicator, "case_studies", cases, i_id, errors)
            i_out["questions"] = []
            questions = _children(cf, indicator, "questions", f"the indicator '{i_id}'", errors)
            for q_number, question in enumerate(questions, 1):
                if not isinstance(question, dict):
                    errors.append(cf.error(f"question {q_number} of '{i_id}' must be a map"))
                    continue
                q_out = _node(
                    cf, question, f"question {q_number} of '{i_id}'", seen_ids, errors, "text"
                )
                q_out["help"] = _text(question.get("help"))
                scale = _text(question.get("scale"))
                where = _line(cf, "id", q_out["id"])
                if not scale:
                    errors.append(
                        cf.error(
                            f"the question '{q_out['id']}' has no answer scale: add "
                            f"'scale: <name>' naming one of: {', '.join(scales)}",
                            where,
                        )
                    )
                elif scale not in scales:
                    errors.append(
                        cf.error(
                            f"the question '{q_out['id']}' uses the unknown scale '{scale}': "
                            f"use one of {', '.join(scales)}",
                            where,
                        )
                    )
                q_out["scale"] = scale
                q_out["fields"] = _fields(cf, question, q_out["id"], errors)
                i_out["questions"].append(q_out)
            c_out["indicators"].append(i_out)
        out.append(c_out)
    if len(errors) > count:
        return None
    return {"scales": scales, "categories": out}


def _children(cf, data, key, what, errors) -> list:
    """The non-empty list under `key` (indicators of a category, questions of an indicator)."""
    children = data.get(key)
    if isinstance(children, list) and children:
        return children
    errors.append(cf.error(f"{what} needs a list of '{key}'", _line(cf, "id", data.get("id"))))
    return []


def _node(cf, data, what, seen_ids, errors, text_key="title") -> dict:
    node_id = _text(data.get("id"))
    if not valid_slug(node_id):
        errors.append(
            cf.error(
                f"{what} needs an 'id' of lower-case letters, digits and hyphens",
                _line(cf, "id", node_id) if node_id else None,
            )
        )
    elif node_id in seen_ids:
        errors.append(
            cf.error(
                f"duplicate id '{node_id}': every category, indicator and question needs its "
                "own id (answers and links are keyed by it)",
                _line(cf, "id", node_id),
            )
        )
    seen_ids.add(node_id)
    text = _text(data.get(text_key))
    if not text:
        errors.append(
            cf.error(f"'{node_id or what}' needs a '{text_key}'", _line(cf, "id", node_id))
        )
    return {"id": node_id, text_key: text}


def _fields(cf, question, q_id, errors) -> list:
    fields = question.get("fields")
    if fields is None:
        return []
    where = _line(cf, "id", q_id)
    if not isinstance(fields, list) or not 2 <= len(fields) <= MAX_FIELDS:
        errors.append(
            cf.error(f"the 'fields' of '{q_id}' must be a list of 2 to {MAX_FIELDS} items", where)
        )
        return []
    out, codes = [], set()
    for number, item in enumerate(fields, 1):
        code = _text(item.get("code")) if isinstance(item, dict) else ""
        label = _text(item.get("label")) if isinstance(item, dict) else ""
        if not valid_slug(code) or code == "none" or code in codes or not label:
            errors.append(
                cf.error(
                    f"field {number} of '{q_id}' needs its own 'code' (letters and digits, not "
                    "'none') and a 'label'",
                    where,
                )
            )
        codes.add(code)
        out.append({"code": code, "label": label})
    return out


def _links(cf, indicator, name, known, i_id, errors) -> list:
    values = indicator.get(name) or []
    if not isinstance(values, list):
        errors.append(cf.error(f"'{name}' of '{i_id}' must be a list", _line(cf, "id", i_id)))
        return []
    for value in values:
        if str(value) not in known:
            hint = (
                "write it as stage/topic, using a topic in content/en/guide/"
                if name == "topics"
                else "use the file name of a case study in content/en/case-studies/"
            )
            errors.append(
                cf.error(
                    f"unknown {name.replace('_', ' ')[:-1]} '{value}' in '{i_id}': {hint}",
                    needle=str(value),
                )
            )
    return [str(v) for v in values]


def _parse_translation(cf, english, errors) -> dict | None:
    """English's structure with this file's words; any difference in ids is an error."""
    count = len(errors)
    scales = _parse_scales(cf, errors, english=english)
    if scales is None:
        return None
    for name, options in english["scales"].items():
        mine = scales.get(name)
        if mine is None or [o["code"] for o in mine] != [o["code"] for o in options]:
            errors.append(
                cf.error(
                    f"the scale '{name}' must have the same option codes as the English file "
                    f"({', '.join(o['code'] for o in options)}), in the same order",
                    cf.line_of(f"{name}:") or cf.line_of("scales:"),
                )
            )
            continue
        for option, own in zip(options, mine, strict=True):
            own["points"] = option["points"]  # points come from English only
    categories = cf.meta.get("categories")
    if not isinstance(categories, list):
        errors.append(cf.error("the required field 'categories' is missing or not a list"))
        return None
    mine = {}
    for category in categories:
        if not isinstance(category, dict):
            continue
        mine[_text(category.get("id"))] = ("title", category)
        for indicator in category.get("indicators") or []:
            if not isinstance(indicator, dict):
                continue
            mine[_text(indicator.get("id"))] = ("title", indicator)
            for question in indicator.get("questions") or []:
                if isinstance(question, dict):
                    mine[_text(question.get("id"))] = ("text", question)
    wanted = []
    for c in english["categories"]:
        wanted.append(c["id"])
        for i in c["indicators"]:
            wanted.append(i["id"])
            wanted += [q["id"] for q in i["questions"]]
    missing = [x for x in wanted if x not in mine]
    extra = [x for x in mine if x not in wanted]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing: {', '.join(missing[:8])}{' …' if len(missing) > 8 else ''}")
        if extra:
            parts.append(f"not in English: {', '.join(extra[:8])}")
        errors.append(
            cf.error(
                "the categories, indicators and questions must match the English file id for "
                f"id ({'; '.join(parts)}); translate the text, keep the ids",
                _line(cf, "id", extra[0]) if extra else None,
            )
        )
        return None

    def words(node_id, key):
        value = _text(mine[node_id][1].get(key))
        return value

    out = []
    for c in english["categories"]:
        c_out = {"id": c["id"], "title": words(c["id"], "title"), "intro": words(c["id"], "intro")}
        c_out["indicators"] = []
        for i in c["indicators"]:
            i_out = {
                "id": i["id"],
                "title": words(i["id"], "title"),
                "next": words(i["id"], "next"),
                "topics": i["topics"],
                "case_studies": i["case_studies"],
                "questions": [],
            }
            for q in i["questions"]:
                q_out = {
                    "id": q["id"],
                    "text": words(q["id"], "text"),
                    "help": words(q["id"], "help"),
                    "scale": q["scale"],
                    "fields": [],
                }
                own_fields = mine[q["id"]][1].get("fields") or []
                own_labels = {
                    _text(f.get("code")): _text(f.get("label"))
                    for f in own_fields
                    if isinstance(f, dict)
                }
                if q["fields"] and set(own_labels) != {f["code"] for f in q["fields"]}:
                    errors.append(
                        cf.error(
                            f"the fields of '{q['id']}' must have the same codes as in English "
                            f"({', '.join(f['code'] for f in q['fields'])})",
                            _line(cf, "id", q["id"]),
                        )
                    )
                for f in q["fields"]:
                    q_out["fields"].append({"code": f["code"], "label": own_labels.get(f["code"])})
                for key in ("text",):
                    if not q_out[key]:
                        errors.append(
                            cf.error(f"'{q['id']}' needs a '{key}'", _line(cf, "id", q["id"]))
                        )
                i_out["questions"].append(q_out)
            for node in (i_out,):
                if not node["title"]:
                    errors.append(
                        cf.error(f"'{i['id']}' needs a 'title'", _line(cf, "id", i["id"]))
                    )
            c_out["indicators"].append(i_out)
        if not c_out["title"]:
            errors.append(cf.error(f"'{c['id']}' needs a 'title'", _line(cf, "id", c["id"])))
        out.append(c_out)
    if len(errors) > count:
        return None
    return {"scales": scales, "categories": out}


def _fingerprint(definition) -> str:
    shape = {
        "scales": {k: [o["code"] for o in v] for k, v in definition["scales"].items()},
        "questions": [
            (q["id"], q["scale"], [f["code"] for f in q["fields"]])
            for c in definition["categories"]
            for i in c["indicators"]
            for q in i["questions"]
        ],
    }
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:12]


def assessments_render(plan: AssessmentsPlan, make_context, errors) -> None:
    for item in plan.assessments.values():
        for language, values in item.values.items():
            ctx = make_context(language)
            values["body_html"], _ = render_markdown(values.pop("body"), ctx)
            report_broken_links(item.files[language], ctx, errors)


def assessments_apply(plan: AssessmentsPlan, languages, stats: Stats) -> None:
    now = timezone.now()
    existing = {(a.slug, a.language): a for a in Assessment.objects.all()}
    for slug, item in plan.assessments.items():
        for language in languages:
            values = item.values.get(language)
            if values is None:
                continue
            desired = {**values, "order": item.order, "fingerprint": item.fingerprint}
            obj = existing.pop((slug, language), None)
            if obj is None:
                Assessment.objects.create(slug=slug, language=language, updated_at=now, **desired)
                stats.note("assessment", [language], "created")
            elif any(getattr(obj, k) != v for k, v in desired.items()):
                for k, v in desired.items():
                    setattr(obj, k, v)
                obj.updated_at = now
                obj.save()
                stats.note("assessment", [language], "updated")
            else:
                stats.note("assessment", [language], "unchanged")
    for (slug, language), obj in existing.items():
        if slug not in plan.assessments or language in languages:
            stats.note("assessment", [language], "removed")
            obj.delete()
