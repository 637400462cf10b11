//! The embedded pages: GraphiQL on `/` and `/playground/...`, the timeline
//! on `/timeline` and `/timeline/...`, the map on `/map` and `/map/...`, the
//! shared web font on `/fonts/...`, and the SDL on `/schema.graphql`.
//! Each answer carries an ETag and `Cache-Control: no-cache`, so browsers
//! revalidate cheaply (304) and never run a stale build.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use actix_web::body::MessageBody;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::app::App;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/assets.rs"));
}

/// One embedded file, ready to serve.
pub struct Asset {
    pub bytes: &'static [u8],
    pub content_type: &'static str,
    pub etag: String,
}

/// The embedded files, by path below `static/`.
pub struct Assets(HashMap<&'static str, Asset>);

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "ttf" => "font/ttf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "wasm" => "application/wasm",
        "png" => "image/png",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

/// A weak validator from the content: weak, because compression changes the
/// bytes on the wire but not what they mean.
pub fn etag(bytes: &[u8]) -> String {
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    format!("W/\"{:016x}\"", hasher.finish())
}

impl Assets {
    pub fn load() -> Self {
        let files = embedded::ASSETS
            .iter()
            .map(|(path, bytes)| {
                (
                    *path,
                    Asset {
                        bytes,
                        content_type: content_type(path),
                        etag: etag(bytes),
                    },
                )
            })
            .collect();
        Assets(files)
    }

    pub fn get(&self, path: &str) -> Option<&Asset> {
        self.0.get(path)
    }
}

/// Whether the client's `If-None-Match` already names this ETag.
pub fn not_modified(req: &HttpRequest, etag: &str) -> bool {
    let Some(value) = req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    value.trim() == "*" || value.split(',').any(|candidate| bare(candidate) == bare(etag))
}

/// Answers with `bytes` or 304, with validators and caching headers.
pub fn cached<B: MessageBody + 'static>(
    req: &HttpRequest,
    bytes: B,
    content_type: &str,
    etag: &str,
    cache_control: &str,
) -> HttpResponse {
    let fresh = not_modified(req, etag);
    let mut response = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, cache_control));
    if fresh {
        return response.finish();
    }
    let content_type =
        HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    response.insert_header((header::CONTENT_TYPE, content_type)).body(bytes)
}

fn serve(req: &HttpRequest, app: &App, path: &str) -> HttpResponse {
    match app.assets.get(path) {
        Some(asset) => cached(req, asset.bytes, asset.content_type, &asset.etag, "no-cache"),
        None => super::ops::not_found_response(req),
    }
}

pub async fn playground_index(req: HttpRequest, app: web::Data<App>) -> HttpResponse {
    serve(&req, &app, "playground/index.html")
}

pub async fn playground_file(req: HttpRequest, app: web::Data<App>, path: web::Path<String>) -> HttpResponse {
    serve(&req, &app, &format!("playground/{path}"))
}

pub async fn timeline_index(req: HttpRequest, app: web::Data<App>) -> HttpResponse {
    serve(&req, &app, "timeline/index.html")
}

pub async fn timeline_file(req: HttpRequest, app: web::Data<App>, path: web::Path<String>) -> HttpResponse {
    serve(&req, &app, &format!("timeline/{path}"))
}

pub async fn map_index(req: HttpRequest, app: web::Data<App>) -> HttpResponse {
    serve(&req, &app, "map/index.html")
}

pub async fn map_file(req: HttpRequest, app: web::Data<App>, path: web::Path<String>) -> HttpResponse {
    serve(&req, &app, &format!("map/{path}"))
}

/// The CJK web font subset that the map, the timeline and GraphiQL share.
pub async fn font_file(req: HttpRequest, app: web::Data<App>, path: web::Path<String>) -> HttpResponse {
    serve(&req, &app, &format!("fonts/{path}"))
}

/// The SDL, for tools that want the file rather than introspection; not
/// there when introspection is off.
pub async fn schema_sdl(req: HttpRequest, app: web::Data<App>) -> HttpResponse {
    match &app.sdl {
        Some((sdl, etag)) => cached(&req, sdl.clone(), "text/plain; charset=utf-8", etag, "no-cache"),
        None => HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("introspection is turned off on this server, and the schema with it"),
    }
}
