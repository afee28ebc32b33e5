"""Reading feedback for editors: counts per page and language, a weekly series, comments."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Max, Q
from django.utils import timezone

from guidance.spreadsheet import safe_cell

from .models import Vote

PERIODS = (30, 90)  # days the report counts over
CHART_WEEKS = 13  # about 90 days, one bar per week


@dataclass(frozen=True)
class Counts:
    yes: int
    no: int

    @property
    def total(self) -> int:
        return self.yes + self.no

    @property
    def yes_share(self) -> int | None:
        """Percentage of "Yes", rounded; None when nobody answered."""
        return round(100 * self.yes / self.total) if self.total else None


def _counts_for(days: int, now) -> dict:
    since = now - timedelta(days=days)
    return {
        f"yes_{days}": Count("pk", filter=Q(useful=True, created_at__gte=since)),
        f"no_{days}": Count("pk", filter=Q(useful=False, created_at__gte=since)),
    }


def feedback_summary(*, now=None, language: str | None = None) -> list[dict]:
    """One row per page and language answered in the last 90 days, most answered first.

    Each row: page, language, `counts` {30: Counts, 90: Counts}, comments (in 90 days) and
    the latest answer's time. One query whatever the number of pages.
    """
    now = now or timezone.now()
    since = now - timedelta(days=max(PERIODS))
    votes = Vote.objects.filter(created_at__gte=since)
    if language:
        votes = votes.filter(language=language)
    aggregates = {}
    for days in PERIODS:
        aggregates.update(_counts_for(days, now))
    rows = (
        votes.values("page", "language")
        .annotate(
            **aggregates, comments=Count("pk", filter=~Q(comment="")), latest=Max("created_at")
        )
        .order_by()
    )
    summary = [
        {
            "page": row["page"],
            "language": row["language"],
            "counts": {d: Counts(row[f"yes_{d}"], row[f"no_{d}"]) for d in PERIODS},
            "comments": row["comments"],
            "latest": row["latest"],
        }
        for row in rows
    ]
    summary.sort(key=lambda row: (-row["counts"][max(PERIODS)].total, row["page"], row["language"]))
    return summary


def page_feedback(*, page: str, language: str, now=None) -> dict:
    """One page in one language: counts per period, weekly counts, comments newest first."""
    now = now or timezone.now()
    votes = Vote.objects.filter(page=page, language=language)
    aggregates = {}
    for days in PERIODS:
        aggregates.update(_counts_for(days, now))
    row = votes.aggregate(**aggregates)
    start = now - timedelta(weeks=CHART_WEEKS)
    weeks = [{"start": start + timedelta(weeks=i), "yes": 0, "no": 0} for i in range(CHART_WEEKS)]
    for created_at, useful in votes.filter(created_at__gte=start).values_list(
        "created_at", "useful"
    ):
        index = min(CHART_WEEKS - 1, (created_at - start) // timedelta(weeks=1))
        weeks[index]["yes" if useful else "no"] += 1
    return {
        "page": page,
        "language": language,
        "counts": {d: Counts(row[f"yes_{d}"], row[f"no_{d}"]) for d in PERIODS},
        "weeks": weeks,
        "comments": list(
            votes.exclude(comment="")
            .order_by("-created_at", "-pk")[:500]
            .values("created_at", "comment", "content_version")
        ),
    }


CSV_HEADER = ("time", "page", "language", "content_version", "useful", "comment")


def feedback_csv_rows(*, page: str | None = None, language: str | None = None):
    """Every answer (or one page's, one language's), newest first, as CSV rows."""
    votes = Vote.objects.order_by("-created_at", "-pk")
    if page:
        votes = votes.filter(page=page)
    if language:
        votes = votes.filter(language=language)
    yield CSV_HEADER
    for vote in votes.values_list(
        "created_at", "page", "language", "content_version", "useful", "comment"
    ).iterator(chunk_size=2000):
        created_at, page_, language_, version, useful, comment = vote
        yield (
            created_at.isoformat(),
            safe_cell(page_),
            language_,
            version,
            "yes" if useful else "no",
            safe_cell(comment),
        )
