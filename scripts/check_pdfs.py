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
check("eight PDFs", len(files) == 8, str(files))
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
        rgb = 0
        for page in pdf.pages:
            for op in pikepdf.parse_content_stream(page):
                if str(op.operator) in ("rg", "RG"):
                    rgb += 1
        check(f"{name}: colours in CMYK only (no RGB fill or stroke)", rgb == 0, f"{rgb} RGB operators")
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
            check(f"{name}: bookmarks", len(list(outline.root)) >= 3)
        links = sum(1 for p in pdf.pages for a in p.obj.get("/Annots", []) if a.get("/Subtype") == "/Link")
        check(f"{name}: links", links > 5, str(links))

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

print(f"\npdf checks: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
