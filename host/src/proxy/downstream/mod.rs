//! Downstream transports: how agents reach Warden.
//!
//! - [`streamable_http`]: `/mcp/{server}` and the aggregated `/mcp`, both eras.
//! - [`sse`]: legacy HTTP+SSE, `/sse/{server}` and `/sse`.
//! - [`stdio`]: `warden stdio`, for clients that launch Warden as a process.

pub mod sse;
pub mod stdio;
pub mod streamable_http;

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use super::Proxy;
use super::jsonrpc::{Message, code};
use super::upstream::UpstreamError;

/// The MCP routes (Streamable HTTP and legacy SSE), ready to merge into the gateway's router.
pub fn routes(proxy: Arc<Proxy>) -> Router {
    streamable_http::routes().merge(sse::routes()).with_state(proxy)
}

/// A JSON body with a status.
pub(crate) fn json_response(status: StatusCode, body: Bytes) -> Response {
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response()
}

/// A JSON-RPC error (id null) with an HTTP status.
pub(crate) fn error_response(status: StatusCode, code: i64, message: &str) -> Response {
    json_response(status, Message::error(&serde_json::Value::Null, code, message, None).raw().clone())
}

/// 404 for `/mcp/{name}` when no server has that name.
pub(crate) fn unknown_server(name: &str) -> Response {
    error_response(StatusCode::NOT_FOUND, code::INVALID_REQUEST, &format!("unknown server `{name}`"))
}

/// An upstream HTTP error passed through as it came; other errors as 502.
pub(crate) fn upstream_response(error: UpstreamError) -> Response {
    match error {
        UpstreamError::Status { status, content_type, body } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
            let mut response = (status, body).into_response();
            if let Some(value) = content_type.and_then(|c| HeaderValue::from_str(&c).ok()) {
                response.headers_mut().insert(header::CONTENT_TYPE, value);
            }
            response
        }
        UpstreamError::Capacity(why) => error_response(StatusCode::SERVICE_UNAVAILABLE, code::UPSTREAM, &why),
        other => error_response(StatusCode::BAD_GATEWAY, code::UPSTREAM, &format!("upstream unavailable: {other}")),
    }
}

/// DNS-rebinding protection: a browser `Origin` must be loopback or listed.
pub(crate) fn origin_allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else { return true };
    if allowed.iter().any(|a| a == origin) {
        return true;
    }
    let Ok(url) = reqwest::Url::parse(origin) else { return false };
    matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]" | "::1"))
}

/// The `Host` (without port) is a loopback name or listed. A request without
/// `Host` (HTTP/2 carries `:authority`, which hyper maps to the URI) passes.
pub(crate) fn host_allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else { return true };
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, port)| if port.bytes().all(|b| b.is_ascii_digit()) { name } else { host }),
    };
    let name = name.to_ascii_lowercase();
    matches!(name.as_str(), "localhost" | "127.0.0.1" | "::1") || allowed.iter().any(|a| a.eq_ignore_ascii_case(&name))
}

pub(crate) fn forbidden_origin() -> Response {
    error_response(StatusCode::FORBIDDEN, code::INVALID_REQUEST, "Forbidden: this Origin or Host may not use the gateway")
}

/// One SSE event carrying a message, optionally with an id.
pub(crate) fn sse_event(id: Option<u64>, event: &str, data: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(data.len() + 48);
    if let Some(id) = id {
        out.extend_from_slice(format!("id: {id}\n").as_bytes());
    }
    out.extend_from_slice(b"event: ");
    out.extend_from_slice(event.as_bytes());
    out.extend_from_slice(b"\ndata: ");
    out.extend_from_slice(data);
    out.extend_from_slice(b"\n\n");
    Bytes::from(out)
}

/// Headers of an SSE response: no caching, no proxy buffering.
pub(crate) fn sse_headers() -> [(header::HeaderName, HeaderValue); 3] {
    [
        (header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream")),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        (header::HeaderName::from_static("x-accel-buffering"), HeaderValue::from_static("no")),
    ]
}

/// Reads a body up to `limit` bytes; `Err` is the 413 response.
pub(crate) async fn read_body(body: axum::body::Body, limit: usize) -> Result<Bytes, Response> {
    axum::body::to_bytes(body, limit).await.map_err(|_| {
        error_response(StatusCode::PAYLOAD_TOO_LARGE, code::INVALID_REQUEST, &format!("the body is larger than {limit} bytes"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(name: header::HeaderName, value: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, HeaderValue::from_static(value));
        h
    }

    #[test]
    fn loopback_and_listed_hosts_pass_others_are_rebinding() {
        for ok in ["localhost:8080", "127.0.0.1", "[::1]:80", "LocalHost"] {
            assert!(host_allowed(&headers(header::HOST, ok), &[]), "{ok}");
        }
        assert!(!host_allowed(&headers(header::HOST, "evil.example:8080"), &[]));
        assert!(host_allowed(&headers(header::HOST, "gateway.internal:443"), &["gateway.internal".into()]));
        assert!(host_allowed(&HeaderMap::new(), &[]));
    }

    #[test]
    fn loopback_and_listed_origins_pass() {
        assert!(origin_allowed(&headers(header::ORIGIN, "http://localhost:6274"), &[]));
        assert!(!origin_allowed(&headers(header::ORIGIN, "https://evil.example"), &[]));
        assert!(origin_allowed(&headers(header::ORIGIN, "https://app.example"), &["https://app.example".into()]));
        assert!(origin_allowed(&HeaderMap::new(), &[]));
    }
}
