// Accessibility in a real browser: axe-core with the WCAG 2.0/2.1/2.2 A and AA rules and its
// best-practice rules on
// every kind of page, in both languages, on a desktop and a phone viewport, and the
// accessibility tree Chromium builds (no name read twice as a description). Any violation
// fails. Usage: node a11y.mjs <folder that holds the site> [sub-path the site is served under]
// [pages, comma-separated: another plan's pages of every kind; the bundled plan's by default]
import { serveSite } from "./static-server.mjs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const root = process.argv[2];
const prefix = process.argv[3] || "";
const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const site = await serveSite(root, prefix);
const base = site.base;

// One page of every kind.
const given = process.argv[4] ? process.argv[4].split(",").map(p => p.trim()) : null;
const pages = given || [
  "", "vision/", "pillars/", "pillars/kosodate/", "measures/kosodate-1/", "districts/", "districts/kawabe/",
  "policy/", "policy/kosei/", "policy/taisei/", "policy/schedule/", "strategy/", "strategy/senryaku-1/", "pledges/",
  "targets/", "targets/#only-behind", "implementation/", "implementation/R7-R9/", "implementation/#only-new",
  "progress/", "progress/R6/", "public-comment/", "revision/", "sdgs/", "sdgs/4/", "structure/", "bodies/", "schedule/", "downloads/", "search/?q=子育て", "accessibility/", "404.html",
];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
let passed = 0, failed = 0;
try {
  for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
    // axe is injected as a script of its own, which the site's strict policy would refuse;
    // search.mjs checks that the pages themselves keep to that policy.
    const page = await browser.newPage({ viewport, bypassCSP: true });
    const cdp = await page.context().newCDPSession(page);
    for (const lang of ["", "en/"]) {
      for (const p of pages) {
        const url = base + lang + p;
        await page.goto(url);
        // What the browser gives a screen reader: nothing may have the same words in its
        // name and in its description, which are then read twice (in Chromium, a chart with
        // both an aria-label and a <title>, and one named by its title and its <desc>).
        const { nodes } = await cdp.send("Accessibility.getFullAXTree");
        const twice = nodes.filter(n => {
          const [name, desc] = [n.name?.value, n.description?.value];
          return !n.ignored && name && desc && (desc.includes(name) || name.includes(desc));
        });
        if (twice.length) {
          failed++;
          console.log(`FAILED: ${viewport.width}px /${lang}${p}: ${twice.length} element(s) whose description repeats their name, e.g. ${twice[0].role?.value} "${twice[0].name.value}"`);
        } else passed++;
        await page.addScriptTag({ path: axePath });
        const result = await page.evaluate(async () => await window.axe.run(document, {
          runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"] },
        }));
        const name = `${viewport.width}px /${lang}${p}`;
        if (result.violations.length === 0) { passed++; continue; }
        failed++;
        console.log(`FAILED: ${name}`);
        for (const v of result.violations) {
          console.log(`  ${v.id} (${v.impact}): ${v.help}`);
          for (const n of v.nodes.slice(0, 3)) console.log(`    ${n.target.join(" ")} — ${n.failureSummary.split("\n").slice(1, 2).join(" ")}`);
        }
      }
    }
    await page.close();
  }
  // Text enlarged to 200 %: a 1280 px window at 200 % zoom lays out like a 640 px one.
  // Nothing may need scrolling sideways except the tables, which scroll in their own box.
  const zoomed = await browser.newPage({ viewport: { width: 640, height: 900 }, bypassCSP: true });
  for (const lang of ["", "en/"]) {
    for (const p of pages) {
      await zoomed.goto(base + lang + p);
      const overflow = await zoomed.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 1) { failed++; console.log(`FAILED: 200% text /${lang}${p} scrolls sideways by ${overflow}px`); } else passed++;
    }
  }
  // The targets index filters by status with no script: the filter links to an anchor of
  // the page, and the stylesheet hides the rows of other statuses while it is the target.
  // The filter checks read the bundled plan's pages (a pillar with targets of every status).
  const f = await browser.newPage({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
  const check = (ok, what) => { if (ok) passed++; else { failed++; console.log(`FAILED: ${what}`); } };
  const visibleRows = () => f.evaluate(() => {
    const rows = [...document.querySelectorAll(".target-groups tr[data-status]")].filter(r => r.offsetParent !== null);
    const groups = [...document.querySelectorAll(".target-groups .group")].filter(g => g.offsetParent !== null).length;
    return { n: rows.length, statuses: [...new Set(rows.map(r => r.dataset.status))], groups };
  });
  for (const lang of given ? [] : ["", "en/"]) {
    await f.goto(base + lang + "targets/");
    const all = await visibleRows();
    const total = await f.evaluate(() => document.querySelectorAll(".target-groups tr[data-status]").length);
    check(all.n === total && all.statuses.length === 4, `/${lang}targets/ shows all ${total} rows unfiltered (saw ${all.n})`);
    await f.click('.filters a[href="#only-achieved"]');
    await f.waitForFunction(() => location.hash === "#only-achieved");
    const only = await visibleRows();
    const expected = await f.evaluate(() => Number(document.querySelector('.filters a[href="#only-achieved"] .n').textContent));
    check(only.n === expected && only.statuses.join() === "achieved", `/${lang}targets/ filtered to achieved shows its ${expected} rows (saw ${only.n}: ${only.statuses})`);
    check(only.groups < all.groups, `/${lang}targets/ filtered hides the groups without achieved targets (${only.groups} of ${all.groups} shown)`);
    check(await f.evaluate(() => document.activeElement?.id === "only-achieved" && document.activeElement.offsetParent !== null),
      `/${lang}targets/ filtered: the note saying what is shown is visible and has the focus`);
    // "Show all" loads the index anew, without the anchor.
    await Promise.all([
      f.waitForURL(u => u.pathname.endsWith("/targets/") && u.hash === "", { waitUntil: "load" }),
      f.click("#only-achieved a"),
    ]);
    check((await visibleRows()).n === total, `/${lang}targets/ "show all" shows every row again`);
    // From a pillar's progress overview straight into the filtered index.
    await f.goto(base + lang + "pillars/kosodate/");
    // The link leads to another page: read it once that page has loaded, not before (on a
    // busy machine the click returns while the navigation is still under way).
    await Promise.all([
      f.waitForURL(u => u.pathname.endsWith("/targets/") && u.hash === "#only-behind", { waitUntil: "load" }),
      f.click('.overview a[href$="#only-behind"]'),
    ]);
    const behind = await visibleRows();
    check(behind.n > 0 && behind.statuses.join() === "behind", `/${lang}pillars/kosodate/ overview link opens the index filtered to behind (saw ${behind.statuses})`);
  }
  await f.close();
} finally {
  await browser.close();
  site.close();
}
console.log(`\naxe (WCAG 2.x A/AA), names read once and 200 % text: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
