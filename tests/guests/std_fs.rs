//! Uses Rust's std::fs broadly and prints what it saw, so that a wasm32-wasi build under
//! wasp can be compared line for line with a native build of this same file. The first
//! argument is an empty directory to work in; nothing printed depends on its name.
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

/// (name, Linux errno, WASI errno): std on wasm32-wasi maps fewer errnos to an ErrorKind than
/// std on Linux does, so errors are printed by errno name.
const ERRNOS: [(&str, i32, i32); 9] = [
    ("EEXIST", 17, 20),
    ("EINVAL", 22, 28),
    ("EISDIR", 21, 31),
    ("ENOENT", 2, 44),
    ("ENOTDIR", 20, 54),
    ("ENOTEMPTY", 39, 55),
    ("EPERM", 1, 63),
    ("EACCES", 13, 2),
    ("EXDEV", 18, 75),
];

fn errname(e: &io::Error) -> String {
    let wasi = cfg!(target_os = "wasi");
    let code = e.raw_os_error();
    ERRNOS
        .iter()
        .find(|(_, linux, w)| code == Some(if wasi { *w } else { *linux }))
        .map(|(name, _, _)| name.to_string())
        .unwrap_or_else(|| format!("{:?}", e.kind()))
}

fn report<T>(label: &str, r: io::Result<T>) -> Option<T> {
    match r {
        Ok(v) => {
            println!("{label} ok");
            Some(v)
        }
        Err(e) => {
            println!("{label} err {}", errname(&e));
            None
        }
    }
}

fn listing(label: &str, dir: &Path) {
    let mut names: Vec<String> = match fs::read_dir(dir) {
        Ok(rd) => rd
            .map(|e| {
                let e = e.unwrap();
                let t = e.file_type().unwrap();
                let kind = if t.is_dir() { "/" } else if t.is_symlink() { "@" } else { "" };
                format!("{}{kind}", e.file_name().to_string_lossy())
            })
            .collect(),
        Err(e) => {
            println!("{label} err {}", errname(&e));
            return;
        }
    };
    names.sort();
    println!("{label} [{}]", names.join(" "));
}

fn meta(label: &str, path: &Path) {
    match fs::metadata(path) {
        Ok(m) => println!(
            "{label} dir={} file={} len={} readonly={} modified={}",
            m.is_dir(),
            m.is_file(),
            if m.is_file() { m.len() } else { 0 },
            m.permissions().readonly(),
            m.modified().is_ok()
        ),
        Err(e) => println!("{label} err {}", errname(&e)),
    }
}

fn main() {
    let root = std::env::args().nth(1).expect("usage: std_fs <empty dir>");
    let root = Path::new(&root);
    let p = |rel: &str| root.join(rel);

    report("create_dir_all", fs::create_dir_all(p("a/b/c")));
    report("create_dir_all_again", fs::create_dir_all(p("a/b/c")));
    report("create_dir_exists", fs::create_dir(p("a/b")));
    report("create_dir_missing_parent", fs::create_dir(p("x/y")));
    report("write", fs::write(p("a/b/c/file.txt"), b"hello world\n"));
    report("read_to_string", fs::read_to_string(p("a/b/c/file.txt"))).map(|s| print!("{s}"));
    meta("meta_file", &p("a/b/c/file.txt"));
    meta("meta_dir", &p("a/b"));
    meta("meta_missing", &p("nope"));
    for i in 0..30 {
        fs::write(p(&format!("a/many-{i:02}.txt")), format!("{i}")).unwrap();
    }
    listing("read_dir_a", &p("a"));

    let mut f = report(
        "open_rw",
        OpenOptions::new().read(true).write(true).create(true).open(p("seek.bin")),
    )
    .unwrap();
    f.write_all(b"0123456789").unwrap();
    println!("seek_start {}", f.seek(SeekFrom::Start(2)).unwrap());
    let mut buf = [0u8; 3];
    f.read_exact(&mut buf).unwrap();
    println!("read_after_seek {}", String::from_utf8_lossy(&buf));
    println!("seek_current {}", f.seek(SeekFrom::Current(-1)).unwrap());
    println!("seek_end {}", f.seek(SeekFrom::End(4)).unwrap());
    f.write_all(b"!").unwrap();
    println!("len_after_hole {}", f.metadata().unwrap().len());
    report("seek_before_start", f.seek(SeekFrom::Current(-100)));
    report("set_len_shrink", f.set_len(4));
    println!("len_after_shrink {}", f.metadata().unwrap().len());
    report("set_len_grow", f.set_len(7));
    let mut all = Vec::new();
    f.seek(SeekFrom::Start(0)).unwrap();
    f.read_to_end(&mut all).unwrap();
    println!("contents {:?}", all);
    report("sync_all", f.sync_all());
    report("sync_data", f.sync_data());
    drop(f);

    let mut log = OpenOptions::new().append(true).create(true).open(p("log.txt")).unwrap();
    log.write_all(b"one\n").unwrap();
    log.write_all(b"two\n").unwrap();
    drop(log);
    let mut log = OpenOptions::new().append(true).open(p("log.txt")).unwrap();
    log.write_all(b"three\n").unwrap();
    drop(log);
    print!("{}", fs::read_to_string(p("log.txt")).unwrap());
    report("truncate_open", File::create(p("log.txt")));
    meta("meta_truncated", &p("log.txt"));

    fs::write(p("old.txt"), "old").unwrap();
    fs::write(p("new.txt"), "new").unwrap();
    report("rename_over", fs::rename(p("old.txt"), p("new.txt")));
    println!("renamed {:?}", fs::read_to_string(p("new.txt")).ok());
    report("rename_missing", fs::rename(p("old.txt"), p("other.txt")));
    report("rename_dir", fs::rename(p("a/b"), p("moved")));
    report("rename_dir_into_itself", fs::rename(p("moved"), p("moved/c/inner")));
    report("copy", fs::copy(p("new.txt"), p("copy.txt"))).map(|n| println!("copied {n}"));
    report("hard_link", fs::hard_link(p("copy.txt"), p("linked.txt")));
    report("hard_link_exists", fs::hard_link(p("copy.txt"), p("linked.txt")));
    report("remove_file", fs::remove_file(p("copy.txt")));
    println!("link_survives {:?}", fs::read_to_string(p("linked.txt")).ok());
    report("remove_file_missing", fs::remove_file(p("copy.txt")));
    report("remove_dir_nonempty", fs::remove_dir(p("moved")));
    report("remove_file_on_dir", fs::remove_file(p("moved")));
    report("open_dir_as_file_write", OpenOptions::new().write(true).open(p("moved")));
    report("read_dir_on_file", fs::read_dir(p("new.txt")));
    report("symlink_metadata", fs::symlink_metadata(p("linked.txt")))
        .map(|m| println!("symlink_metadata is_symlink={}", m.file_type().is_symlink()));
    report("remove_dir_all", fs::remove_dir_all(p("moved")));
    report("remove_dir_all_again", fs::remove_dir_all(p("moved")));
    report("remove_dir_all_a", fs::remove_dir_all(p("a")));
    listing("final", root);
}
