//! TLS upstreams: Warden trusts a private CA from `tls.ca-file` and presents a
//! client certificate (`tls.client-cert`/`client-key`) to a server that
//! requires one; without them the connection fails with an error naming the
//! cause. Certificates are made by `openssl` for each run.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use warden_tests::peers::{Gateway, Process, client, free_port, peers_dir, python, wait_for_port};

const BIN: &str = env!("CARGO_BIN_EXE_warden-cli");

fn openssl(dir: &Path, args: &[&str]) {
    let status = Command::new("openssl").args(args).current_dir(dir).stdout(Stdio::null()).stderr(Stdio::null()).status();
    assert!(status.is_ok_and(|s| s.success()), "openssl {args:?} failed (is openssl installed?)");
}

/// A CA, a server certificate for localhost/127.0.0.1 and a client certificate, all signed by the CA.
fn make_certificates(dir: &Path) {
    openssl(dir, &["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=warden-test-ca"]);
    std::fs::write(dir.join("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n").expect("ext file");
    std::fs::write(dir.join("client.ext"), "extendedKeyUsage=clientAuth\n").expect("ext file");
    for name in ["server", "client"] {
        openssl(dir, &["req", "-newkey", "rsa:2048", "-nodes", "-keyout", &format!("{name}.key"), "-out", &format!("{name}.csr"), "-subj", &format!("/CN=warden-test-{name}")]);
        let mut sign = vec!["x509", "-req", "-in", &*format!("{name}.csr")].into_iter().map(String::from).collect::<Vec<_>>();
        sign.extend(["-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-out"].map(String::from));
        sign.push(format!("{name}.pem"));
        sign.extend(["-extfile".to_string(), format!("{name}.ext")]);
        openssl(dir, &sign.iter().map(String::as_str).collect::<Vec<_>>());
    }
}

#[test]
fn a_tls_upstream_with_a_private_ca_and_client_certificates() {
    let certs = tempfile::tempdir().expect("temp dir");
    let dir = certs.path();
    make_certificates(dir);
    let port = free_port();
    let child = Command::new(python())
        .arg(peers_dir().join("tls_server.py"))
        .arg(port.to_string())
        .args([dir.join("server.pem"), dir.join("server.key"), dir.join("ca.pem")])
        .current_dir(peers_dir())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python runs");
    let _server = Process(child);
    assert!(wait_for_port(port, Duration::from_secs(20)), "the TLS server did not listen");

    let url = format!("https://localhost:{port}/mcp");
    let entry = |name: &str, tls: &str| format!("  - name: {name}\n    transport: streamable-http\n    url: {url}\n    timeout-ms: 5000\n{tls}");
    let ca = dir.join("ca.pem").display().to_string();
    let mtls = format!(
        "    tls:\n      ca-file: {ca}\n      client-cert: {}\n      client-key: {}\n",
        dir.join("client.pem").display(),
        dir.join("client.key").display()
    );
    let servers = [entry("mtls", &mtls), entry("no-client-cert", &format!("    tls:\n      ca-file: {ca}\n")), entry("untrusted", "")];
    let gateway = Gateway::start(BIN.as_ref(), &servers, "", &[]);

    let ok = client(&["--url", &gateway.url("/mcp/mtls"), "--scenario", "call", "--tool", "whoami"]);
    assert!(ok["call"]["text"].as_str().unwrap_or_default().starts_with("pid "), "{ok}\n{}", gateway.log());

    for (server, cause) in [("untrusted", "invalid peer certificate"), ("no-client-cert", "peer closed connection")] {
        let failed = client(&["--url", &gateway.url(&format!("/mcp/{server}")), "--scenario", "tools"]);
        assert!(failed["connect_error"].as_str().is_some_and(|e| !e.is_empty()), "{server}: the connection must fail: {failed}");
        let log = gateway.log();
        let line = log.lines().find(|l| l.contains("upstream request failed") && l.contains(&format!("server={server}"))).unwrap_or_default();
        assert!(line.contains(&format!("https://localhost:{port}/mcp")) && line.contains(cause), "{server}: the log names the upstream and why ({cause})\n{log}");
    }
}
