//! Serve: a small HTTP server for previews on 127.0.0.1. It serves the built site from a
//! folder, adds the live-reload script to HTML pages, streams rebuild events
//! (server-sent events at `/__keikaku/events`) and reports the current problems as JSON
//! (`/__keikaku/status`). Standard library only: one thread per connection.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};

const RELOAD_JS: &str = include_str!("reload.js");

/// What the browser should know about the latest build.
#[derive(Default, Clone)]
pub struct Status {
    /// Increases with every finished build (good or bad).
    pub generation: u64,
    /// Whether the latest build failed (the previous good site is still served).
    pub failed: bool,
    /// The problems of the latest build, as JSON objects.
    pub errors_json: String,
}

/// State shared between the builder and the server.
pub struct Shared {
    /// The folder the site is served from.
    pub root: PathBuf,
    /// The latest build.
    pub status: Mutex<Status>,
    /// Signalled when `status` changes.
    pub changed: Condvar,
}

impl Shared {
    /// Records a finished build and wakes the event streams.
    pub fn publish(&self, failed: bool, errors_json: String) {
        let mut s = self.status.lock().unwrap_or_else(|e| e.into_inner());
        s.generation += 1;
        s.failed = failed;
        s.errors_json = errors_json;
        self.changed.notify_all();
    }
}

/// Starts serving on `addr`; returns the bound address (port 0 picks a free one).
pub fn start(addr: SocketAddr, shared: Arc<Shared>) -> Result<SocketAddr> {
    let listener = TcpListener::bind(addr).with_context(|| format!("listening on {addr}"))?;
    let bound = listener.local_addr()?;
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let shared = shared.clone();
            std::thread::spawn(move || {
                let _ = handle(stream, &shared);
            });
        }
    });
    Ok(bound)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "pdf" => "application/pdf",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn respond(stream: &mut TcpStream, status: &str, ctype: &str, body: &[u8]) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)
}

fn decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The file for a URL path, or `None` if it leaves the root or does not exist.
fn resolve(root: &Path, url: &str) -> Option<PathBuf> {
    let path = decode(url.split(['?', '#']).next().unwrap_or("/"));
    let rel = Path::new(path.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let full = root.join(rel);
    if full.is_dir() {
        let index = full.join("index.html");
        return index.is_file().then_some(index);
    }
    full.is_file().then_some(full)
}

fn inject(html: Vec<u8>) -> Vec<u8> {
    let tag = b"<script src=\"/__keikaku/reload.js\"></script>";
    match html.windows(7).rposition(|w| w == b"</body>") {
        Some(i) => [&html[..i], tag.as_slice(), &html[i..]].concat(),
        None => [html.as_slice(), tag.as_slice()].concat(),
    }
}

fn handle(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    // Skip the headers.
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let url = parts.next().unwrap_or("/");
    if method != "GET" && method != "HEAD" {
        return respond(&mut stream, "405 Method Not Allowed", "text/plain", b"GET only");
    }
    match url.split('?').next().unwrap_or("") {
        "/__keikaku/reload.js" => respond(
            &mut stream,
            "200 OK",
            "text/javascript; charset=utf-8",
            RELOAD_JS.as_bytes(),
        ),
        "/__keikaku/status" => {
            let s = shared.status.lock().unwrap_or_else(|e| e.into_inner()).clone();
            let body = format!(
                "{{\"generation\":{},\"failed\":{},\"errors\":[{}]}}",
                s.generation, s.failed, s.errors_json
            );
            respond(&mut stream, "200 OK", "application/json", body.as_bytes())
        }
        "/__keikaku/events" => events(stream, shared),
        _ => match resolve(&shared.root, url) {
            Some(file) => {
                let body = std::fs::read(&file)?;
                let ctype = content_type(&file);
                let body = if ctype.starts_with("text/html") {
                    inject(body)
                } else {
                    body
                };
                respond(&mut stream, "200 OK", ctype, &body)
            }
            None => {
                let lang_404 = if url.starts_with("/en/") {
                    "en/404.html"
                } else {
                    "404.html"
                };
                let body = std::fs::read(shared.root.join(lang_404))
                    .map(inject)
                    .unwrap_or_else(|_| b"Not found".to_vec());
                respond(&mut stream, "404 Not Found", "text/html; charset=utf-8", &body)
            }
        },
    }
}

/// A server-sent event stream: `reload` after a good build, `errors` after a failed one,
/// and a comment every 15 s to keep the connection open.
fn events(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n: connected\n\n")?;
    stream.flush()?;
    let mut seen = shared.status.lock().unwrap_or_else(|e| e.into_inner()).generation;
    loop {
        let guard = shared.status.lock().unwrap_or_else(|e| e.into_inner());
        let (guard, _) = shared
            .changed
            .wait_timeout_while(guard, Duration::from_secs(15), |s| s.generation == seen)
            .unwrap_or_else(|e| e.into_inner());
        let status = guard.clone();
        drop(guard);
        if status.generation == seen {
            stream.write_all(b": ping\n\n")?;
        } else {
            seen = status.generation;
            let event = if status.failed { "errors" } else { "reload" };
            write!(stream, "event: {event}\ndata: {}\n\n", status.generation)?;
        }
        stream.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_root() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.html"), "x").unwrap();
        assert!(resolve(dir.path(), "/a.html").is_some());
        assert!(resolve(dir.path(), "/../etc/passwd").is_none());
        assert!(resolve(dir.path(), "/%2e%2e/etc/passwd").is_none());
        assert!(resolve(dir.path(), "/missing").is_none());
    }

    #[test]
    fn the_reload_script_goes_before_the_end_of_body() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>".to_vec())).unwrap();
        assert_eq!(
            out,
            "<html><body><p>x</p><script src=\"/__keikaku/reload.js\"></script></body></html>"
        );
    }
}
