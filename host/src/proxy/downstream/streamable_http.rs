//! Streamable HTTP for agents: `/mcp/{server}` (one server, passed through)
//! and `/mcp` (every server, aggregated).
//!
//! Session era (2025-03-26 … 2025-11-25): `initialize` opens a session whose
//! id is returned in `Mcp-Session-Id`; later POSTs carry it; GET opens the
//! server-initiated stream (resumable with `Last-Event-ID`); DELETE ends it.
//! 2026-07-28: a POST without a session whose `MCP-Protocol-Version` is modern
//! is a stateless request; its `Mcp-Method`/`Mcp-Name` headers must match the
//! body (else 400, -32020) and it is served on a connection shared by all
//! stateless requests. A reply is JSON when the response is the only message,
//! an SSE stream when the server says more first.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine;
use bytes::Bytes;
use futures_util::stream;
use serde_json::Value;

use super::{error_response, forbidden_origin, json_response, read_body, sse_event, sse_headers, unknown_server, upstream_response};
use crate::proxy::jsonrpc::{self, Body as RpcBody, Kind, Message, code};
use crate::proxy::session::{Reply, Session};
use crate::proxy::upstream::streamable_http::{SESSION_HEADER, VERSION_HEADER};
use crate::proxy::upstream::ForwardHeaders;
use crate::proxy::{Proxy, Route};

/// The first protocol revision without sessions.
const STATELESS_ERA: &str = "2026-07-28";
/// Keep-alive comment interval on long-lived streams.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

pub fn routes() -> Router<Arc<Proxy>> {
    Router::new()
        .route("/mcp", post(post_aggregate).get(get_aggregate).delete(delete_aggregate))
        .route("/mcp/{server}", post(post_server).get(get_server).delete(delete_server))
}

async fn post_aggregate(State(proxy): State<Arc<Proxy>>, headers: HeaderMap, body: Body) -> Response {
    handle_post(&proxy, Route::Aggregate, &headers, body).await
}

async fn post_server(State(proxy): State<Arc<Proxy>>, Path(server): Path<String>, headers: HeaderMap, body: Body) -> Response {
    match proxy.route(Some(&server)) {
        Some(route) => handle_post(&proxy, route, &headers, body).await,
        None => unknown_server(&server),
    }
}

async fn get_aggregate(State(proxy): State<Arc<Proxy>>, headers: HeaderMap) -> Response {
    handle_get(&proxy, Route::Aggregate, &headers)
}

async fn get_server(State(proxy): State<Arc<Proxy>>, Path(server): Path<String>, headers: HeaderMap) -> Response {
    match proxy.route(Some(&server)) {
        Some(route) => handle_get(&proxy, route, &headers),
        None => unknown_server(&server),
    }
}

async fn delete_aggregate(State(proxy): State<Arc<Proxy>>, headers: HeaderMap) -> Response {
    handle_delete(&proxy, Route::Aggregate, &headers).await
}

async fn delete_server(State(proxy): State<Arc<Proxy>>, Path(server): Path<String>, headers: HeaderMap) -> Response {
    match proxy.route(Some(&server)) {
        Some(route) => handle_delete(&proxy, route, &headers).await,
        None => unknown_server(&server),
    }
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn is_modern(version: Option<&str>) -> bool {
    version.is_some_and(|v| v >= STATELESS_ERA)
}

/// The session a request names, if it exists on this route.
fn find_session(proxy: &Proxy, route: Route, headers: &HeaderMap) -> Result<Option<Arc<Session>>, Box<Response>> {
    let Some(id) = header_str(headers, SESSION_HEADER) else { return Ok(None) };
    match proxy.session(id) {
        Some(session) if session.route() == route => Ok(Some(session)),
        _ => Err(Box::new(error_response(StatusCode::NOT_FOUND, code::SESSION_NOT_FOUND, "Session not found"))),
    }
}

async fn handle_post(proxy: &Proxy, route: Route, headers: &HeaderMap, body: Body) -> Response {
    if !proxy.request_allowed(headers) {
        return forbidden_origin();
    }
    let raw = match read_body(body, proxy.settings().max_body_bytes).await {
        Ok(raw) => raw,
        Err(response) => return response,
    };
    let parsed = match jsonrpc::parse_body(raw) {
        Ok(parsed) => parsed,
        Err(invalid) => return json_response(StatusCode::BAD_REQUEST, invalid.to_error().raw().clone()),
    };
    let accept = header_str(headers, header::ACCEPT.as_str()).unwrap_or("*/*");
    let sse_ok = accept.contains("text/event-stream") || accept.contains("*/*");
    if !(sse_ok || accept.contains("application/json")) {
        return error_response(StatusCode::NOT_ACCEPTABLE, code::INVALID_REQUEST, "Not Acceptable: accept application/json or text/event-stream");
    }
    let session = match find_session(proxy, route, headers) {
        Ok(session) => session,
        Err(response) => return *response,
    };
    let forward = forward_headers(headers);
    let mut opened = false;
    let session = match session {
        Some(session) => session,
        None => {
            let opens = match &parsed {
                RpcBody::One(m) => m.method() == Some("initialize"),
                RpcBody::Batch(items) => items.iter().flatten().any(|m| m.method() == Some("initialize")),
            };
            let version = header_str(headers, VERSION_HEADER);
            if opens {
                opened = true;
                match proxy.open(route).await {
                    Ok(session) => session,
                    Err(e) => return open_failed(&parsed, e),
                }
            } else if is_modern(version) || matches!(&parsed, RpcBody::One(m) if is_modern(meta_version(m))) {
                if let RpcBody::One(message) = &parsed
                    && let Err(response) = check_modern_headers(headers, message)
                {
                    return *response;
                }
                match proxy.shared(route).await {
                    Ok(session) => session,
                    Err(e) => return open_failed(&parsed, e),
                }
            } else {
                return error_response(StatusCode::BAD_REQUEST, code::UPSTREAM, "Bad Request: Mcp-Session-Id header is required");
            }
        }
    };
    match parsed {
        RpcBody::One(message) if opened => initialize(proxy, &session, message, forward, sse_ok).await,
        RpcBody::One(message) => dispatch(&session, message, forward, sse_ok).await,
        RpcBody::Batch(items) => batch(&session, items, forward).await,
    }
}

/// The reply when the upstream could not be reached for a new session.
fn open_failed(parsed: &RpcBody, error: crate::proxy::upstream::UpstreamError) -> Response {
    if matches!(error, crate::proxy::upstream::UpstreamError::Status { .. } | crate::proxy::upstream::UpstreamError::Capacity(_)) {
        return super::upstream_response(error);
    }
    let id = match parsed {
        RpcBody::One(m) => m.id().cloned().unwrap_or(Value::Null),
        RpcBody::Batch(_) => Value::Null,
    };
    let message = format!("upstream unavailable: {error}");
    json_response(StatusCode::OK, Message::error(&id, code::UPSTREAM, &message, None).raw().clone())
}

async fn dispatch(session: &Arc<Session>, message: Message, forward: ForwardHeaders, sse_ok: bool) -> Response {
    let mut response = match message.kind() {
        Kind::Request => match session.request(message, forward).await {
            Ok(answer) => reply(session, answer, sse_ok).await,
            Err(e) => upstream_response(e),
        },
        _ => match session.deliver(message, &forward).await {
            Ok(()) => StatusCode::ACCEPTED.into_response(),
            Err(e @ crate::proxy::upstream::UpstreamError::Status { .. }) => upstream_response(e),
            Err(e) => {
                tracing::debug!(error = %e, "a client message could not be delivered");
                StatusCode::ACCEPTED.into_response()
            }
        },
    };
    if let Ok(value) = HeaderValue::from_str(&session.id)
        && !is_shared(session)
    {
        response.headers_mut().insert(SESSION_HEADER, value);
    }
    response
}

fn is_shared(session: &Session) -> bool {
    session.id.is_empty() || session.is_stateless()
}

/// JSON when the first thing back is the response; otherwise an SSE stream
/// relaying each message as it arrives, ending with the response.
async fn reply(session: &Arc<Session>, answer: Reply, sse_ok: bool) -> Response {
    let Reply { messages: mut replies, streamed } = answer;
    let Some(first) = replies.recv().await else {
        return error_response(StatusCode::BAD_GATEWAY, code::UPSTREAM, "the upstream ended the request without an answer");
    };
    reply_with(session, first, replies, streamed, sse_ok).await
}

/// The `initialize` that opened `session`: if the server refuses or fails
/// it, the session is closed again (no id is handed out for it).
async fn initialize(proxy: &Proxy, session: &Arc<Session>, message: Message, forward: ForwardHeaders, sse_ok: bool) -> Response {
    let answer = match session.request(message, forward).await {
        Ok(answer) => answer,
        Err(e) => {
            proxy.close(&session.id).await;
            return upstream_response(e);
        }
    };
    let Reply { messages: mut replies, streamed } = answer;
    let first = match replies.recv().await {
        Some(first) if !(first.kind() == Kind::Response && first.is_error()) => first,
        other => {
            proxy.close(&session.id).await;
            return match other {
                Some(error) => json_response(StatusCode::OK, error.raw().clone()),
                None => error_response(StatusCode::BAD_GATEWAY, code::UPSTREAM, "the upstream ended the request without an answer"),
            };
        }
    };
    let mut response = reply_with(session, first, replies, streamed, sse_ok).await;
    if let Ok(value) = HeaderValue::from_str(&session.id) {
        response.headers_mut().insert(SESSION_HEADER, value);
    }
    response
}

async fn reply_with(session: &Arc<Session>, first: Message, mut replies: crate::proxy::upstream::Replies, streamed: bool, sse_ok: bool) -> Response {
    // Answer in the form the server chose (clients and test suites see the difference).
    if first.kind() == Kind::Response && !(streamed && sse_ok) {
        return json_response(StatusCode::OK, first.raw().clone());
    }
    if !sse_ok {
        // A JSON-only client: what comes before the response goes to its GET stream.
        let mut next = Some(first);
        while let Some(message) = next {
            if message.kind() == Kind::Response {
                return json_response(StatusCode::OK, message.raw().clone());
            }
            session.outbox().push(message);
            next = replies.recv().await;
        }
        return error_response(StatusCode::BAD_GATEWAY, code::UPSTREAM, "the upstream ended the request without an answer");
    }
    let events = stream::unfold((Some(first), replies), |(pending, mut replies)| async move {
        let message = match pending {
            Some(m) => m,
            None => replies.recv().await?,
        };
        Some((Ok::<Bytes, std::convert::Infallible>(sse_event(None, "message", &message.line())), (None, replies)))
    });
    (sse_headers(), Body::from_stream(events)).into_response()
}

/// A batch (accepted for clients older than 2025-06-18): responses collected into one array.
async fn batch(session: &Arc<Session>, items: Vec<Result<Message, jsonrpc::Invalid>>, forward: ForwardHeaders) -> Response {
    let mut answers = Vec::new();
    let mut pending = Vec::new();
    for item in items {
        match item {
            Err(invalid) => answers.push(invalid.to_error().value().clone()),
            Ok(message) if message.kind() == Kind::Request => match session.request(message, forward.clone()).await {
                Ok(reply) => pending.push(reply.messages),
                Err(e) => return upstream_response(e),
            },
            Ok(message) => {
                let _ = session.deliver(message, &forward).await;
            }
        }
    }
    for mut replies in pending {
        while let Some(message) = replies.recv().await {
            if message.kind() == Kind::Response {
                answers.push(message.value().clone());
                break;
            }
            session.outbox().push(message);
        }
    }
    let mut response = if answers.is_empty() {
        StatusCode::ACCEPTED.into_response()
    } else {
        json_response(StatusCode::OK, Bytes::from(Value::Array(answers).to_string()))
    };
    if let Ok(value) = HeaderValue::from_str(&session.id) {
        response.headers_mut().insert(SESSION_HEADER, value);
    }
    response
}

/// The GET stream: server-initiated messages of the session, numbered, resumable.
fn handle_get(proxy: &Proxy, route: Route, headers: &HeaderMap) -> Response {
    if !proxy.request_allowed(headers) {
        return forbidden_origin();
    }
    if !header_str(headers, header::ACCEPT.as_str()).is_some_and(|a| a.contains("text/event-stream")) {
        return error_response(StatusCode::NOT_ACCEPTABLE, code::INVALID_REQUEST, "Not Acceptable: the GET stream is text/event-stream");
    }
    let session = match find_session(proxy, route, headers) {
        Ok(Some(session)) => session,
        Ok(None) if is_modern(header_str(headers, VERSION_HEADER)) => {
            return error_response(StatusCode::METHOD_NOT_ALLOWED, code::INVALID_REQUEST, "2026-07-28 has no GET stream; use subscriptions/listen");
        }
        Ok(None) => return error_response(StatusCode::BAD_REQUEST, code::UPSTREAM, "Bad Request: Mcp-Session-Id header is required"),
        Err(response) => return *response,
    };
    let start = header_str(headers, "last-event-id").and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or_else(|| session.outbox().cursor());
    let events = stream::unfold((session, start), |(session, after)| async move {
        let next = tokio::time::timeout(KEEP_ALIVE, session.outbox().next_after(after)).await;
        match next {
            Err(_) => Some((Ok::<Bytes, std::convert::Infallible>(Bytes::from_static(b": keep-alive\n\n")), (session, after))),
            Ok(None) => None,
            Ok(Some((seq, message))) => Some((Ok(sse_event(Some(seq), "message", &message.line())), (session, seq))),
        }
    });
    (sse_headers(), Body::from_stream(events)).into_response()
}

async fn handle_delete(proxy: &Proxy, route: Route, headers: &HeaderMap) -> Response {
    match find_session(proxy, route, headers) {
        Ok(Some(session)) => {
            proxy.close(&session.id).await;
            StatusCode::OK.into_response()
        }
        Ok(None) if is_modern(header_str(headers, VERSION_HEADER)) => {
            error_response(StatusCode::METHOD_NOT_ALLOWED, code::INVALID_REQUEST, "2026-07-28 has no sessions to delete")
        }
        Ok(None) => error_response(StatusCode::BAD_REQUEST, code::UPSTREAM, "Bad Request: Mcp-Session-Id header is required"),
        Err(response) => *response,
    }
}

/// The client headers an upstream Streamable HTTP server must see.
fn forward_headers(headers: &HeaderMap) -> ForwardHeaders {
    let mut out = Vec::new();
    for (name, value) in headers {
        let n = name.as_str();
        if (n == VERSION_HEADER || n == "mcp-method" || n == "mcp-name" || n.starts_with("mcp-param-"))
            && let Ok(v) = value.to_str()
        {
            out.push((n.to_string(), v.to_string()));
        }
    }
    ForwardHeaders(out)
}

fn meta_version(message: &Message) -> Option<&str> {
    message.params()?.get("_meta")?.get("io.modelcontextprotocol/protocolVersion")?.as_str()
}

/// 2026-07-28: the mirrored headers must agree with the body.
fn check_modern_headers(headers: &HeaderMap, message: &Message) -> Result<(), Box<Response>> {
    let id = message.id().cloned().unwrap_or(Value::Null);
    let mismatch = |why: String| {
        let error = Message::error(&id, code::HEADER_MISMATCH, &format!("Header mismatch: {why}"), None);
        Box::new(json_response(StatusCode::BAD_REQUEST, error.raw().clone()))
    };
    if message.kind() != Kind::Request {
        return Ok(());
    }
    let version = header_str(headers, VERSION_HEADER);
    match (version, meta_version(message)) {
        (None, _) => return Err(mismatch("MCP-Protocol-Version header is missing".into())),
        (Some(h), Some(b)) if h != b => {
            return Err(mismatch(format!("MCP-Protocol-Version header value '{h}' does not match body value '{b}'")));
        }
        _ => {}
    }
    let method = message.method().unwrap_or_default();
    match header_str(headers, "mcp-method") {
        None => return Err(mismatch("Mcp-Method header is missing".into())),
        Some(h) if h != method => return Err(mismatch(format!("Mcp-Method header value '{h}' does not match body value '{method}'"))),
        _ => {}
    }
    if matches!(method, "tools/call" | "resources/read" | "prompts/get") {
        let body = message.target_name().unwrap_or_default();
        match header_str(headers, "mcp-name").map(decode_header_value) {
            None => return Err(mismatch("Mcp-Name header is missing".into())),
            Some(None) => return Err(mismatch("Mcp-Name header is not valid base64".into())),
            Some(Some(h)) if h != body => return Err(mismatch(format!("Mcp-Name header value '{h}' does not match body value '{body}'"))),
            _ => {}
        }
    }
    Ok(())
}

/// Decodes the `=?base64?…?=` sentinel form; plain values are returned as they are.
pub fn decode_header_value(value: &str) -> Option<String> {
    match value.strip_prefix("=?base64?").and_then(|v| v.strip_suffix("?=")) {
        Some(encoded) => {
            let bytes = base64::engine::general_purpose::STANDARD.decode(encoded).ok()?;
            String::from_utf8(bytes).ok()
        }
        None => Some(value.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_sentinel_values_are_decoded() {
        assert_eq!(decode_header_value("=?base64?SGVsbG8sIOS4lueVjA==?=").as_deref(), Some("Hello, 世界"));
        assert_eq!(decode_header_value("us-west1").as_deref(), Some("us-west1"));
        assert_eq!(decode_header_value("=?base64?***?="), None);
    }

    #[test]
    fn headers_must_match_the_body() {
        let message = Message::parse(Bytes::from_static(
            br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_weather","_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}"#,
        ))
        .unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("mcp-protocol-version", HeaderValue::from_static("2026-07-28"));
        headers.insert("mcp-method", HeaderValue::from_static("tools/call"));
        headers.insert("mcp-name", HeaderValue::from_static("get_weather"));
        assert!(check_modern_headers(&headers, &message).is_ok());
        headers.insert("mcp-name", HeaderValue::from_static("other"));
        assert_eq!(check_modern_headers(&headers, &message).unwrap_err().status(), StatusCode::BAD_REQUEST);
        headers.insert("mcp-name", HeaderValue::from_static("get_weather"));
        headers.insert("mcp-method", HeaderValue::from_static("tools/list"));
        assert!(check_modern_headers(&headers, &message).is_err());
    }
}
