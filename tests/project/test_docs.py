"""The domain guide in docs/ stays complete and true.

Every rule number cited in the code, templates and tests (R1–R15) is defined in docs/rules.md;
every relative link in docs/*.md and README.md leads to a file and anchor inside the repository;
the paths, dotted names and model attributes the guide names in `code` exist; and no code refers
to a task by its number in the tracker instead of citing the rule or saying what it does.
"""

import importlib
import os
import re
from pathlib import Path

import pytest
from django.apps import apps

from councils.access import Roles

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
GUIDE = sorted(DOCS.glob("*.md"))
LINKED_PAGES = [*GUIDE, ROOT / "README.md"]
OUR_APPS = ("councils", "meetings", "rus", "protocols", "followups", "search", "oparl")

SKIPPED_DIRS = {"node_modules", "var", "locale", "static", "docs", "__pycache__", "media"}
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".ics"}

RULE_CITATION = re.compile(r"\bR(\d+)\b")
ISSUE_REFERENCE = re.compile(r"\bissues? \d", re.IGNORECASE)
EXPLICIT_ANCHOR = re.compile(r"""<a\s+(?:id|name)=["']([^"']+)["']""")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCED = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`([^`\n]+)`")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def source_files():
    """Code, templates, tests and the Makefile: what may cite a rule or an issue."""
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
        for name in sorted(files):
            path = Path(folder) / name
            if path.suffix in SOURCE_SUFFIXES or name == "Makefile":
                yield path


def slug(heading):
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`|\*|_(?=\w)|(?<=\w)_", "", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path):
    text = FENCED.sub("", path.read_text())
    found = set(EXPLICIT_ANCHOR.findall(text))
    seen = {}
    for heading in HEADING.findall(text):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def prose(path):
    """The page without code blocks and code spans, where brackets are not links."""
    return INLINE_CODE.sub("", FENCED.sub("", path.read_text()))


def test_every_rule_cited_in_code_and_tests_is_defined_in_docs():
    defined = {a for a in anchors(DOCS / "rules.md") if re.fullmatch(r"r\d+", a)}
    cited = {}
    for path in source_files():
        for number in RULE_CITATION.findall(path.read_text(errors="replace")):
            cited.setdefault(f"r{int(number)}", set()).add(str(path.relative_to(ROOT)))
    assert len(cited) >= 10, "the scan found almost no rule citations: is it reading the code?"
    undefined = {rule: sorted(paths)[:3] for rule, paths in cited.items() if rule not in defined}
    assert not undefined, f"cited but not defined in docs/rules.md: {undefined}"


def test_the_rules_are_numbered_from_one_without_gaps():
    numbers = sorted(int(a[1:]) for a in anchors(DOCS / "rules.md") if re.fullmatch(r"r\d+", a))
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) >= 15


@pytest.mark.parametrize("page", LINKED_PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file_and_anchor_in_the_repository(page):
    broken = []
    for target in LINK.findall(prose(page)):
        if EXTERNAL.match(target):
            continue
        path_part, _, fragment = target.partition("#")
        linked = (page.parent / path_part).resolve() if path_part else page
        if not linked.is_relative_to(ROOT) or not linked.exists():
            broken.append(f"{target}: no such file in the repository")
        elif fragment and (linked.suffix != ".md" or fragment not in anchors(linked)):
            broken.append(f"{target}: no anchor #{fragment}")
    assert not broken, f"{page.name}: {broken}"


def test_the_link_check_finds_links_and_anchors():
    """Guard against a check that passes because it parses nothing."""
    assert "r11" in anchors(DOCS / "rules.md")
    assert "where-logic-lives" in anchors(DOCS / "architecture.md")
    assert "rules.md#r12" in LINK.findall(prose(DOCS / "glossary.md"))


def _named_in_code(page):
    text = FENCED.sub("", page.read_text())
    return {span.split("(", 1)[0].strip() for span in INLINE_CODE.findall(text)}


def _resolve_dotted(name):
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            target = getattr(target, attribute)
        return target
    raise ImportError(name)


@pytest.mark.parametrize("page", GUIDE, ids=lambda p: p.name)
def test_the_code_the_guide_names_exists(page):
    """Paths (`meetings/services/agenda.py`), dotted names (`rus.services.adopt_plan`) and model
    attributes (`Meeting.Status.CANCELLED`) named in the guide are in the code. Placeholders
    (`<app>`) and what the guide marks as planned are not written in these forms."""
    models = {model.__name__: model for model in apps.get_models()}
    namespace = {**models, "Roles": Roles}
    top_dirs = {p.name for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".")}
    missing = []
    for name in sorted(_named_in_code(page)):
        if re.search(r"[<>…* ]", name):
            continue
        head = re.split(r"[/.]", name, maxsplit=1)[0]
        if "/" in name and head in top_dirs:
            path = ROOT / name
            if not (path.exists() or path.with_name(path.name + ".py").exists()):
                missing.append(name)
        elif "." in name and head in OUR_APPS and not name.endswith(".py"):
            try:
                _resolve_dotted(name)
            except (ImportError, AttributeError):
                missing.append(name)
        elif "." in name and head in namespace:
            target = namespace[head]
            try:
                for attribute in name.split(".")[1:]:
                    target = getattr(target, attribute)
            except AttributeError:
                missing.append(name)
    assert not missing, f"{page.name} names what the code does not have: {missing}"


def test_code_cites_rules_and_behaviour_not_tracker_issues():
    """A tracker's issue and point numbers mean nothing to a person who clones the repository:
    cite the rule (R12) or say what the code does."""
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in source_files()
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), start=1)
        if ISSUE_REFERENCE.search(line)
    ]
    assert not found, "\n".join(found)
