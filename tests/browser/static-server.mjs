// A static file server for the built site, under a sub-path as the city's site would be,
// sending a strict Content-Security-Policy: the pages must work with no inline script or
// style and nothing from another host.
export const CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { join, extname } from "node:path";

const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".csv": "text/csv", ".pdf": "application/pdf", ".xml": "application/xml", ".png": "image/png", ".svg": "image/svg+xml" };

export async function serveSite(root, prefix) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let p = join(root, path.startsWith("/" + prefix) ? path.slice(prefix.length + 1) : path);
    try {
      if ((await stat(p)).isDirectory()) p = join(p, "index.html");
      const body = await readFile(p);
      res.writeHead(200, { "Content-Type": types[extname(p)] || "application/octet-stream", "Content-Security-Policy": CSP });
      res.end(body);
    } catch {
      if (process.env.SHOW_404) console.error("404", path);
      res.writeHead(404, { "Content-Type": "text/html; charset=utf-8" });
      res.end(await readFile(join(root, "404.html")).catch(() => "not found"));
    }
  }).listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  return { base: `http://127.0.0.1:${server.address().port}/${prefix}`, close: () => server.close() };
}
