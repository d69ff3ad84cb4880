// The editor's loop in a real browser: `keikaku serve` shows a page; breaking its
// front-matter shows the error overlay (file, line, message, hint) without losing the page;
// fixing it makes the overlay go away by itself; a normal edit reloads the page.
// Usage: node overlay.mjs <keikaku binary> <content copy> <screenshot dir>
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [bin, content, shots] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
let passed = 0, failed = 0;
const check = (name, ok, detail = "") => {
  if (ok) { passed++; console.log(`ok: ${name}`); } else { failed++; console.log(`FAILED: ${name} ${detail}`); }
};

const serve = spawn(bin, ["serve", "--port", "0", "--no-pdf", "--content", content, "--output", join(content, "..", "serve-out")], { stdio: ["ignore", "ignore", "pipe"] });
const url = await new Promise((resolve, reject) => {
  let buf = "";
  serve.stderr.on("data", (d) => {
    buf += d;
    const m = buf.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
    if (m) resolve(m[0]);
  });
  serve.on("exit", () => reject(new Error("serve exited:\n" + buf)));
});

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  await page.goto(url + "measures/kodomo-1/");
  check("the page is served", (await page.textContent("h1")).includes("保育の充実"));
  const file = join(content, "measures", "kodomo-1.ja.md");
  const original = readFileSync(file, "utf8");

  // A normal edit: the page reloads by itself.
  writeFileSync(file, original.replace("保育を充実します。", "保育をさらに充実します。"));
  await page.waitForFunction(() => document.body.textContent.includes("保育をさらに充実します。"), null, { timeout: 15000 })
    .then(() => check("an edit reloads the open page", true), (e) => check("an edit reloads the open page", false, e.message));

  // Break the front-matter: the overlay shows the problem, the last good page stays.
  writeFileSync(file, original.replace("pillar: kodomo", "pillar: kodom"));
  const overlay = await page.waitForSelector("#keikaku-errors", { timeout: 15000 }).catch(() => null);
  check("a broken build shows the overlay", overlay !== null);
  if (overlay) {
    const text = await overlay.textContent();
    check("the overlay names file and line", text.includes("measures/kodomo-1.ja.md:3:9"), text);
    check("the overlay gives the hint", text.includes("did you mean"), text);
    check("the overlay is announced", (await overlay.getAttribute("role")) === "alert");
    check("the last good page is still shown", (await page.textContent("h1")).includes("保育の充実"));
    await page.screenshot({ path: join(shots, "serve-error-overlay.png") });
  }
  // Fix it: the overlay goes away by itself.
  writeFileSync(file, original);
  await page.waitForFunction(() => !document.getElementById("keikaku-errors"), null, { timeout: 15000 })
    .then(() => check("fixing the file removes the overlay", true), (e) => check("fixing the file removes the overlay", false, e.message));
  await page.screenshot({ path: join(shots, "serve-fixed.png") });
} finally {
  await browser.close();
  serve.kill();
}
console.log(`\nserve browser checks: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
