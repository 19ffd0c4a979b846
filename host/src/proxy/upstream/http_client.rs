//! The HTTP client of one upstream server: rustls with the public web roots
//! plus an optional CA file, an optional client certificate (mTLS), and
//! connection pooling shared by all of the server's sessions.

use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::UpstreamError;
use crate::config::ServerConfig;

/// Makes ring the process's rustls provider, for HTTP clients built without
/// an explicit TLS configuration. Idempotent.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Builds the client for `server` (HTTP transports only).
pub fn build_client(server: &ServerConfig) -> Result<reqwest::Client, UpstreamError> {
    let tls_error = |what: &str, e: &dyn std::fmt::Display| UpstreamError::Config(format!("server `{}`: {what}: {e}", server.name));
    let mut roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    if let Some(ca) = &server.tls.ca_file {
        let certs = CertificateDer::pem_file_iter(ca)
            .map_err(|e| tls_error(&format!("reading {}", ca.display()), &e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| tls_error(&format!("reading {}", ca.display()), &e))?;
        if certs.is_empty() {
            return Err(UpstreamError::Config(format!("server `{}`: {} holds no certificate", server.name, ca.display())));
        }
        for cert in certs {
            roots.add(cert).map_err(|e| tls_error(&format!("adding a CA of {}", ca.display()), &e))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_error("protocol versions", &e))?
        .with_root_certificates(roots);
    let mut tls = match (&server.tls.client_cert, &server.tls.client_key) {
        (Some(cert), Some(key)) => {
            let chain = CertificateDer::pem_file_iter(cert)
                .map_err(|e| tls_error(&format!("reading {}", cert.display()), &e))?
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| tls_error(&format!("reading {}", cert.display()), &e))?;
            let key = PrivateKeyDer::from_pem_file(key).map_err(|e| tls_error(&format!("reading {}", key.display()), &e))?;
            builder.with_client_auth_cert(chain, key).map_err(|e| tls_error("client certificate", &e))?
        }
        _ => builder.with_no_client_auth(),
    };
    tls.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let mut headers = reqwest::header::HeaderMap::new();
    for (name, value) in &server.headers {
        let name = reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|e| tls_error(&format!("header `{name}`"), &e))?;
        let value = reqwest::header::HeaderValue::from_str(value).map_err(|e| tls_error(&format!("value of header `{name}`"), &e))?;
        headers.insert(name, value);
    }
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .default_headers(headers)
        .connect_timeout(server.timeout())
        .pool_max_idle_per_host(256)
        .tcp_nodelay(true)
        .build()
        .map_err(|e| tls_error("building the HTTP client", &e))
}
