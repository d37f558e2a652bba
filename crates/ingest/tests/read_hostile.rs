//! API tests of the reader on hostile or ambiguous input: line endings that would merge lines,
//! quoted CSV fields, ids that could be silently reinterpreted (a header row read as an edge,
//! `-1` or `1.0` among integers, leading zeros), control characters echoed in messages, and
//! weights whose duplicate sums overflow. Each error names the file and line.

use std::path::Path;

use clout_graph::EdgeReading;
use clout_ingest::LoadedGraph;
use clout_ingest::input::Input;
use clout_ingest::read::{
    Column, IdKind, ReadConfig, ReadError, ReadReport, read_graph, read_graph_from_reader,
};

mod common;
use common::{arcs, assert_line_error, error_of, influence, pairs, read_text, write};

fn read_path(path: &Path, cfg: &ReadConfig) -> Result<(LoadedGraph, ReadReport), ReadError> {
    read_graph(&[Input::from(path)], cfg, None)
}

/// Asserts that no byte below 0x20 (other than none at all) or DEL reaches the message.
fn assert_no_controls(message: &str) {
    assert!(!message.chars().any(|c| c.is_control()), "control character in: {message:?}");
}

#[test]
fn cr_only_line_endings_are_refused_not_merged() {
    for text in [&b"1 2\r2 3\r3 4\r"[..], b"# SNAP\r# more\r1 2\r2 3\r", b"1,2\r2,3\r3,4"] {
        let message = error_of(read_text(text, &influence()));
        assert_line_error(&message, "edges.txt", 1, &["CR line endings"]);
        assert_no_controls(&message);
        // Skipping bad lines does not turn a file of merged lines into one skipped line.
        let cfg = ReadConfig { skip_bad_lines: true, ..influence() };
        assert_line_error(&error_of(read_text(text, &cfg)), "edges.txt", 1, &["CR line endings"]);
    }
}

#[test]
fn a_lone_cr_inside_an_lf_line_is_an_error() {
    for (text, line) in [
        (&b"1 2\n3 4\r5 6\n7 8\n"[..], 2),
        (b"1 2\n3 4 x\ry\n", 2),
        (b"1 2\r\n3\r4\r\n", 2),
        (b"a b\n@c @d\r@e @f\n", 2),
    ] {
        for ids in [IdKind::Auto, IdKind::String] {
            let cfg = ReadConfig { ids, ..influence() };
            let message = error_of(read_text(text, &cfg));
            assert_line_error(&message, "edges.txt", line, &["CR line endings"]);
        }
    }
    // CRLF, and a CR ending the last line, are line endings.
    let (g, _) = read_text(b"1 2\r\n2 3 x\r\n3 4\r", &influence()).unwrap();
    assert_eq!(arcs(&g), pairs(&[("1", "2"), ("2", "3"), ("3", "4")]));
}

#[test]
fn quoted_csv_fields_follow_rfc_4180() {
    let text = b"\"src\",\"dst\"\n\"a,b\",c\n\"say \"\"hi\"\"\" , \"c\"\n";
    let cfg = ReadConfig {
        header: true,
        src: Column::from("src"),
        dst: Column::from("dst"),
        ..influence()
    };
    let (g, report) = read_text(text, &cfg).unwrap();
    assert_eq!(arcs(&g), pairs(&[("a,b", "c"), ("say \"hi\"", "c")]));
    assert_eq!((report.header_lines, report.data_lines), (1, 2));
    // Quoted integers are integers; a quoted weight is a number.
    let cfg = ReadConfig { weight: Some(Column::Position(3)), ..influence() };
    let (g, report) = read_text(b"\"1\",\"2\",\"0.5\"\n2,3,1\n", &cfg).unwrap();
    assert_eq!(report.ids, IdKind::Integer);
    assert_eq!(arcs(&g), pairs(&[("1", "2"), ("2", "3")]));
    assert_eq!(g.graph.out_weights(g.ids.lookup("1").unwrap()), Some(&[0.5][..]));
    // Without quoting the first line would have three fields; with it, the third is `x`.
    let (g, _) =
        read_text(b"\"1,5\",2,x\n", &ReadConfig { ids: IdKind::String, ..influence() }).unwrap();
    assert_eq!(arcs(&g), pairs(&[("1,5", "2")]));
}

#[test]
fn broken_quotes_are_errors_naming_the_line() {
    let message = error_of(read_text(b"1,2\n\"a,b\n", &influence()));
    assert_line_error(&message, "edges.txt", 2, &["column 1", "closing quote"]);
    let message = error_of(read_text(b"1,2\n\"a\"b,c\n", &influence()));
    assert_line_error(&message, "edges.txt", 2, &["column 1", "after its closing quote"]);
    let cfg = ReadConfig { header: true, src: Column::from("x"), ..influence() };
    let message = error_of(read_text(b"\"x,y\n1,2\n", &cfg));
    assert_line_error(&message, "edges.txt", 1, &["closing quote"]);
}

#[test]
fn a_header_row_without_header_is_an_error_that_suggests_it() {
    for text in [&b"src dst\n1 2\n2 3\n"[..], b"# c\n\"source\",\"target\"\n1,2\n2,3\n"] {
        for ids in [IdKind::Auto, IdKind::Integer] {
            let cfg = ReadConfig { ids, ..influence() };
            let message = error_of(read_text(text, &cfg));
            let line = if text.starts_with(b"#") { 2 } else { 1 };
            assert_line_error(&message, "edges.txt", line, &["header", "string ids"]);
        }
    }
    // Forced integer ids that skip bad lines skip it as one (counted and sampled).
    let cfg = ReadConfig { ids: IdKind::Integer, skip_bad_lines: true, ..influence() };
    let (_, report) = read_text(b"src dst\n1 2\n", &cfg).unwrap();
    assert_eq!((report.bad_lines, report.bad_line_samples[0].line), (1, 1));
    // Names all the way down are string ids, not a header.
    let (g, _) = read_text(b"src dst\n@a @b\n", &influence()).unwrap();
    assert_eq!(g.graph.node_count(), 4);
    // And a header row read as one is fine.
    let cfg = ReadConfig { header: true, ..influence() };
    assert_eq!(read_text(b"src dst\n1 2\n", &cfg).unwrap().0.graph.node_count(), 2);
}

#[test]
fn numbers_that_are_not_plain_integers_are_errors_in_auto_mode() {
    for (text, line, token) in [
        (&b"1 2\n-1 3\n2 3\n"[..], 2, "`-1`"),
        (b"1 2\n2 +1\n", 2, "`+1`"),
        (b"1.0 2\n2 3\n", 1, "`1.0`"),
        (b"1 2\n3 4\n5 1e3\n", 3, "`1e3`"),
    ] {
        let message = error_of(read_text(text, &influence()));
        assert_line_error(&message, "edges.txt", line, &[token, "string ids"]);
    }
    // After the first block too, and also for a file that could be read again.
    let mut text: Vec<u8> =
        (0..300).flat_map(|i| format!("{i} {}\n", i + 1).into_bytes()).collect();
    text.extend_from_slice(b"7 -1\n");
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "late.txt", &text);
    let cfg = ReadConfig { block_bytes: 256, ..influence() };
    let message = error_of(read_path(&path, &cfg));
    assert_line_error(&message, &path.display().to_string(), 301, &["`-1`"]);
    // With string ids they are names.
    let cfg = ReadConfig { ids: IdKind::String, ..influence() };
    assert_eq!(read_text(b"1 2\n-1 3\n", &cfg).unwrap().0.graph.node_count(), 4);
}

#[test]
fn leading_zeros_make_auto_mode_keep_ids_as_written() {
    let (g, report) = read_text(b"01 1\n1 2\n", &influence()).unwrap();
    assert_eq!(report.ids, IdKind::String);
    assert_eq!(arcs(&g), pairs(&[("01", "1"), ("1", "2")]));
    // `0` alone is an integer.
    let (_, report) = read_text(b"0 1\n10 0\n", &influence()).unwrap();
    assert_eq!(report.ids, IdKind::Integer);
    // Forced integer ids read `007` as 7.
    let cfg = ReadConfig { ids: IdKind::Integer, ..influence() };
    assert_eq!(read_text(b"007 7\n", &cfg).unwrap().0.graph.node_count(), 1);
}

#[test]
fn a_switch_to_string_ids_reports_where_and_how_many_ids() {
    let dir = tempfile::tempdir().unwrap();
    for (late, problem_is_leading_zero) in [(&b"@late 3\n"[..], false), (b"0042 3\n", true)] {
        let mut text: Vec<u8> =
            (0..200).flat_map(|i| format!("{i} {}\n", i + 1).into_bytes()).collect();
        text.extend_from_slice(late);
        let path = write(dir.path(), "mixed.txt", &text);
        let cfg = ReadConfig { block_bytes: 256, ..influence() };
        let (g, report) = read_path(&path, &cfg).unwrap();
        assert!(report.reread_as_strings);
        let switch = report.string_ids_switch.expect("the switch is reported");
        assert_eq!((switch.file.as_str(), switch.line), (path.to_str().unwrap(), 201));
        assert_eq!(switch.ids, g.graph.node_count() as u64);
        // Ids 0..=200, plus `0042` when that is the late id.
        assert_eq!(switch.integer_ids, if problem_is_leading_zero { 202 } else { 201 });
        assert_eq!(switch.leading_zero, problem_is_leading_zero);
    }
    // No switch, no report.
    let (_, report) = read_text(b"1 2\n", &influence()).unwrap();
    assert!(report.string_ids_switch.is_none());
}

#[test]
fn control_bytes_in_input_are_escaped_in_every_message() {
    // Header names (the requested one comes from the caller, the found ones from the file).
    let cfg = ReadConfig { header: true, src: Column::from("s\x1b[2J"), ..influence() };
    let message = error_of(read_text(b"a\x1b]0;x\x07,b\x00\n1,2\n", &cfg));
    assert_no_controls(&message);
    assert!(message.contains("a\\u{1b}]0;x\\u{7}") && message.contains("b\\0"), "{message}");
    // Tokens and lines.
    for text in [&b"1 2\n\x1b[31m 2\n"[..], b"1 2\n3 \x07\x00\xff\n", b"1 2\n\x00\n"] {
        let cfg = ReadConfig { ids: IdKind::Integer, ..influence() };
        assert_no_controls(&error_of(read_text(text, &cfg)));
    }
    // File names.
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bad\x1bname\x07.txt", b"1 2\n3\n");
    let message = error_of(read_path(&path, &influence()));
    assert_no_controls(&message);
    assert!(message.contains("bad\\u{1b}name\\u{7}.txt:2: "), "{message}");
    let message = error_of(read_text(b"", &influence()));
    assert_no_controls(&message);
    let e = read_graph_from_reader("in\x1b.txt", &b"1 2\n3\n"[..], &influence(), None);
    assert_no_controls(&error_of(e));
    // Skipped-line samples name the file escaped too.
    let cfg = ReadConfig { skip_bad_lines: true, ..influence() };
    let (_, report) = read_path(&path, &cfg).unwrap();
    assert_no_controls(&report.bad_line_samples[0].file);
}

#[test]
fn a_duplicate_weight_sum_that_overflows_is_an_error_with_the_original_ids() {
    let cfg = ReadConfig { weight: Some(Column::Position(3)), ..influence() };
    let text = b"5 6 1\n10 20 1e308\n10 20 1e308\n";
    let message = error_of(read_text(text, &cfg));
    assert!(message.contains("`10` -> `20`") && message.contains("infinite"), "{message}");
    // Under the follows reading the arc is reversed; the message names the line's order too.
    let cfg = ReadConfig { reading: EdgeReading::Follows, ..cfg };
    let message = error_of(read_text(text, &cfg));
    assert!(message.contains("`20` -> `10`") && message.contains("`10 20`"), "{message}");
    // A file can be read again to find the lines: where the sum overflowed, and the first.
    let dir = tempfile::tempdir().unwrap();
    let text = b"# w\n1 2 1e308\n20 10 5\n10 20 1e308\n3 4 1\n10 20 1e308\n";
    let path = write(dir.path(), "w.txt", text);
    let shown = path.display().to_string();
    let message = error_of(read_path(&path, &cfg));
    assert_line_error(&message, &shown, 6, &[&format!("first at {shown}:4"), "`10 20`"]);
    // Undirected, `20 10` is the same edge; quoted CSV and forced integer ids are matched too.
    let undirected = ReadConfig { reading: EdgeReading::Undirected, ..cfg.clone() };
    let message = error_of(read_path(&path, &undirected));
    assert_line_error(&message, &shown, 6, &[&format!("first at {shown}:3")]);
    let text = b"\"010\",\"20\",1e308\n10,20,1\n10,020,1e308\n";
    let path = write(dir.path(), "w.csv", text);
    let integer = ReadConfig { ids: IdKind::Integer, ..cfg.clone() };
    let message = error_of(read_path(&path, &integer));
    assert_line_error(&message, &path.display().to_string(), 3, &["first at"]);
    // Large sums that stay finite, and negative weights, are read.
    let cfg = ReadConfig { weight: Some(Column::Position(3)), ..influence() };
    let (g, _) = read_text(b"1 2 1e308\n1 2 -1e308\n1 3 -2\n", &cfg).unwrap();
    assert_eq!(g.graph.out_weights(0), Some(&[0.0, -2.0][..]));
}

/// `name` as a CSV field: quoted (with `""` escapes) when it must be, or when `force` says.
fn csv_field(name: &str, force: bool) -> String {
    let must = name.contains([',', '"', '#', '%', ' ', '\t']);
    if must || force { format!("\"{}\"", name.replace('"', "\"\"")) } else { name.to_string() }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 48, ..Default::default() })]

    /// Names with commas, quotes, blanks and comment characters, written as RFC 4180 CSV
    /// (quoted where needed, sometimes padded with blanks around the quotes), read back as
    /// the same arcs.
    #[test]
    fn quoted_csv_names_read_back(
        edges in proptest::collection::vec(("[a-c,\" #%]{1,6}", "[a-c,\" #%]{1,6}"), 1..40),
        force in proptest::collection::vec(proptest::bool::ANY, 40),
        pad in proptest::bool::ANY,
        block_bytes in proptest::sample::select(vec![7usize, 1 << 20]),
    ) {
        let blank = if pad { " " } else { "" };
        let mut text = String::new();
        for (i, (a, b)) in edges.iter().enumerate() {
            let (a, b) = (csv_field(a, force[i]), csv_field(b, !force[i]));
            text.push_str(&format!("{blank}{a}{blank},{blank}{b}{blank}\n"));
        }
        let cfg = ReadConfig {
            ids: IdKind::String,
            self_loops: clout_graph::SelfLoops::Keep,
            duplicates: clout_graph::Duplicates::Keep,
            block_bytes,
            ..influence()
        };
        let (g, _) = read_text(text.as_bytes(), &cfg).unwrap();
        let mut want: Vec<(String, String)> = edges.clone();
        want.sort();
        proptest::prop_assert_eq!(arcs(&g), want);
    }
}
