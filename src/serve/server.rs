//! Serve: a small HTTP server for previews on 127.0.0.1. It serves the built site from a
//! folder, adds the live-reload script to HTML pages, streams rebuild events
//! (server-sent events at `/__keikaku/events`) and reports the current problems as JSON
//! (`/__keikaku/status`). Requests are answered by a fixed pool of threads (event streams,
//! which stay open, by a bounded number of their own); a request head is read into a bounded
//! buffer within a deadline and parsed with `httparse`; `HEAD` gets the headers only; content
//! types come from `mime_guess`.

use std::io::Write;
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
    /// Increases each time the PDFs of the content as it then was are on disk.
    pub pdfs: u64,
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

    /// Records that the PDFs of the latest content are on disk.
    pub fn publish_pdfs(&self) {
        self.status.lock().unwrap_or_else(|e| e.into_inner()).pdfs += 1;
        self.changed.notify_all();
    }
}

/// Threads answering requests (a preview has one reader, a few tabs at most).
const WORKERS: usize = 4;
/// Event streams open at once; more are refused (each holds a thread while it is open).
const MAX_STREAMS: usize = 32;
/// The largest request head (request line and headers) read.
const MAX_HEAD: usize = 16 * 1024;
/// How long a client may take to send its request head.
const HEAD_DEADLINE: Duration = Duration::from_secs(10);

/// Starts serving on `addr`; returns the bound address (port 0 picks a free one).
pub fn start(addr: SocketAddr, shared: Arc<Shared>) -> Result<SocketAddr> {
    let listener = TcpListener::bind(addr).with_context(|| format!("listening on {addr}"))?;
    let bound = listener.local_addr()?;
    let (tx, rx) = std::sync::mpsc::sync_channel::<TcpStream>(64);
    let rx = Arc::new(Mutex::new(rx));
    let streams = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for _ in 0..WORKERS {
        let (rx, shared, streams) = (rx.clone(), shared.clone(), streams.clone());
        std::thread::spawn(move || {
            loop {
                let next = rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                let Ok(stream) = next else { return };
                let _ = handle(stream, &shared, &streams);
            }
        });
    }
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            if tx.send(stream).is_err() {
                return;
            }
        }
    });
    Ok(bound)
}

/// The content type of a file, from its extension; text in UTF-8.
fn content_type(path: &Path) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    if mime.type_() == mime_guess::mime::TEXT || mime.subtype() == mime_guess::mime::JAVASCRIPT {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    }
}

/// Writes a response; for `HEAD`, the headers only.
fn respond(stream: &mut TcpStream, head_only: bool, status: &str, ctype: &str, body: &[u8]) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if head_only {
        return Ok(());
    }
    stream.write_all(body)
}

/// A request's method and target, or the status to refuse it with.
fn read_head(stream: &mut TcpStream) -> std::result::Result<(String, String), &'static str> {
    use std::io::Read;
    let deadline = std::time::Instant::now() + HEAD_DEADLINE;
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Err("408 Request Timeout");
        }
        let n = stream.read(&mut chunk).map_err(|_| "408 Request Timeout")?;
        if n == 0 {
            return Err("400 Bad Request");
        }
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut req = httparse::Request::new(&mut headers);
        match req.parse(&buf) {
            Ok(httparse::Status::Complete(_)) => {
                let method = req.method.unwrap_or("").to_string();
                let path = req.path.unwrap_or("/").to_string();
                return Ok((method, path));
            }
            Ok(httparse::Status::Partial) if buf.len() < MAX_HEAD => {}
            Ok(httparse::Status::Partial) => return Err("431 Request Header Fields Too Large"),
            Err(httparse::Error::TooManyHeaders) => return Err("431 Request Header Fields Too Large"),
            Err(_) => return Err("400 Bad Request"),
        }
    }
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

/// Answers one request: a file of the site, the live-reload script, the build status, or an
/// event stream.
fn handle(
    mut stream: TcpStream,
    shared: &Arc<Shared>,
    streams: &Arc<std::sync::atomic::AtomicUsize>,
) -> std::io::Result<()> {
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    let (method, url) = match read_head(&mut stream) {
        Ok(head) => head,
        Err(status) => {
            return respond(
                &mut stream,
                false,
                status,
                "text/plain; charset=utf-8",
                status.as_bytes(),
            );
        }
    };
    let url = url.as_str();
    let head_only = method == "HEAD";
    let stream = &mut stream;
    if method != "GET" && !head_only {
        return respond(
            stream,
            false,
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            b"GET or HEAD only",
        );
    }
    match url.split('?').next().unwrap_or("") {
        "/__keikaku/events" if !head_only => open_events(stream, shared, streams),
        "/__keikaku/reload.js" => respond(
            stream,
            head_only,
            "200 OK",
            "text/javascript; charset=utf-8",
            RELOAD_JS.as_bytes(),
        ),
        "/__keikaku/status" => {
            let s = shared.status.lock().unwrap_or_else(|e| e.into_inner()).clone();
            let body = format!(
                "{{\"generation\":{},\"pdfs\":{},\"failed\":{},\"errors\":[{}]}}",
                s.generation, s.pdfs, s.failed, s.errors_json
            );
            respond(stream, head_only, "200 OK", "application/json", body.as_bytes())
        }
        _ => serve_file(stream, shared, url, head_only),
    }
}

/// Starts an event stream for a page's live reload, on a thread of its own (it stays open),
/// unless `MAX_STREAMS` are open already.
fn open_events(
    stream: &mut TcpStream,
    shared: &Arc<Shared>,
    streams: &Arc<std::sync::atomic::AtomicUsize>,
) -> std::io::Result<()> {
    use std::sync::atomic::Ordering;
    if streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
        streams.fetch_sub(1, Ordering::SeqCst);
        return respond(
            stream,
            false,
            "503 Service Unavailable",
            "text/plain; charset=utf-8",
            b"too many event streams",
        );
    }
    let (s, shared, streams) = (stream.try_clone()?, shared.clone(), streams.clone());
    std::thread::spawn(move || {
        let _ = events(s, &shared);
        streams.fetch_sub(1, Ordering::SeqCst);
    });
    Ok(())
}

/// Answers with the file of the site at `url` (HTML pages with the live-reload script), or
/// with the site's 404 page in the address's language.
fn serve_file(stream: &mut TcpStream, shared: &Shared, url: &str, head_only: bool) -> std::io::Result<()> {
    match resolve(&shared.root, url) {
        Some(file) => {
            let body = std::fs::read(&file)?;
            let ctype = content_type(&file);
            let body = if ctype.starts_with("text/html") {
                inject(body)
            } else {
                body
            };
            respond(stream, head_only, "200 OK", &ctype, &body)
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
            respond(stream, head_only, "404 Not Found", "text/html; charset=utf-8", &body)
        }
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
    fn content_types_come_from_the_extension() {
        assert_eq!(content_type(Path::new("a.html")), "text/html; charset=utf-8");
        assert_eq!(content_type(Path::new("a.js")), "text/javascript; charset=utf-8");
        assert_eq!(content_type(Path::new("a.pdf")), "application/pdf");
        assert_eq!(content_type(Path::new("a.webp")), "image/webp");
        assert_eq!(content_type(Path::new("noext")), "application/octet-stream");
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
