//! Compiles the built-in plugins to Wasm components and embeds them
//! (see `src/pipeline/builtin.rs`).



use std::path::Path;

include!("build/wasm.rs");

/// Built-in plugin crates, in the default pipeline order (injection first).
const BUILTINS: &[&str] = &[
    "warden-detector-injection",
    "warden-detector-poisoning",
    "warden-detector-pii",
    "warden-detector-secrets",
    "warden-detector-rugpull",
    "warden-policy-engine",
];

fn main() {
    let host = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = host.parent().expect("host/ lives in the workspace root");
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let target_dir = workspace.join("target").join("plugins");

    for dir in ["sdk", "wit", "detectors", "policies/engine"] {
        println!("cargo:rerun-if-changed={}", workspace.join(dir).display());
    }

    let mut table = String::from("/// (crate name, component bytes), in default pipeline order.\npub const BUILTIN_PLUGINS: &[(&str, &[u8])] = &[\n");
    for package in BUILTINS {
        let wasm = build_wasm_plugin(workspace, package, &target_dir, &[]);
        let embedded = out_dir.join(format!("{package}.wasm"));
        std::fs::copy(&wasm, &embedded).expect("copy plugin into OUT_DIR");
        table.push_str(&format!("    ({package:?}, include_bytes!({:?})),\n", embedded.display().to_string()));
    }
    table.push_str("];\n");
    std::fs::write(out_dir.join("builtin_plugins.rs"), table).expect("write builtin_plugins.rs");
}
