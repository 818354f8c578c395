//! A template for a wasp guest in Rust (target wasm32-wasip1).
//! Lists the workspace granted at /workspace and writes a summary into it.
use std::{env, fs};

fn main() -> std::io::Result<()> {
    let task = env::var("TASK_ID").unwrap_or_else(|_| "(none)".into());
    println!("task {task}, {} argument(s)", env::args().count() - 1);
    let mut files = 0;
    for entry in fs::read_dir("/workspace")? {
        let entry = entry?;
        println!("found {}", entry.file_name().to_string_lossy());
        files += 1;
    }
    fs::write("/workspace/summary.txt", format!("task {task} saw {files} file(s)\n"))?;
    println!("wrote summary.txt");
    Ok(())
}
