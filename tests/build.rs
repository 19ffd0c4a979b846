//! Builds the test plugins of `tests/plugins` for wasm32-wasip2.



use std::path::Path;

include!("../host/build/wasm.rs");

const TEST_PLUGINS: &[&str] = &["hostile", "canary", "deny_flagged", "wrong_world"];

fn main() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = tests.join("plugins");
    let target_dir = tests.parent().expect("tests/ lives in the workspace root").join("target").join("test-plugins");
    println!("cargo:rerun-if-changed={}", workspace.display());
    println!("cargo:rerun-if-changed={}", tests.parent().unwrap_or(tests).join("sdk").display());
    println!("cargo:rerun-if-changed={}", tests.parent().unwrap_or(tests).join("wit").display());
    for package in TEST_PLUGINS {
        let wasm = build_wasm_plugin(&workspace, package, &target_dir, &[]);
        let var = format!("WARDEN_TEST_PLUGIN_{}", package.to_uppercase());
        println!("cargo:rustc-env={var}={}", wasm.display());
    }
    // The example custom policy of the repository's own workspace.
    let repo = tests.parent().unwrap_or(tests);
    let example = repo.join("policies").join("examples").join("deny-writes-after-secret");
    println!("cargo:rerun-if-changed={}", example.display());
    let wasm = build_wasm_plugin(repo, "deny-writes-after-secret", &target_dir.join("examples"), &[]);
    println!("cargo:rustc-env=WARDEN_EXAMPLE_DENY_WRITES_AFTER_SECRET={}", wasm.display());
}
