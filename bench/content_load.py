"""Time load_content on the real guide plus N generated case studies in three languages.

    .venv/bin/python bench/content_load.py --case-studies 1000

Prints the wall time of a first load (everything created), a second load (nothing changed)
and a third after one English file changed. Uses a throwaway SQLite database unless
DATABASE_URL is set.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASE = """---
title: {title}
summary: Generated case study {i} for the load benchmark.
country: {country}
organisation: {org}
year: {year}
published: 2025-01-01
topics:
  - plan/work-as-a-team
  - manage-delivery/close-the-contract
themes:
  - open-data-and-transparency
  - e-procurement
status: published
{extra}---
## The problem

Generated text about contracts and suppliers, number {i}. See [the plan](/guide/plan/).

## The approach

More text with OCDS and SME mentions, to exercise the glossary linking.

## The results

Savings of {i} per cent.
"""


def write_tree(target: Path, n: int) -> None:
    shutil.copytree(ROOT / "content", target)
    english_hash = {}
    import hashlib

    for i in range(n):
        slug = f"generated-{i:05d}"
        text = CASE.format(
            title=f"Generated case study {i}",
            i=i,
            country="MX",
            org="Org",
            year=2000 + i % 25,
            extra="",
        )
        path = target / "en" / "case-studies" / f"{slug}.md"
        path.write_text(text)
        english_hash[slug] = hashlib.sha256(text.encode()).hexdigest()[:12]
        for lang, title in (("es", "Caso generado"), ("id", "Studi kasus")):
            translated = CASE.format(
                title=f"{title} {i}",
                i=i,
                country="MX",
                org="Org",
                year=2000 + i % 25,
                extra=f"source_hash: {english_hash[slug]}\n",
            )
            (target / lang / "case-studies" / f"{slug}.md").write_text(translated)


def timed(env, *args) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--case-studies", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        tree = tmp / "content"
        write_tree(tree, args.case_studies)
        files = sum(1 for _ in tree.rglob("*.md"))
        env = dict(os.environ)
        env.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        first = timed(env, "load_content", str(tree))
        second = timed(env, "load_content", str(tree))
        page = tree / "en" / "guide" / "plan" / "work-as-a-team.md"
        page.write_text(page.read_text() + "\nOne more line.\n")
        third = timed(env, "load_content", str(tree))
        db = env["DATABASE_URL"].split(":", 1)[0]
        print(
            f"content tree: {files} files ({args.case_studies} generated case studies x 3 "
            f"languages + the guide), database: {db}"
        )
        print(f"first load (all created):      {first:6.1f} s")
        print(f"second load (no change):       {second:6.1f} s")
        print(f"third load (one file changed): {third:6.1f} s")


if __name__ == "__main__":
    main()
