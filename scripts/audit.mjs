// keikaku's accessibility audit: tests a built site as JIS X 8341-3:2016 asks a public body
// to (annex JB) and writes the results into the content folder, so that the next build
// publishes them on the accessibility page (試験結果).
//
//   node scripts/audit.mjs SITE CONTENT [--prefix keikaku/]
//
// SITE is a built site (keikaku build --output SITE), CONTENT the plan's content folder; the
// results go to CONTENT/data/accessibility.yaml. It needs the npm packages of
// tests/browser (cd tests/browser && npm ci) and Debian's chromium and a Java runtime.
// Every page is tested when the site has at most 100; a larger site is sampled as the
// guideline describes: one page of every kind and forty pages drawn at random (with a seed
// from the date, listed in the results). In each page axe-core runs the WCAG 2.0/2.1/2.2 A
// and AA rules and its best practices in headless Chromium, and the Nu HTML Checker checks
// the markup. A success criterion is failed when a rule of it fails, passed only where the
// tools can decide it, not applicable where nothing on the pages falls under it (audio,
// video), and left to a person otherwise; keikaku computes the conformance wording from that.
import { createRequire } from "node:module";
import { readFile, readdir, writeFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { execFileSync } from "node:child_process";

const here = new URL("../tests/browser/", import.meta.url);
const require = createRequire(here);
const { chromium } = require("playwright-core");
const { serveSite } = await import(new URL("static-server.mjs", here));
const axePath = require.resolve("axe-core/axe.min.js");
const axeVersion = require("axe-core/package.json").version;
const vnuJar = require.resolve("vnu-jar/build/dist/vnu.jar");

const args = process.argv.slice(2);
const flag = (name) => { const i = args.indexOf(name); return i >= 0 ? args.splice(i, 2)[1] : null; };
const prefix = flag("--prefix") || "";
const [site, content] = args;
if (!site || !content) {
  console.error("usage: node scripts/audit.mjs SITE CONTENT [--prefix keikaku/]");
  process.exit(2);
}

// Every page of the site, as paths of the site ("" is the home page).
async function pages(dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...await pages(p));
    else if (e.name.endsWith(".html")) out.push(relative(site, p).split(sep).join("/").replace(/index\.html$/, ""));
  }
  return out.sort();
}

// A small deterministic generator, so that the random pages of a day can be drawn again.
function random(seed) {
  let x = [...seed].reduce((a, c) => (a * 31 + c.charCodeAt(0)) >>> 0, 2166136261) || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >> 17; x ^= x << 5; x >>>= 0; return x / 4294967296; };
}

const date = new Date().toISOString().slice(0, 10);
const all = await pages(site);
let chosen = all;
let method = {
  ja: `サイトのすべてのページ（${all.length}ページ、日本語と英語）を試験しました。`,
  en: `Every page of the site was tested (${all.length} pages, Japanese and English).`,
};
if (all.length > 100) {
  // One page of every kind (the first of each folder, in each language), then forty at random.
  const kind = (p) => {
    const parts = p.replace(/^en\//, "").split("/").filter(Boolean);
    return parts.length > 1 ? parts[0] + "/*" : (parts[0] || "home");
  };
  const seen = new Set();
  const representative = all.filter((p) => { const k = (p.startsWith("en/") ? "en:" : "ja:") + kind(p); if (seen.has(k)) return false; seen.add(k); return true; });
  const rest = all.filter((p) => !representative.includes(p));
  const next = random(date);
  const drawn = [];
  while (drawn.length < 40 && rest.length > 0) drawn.push(...rest.splice(Math.floor(next() * rest.length), 1));
  chosen = [...representative, ...drawn.sort()];
  method = {
    ja: `サイトの${all.length}ページのうち、種類ごとの代表的なページ${representative.length}ページと、無作為に選んだ${drawn.length}ページ（乱数の種：${date}）の計${chosen.length}ページを試験しました。`,
    en: `Of the site's ${all.length} pages, ${representative.length} representative pages (one of each kind) and ${drawn.length} drawn at random (seed: ${date}) were tested, ${chosen.length} in all.`,
  };
}

const built = (await readFile(join(site, "accessibility", "index.html"), "utf8")).match(/<meta name="keikaku-build" content="([^"]+)"/);

// axe-core on every chosen page.
const server = await serveSite(site, prefix);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
const rules = new Map(); // rule id → { tags, failed: Set(pages), passed, incomplete }
let media = 0;
let violations = 0;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  for (const p of chosen) {
    await page.goto(server.base + p);
    await page.addScriptTag({ path: axePath });
    const r = await page.evaluate(async () => await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"] },
    }));
    media += await page.evaluate(() => document.querySelectorAll("audio, video, object, embed").length);
    for (const [kind, list] of [["failed", r.violations], ["passed", r.passes], ["incomplete", r.incomplete]]) {
      for (const v of list) {
        const e = rules.get(v.id) || { tags: v.tags, failed: new Set(), passed: 0, incomplete: 0 };
        if (kind === "failed") { e.failed.add(p); violations += v.nodes.length; } else e[kind]++;
        rules.set(v.id, e);
      }
    }
  }
  var chromeVersion = browser.version();
} finally {
  await browser.close();
  server.close();
}

// The Nu HTML Checker on the same pages.
const files = chosen.map((p) => join(site, p.endsWith(".html") ? p : p + "index.html"));
let vnuErrors = [];
try {
  execFileSync("java", ["-jar", vnuJar, "--errors-only", "--format", "json", ...files], { stdio: ["ignore", "pipe", "pipe"] });
} catch (e) {
  vnuErrors = JSON.parse(e.stderr.toString() || "{\"messages\":[]}").messages.filter((m) => m.type === "error");
}
const vnuVersion = execFileSync("java", ["-jar", vnuJar, "--version"]).toString().trim();

// Per success criterion (wcag143 → 1.4.3): failed when a rule of it failed on a page, left to
// a person when a rule could not decide (axe's "incomplete"), passed when its rules passed.
const criteria = {};
const bySc = new Map();
for (const [id, e] of rules) {
  for (const tag of e.tags) {
    const m = tag.match(/^wcag(\d)(\d)(\d+)$/);
    if (m) bySc.set(`${m[1]}.${m[2]}.${m[3]}`, [...(bySc.get(`${m[1]}.${m[2]}.${m[3]}`) || []), [id, e]]);
  }
}
for (const [sc, list] of bySc) {
  const failed = list.filter(([, e]) => e.failed.size > 0);
  if (failed.length) {
    criteria[sc] = { found: "fail", rules: failed.map(([id]) => id), failed_pages: new Set(failed.flatMap(([, e]) => [...e.failed])).size };
  } else if (!list.some(([, e]) => e.incomplete > 0) && list.some(([, e]) => e.passed > 0)) {
    criteria[sc] = { found: "pass", rules: list.filter(([, e]) => e.passed > 0).map(([id]) => id), failed_pages: 0 };
  }
}
// Nothing to caption or describe, and no sound to control, when no page has audio or video.
if (media === 0) for (const sc of ["1.2.1", "1.2.2", "1.2.3", "1.2.4", "1.2.5", "1.4.2"]) criteria[sc] = { found: "inapplicable", rules: ["no audio or video"], failed_pages: 0 };
criteria["4.1.1"] = { found: vnuErrors.length ? "fail" : "pass", rules: ["Nu HTML Checker"], failed_pages: new Set(vnuErrors.map((m) => m.url)).size };

// The results, as YAML the build reads.
const q = (s) => JSON.stringify(s);
const yaml = [
  "# The results of keikaku's accessibility audit (node scripts/audit.mjs), published on the",
  "# accessibility page by the next build. 試験結果（自動試験）。手で書き換えないでください。",
  `date: ${q(date)}`,
  built ? `build: ${q(built[1])}` : null,
  "tools:",
  `  - ${q(`axe-core ${axeVersion} (WCAG 2.0/2.1/2.2 A and AA rules, best practices) in Chromium ${chromeVersion}, 1280 px`)}`,
  `  - ${q(`Nu HTML Checker ${vnuVersion}`)}`,
  "technologies: [HTML, CSS, JavaScript (search), SVG, WAI-ARIA]",
  "method:",
  `  ja: ${q(method.ja)}`,
  `  en: ${q(method.en)}`,
  "result:",
  `  ja: ${q(`axe-core の違反 ${violations} 件（${[...rules.values()].filter((e) => e.failed.size).length} 種類の規則）、Nu HTML Checker の誤り ${vnuErrors.length} 件。`)}`,
  `  en: ${q(`axe-core: ${violations} violations (${[...rules.values()].filter((e) => e.failed.size).length} rules); Nu HTML Checker: ${vnuErrors.length} errors.`)}`,
  "pages:",
  ...chosen.map((p) => `  - ${q(p)}`),
  "criteria:",
  ...Object.keys(criteria).sort((a, b) => a.localeCompare(b, "en", { numeric: true })).map((sc) => {
    const c = criteria[sc];
    return `  ${q(sc)}: {found: ${c.found}, rules: [${c.rules.map(q).join(", ")}], failed_pages: ${c.failed_pages}}`;
  }),
].filter((l) => l !== null).join("\n") + "\n";
const out = join(content, "data", "accessibility.yaml");
await writeFile(out, yaml);
console.log(`tested ${chosen.length} of ${all.length} pages: ${violations} axe violations, ${vnuErrors.length} vnu errors`);
console.log(`wrote ${out}; build the site again to publish the results`);
process.exit(violations || vnuErrors.length ? 1 : 0);
