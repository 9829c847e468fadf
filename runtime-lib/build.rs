// The examples are stand-ins for compiled programs: linked like pyaot links
// them, without the C runtime (the runtime provides `_start`).
fn main() {
    for arg in ["-nostartfiles", "-nostdlib", "-static", "-no-pie"] {
        println!("cargo:rustc-link-arg-examples={arg}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
