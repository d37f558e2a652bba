//! Property: whatever the bytes, reading them from a file, from a pipe (a process
//! substitution) and from stdin gives the same graph, or the same error.

use std::path::Path;
use std::process::Output;

use proptest::prelude::*;

mod common;
use common::{bash, stderr};

/// Runs `stats --json` on `path` through `route` (`file`, `pipe` or `stdin`) with `flags`.
fn stats(path: &Path, route: &str, flags: &str) -> Output {
    let p = path.display();
    let script = match route {
        "file" => format!("$CLOUT stats --json {flags} '{p}'"),
        "pipe" => format!("$CLOUT stats --json {flags} <(cat '{p}')"),
        _ => format!("cat '{p}' | $CLOUT stats --json {flags} -"),
    };
    bash(&script)
}

/// What must agree across routes: the exit code, the graph's statistics without the names,
/// and the messages with the input's name replaced.
fn outcome(o: &Output, name_of: &[&str]) -> (Option<i32>, serde_json::Value, String) {
    let mut stats = serde_json::from_slice(&o.stdout).unwrap_or(serde_json::Value::Null);
    if let Some(map) = stats.as_object_mut() {
        for key in ["file", "provenance", "load_seconds"] {
            map.remove(key);
        }
    }
    let mut err = stderr(o);
    for name in name_of {
        err = err.replace(name, "INPUT");
    }
    // A process substitution is /dev/fd/N for some N.
    while let Some(at) = err.find("/dev/fd/") {
        let digits = err[at + 8..].bytes().take_while(u8::is_ascii_digit).count();
        err.replace_range(at..at + 8 + digits, "INPUT");
    }
    (o.status.code(), stats, err)
}

/// Lines from pieces that exercise the reader's decisions (ids, separators, comments, line
/// endings, headers, weights), and now and then the start of a snapshot.
fn input() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(&b"1 2"[..]),
        Just(&b"2\t3"[..]),
        Just(&b"3,1"[..]),
        Just(&b"10 20 0.5"[..]),
        Just(&b"# comment"[..]),
        Just(&b""[..]),
        Just(&b"@a @b"[..]),
        Just(&b"src dst"[..]),
        Just(&b"\"a,b\",c"[..]),
        Just(&b"7 7"[..]),
        Just(&b"1"[..]),
        Just(&b"\xff\x00 9"[..]),
    ];
    let ending = prop_oneof![Just(&b"\n"[..]), Just(&b"\r\n"[..]), Just(&b"\r"[..])];
    (any::<bool>(), prop::collection::vec((piece, ending), 0..12)).prop_map(|(snap, lines)| {
        let mut bytes = if snap { b"CLOUTSNP".to_vec() } else { Vec::new() };
        for (piece, ending) in lines {
            bytes.extend_from_slice(piece);
            bytes.extend_from_slice(ending);
        }
        bytes
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn file_pipe_and_stdin_agree(bytes in input(), undirected in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.txt");
        std::fs::write(&path, &bytes).unwrap();
        let flags = if undirected { "--undirected" } else { "" };
        let shown = path.display().to_string();
        let names = [shown.as_str(), "<stdin>"];
        let file = outcome(&stats(&path, "file", flags), &names);
        for route in ["pipe", "stdin"] {
            let other = outcome(&stats(&path, route, flags), &names);
            prop_assert_eq!(&file, &other, "{} differs from file for {:?}", route, String::from_utf8_lossy(&bytes));
        }
    }
}
