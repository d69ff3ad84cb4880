#!/usr/bin/env python3
"""Checks the PDFs of a built site the way a print shop and a screen reader would, with
independent tools: every font embedded (pdffonts), structure valid (qpdf --check), page
boxes (pikepdf: print = A4 TrimBox inside a 3 mm BleedBox; screen = tagged, with language
and title), print colours CMYK only, chapters of the print edition on odd pages.
Renders a few pages to PNG for a person to look at. Usage: check_pdfs.py SITE_DIR PNG_DIR
Prints 'pdf checks: N passed, N failed' and exits non-zero on any failure."""
import glob
import os
import re
import subprocess
import sys

import pikepdf

site, pngs = sys.argv[1], sys.argv[2]
# --no-avalpdf: for a plan whose documents come from templates another plan's run already
# validated with avalpdf (about a minute a document); every other check still runs.
AVALPDF = "--no-avalpdf" not in sys.argv[3:]
os.makedirs(pngs, exist_ok=True)
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok: {name}")
    else:
        failed += 1
        print(f"FAILED: {name} {detail}")


MM = 72 / 25.4
files = sorted(glob.glob(os.path.join(site, "downloads", "*.pdf")))
# Each document comes in four: two languages, screen and print. The basic plan is always
# there; the strategy, the implementation plan and the progress reports when the plan has them.
check("four PDFs of each document, the basic plan among them",
      len(files) % 4 == 0 and len(files) >= 4
      and sum("-print.pdf" in f for f in files) * 2 == len(files), str(files))


def squash(s):
    return re.sub(r"\s+", "", s)


def outline_titles(pdf):
    """Every bookmark's title (the headings of the document)."""
    out = []
    with pdf.open_outline() as outline:
        stack = list(outline.root)
        while stack:
            item = stack.pop()
            out.append(item.title)
            stack.extend(item.children)
    return out


def captions(site_dir):
    """The captions of the site's tables: the labels the PDFs print above their tables."""
    found = set()
    for page in glob.glob(os.path.join(site_dir, "**", "*.html"), recursive=True):
        with open(page, encoding="utf-8") as f:
            for m in re.finditer(r"<caption[^>]*>(.*?)</caption>", f.read(), re.S):
                found.add(re.sub(r"<[^>]+>", "", m.group(1)).strip())
    return {c for c in found if c}


def page_lines(path):
    """For each page: (height, [(yMin, yMax, xMin, xMax, text) of each text line]), from
    poppler's word boxes."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", path, "-"], capture_output=True, text=True).stdout
    pages = []
    for pm in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', xml, re.S):
        lines = []
        for lm in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', pm.group(3), re.S):
            words = re.findall(r"<word[^>]*>(.*?)</word>", lm.group(5))
            text = " ".join(w.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">") for w in words)
            lines.append((float(lm.group(2)), float(lm.group(4)), float(lm.group(1)), float(lm.group(3)), text))
        pages.append((float(pm.group(2)), lines))
    return pages


def orphans(pages, headings, labels):
    """Pages whose last line of text (the page number aside) is a heading — set larger than
    the page's text — or a table's label alone on its line: either belongs with what
    follows, on the next page."""
    found = []
    for n, (height, lines) in enumerate(pages[:-1], start=1):
        body = [l for l in lines if l[1] > 0.08 * height and not l[4].strip().isdigit()]
        if len(body) < 3:
            continue
        sizes = sorted(l[1] - l[0] for l in body)
        usual = sizes[len(sizes) // 2]
        bottom = max(l[1] for l in body)
        last = [l for l in body if abs(l[1] - bottom) < 1.0]
        if len(last) != 1:
            continue
        l = last[0]
        text = squash(l[4])
        heading = (l[1] - l[0]) > 1.1 * usual and any(h.endswith(text) for h in headings) and len(text) >= 2
        if heading or text in labels:
            found.append(f"page {n}: ends with {l[4]!r}")
    return found


def overlaps(pages):
    """Lines of text drawn over each other (the labels of a table too wide for the page)."""
    found = []
    for n, (_, lines) in enumerate(pages, start=1):
        for i, a in enumerate(lines):
            for b in lines[i + 1:]:
                dy = min(a[1], b[1]) - max(a[0], b[0])
                dx = min(a[3], b[3]) - max(a[2], b[2])
                # Japanese punctuation set in half its width (。「 → 。「) has boxes a full em
                # wide that touch; labels drawn over each other overlap more.
                left, right = (a, b) if a[2] <= b[2] else (b, a)
                squeezed = left[4][-1:] in "。、」）』〉" or right[4][:1] in "「（『〈"
                allowed = (left[1] - left[0]) if squeezed else 3
                if dy > 0.5 * min(a[1] - a[0], b[1] - b[0]) and dx > allowed:
                    found.append(f"page {n}: {a[4][:20]!r} over {b[4][:20]!r}")
    return found


table_labels = {squash(c) for c in captions(site)}


# avalpdf's time grows faster than the pages (3.5 minutes for the bundled plan's 92): longer
# documents are left to the same templates' shorter ones (the fixtures' plans, the strategy).
AVALPDF_MAX_PAGES = 40


# avalpdf runs (about a minute a document) go on side by side, and beside the other checks:
# each is started here and its result read at the end.
pending_avalpdf = []


def check_avalpdf(path, name):
    """An independent validator (avalpdf, from PyPI): tagging, title, language, heading
    structure, figures' alternative texts, table headers, lists, links. Its issues fail;
    its warnings (empty cells: the trend charts, the SDG matrix) are listed."""
    import tempfile
    if not AVALPDF:
        print(f"skipped: {name}: avalpdf (--no-avalpdf: the same templates are validated in another plan's run)")
        return
    pages = len(pikepdf.open(path).pages)
    # About a minute per document of twenty pages: the English edition of each document is
    # made by the same template (its language, title and structure are checked above).
    if "-en" in name:
        print(f"skipped: {name}: avalpdf (the Japanese edition of the same template is checked)")
        return
    if pages > AVALPDF_MAX_PAGES:
        print(f"skipped: {name}: avalpdf on {pages} pages (more than {AVALPDF_MAX_PAGES}; the fixtures' PDFs of the same templates are checked)")
        return
    out = tempfile.TemporaryDirectory()
    proc = subprocess.Popen(["avalpdf", path, "--report", "--quiet", "-o", out.name],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    pending_avalpdf.append((proc, out, name))


def finish_avalpdf():
    import json
    for proc, out, name in pending_avalpdf:
        _, err = proc.communicate()
        reports = glob.glob(os.path.join(out.name, "*.json"))
        if proc.returncode != 0 or not reports:
            check(f"{name}: avalpdf ran", False, (err or "")[-300:])
        else:
            with open(reports[0], encoding="utf-8") as f:
                v = json.load(f)["validation_results"]
            check(f"{name}: avalpdf finds no accessibility issue ({len(v['successes'])} checks passed, "
                  f"{len(v['warnings'])} warnings)", not v["issues"], "; ".join(v["issues"][:5]))
        out.cleanup()


def check_structure(pdf, name):
    """What a screen reader needs, read from the structure tree: every figure has an
    alternative text, headings go down one level at a time, every link has text."""
    figures_without_alt, jumps, empty_links, levels = [], [], 0, []

    def text_of(el):
        if "/Alt" in el or "/ActualText" in el:
            return True
        kids = el.get("/K")
        if kids is None:
            return False
        kids = kids if isinstance(kids, pikepdf.Array) else [kids]
        # Marked content (a number or an MCR) under a link is its text.
        return any(not isinstance(k, pikepdf.Dictionary) or "/S" not in k or text_of(k) for k in kids)

    def walk(el):
        nonlocal empty_links
        if not isinstance(el, pikepdf.Dictionary):
            return
        kind = str(el.get("/S", ""))
        if kind == "/Figure" and "/Alt" not in el:
            figures_without_alt.append(kind)
        if re.fullmatch(r"/H[1-6]", kind):
            levels.append(int(kind[2]))
        if kind == "/Link" and not text_of(el):
            empty_links += 1
        kids = el.get("/K")
        if kids is not None:
            for k in kids if isinstance(kids, pikepdf.Array) else [kids]:
                walk(k)

    walk(pdf.Root.StructTreeRoot)
    for a, b in zip(levels, levels[1:]):
        if b > a + 1:
            jumps.append(f"H{a} then H{b}")
    check(f"{name}: every figure has an alternative text", not figures_without_alt, f"{len(figures_without_alt)} without")
    check(f"{name}: headings in order (no level skipped)", not jumps and levels and levels[0] == 1, "; ".join(jumps[:5]))
    check(f"{name}: every link has text", empty_links == 0, f"{empty_links} empty links")
for path in files:
    name = os.path.basename(path)
    printed = name.endswith("-print.pdf")
    fonts = subprocess.run(["pdffonts", path], capture_output=True, text=True).stdout.splitlines()[2:]
    check(f"{name}: fonts found", len(fonts) > 0)
    not_embedded = [l for l in fonts if l.split()[-5] != "yes"] if fonts else []
    check(f"{name}: every font embedded", not not_embedded, "\n".join(not_embedded))
    q = subprocess.run(["qpdf", "--check", path], capture_output=True, text=True)
    check(f"{name}: qpdf --check", q.returncode == 0, q.stdout[-500:] + q.stderr[-500:])
    pdf = pikepdf.open(path)
    root = pdf.Root
    if printed:
        bad = []
        for i, page in enumerate(pdf.pages):
            trim = [float(x) for x in page.obj.get("/TrimBox", [])]
            bleed = [float(x) for x in page.obj.get("/BleedBox", [])]
            media = [float(x) for x in page.obj.MediaBox]
            w, h = (trim[2] - trim[0], trim[3] - trim[1]) if trim else (0, 0)
            if abs(w - 210 * MM) > 0.5 or abs(h - 297 * MM) > 0.5:
                bad.append(f"page {i + 1}: trim {w / MM:.1f}x{h / MM:.1f} mm")
            elif not bleed or abs((trim[0] - bleed[0]) - 3 * MM) > 0.2 or abs((bleed[2] - trim[2]) - 3 * MM) > 0.2:
                bad.append(f"page {i + 1}: bleed {bleed}")
            elif media[0] > bleed[0] or media[2] < bleed[2] + 5 * MM:
                bad.append(f"page {i + 1}: no room for crop marks outside the bleed")
        check(f"{name}: A4 TrimBox and 3 mm BleedBox on every page", not bad, "; ".join(bad[:5]))
        found = {"rgb": 0, "images": 0}
        seen = set()

        def is_rgb_space(cs):
            if cs is None:
                return False
            if isinstance(cs, pikepdf.Array) and len(cs) > 1 and str(cs[0]) == "/ICCBased":
                return int(cs[1].get("/N", 0)) == 3
            return str(cs) in ("/DeviceRGB", "/CalRGB")

        def scan(obj, resources):
            """RGB colours in a content stream and the images and forms it draws."""
            for op in pikepdf.parse_content_stream(obj):
                o = str(op.operator)
                if o in ("rg", "RG") or (o in ("sc", "scn", "SC", "SCN") and len(op.operands) == 3):
                    found["rgb"] += 1
            for x in (resources or {}).get("/XObject", {}).values():
                if x.objgen in seen:
                    continue
                seen.add(x.objgen)
                if x.get("/Subtype") == "/Image" and is_rgb_space(x.get("/ColorSpace")):
                    found["images"] += 1
                elif x.get("/Subtype") == "/Form":
                    scan(x, x.get("/Resources"))

        for page in pdf.pages:
            scan(page, page.obj.get("/Resources"))
        check(f"{name}: colours in CMYK (or grey) only: no RGB fill, stroke or image", found == {"rgb": 0, "images": 0},
              f"{found['rgb']} RGB colour operators, {found['images']} RGB images")
        odd = []
        with pdf.open_outline() as outline:
            for item in outline.root:
                dest = item.destination
                if dest is None and item.action is not None:
                    dest = item.action.get("/D")
                if dest is None:
                    continue
                idx = next((i for i, p in enumerate(pdf.pages) if p.obj.objgen == dest[0].objgen), None)
                if idx is not None and (idx + 1) % 2 == 0 and item.title not in ("目次", "Contents"):
                    odd.append(f"{item.title} on page {idx + 1}")
        check(f"{name}: chapters start on odd (right-hand) pages", not odd, "; ".join(odd))
    else:
        check(f"{name}: tagged (StructTreeRoot, MarkInfo)", "/StructTreeRoot" in root and bool(root.get("/MarkInfo", {}).get("/Marked", False)))
        lang = str(root.get("/Lang", ""))
        check(f"{name}: document language set", lang.startswith("ja") if "-ja" in name else lang.startswith("en"), lang)
        title = str(pdf.docinfo.get("/Title", ""))
        check(f"{name}: document title set", len(title) > 0, title)
        with pdf.open_outline() as outline:
            check(f"{name}: bookmarks", len(list(outline.root)) >= 1)
        links = sum(1 for p in pdf.pages for a in p.obj.get("/Annots", []) if a.get("/Subtype") == "/Link")
        check(f"{name}: links", links >= 1, str(links))
        check_structure(pdf, name)
        check_avalpdf(path, name)
    headings = [squash(t) for t in outline_titles(pdf)]
    lines = page_lines(path)  # poppler's word boxes, read once for both checks
    bad = orphans(lines, headings, table_labels)
    check(f"{name}: no heading or table label alone at the foot of a page", not bad, "; ".join(bad[:5]))
    bad = overlaps(lines)
    check(f"{name}: no text drawn over other text", not bad, "; ".join(bad[:5]))

# Pages for a person to look at: the cover, a measure, the SDG matrix, a print corner.
for path, first, last, tag in [
    ("later-basic-plan-ja.pdf", 1, 1, "cover"),
    ("later-basic-plan-ja.pdf", 12, 13, "inside"),
    ("later-basic-plan-ja-print.pdf", 1, 1, "print-cover"),
    ("comprehensive-strategy-en.pdf", 3, 4, "strategy-en"),
]:
    p = os.path.join(site, "downloads", path)
    if os.path.exists(p):
        subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", str(first), "-l", str(last), p, os.path.join(pngs, tag)], check=False)

finish_avalpdf()
print(f"\npdf checks: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
