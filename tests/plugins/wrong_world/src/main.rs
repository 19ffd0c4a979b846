//! A valid Wasm component of the wrong world: a WASI command (`wasi:cli/run`),
//! not a Warden plugin. The host must refuse it with a clear message.
fn main() {
    println!("I am not a Warden plugin");
}
