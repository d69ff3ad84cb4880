#!/usr/bin/env python3
"""No plan's words in another plan's site: builds of two plans are compared, and each must
show none of the other's own text — its municipality's name, the title, every term and
string of its keikaku.yaml, the sentences of its introductions (intros/) and the titles of
its items — in any page, open-data file or PDF (text from pdftotext). The phrases are read
from the content folders, not typed here, so a new plan or term is covered as it comes.
A phrase that the other plan's own content or the theme's strings also use (a common word
such as 施策, "About the plan") is not a leak. Usage: leaks.py CONTENT_A SITE_A CONTENT_B SITE_B
Prints each leak with the file it is in; exits non-zero when there is one."""
import glob
import os
import re
import subprocess
import sys

import yaml


def squash(s):
    """Text without white space: pdftotext puts spaces between Latin and Japanese text."""
    return re.sub(r"\s+", "", s)


def strings_of(value):
    """Every string inside a YAML value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings_of(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings_of(v)


def fragments(text):
    """The pieces of an introduction between its placeholders and sentence ends."""
    for piece in re.split(r"\{[^}]*\}|[。．.!?！？\n]", text):
        piece = piece.strip(" 、,（）()「」")
        if len(piece) >= (8 if re.search(r"[\u3040-\u9fff]", piece) else 24):
            yield piece


def phrases(content):
    """The text that is this plan's own: (phrase, where it comes from)."""
    out = []
    with open(os.path.join(content, "keikaku.yaml"), encoding="utf-8") as f:
        cfg = yaml.safe_load(f)
    for key in ("city", "title"):
        out += [(s, f"keikaku.yaml {key}") for s in strings_of(cfg.get(key))]
    for name, term in (cfg.get("terms") or {}).items():
        out += [(s, f"keikaku.yaml terms.{name}") for s in strings_of(term)]
    for name, value in (cfg.get("strings") or {}).items():
        for s in strings_of(value):
            out += [(p, f"keikaku.yaml strings.{name}") for p in fragments(s)]
    for path in sorted(glob.glob(os.path.join(content, "intros", "*.md"))):
        with open(path, encoding="utf-8") as f:
            out += [(p, os.path.relpath(path, content)) for p in fragments(f.read())]
    for path in sorted(glob.glob(os.path.join(content, "**", "*.ja.md"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            m = re.search(r"^title:\s*\"?(.+?)\"?\s*$", f.read(), re.M)
        if m and len(m.group(1)) >= 6:
            out.append((m.group(1), os.path.relpath(path, content)))
    # Short words (a 2-character term, one English word such as "districts", which is also
    # a key of the open data) say nothing about their plan.
    def telling(p):
        latin = not re.search(r"[\u3040-\u9fff]", p)
        return len(squash(p)) >= 4 and (not latin or " " in p.strip() or len(p) >= 16)

    return [(p, w) for p, w in out if telling(p)]


THEME_STRINGS = os.path.join(os.path.dirname(__file__), "..", "themes", "default", "i18n.yaml")


def own_text(content):
    """Everything the plan's content folder says, and the theme's own strings (which every
    plan shows), to tell its words from the other's."""
    with open(THEME_STRINGS, encoding="utf-8") as f:
        parts = [f.read()]
    for path in glob.glob(os.path.join(content, "**", "*"), recursive=True):
        if os.path.isfile(path) and path.endswith((".md", ".yaml", ".csv")):
            with open(path, encoding="utf-8-sig", errors="replace") as f:
                parts.append(f.read())
    return squash("\n".join(parts)).lower()


def site_text(site):
    """(file, text without white space) of every page, data file and PDF of a built site."""
    out = []
    for path in sorted(glob.glob(os.path.join(site, "**", "*"), recursive=True)):
        rel = os.path.relpath(path, site)
        if path.endswith((".html", ".json", ".csv", ".xml", ".js")):
            with open(path, encoding="utf-8-sig", errors="replace") as f:
                out.append((rel, squash(f.read()).lower()))
        elif path.endswith(".pdf"):
            text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout
            out.append((rel, squash(text).lower()))
    return out


def leaks(content_from, content_into, site_into):
    """The phrases of one plan found in the other plan's site."""
    theirs = own_text(content_into)
    found = []
    texts = site_text(site_into)
    for phrase, where in phrases(content_from):
        p = squash(phrase).lower()
        if p in theirs:
            continue
        for rel, text in texts:
            if p in text:
                found.append(f"{phrase!r} (from {where}) in {rel}")
                break
    return found


def main():
    content_a, site_a, content_b, site_b = sys.argv[1:5]
    n_a, n_b = len(phrases(content_a)), len(phrases(content_b))
    bad = leaks(content_a, content_b, site_b) + leaks(content_b, content_a, site_a)
    for b in bad:
        print(f"LEAK: {b}")
    print(f"\nleaks: {n_a} phrases of {content_a} and {n_b} of {content_b} checked, {len(bad)} found")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
