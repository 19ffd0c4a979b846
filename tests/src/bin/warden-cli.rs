//! The `warden` command, built inside the test crate so end-to-end tests can
//! run it as a real process (`CARGO_BIN_EXE_warden-cli`).
fn main() -> std::process::ExitCode {
    warden::cli::main()
}
