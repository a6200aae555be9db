//! Preview (`territoires serve`): the built site served on this machine as the government
//! host will serve it: under its base path (`/territoires/` for
//! `https://agence-cohesion-territoires.gouv.fr/territoires/`), `index.html` for a folder,
//! `404.html` with status 404 for anything missing. Read-only: GET and HEAD, nothing outside
//! the output folder.

use std::fs;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use crate::error::OpError;

/// Serves `output` at `base` on `port` of 127.0.0.1 (0: any free port) until the process
/// stops; `ready` is told the address once the server listens.
pub fn serve(
    output: &Path,
    base: &str,
    port: u16,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), OpError> {
    let server = Server::http(("127.0.0.1", port)).map_err(|e| {
        OpError::new(format!(
            "impossible d'ouvrir le port {port} de 127.0.0.1 : {e} (choisissez-en un autre avec --port)"
        ))
    })?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| OpError::new("le serveur n'a pas d'adresse IP"))?;
    ready(addr);
    for request in server.incoming_requests() {
        // A visitor who closes the tab mid-answer is not an error of the preview.
        let _ = answer(output, base, request);
    }
    Ok(())
}

fn answer(output: &Path, base: &str, request: Request) -> std::io::Result<()> {
    if !matches!(request.method(), Method::Get | Method::Head) {
        return request.respond(Response::empty(StatusCode(405)));
    }
    let path = request.url().split(['?', '#']).next().unwrap_or("/");
    let path = percent_decode(path);
    // The site lives under its base path, as on its host; `/` leads there.
    let Some(rel) = path
        .strip_prefix(base)
        .or_else(|| (path.trim_end_matches('/') == base.trim_end_matches('/')).then_some(""))
    else {
        if path == "/" {
            let to = Header::from_bytes("Location", base).expect("an ASCII header");
            return request.respond(Response::empty(StatusCode(302)).with_header(to));
        }
        return not_found(output, request);
    };
    match file_for(output, rel) {
        Some(file) => {
            let bytes = fs::read(&file)?;
            let kind =
                Header::from_bytes("Content-Type", content_type(&file)).expect("an ASCII header");
            request.respond(Response::from_data(bytes).with_header(kind))
        }
        None => not_found(output, request),
    }
}

fn not_found(output: &Path, request: Request) -> std::io::Result<()> {
    let page = fs::read(output.join("404.html")).unwrap_or_else(|_| b"Page non trouvee".to_vec());
    let kind =
        Header::from_bytes("Content-Type", "text/html; charset=utf-8").expect("an ASCII header");
    request.respond(
        Response::from_data(page)
            .with_status_code(StatusCode(404))
            .with_header(kind),
    )
}

/// The file that answers `rel` (a path under the base, without its leading `/`): the file
/// itself, or the `index.html` of a folder; never anything outside `output`.
fn file_for(output: &Path, rel: &str) -> Option<PathBuf> {
    let rel = Path::new(rel.trim_start_matches('/'));
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    let path = output.join(rel);
    let file = if path.is_dir() {
        path.join("index.html")
    } else {
        path
    };
    // A file reached through a symbolic link may live anywhere: not served.
    let meta = fs::symlink_metadata(&file).ok()?;
    meta.is_file().then_some(file)
}

/// `%C3%A9` → `é`; an invalid escape stays as written.
fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = || std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok();
        match (bytes[i], hex().and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "jsonld" => "application/ld+json",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_of_the_output_are_served() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("crte/a")).unwrap();
        fs::write(dir.path().join("crte/a/index.html"), "ok").unwrap();
        assert!(file_for(dir.path(), "crte/a/").is_some());
        assert!(file_for(dir.path(), "crte/a/index.html").is_some());
        assert!(file_for(dir.path(), "../etc/passwd").is_none());
        assert!(file_for(dir.path(), "crte/b/").is_none());
        assert_eq!(percent_decode("/d%C3%A9partements/"), "/départements/");
        assert_eq!(percent_decode("/100%"), "/100%");
    }
}
