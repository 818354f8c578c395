//! workspace-write in Rust: creates (or replaces) agent-note.txt in the first granted
//! directory (preopen fd 3) and prints "written", like wasp's built-in sample of the same
//! name. Exits 1 with a message on stderr when it cannot. No dependencies; build with
//! `cargo build --release --target wasm32-wasi`.
use std::process::exit;

#[link(wasm_import_module = "wasi_snapshot_preview1")]
extern "C" {
    fn fd_prestat_get(fd: u32, prestat: *mut u32) -> u16;
    fn fd_prestat_dir_name(fd: u32, path: *mut u8, len: u32) -> u16;
}

/// The guest path of the first preopened directory (fd 3), if there is one.
fn workspace() -> Option<String> {
    let mut prestat = [0u32; 2];
    // SAFETY: both calls write only inside the buffers handed to them.
    if unsafe { fd_prestat_get(3, prestat.as_mut_ptr()) } != 0 {
        return None;
    }
    let mut name = vec![0u8; prestat[1] as usize];
    if unsafe { fd_prestat_dir_name(3, name.as_mut_ptr(), prestat[1]) } != 0 {
        return None;
    }
    String::from_utf8(name).ok()
}

fn main() {
    let note = "note left by the wasp sample workspace-write\n";
    let written = workspace().map(|dir| std::fs::write(format!("{dir}/agent-note.txt"), note));
    match written {
        Some(Ok(())) => println!("written"),
        _ => {
            eprintln!("workspace-write: cannot write agent-note.txt; grant a writable workspace");
            exit(1);
        }
    }
}
