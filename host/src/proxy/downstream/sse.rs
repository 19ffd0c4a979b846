//! Legacy HTTP+SSE (2024-11-05) for old agents: `GET /sse/{server}` (or
//! `/sse` for every server) opens a session and an event stream whose first
//! `endpoint` event names where to POST; every reply arrives on the stream.
//! The session ends when the stream is closed.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bytes::Bytes;
use futures_util::stream;
use serde::Deserialize;

use super::{error_response, forbidden_origin, json_response, read_body, sse_event, sse_headers, unknown_server, upstream_response};
use crate::proxy::jsonrpc::{self, Body as RpcBody, Kind, Message, code};
use crate::proxy::session::Session;
use crate::proxy::upstream::ForwardHeaders;
use crate::proxy::{Proxy, Route};

const KEEP_ALIVE: Duration = Duration::from_secs(15);

pub fn routes() -> Router<Arc<Proxy>> {
    Router::new()
        .route("/sse", get(open_aggregate))
        .route("/message", post(message_aggregate))
        .route("/sse/{server}", get(open_server))
        .route("/sse/{server}/message", post(message_server))
}

#[derive(Deserialize)]
struct SessionQuery {
    #[serde(rename = "sessionId")]
    session_id: String,
}

async fn open_aggregate(State(proxy): State<Arc<Proxy>>, headers: HeaderMap) -> Response {
    open(proxy, Route::Aggregate, "/message".to_string(), &headers).await
}

async fn open_server(State(proxy): State<Arc<Proxy>>, Path(server): Path<String>, headers: HeaderMap) -> Response {
    match proxy.route(Some(&server)) {
        Some(route) => open(proxy, route, format!("/sse/{server}/message"), &headers).await,
        None => unknown_server(&server),
    }
}

/// Closes the session when the event stream is dropped (the client went away).
struct StreamGuard {
    proxy: Arc<Proxy>,
    id: String,
}

impl Drop for StreamGuard {
    fn drop(&mut self) {
        let proxy = Arc::clone(&self.proxy);
        let id = std::mem::take(&mut self.id);
        tokio::spawn(async move {
            proxy.close(&id).await;
        });
    }
}

async fn open(proxy: Arc<Proxy>, route: Route, endpoint: String, headers: &HeaderMap) -> Response {
    if !proxy.request_allowed(headers) {
        return forbidden_origin();
    }
    let session = match proxy.open(route).await {
        Ok(session) => session,
        Err(e) => return upstream_response(e),
    };
    let endpoint = format!("{endpoint}?sessionId={}", session.id);
    let first = sse_event(None, "endpoint", endpoint.as_bytes());
    let guard = StreamGuard { proxy, id: session.id.clone() };
    let cursor = session.outbox().cursor();
    let events = stream::once(async move { Ok::<Bytes, std::convert::Infallible>(first) }).chain(stream::unfold(
        (session, cursor, guard),
        |(session, after, guard)| async move {
            match tokio::time::timeout(KEEP_ALIVE, session.outbox().next_after(after)).await {
                Err(_) => Some((Ok(Bytes::from_static(b": keep-alive\n\n")), (session, after, guard))),
                Ok(None) => None,
                Ok(Some((seq, message))) => Some((Ok(sse_event(None, "message", &message.line())), (session, seq, guard))),
            }
        },
    ));
    (sse_headers(), Body::from_stream(events)).into_response()
}

async fn message_aggregate(State(proxy): State<Arc<Proxy>>, Query(query): Query<SessionQuery>, headers: HeaderMap, body: Body) -> Response {
    message(&proxy, Route::Aggregate, &query.session_id, &headers, body).await
}

async fn message_server(
    State(proxy): State<Arc<Proxy>>,
    Path(server): Path<String>,
    Query(query): Query<SessionQuery>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    match proxy.route(Some(&server)) {
        Some(route) => message(&proxy, route, &query.session_id, &headers, body).await,
        None => unknown_server(&server),
    }
}

async fn message(proxy: &Proxy, route: Route, session_id: &str, headers: &HeaderMap, body: Body) -> Response {
    if !proxy.request_allowed(headers) {
        return forbidden_origin();
    }
    let session = match proxy.session(session_id) {
        Some(session) if session.route() == route => session,
        _ => return error_response(StatusCode::NOT_FOUND, code::SESSION_NOT_FOUND, "Session not found"),
    };
    let raw = match read_body(body, proxy.settings().max_body_bytes).await {
        Ok(raw) => raw,
        Err(response) => return response,
    };
    match jsonrpc::parse_body(raw) {
        Ok(RpcBody::One(message)) => {
            accept(&session, message).await;
        }
        Ok(RpcBody::Batch(items)) => {
            for item in items {
                match item {
                    Ok(message) => {
                        accept(&session, message).await;
                    }
                    Err(invalid) => session.outbox().push(invalid.to_error()),
                }
            }
        }
        Err(invalid) => return json_response(StatusCode::BAD_REQUEST, invalid.to_error().raw().clone()),
    }
    (StatusCode::ACCEPTED, "Accepted").into_response()
}

/// Takes one message; its replies go onto the session's event stream.
async fn accept(session: &Arc<Session>, message: Message) -> Response {
    if message.kind() != Kind::Request {
        if let Err(e) = session.deliver(message, &ForwardHeaders::default()).await {
            tracing::debug!(error = %e, "a client message could not be delivered");
        }
        return StatusCode::ACCEPTED.into_response();
    }
    let id = message.id().cloned().unwrap_or(serde_json::Value::Null);
    match session.request(message, ForwardHeaders::default()).await {
        Ok(reply) => {
            let mut replies = reply.messages;
            let session = Arc::clone(session);
            tokio::spawn(async move {
                while let Some(reply) = replies.recv().await {
                    session.outbox().push(reply);
                }
            });
        }
        Err(e) => session.outbox().push(Message::error(&id, code::UPSTREAM, &format!("upstream error: {e}"), None)),
    }
    StatusCode::ACCEPTED.into_response()
}

use futures_util::StreamExt;
