#!/usr/bin/env python3
"""Walks the built site as a citizen would, in a real browser (headless Chromium):
home -> SDGs -> an SDG goal -> a measure serving it -> one of its targets -> a strategy goal
it belongs to -> back to one of that goal's measures, then the same in English. Each step
reads the page's DOM as Chromium rendered it and follows a link found there.
Usage: walk.py BASE_URL PROFILE_DIR"""
import re
import subprocess
import sys
import urllib.parse

base, profile = sys.argv[1], sys.argv[2]


def dom(url):
    out = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", f"--user-data-dir={profile}",
         "--dump-dom", url],
        capture_output=True, text=True, timeout=60)
    if out.returncode != 0 or "<main" not in out.stdout:
        raise SystemExit(f"walk: {url} did not render")
    return out.stdout


def follow(url, html, pattern, what):
    for href in re.findall(r'href="([^"]+)"', html):
        full = urllib.parse.urljoin(url, href.replace("&amp;", "&"))
        if re.search(pattern, full):
            print(f"  {what}: {full}")
            return full
    raise SystemExit(f"walk: no link to {what} ({pattern}) on {url}")


def walk(start, lang):
    print(f"walk ({lang}):")
    url = start
    html = dom(url)
    url = follow(url, html, r"/sdgs/$", "SDGs overview")
    html = dom(url)
    url = follow(url, html, r"/sdgs/4/$", "SDG goal 4")
    html = dom(url)
    assert "<h1" in html
    url = follow(url, html, r"/measures/[a-z0-9-]+/$", "a measure serving goal 4")
    html = dom(url)
    target = follow(url, html, r"#target-[a-z0-9-]+$", "one of its targets")
    frag = target.split("#", 1)[1]
    page = dom(target.split("#", 1)[0])
    if f'id="{frag}"' not in page:
        raise SystemExit(f"walk: {target} has no element {frag}")
    url = follow(url, html, r"/strategy/senryaku-\d/$", "a strategy goal it belongs to")
    html = dom(url)
    back = follow(url, html, r"/measures/[a-z0-9-]+/$", "back to a measure of that goal")
    dom(back)
    other = "日本語" if lang == "en" else "English"
    if other not in html:
        raise SystemExit(f"walk: no language switch on {url}")


walk(base, "ja")
walk(base + "en/", "en")
print("walk: ok")
