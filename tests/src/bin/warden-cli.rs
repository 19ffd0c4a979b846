//! The `warden` command, built inside the test crate so end-to-end tests can
//! run it as a real process (`CARGO_BIN_EXE_warden-cli`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    warden::cli::main()
}
