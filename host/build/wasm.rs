// Builds plugin crates for wasm32-wasip2 from a build script (shared by the
// host's build.rs and the test suite's; included with `include!`).
//
// The pattern of wasmtime's test-programs artifacts: run cargo again with its
// own target dir (no lock contention with the outer build) and the outer
// build's CARGO_*/RUSTFLAGS variables removed, so `cargo run` and
// `cargo test` need no separate step.

use std::path::PathBuf;
use std::process::Command;

/// Builds `package` (a crate in the workspace rooted at `workspace`) and returns
/// the path of its `.wasm` component.
fn build_wasm_plugin(workspace: &std::path::Path, package: &str, target_dir: &std::path::Path, extra_args: &[&str]) -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(workspace)
        .args(["build", "--quiet", "--target", "wasm32-wasip2", "--profile", "plugin", "-p", package])
        .args(extra_args)
        .arg("--target-dir")
        .arg(target_dir);
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if (key.starts_with("CARGO") && key != "CARGO_HOME" && key != "CARGO_NET_OFFLINE")
            || key == "RUSTFLAGS"
            || key.starts_with("RUSTC")
        {
            cmd.env_remove(key.as_ref());
        }
    }
    // SIMD roughly halves regex scanning time in the guest (see docs/benchmarks.md).
    cmd.env("CARGO_ENCODED_RUSTFLAGS", "-Ctarget-feature=+simd128");
    let status = cmd.status().unwrap_or_else(|e| panic!("cannot run cargo to build {package}: {e}"));
    assert!(
        status.success(),
        "building plugin {package} for wasm32-wasip2 failed (is the target installed? `rustup target add wasm32-wasip2`)"
    );
    let file = format!("{}.wasm", package.replace('-', "_"));
    let path = target_dir.join("wasm32-wasip2").join("plugin").join(file);
    assert!(path.exists(), "{} was not produced", path.display());
    path
}
