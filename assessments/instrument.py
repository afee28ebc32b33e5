"""An instrument's structure as objects: categories → indicators → questions, answer scales.

Built from the JSON the loader stores (`Assessment.definition`). A question's answer is one
whole number, its *value*: 0 means not answered; for a scale question, option k is k + 1; for
a question with fields (one point per field ticked), the value is 1 + a bit mask of the
fields ticked (mask 0: none of them). `radix` is how many values a question can take, which
is all the compact link encoding (codec.py) needs.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Option:
    code: str
    label: str
    points: int | None  # None: "not applicable", left out of the score


@dataclass(frozen=True)
class Field:
    code: str
    label: str


@dataclass
class Question:
    id: str
    text: str
    help: str
    scale: list[Option]
    fields: list[Field] = field(default_factory=list)
    number: int = 0  # position in the whole instrument, from 1
    indicator: "Indicator | None" = None

    @property
    def radix(self) -> int:
        return (2 ** len(self.fields) + 1) if self.fields else len(self.scale) + 1

    @property
    def max_points(self) -> int:
        if self.fields:
            return len(self.fields)
        return max(o.points for o in self.scale if o.points is not None)

    def option_for(self, value: int) -> Option | None:
        return self.scale[value - 1] if not self.fields and 0 < value <= len(self.scale) else None

    def fields_for(self, value: int) -> list[Field]:
        if not self.fields or value <= 0:
            return []
        mask = value - 1
        return [f for bit, f in enumerate(self.fields) if mask & (1 << bit)]

    def points_for(self, value: int) -> int | None:
        """Points earned, or None when unanswered or not applicable."""
        if value <= 0:
            return None
        if self.fields:
            return len(self.fields_for(value))
        return self.option_for(value).points

    def answer_code(self, value: int) -> str:
        """The language-free code written to the CSV: 'partly', 'a+c', 'none'."""
        if value <= 0:
            return ""
        if self.fields:
            return "+".join(f.code for f in self.fields_for(value)) or "none"
        return self.option_for(value).code

    def value_for_code(self, code: str) -> int | None:
        code = code.strip()
        if self.fields:
            if code == "none":
                return 1
            mask = 0
            codes = {f.code: bit for bit, f in enumerate(self.fields)}
            for part in code.split("+"):
                if part not in codes:
                    return None
                mask |= 1 << codes[part]
            return mask + 1
        for index, option in enumerate(self.scale):
            if option.code == code:
                return index + 1
        return None


@dataclass
class Indicator:
    id: str
    title: str
    next: str  # "what to do next", plain text
    topics: list[str]  # "stage/topic"
    case_studies: list[str]  # slugs
    questions: list[Question]
    category: "Category | None" = None


@dataclass
class Category:
    id: str
    title: str
    intro: str
    indicators: list[Indicator]
    step: int = 0  # from 1

    @property
    def questions(self) -> list[Question]:
        return [q for i in self.indicators for q in i.questions]


@dataclass
class Instrument:
    slug: str
    language: str
    title: str
    fingerprint: str
    categories: list[Category]

    @property
    def questions(self) -> list[Question]:
        return [q for c in self.categories for q in c.questions]

    @property
    def indicators(self) -> list[Indicator]:
        return [i for c in self.categories for i in c.indicators]

    @classmethod
    def from_json(cls, *, slug, language, title, fingerprint, definition) -> "Instrument":
        scales = {
            name: [Option(o["code"], o["label"], o["points"]) for o in options]
            for name, options in definition["scales"].items()
        }
        categories = []
        number = 0
        for step, c in enumerate(definition["categories"], 1):
            indicators = []
            for i in c["indicators"]:
                questions = []
                for q in i["questions"]:
                    number += 1
                    questions.append(
                        Question(
                            id=q["id"],
                            text=q["text"],
                            help=q.get("help", ""),
                            scale=scales[q["scale"]],
                            fields=[Field(f["code"], f["label"]) for f in q.get("fields", [])],
                            number=number,
                        )
                    )
                indicator = Indicator(
                    id=i["id"],
                    title=i["title"],
                    next=i.get("next", ""),
                    topics=i.get("topics", []),
                    case_studies=i.get("case_studies", []),
                    questions=questions,
                )
                for q in questions:
                    q.indicator = indicator
                indicators.append(indicator)
            category = Category(
                id=c["id"], title=c["title"], intro=c.get("intro", ""), indicators=indicators
            )
            category.step = step
            for i in indicators:
                i.category = category
            categories.append(category)
        return cls(slug, language, title, fingerprint, categories)
