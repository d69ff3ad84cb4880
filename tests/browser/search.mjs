// Search in a real browser: Japanese words found inside compounds, English plurals and case,
// results with title, pillar and a highlighted snippet, announced in a live region, from the
// header box on a phone. Usage: node search.mjs <site folder> <sub-path>
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serveSite } from "./static-server.mjs";

const [root, prefix] = process.argv.slice(2);
const site = await serveSite(root, prefix || "");
let passed = 0, failed = 0;
const check = (name, ok, detail = "") => {
  if (ok) { passed++; console.log(`ok: ${name}`); } else { failed++; console.log(`FAILED: ${name} ${detail}`); }
};
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
try {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const blocked = [];
  page.on("console", (m) => { if (m.text().includes("Content Security Policy")) blocked.push(m.text()); });
  for (const p of ["", "measures/kosodate-1/", "targets/", "sdgs/", "downloads/", "en/search/?q=carbon"]) {
    await page.goto(site.base + p);
    await page.waitForLoadState("networkidle");
  }
  check("pages keep to a strict Content-Security-Policy (no inline script or style, no other host)", blocked.length === 0, blocked.join("; "));
  async function search(lang, q) {
    await page.goto(site.base + lang + "search/?q=" + encodeURIComponent(q));
    await page.waitForFunction(() => document.getElementById("search-status").textContent.length > 0);
    return page.$$eval("#search-results li", (lis) => lis.map((li) => ({
      href: li.querySelector("a").getAttribute("href"),
      title: li.querySelector("a").textContent,
      where: li.querySelector(".search-where").textContent,
      mark: (li.querySelector("mark") || {}).textContent || "",
    })));
  }
  const cases = [
    ["", "待機児童", "measures/kosodate-2/", "待機児童"],
    ["", "カーボン", "measures/kankyo-1/", "カーボン"],
    ["", "子育て", "measures/kosodate-1/", "子育て"],
    ["en/", "Zero-Carbon", "measures/kankyo-1/", ""],
    ["en/", "targets", "", "target"],
    ["en/", "CHILDCARE", "measures/kosodate-2/", ""],
  ];
  for (const [lang, q, expect, mark] of cases) {
    const r = await search(lang, q);
    const hit = expect ? r.find((x) => x.href.endsWith(lang + expect)) : r[0];
    check(`search ${lang || "ja/"} "${q}" finds ${expect || "results"}`, Boolean(hit), JSON.stringify(r.slice(0, 3)));
    if (hit) {
      check(`  result has a title and where it belongs`, hit.title.length > 0 && hit.where.length > 0, JSON.stringify(hit));
      if (mark) check(`  snippet highlights "${mark}"`, r.some((x) => x.mark.toLowerCase().includes(mark.toLowerCase())), JSON.stringify(r.slice(0, 3)));
    }
  }
  // Where NFKC changes a string's length (ｶﾞ → ガ, ㈱ → (株)), the highlight still covers the
  // words found, in the text as written: an index of one page, served in place of the real one.
  {
    const nfkc = await browser.newPage();
    // One part of postings, with the keys of the two queries (their strings of three
    // characters, normalised) pointing at page 0; one file of text.
    const keys = ["ガイド", "イドブ", "ドブッ", "ブック", "(株)"];
    await nfkc.route("**/search/ja.json", (r) => r.fulfill({ contentType: "application/json", body: JSON.stringify({ pages: 1, text_bytes: 200, shards: 1, per_file: 1, max_gram: 3 }) }));
    await nfkc.route("**/search/ja/p0.json", (r) => r.fulfill({
      contentType: "application/json",
      body: JSON.stringify(Object.fromEntries(keys.map((k) => [k, ["A", ""]]))),
    }));
    await nfkc.route("**/search/ja/f0.json", (r) => r.fulfill({
      contentType: "application/json",
      body: JSON.stringify([{ u: "measures/x/", t: "見本", s: "柱1", x: "見本㈱は、市民向けのｶﾞｲﾄﾞﾌﾞｯｸを作ります。" }]),
    }));
    for (const [q, mark, around] of [["ガイドブック", "ｶﾞｲﾄﾞﾌﾞｯｸ", "市民向けのｶﾞｲﾄﾞﾌﾞｯｸを作ります。"], ["(株)", "㈱", "見本㈱は"]]) {
      await nfkc.goto(site.base + "search/?q=" + encodeURIComponent(q));
      await nfkc.waitForFunction(() => document.getElementById("search-status").textContent.length > 0);
      const got = await nfkc.$eval("#search-results li .search-snippet", (p) => [(p.querySelector("mark") || {}).textContent || "", p.textContent]);
      check(`  "${q}" is highlighted as written (${mark}), where NFKC changes lengths`, got[0] === mark && got[1].includes(around), JSON.stringify(got));
    }
    await nfkc.close();
  }
  // More results than a page shows: a button brings the next ones, and the focus to them.
  {
    await search("", "市");
    const [shown, count, button] = await page.evaluate(() => [document.querySelectorAll("#search-results li").length,
      document.getElementById("search-status").textContent, document.getElementById("search-more")]
      .map((x) => (x && x.textContent !== undefined && typeof x !== "number" && x.id ? (x.hidden ? "" : x.textContent) : x)));
    const total = Number((count.match(/(\d+)件/) || [])[1]);
    check(`"市" shows 50 of ${total} results and a button for the rest`, shown === 50 && total > 50 && button.includes(`${total - 50}件`), JSON.stringify([shown, count, button]));
    await page.click("#search-more");
    await page.waitForFunction((n) => document.querySelectorAll("#search-results li").length === n, total);
    const focused = await page.evaluate(() => [document.activeElement.closest("li") === document.querySelectorAll("#search-results li")[50], document.getElementById("search-more").hidden]);
    check("  the button shows the rest, moves the focus to the first of them and goes away", focused[0] && focused[1], JSON.stringify(focused));
  }
  const status = await page.$eval("#search-status", (e) => [e.getAttribute("role"), e.getAttribute("aria-live")]);
  check("the result count is announced", status[0] === "status" && status[1] === "polite");
  // From the header box on the home page, with the keyboard only.
  await page.goto(site.base);
  await page.focus("#header-q");
  await page.keyboard.type("子育て");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelectorAll("#search-results li").length > 0);
  check("the header search box leads to results", page.url().includes("search/?q="));
  // Into the repository's target/ (ignored by git), from whatever folder the test is run.
  const shot = fileURLToPath(new URL("../../target/screenshots/search-phone.png", import.meta.url));
  await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
} finally {
  await browser.close();
  site.close();
}
console.log(`\nsearch checks: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
