/// glibc malloc showed up at ~20% of the proxy's CPU under load; mimalloc does not.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    warden::cli::main()
}
