//! API tests of the reader: every input quirk it must handle, every error it must explain
//! (each naming the file and line), determinism across thread counts, and a round-trip
//! property test.

use std::io::Write;
use std::path::Path;

use clout_graph::{Duplicates, EdgeReading, Graph, SelfLoops};
use clout_ingest::LoadedGraph;
use clout_ingest::input::Input;
use clout_ingest::read::{
    Column, Delimiter, Format, IdKind, LineProblem, ReadConfig, ReadError, ReadReport, read_graph,
    read_graph_from_reader,
};
use proptest::prelude::*;

mod common;
use common::{arcs, assert_line_error, error_of, influence, pairs, read_text, write};

fn read_paths(paths: &[&Path], cfg: &ReadConfig) -> Result<(LoadedGraph, ReadReport), ReadError> {
    let inputs: Vec<Input> = paths.iter().map(|p| Input::from(*p)).collect();
    read_graph(&inputs, cfg, None)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(bytes, ruzstd::encoding::CompressionLevel::Fastest)
}

#[test]
fn follows_reading_stores_the_reverse_arc() {
    let text = b"1 2\n2 3\n";
    let (g, _) = read_text(text, &ReadConfig::default()).unwrap();
    assert_eq!(arcs(&g), pairs(&[("2", "1"), ("3", "2")]));
    assert_eq!(g.graph.info().reading, EdgeReading::Follows);
    let (g, _) = read_text(text, &influence()).unwrap();
    assert_eq!(arcs(&g), pairs(&[("1", "2"), ("2", "3")]));
    let cfg = ReadConfig { reading: EdgeReading::Undirected, ..ReadConfig::default() };
    let (g, _) = read_text(text, &cfg).unwrap();
    assert!(!g.graph.is_directed());
    assert_eq!(g.graph.edge_count(), 2);
    assert_eq!(arcs(&g), pairs(&[("1", "2"), ("2", "1"), ("2", "3"), ("3", "2")]));
}

#[test]
fn comments_blanks_crlf_and_missing_final_newline() {
    let text = b"# SNAP header\r\n% matrix-market style\r\n\r\n \t\r\n1\t2\r\n  3   4\r\n5 6";
    let (g, report) = read_text(text, &influence()).unwrap();
    assert_eq!(arcs(&g), pairs(&[("1", "2"), ("3", "4"), ("5", "6")]));
    assert_eq!(report.lines, 7);
    assert_eq!((report.comment_lines, report.blank_lines, report.data_lines), (2, 2, 3));
    assert_eq!(report.bytes, text.len() as u64);
    assert_eq!(report.ids, IdKind::Integer);
}

#[test]
fn separators_are_detected_per_file() {
    let want = pairs(&[("1", "2"), ("3", "4")]);
    for text in
        [&b"1 2\n3 4\n"[..], b"1\t2\n3\t4\n", b"1 \t 2\n3  4\n", b"1,2\n3,4\n", b"1, 2\n 3 ,4\n"]
    {
        let (g, _) = read_text(text, &influence()).unwrap();
        assert_eq!(arcs(&g), want, "{}", String::from_utf8_lossy(text));
    }
    // A forced delimiter: semicolons, and tab-only splitting that keeps spaces inside ids.
    let cfg = ReadConfig { delimiter: Delimiter::Char(b';'), ..influence() };
    assert_eq!(arcs(&read_text(b"1;2\n3;4\n", &cfg).unwrap().0), want);
    let cfg = ReadConfig { delimiter: Delimiter::Char(b'\t'), ids: IdKind::String, ..influence() };
    let (g, _) = read_text(b"Ada Lovelace\tCharles Babbage\n", &cfg).unwrap();
    assert_eq!(arcs(&g), pairs(&[("Ada Lovelace", "Charles Babbage")]));
    // Two files, two separators, one graph.
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", b"1 2\n");
    let b = write(dir.path(), "b.csv", b"3,4\n");
    assert_eq!(arcs(&read_paths(&[&a, &b], &influence()).unwrap().0), want);
}

#[test]
fn extra_columns_are_ignored_and_columns_can_be_picked() {
    let text = b"1 2 1341100972 RT\n3 4 1341100973 MT\n";
    let (g, _) = read_text(text, &influence()).unwrap();
    assert_eq!(arcs(&g), pairs(&[("1", "2"), ("3", "4")]));
    let cfg = ReadConfig { src: Column::Position(2), dst: Column::Position(1), ..influence() };
    assert_eq!(arcs(&read_text(text, &cfg).unwrap().0), pairs(&[("2", "1"), ("4", "3")]));
}

#[test]
fn header_names_select_columns() {
    let text = b"\xEF\xBB\xBF# exported\ntime,Follower,followee,Weight\n1,@a,@b,2.5\n2,@b,@c,1\n";
    let cfg = ReadConfig {
        header: true,
        src: Column::from("follower"),
        dst: Column::from("FOLLOWEE"),
        weight: Some(Column::from("weight")),
        ..ReadConfig::default()
    };
    let (g, report) = read_text(text, &cfg).unwrap();
    assert_eq!(arcs(&g), pairs(&[("@b", "@a"), ("@c", "@b")]));
    assert_eq!((report.header_lines, report.comment_lines, report.lines), (1, 1, 4));
    let b = g.ids.lookup("@b").unwrap();
    assert_eq!(g.graph.out_weights(b), Some(&[2.5][..]));
    // An unknown name is reported at the header line.
    let cfg = ReadConfig { src: Column::from("source"), ..cfg };
    let message = error_of(read_text(text, &cfg));
    assert_line_error(&message, "edges.txt", 2, &["no column named `source`", "Follower"]);
    // Names need a header.
    let cfg = ReadConfig { src: Column::from("a"), ..ReadConfig::default() };
    assert!(matches!(read_text(b"1 2\n", &cfg), Err(ReadError::Config(_))));
}

#[test]
fn snap_signed_reads_the_third_column_as_sign() {
    let text = b"# Directed graph: soc-sign-epinions\n# FromNodeId\tToNodeId\tSign\n0\t1\t-1\n1\t2\t1\n2\t0\t+1\n";
    let cfg = ReadConfig { format: Format::SnapSigned, ..influence() };
    let (g, _) = read_text(text, &cfg).unwrap();
    let g = &g.graph;
    assert!(g.is_signed() && !g.is_weighted());
    assert_eq!(g.out_signs(0), Some(&[-1i8][..]));
    assert_eq!(g.out_signs(1), Some(&[1i8][..]));
    assert_eq!(g.out_signs(2), Some(&[1i8][..]));
}

#[test]
fn bitcoin_csv_rating_is_weight_and_sign() {
    let text = b"6,2,4,1289241911.72836\n6,5,-2,1289241941.53378\n1,15,1,1289243140.39049\n";
    let cfg = ReadConfig { format: Format::BitcoinCsv, ..influence() };
    let (g, _) = read_text(text, &cfg).unwrap();
    let six = g.ids.lookup("6").unwrap();
    assert_eq!(g.graph.out_weights(six), Some(&[4.0, -2.0][..]));
    assert_eq!(g.graph.out_signs(six), Some(&[1i8, -1][..]));
    let message = error_of(read_text(b"6,2,4,1\n6,5,0,2\n", &cfg));
    assert_line_error(&message, "edges.txt", 2, &["rating `0` in column 3", "`6,5,0,2`"]);
}

#[test]
fn compression_is_detected_by_magic_not_by_name() {
    let text = b"# c\n1 2\n2 3\n3 1\n";
    let want = pairs(&[("1", "2"), ("2", "3"), ("3", "1")]);
    let dir = tempfile::tempdir().unwrap();
    let mut two_members = gzip(b"# c\n1 2\n");
    two_members.extend(gzip(b"2 3\n3 1\n"));
    let files = [
        write(dir.path(), "plain.gz", text),
        write(dir.path(), "gzip.txt", &gzip(text)),
        write(dir.path(), "zstd.gz", &zstd(text)),
        write(dir.path(), "members.zst", &two_members),
    ];
    for file in &files {
        let (g, report) = read_paths(&[file], &influence()).unwrap();
        assert_eq!(arcs(&g), want, "{}", file.display());
        assert_eq!(report.bytes, text.len() as u64);
        assert_eq!(report.compressed_bytes, std::fs::metadata(file).unwrap().len());
    }
    // The Read-based path (what stdin uses) decompresses too.
    let (g, _) = read_graph_from_reader("<stdin>", &zstd(text)[..], &influence(), None).unwrap();
    assert_eq!(arcs(&g), want);
}

#[test]
fn truncated_streams_are_errors_naming_the_file() {
    let text: Vec<u8> =
        (0..20_000u32).flat_map(|i| format!("{i} {}\n", i * 7 % 1000).into_bytes()).collect();
    let dir = tempfile::tempdir().unwrap();
    for (format, data) in [("gzip", gzip(&text)), ("zstd", zstd(&text))] {
        for cut in [data.len() - 4, data.len() / 2, 12] {
            let path = write(dir.path(), &format!("cut-{cut}.{format}"), &data[..cut]);
            let message = error_of(read_paths(&[&path], &influence()));
            let expected = format!("{}: truncated or corrupt {format} stream", path.display());
            assert!(message.starts_with(&expected), "{message}");
        }
        // A damaged trailer (zstd's checksum, gzip's length) is caught too.
        let mut damaged = data.clone();
        *damaged.last_mut().unwrap() ^= 0x55;
        let path = write(dir.path(), &format!("damaged.{format}"), &damaged);
        let message = error_of(read_paths(&[&path], &influence()));
        assert!(message.contains(&format!("corrupt {format} stream")), "{message}");
    }
}

#[test]
fn several_files_share_one_id_space() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", b"# part 1\n1 2\n");
    let b = write(dir.path(), "b.txt.gz", &gzip(b"2 3\n3 1\n"));
    let (g, report) = read_paths(&[&a, &b], &influence()).unwrap();
    assert_eq!(g.graph.node_count(), 3);
    assert_eq!(arcs(&g), pairs(&[("1", "2"), ("2", "3"), ("3", "1")]));
    assert_eq!((report.lines, report.data_lines), (4, 3));
    assert_eq!(report.inputs, vec![a.display().to_string(), b.display().to_string()]);
    assert_eq!(g.graph.info().provenance, format!("{}, {}", a.display(), b.display()));
    // Line numbers restart in each file.
    let c = write(dir.path(), "c.txt", b"4 5\n6\n");
    let message = error_of(read_paths(&[&a, &c], &influence()));
    assert_line_error(&message, &c.display().to_string(), 2, &["found 1 column"]);
}

#[test]
fn string_ids_are_kept_and_sorted_by_bytes() {
    let text = "@bob @alice\n@alice Zoë\ncarol @bob\n".as_bytes();
    let (g, report) = read_text(text, &influence()).unwrap();
    assert_eq!(report.ids, IdKind::String);
    assert!(g.ids.is_string());
    let names: Vec<String> = (0..4).map(|i| g.ids.original(i).to_string()).collect();
    assert_eq!(names, ["@alice", "@bob", "Zoë", "carol"]);
    assert_eq!(arcs(&g), pairs(&[("@bob", "@alice"), ("@alice", "Zoë"), ("carol", "@bob")]));
    // Integers in a string file are names too; string ids keep "007" and "7" apart, and so
    // does auto-detection (a leading zero means strings); forced integers merge them.
    let cfg = ReadConfig { ids: IdKind::String, ..influence() };
    let (g, _) = read_text(b"007 7\n", &cfg).unwrap();
    assert_eq!(g.graph.node_count(), 2);
    let (g, _) = read_text(b"007 7\n", &influence()).unwrap();
    assert_eq!(g.graph.node_count(), 2);
    let cfg = ReadConfig { ids: IdKind::Integer, ..influence() };
    let (g, _) = read_text(b"007 7\n", &cfg).unwrap();
    assert_eq!(g.graph.node_count(), 1);
}

#[test]
fn a_late_non_integer_id_rereads_files_as_strings() {
    let mut text = Vec::new();
    for i in 0..200 {
        writeln!(text, "{i} {}", i + 1).unwrap();
    }
    text.extend_from_slice(b"@late 3\n");
    let cfg = ReadConfig { block_bytes: 256, ..influence() };
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "mixed.txt", &text);
    let (g, report) = read_paths(&[&path], &cfg).unwrap();
    assert!(report.reread_as_strings);
    assert_eq!(report.ids, IdKind::String);
    assert_eq!(g.graph.node_count(), 202);
    assert!(g.ids.lookup("@late").is_some() && g.ids.lookup("17").is_some());
    // A stream cannot be read twice: a clear error that suggests string ids.
    let message = error_of(read_graph_from_reader("<stdin>", &text[..], &cfg, None));
    assert_line_error(&message, "<stdin>", 201, &["`@late`", "not an integer", "string ids"]);
    // With handles in the first block, auto mode picks strings at once.
    let (_, report) = read_text(b"1 2\n@x 1\n", &influence()).unwrap();
    assert!(!report.reread_as_strings && report.ids == IdKind::String);
    // Forced integer ids make it a bad line.
    let cfg = ReadConfig { ids: IdKind::Integer, ..influence() };
    let message = error_of(read_text(b"1 2\n@x 1\n", &cfg));
    assert_line_error(
        &message,
        "edges.txt",
        2,
        &["id `@x` in column 1 is not an integer", "string ids"],
    );
}

#[test]
fn empty_inputs_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write(dir.path(), "empty.txt", b"");
    let message = error_of(read_paths(&[&empty], &ReadConfig::default()));
    assert_eq!(message, format!("no edges found in {} (it is empty)", empty.display()));
    let comments = write(dir.path(), "comments.txt.gz", &gzip(b"# a\n\n% b\n   \n"));
    let message = error_of(read_paths(&[&comments], &ReadConfig::default()));
    assert_eq!(
        message,
        format!("no edges found in {} (4 lines, all comments or blank)", comments.display())
    );
    // One empty file among several is an error too.
    let good = write(dir.path(), "good.txt", b"1 2\n");
    assert!(matches!(
        read_paths(&[&good, &empty], &ReadConfig::default()),
        Err(ReadError::Empty { .. })
    ));
    // All lines bad and skipped.
    let cfg = ReadConfig { skip_bad_lines: true, ..ReadConfig::default() };
    let message = error_of(read_text(b"1\n2\n", &cfg));
    assert_eq!(
        message,
        "no edges found in edges.txt (2 lines: 2 bad lines skipped, the rest comments or blank)"
    );
    // A header row and nothing else.
    let cfg = ReadConfig { header: true, ..ReadConfig::default() };
    let message = error_of(read_text(b"src dst\n", &cfg));
    assert_eq!(
        message,
        "no edges found in edges.txt (1 line, all a header row, comments or blank)"
    );
}

#[test]
fn a_line_longer_than_the_limit_is_an_error() {
    let mut text = b"1 2\n".to_vec();
    text.resize(text.len() + (65 << 20), b'7');
    let message = error_of(read_text(&text, &ReadConfig::default()));
    assert_line_error(&message, "edges.txt", 2, &["line is longer than 67108864 bytes", "`777"]);
}

#[test]
fn non_utf8_string_id_is_an_error() {
    let cfg = ReadConfig { ids: IdKind::String, ..influence() };
    let message = error_of(read_text(b"@a @b\n@c \xff\xfe\n", &cfg));
    assert_line_error(&message, "edges.txt", 2, &["column 2 is not valid UTF-8"]);
    // In auto mode the bytes are not digits, so string ids are chosen and the same check fires.
    let message = error_of(read_text(b"1 2\n\xe9t\xe9 3\n", &influence()));
    assert_line_error(&message, "edges.txt", 2, &["column 1 is not valid UTF-8"]);
}

#[test]
fn an_id_beyond_u64_is_an_error_that_suggests_string_ids() {
    let text = b"1 2\n18446744073709551616 3\n";
    let message = error_of(read_text(text, &influence()));
    assert_line_error(
        &message,
        "edges.txt",
        2,
        &["`18446744073709551616`", "64 bits", "string ids"],
    );
    let cfg = ReadConfig { ids: IdKind::String, ..influence() };
    assert_eq!(read_text(text, &cfg).unwrap().0.graph.node_count(), 4);
    // u64::MAX itself is fine, and 64-bit ids far apart use the sorted index.
    let text = b"18446744073709551615 1\n1234567890123456789 1\n";
    let (g, _) = read_text(text, &influence()).unwrap();
    assert_eq!(arcs(&g), pairs(&[("18446744073709551615", "1"), ("1234567890123456789", "1")]));
    assert_eq!(g.ids.original(2).to_string(), "18446744073709551615");
}

#[test]
fn bad_weights_and_signs_are_errors() {
    let cfg = ReadConfig { weight: Some(Column::Position(3)), ..influence() };
    for bad in ["abc", "nan", "inf", "", "1,5"] {
        let text = format!("1 2 0.5\n2 3 {bad}\n");
        let message = error_of(read_text(text.as_bytes(), &cfg));
        let fragment =
            if bad.is_empty() { "found 2 columns".to_string() } else { format!("weight `{bad}`") };
        assert_line_error(&message, "edges.txt", 2, &[&fragment]);
    }
    let cfg = ReadConfig { format: Format::SnapSigned, ..influence() };
    for bad in ["0", "2", "x", "--1"] {
        let text = format!("1 2 1\n2 3 -1.0\n3 4 {bad}\n");
        let message = error_of(read_text(text.as_bytes(), &cfg));
        assert_line_error(
            &message,
            "edges.txt",
            3,
            &[&format!("sign `{bad}` in column 3 is not 1, +1 or -1")],
        );
    }
}

#[test]
fn a_line_with_one_column_is_an_error() {
    let message = error_of(read_text(b"# x\n1 2\n3\n", &influence()));
    assert_eq!(message, "edges.txt:3: expected at least 2 columns, found 1 column: `3`");
    let message = error_of(read_text(b"1,2\n3,\n", &influence()));
    assert_line_error(&message, "edges.txt", 2, &["column 2 is empty"]);
}

#[test]
fn skipped_bad_lines_are_counted_with_the_first_five() {
    let mut text = Vec::new();
    for i in 0..40 {
        if i % 5 == 3 {
            writeln!(text, "{i}").unwrap()
        } else {
            writeln!(text, "{i} {}", i + 1).unwrap()
        }
    }
    let cfg = ReadConfig { skip_bad_lines: true, block_bytes: 32, ..influence() };
    let (g, report) = read_text(&text, &cfg).unwrap();
    assert_eq!((report.bad_lines, report.data_lines), (8, 32));
    let lines: Vec<u64> = report.bad_line_samples.iter().map(|b| b.line).collect();
    assert_eq!(lines, [4, 9, 14, 19, 24]);
    assert_eq!(report.bad_line_samples[0].text, "3");
    assert_eq!(
        report.bad_line_samples[0].problem,
        LineProblem::TooFewColumns { found: 1, needed: 2 }
    );
    assert_eq!(g.graph.arc_count(), 32);
}

#[test]
fn the_first_bad_line_in_file_order_is_reported() {
    let mut text = Vec::new();
    for i in 0..2000 {
        match i {
            1499 => writeln!(text, "{i} {} x", i + 1).unwrap(),
            1200 | 1800 => writeln!(text, "{i}").unwrap(),
            _ => writeln!(text, "{i} {}", i + 1).unwrap(),
        }
    }
    let cfg = ReadConfig { weight: Some(Column::Position(3)), ..influence() };
    let text: Vec<u8> = String::from_utf8(text)
        .unwrap()
        .replace("\n", " 1\n")
        .replace(" x 1\n", " x\n")
        .into_bytes();
    for threads in [1, 2, 3] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        for block_bytes in [64, 1000, 1 << 20] {
            let cfg = ReadConfig { block_bytes, ..cfg.clone() };
            let message = pool.install(|| error_of(read_text(&text, &cfg)));
            assert_line_error(&message, "edges.txt", 1201, &["found 2 columns"]);
        }
    }
}

#[test]
fn synthetic_marker_and_policies_reach_graph_info() {
    let text = b"# synthetic: rmat scale=3 seed=1\n1 1\n1 2\n1 2\n2 1\n";
    let (g, _) = read_text(text, &influence()).unwrap();
    let info = g.graph.info();
    assert!(info.synthetic);
    assert_eq!((info.input_edges, info.self_loops_dropped, info.duplicates_merged), (4, 1, 1));
    assert_eq!(g.graph.node_count(), 2);
    let cfg =
        ReadConfig { self_loops: SelfLoops::Keep, duplicates: Duplicates::Keep, ..influence() };
    let (g, _) = read_text(&text[33..], &cfg).unwrap();
    assert!(!g.graph.info().synthetic);
    assert_eq!(g.graph.arc_count(), 4);
}

#[test]
fn progress_reports_bytes_consumed() {
    let text: Vec<u8> =
        (0..5000u32).flat_map(|i| format!("{i} {}\n", i / 3).into_bytes()).collect();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "p.gz", &gzip(&text));
    let seen = std::sync::Mutex::new(Vec::new());
    let progress = |bytes: u64| seen.lock().unwrap().push(bytes);
    let cfg = ReadConfig { block_bytes: 4096, ..ReadConfig::default() };
    read_graph(&[Input::Path(path.clone())], &cfg, Some(&progress)).unwrap();
    let seen = seen.into_inner().unwrap();
    assert!(seen.len() > 3 && seen.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(*seen.last().unwrap(), std::fs::metadata(&path).unwrap().len());
}

/// Everything observable about a read graph, for exact comparisons.
fn fingerprint(g: &LoadedGraph) -> String {
    fn adjacency(a: &clout_graph::Adjacency) -> String {
        format!(
            "{:?}|{:?}|{:?}|{:?}",
            a.offsets.as_slice(),
            a.targets.as_slice(),
            a.weights.as_deref(),
            a.signs.as_deref()
        )
    }
    let graph: &Graph = &g.graph;
    let ids: Vec<String> = (0..g.ids.len() as u32).map(|i| g.ids.original(i).to_string()).collect();
    format!(
        "{}\n{}\n{:?}\n{:?}",
        adjacency(graph.out_adjacency()),
        adjacency(graph.in_adjacency()),
        graph.info(),
        ids
    )
}

#[test]
fn thread_count_and_block_size_do_not_change_the_result() {
    let mut rng = clout_graph::rng::Rng::new(7);
    let mut ints = Vec::new();
    let mut handles = Vec::new();
    for i in 0..3000 {
        let (a, b) = (rng.next_u64() % 500, rng.next_u64() % 500);
        let sign = if rng.next_u64() % 2 == 0 { "1" } else { "-1" };
        let end = if i % 3 == 0 { "\r\n" } else { "\n" };
        if i % 97 == 0 {
            write!(ints, "# comment {i}{end}").unwrap();
        }
        write!(ints, "{a}\t{b}  {}.5 {sign}{end}", i % 9).unwrap();
        write!(handles, "@user{a} @user{b} {}.5 {sign}{end}", i % 9).unwrap();
    }
    for text in [&ints, &handles] {
        let base = ReadConfig {
            weight: Some(Column::Position(3)),
            sign: Some(Column::Position(4)),
            duplicates: Duplicates::Keep,
            ..ReadConfig::default()
        };
        let mut seen: Option<String> = None;
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            for block_bytes in [7, 300, 4096, 1 << 24] {
                let cfg = ReadConfig { block_bytes, ..base.clone() };
                let (g, report) = pool.install(|| read_text(text, &cfg)).unwrap();
                assert_eq!(report.data_lines, 3000);
                let print = fingerprint(&g);
                match &seen {
                    None => seen = Some(print),
                    Some(first) => {
                        assert!(*first == print, "threads {threads}, block {block_bytes} differ")
                    }
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Random edge lists written as text (integer ids, 64-bit ids or handles), with random
    /// separators and line endings, read back as the same arcs (with every arc kept).
    #[test]
    fn written_edges_read_back(
        edges in prop::collection::vec((0u64..40, 0u64..40), 1..120),
        kind in 0u8..3,
        sep in prop::sample::select(vec![" ", "\t", " \t ", ",", ", "]),
        crlf in any::<bool>(),
        final_newline in any::<bool>(),
        block_bytes in prop::sample::select(vec![5usize, 64, 1 << 20]),
    ) {
        let scale = |x: u64| match kind {
            0 => x.to_string(),
            1 => x.wrapping_mul(0x9E37_79B9_7F4A_7C15).to_string(),
            _ => format!("@user_{}{}", "é".repeat((x % 3) as usize), x * 37 % 101),
        };
        let end = if crlf { "\r\n" } else { "\n" };
        let mut text = String::new();
        for (i, &(a, b)) in edges.iter().enumerate() {
            text.push_str(&format!("{}{sep}{}", scale(a), scale(b)));
            if i + 1 < edges.len() || final_newline {
                text.push_str(end);
            }
        }
        let cfg = ReadConfig {
            self_loops: SelfLoops::Keep,
            duplicates: Duplicates::Keep,
            block_bytes,
            ..influence()
        };
        let (g, report) = read_text(text.as_bytes(), &cfg).unwrap();
        let mut want: Vec<(String, String)> = edges.iter().map(|&(a, b)| (scale(a), scale(b))).collect();
        want.sort();
        prop_assert_eq!(arcs(&g), want);
        prop_assert_eq!(report.data_lines, edges.len() as u64);
        prop_assert!(g.ids.validate().is_ok());
        prop_assert_eq!(report.ids, if kind == 2 { IdKind::String } else { IdKind::Integer });
    }
}
