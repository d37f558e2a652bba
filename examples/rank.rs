//! Rank the accounts of a follower graph by PageRank, betweenness and coreness.
//!
//! ```sh
//! cargo run --example rank -- datasets/wiki-vote/Wiki-Vote.txt 5
//! ```
//!
//! The file is read as a follower export (`A B` = A follows B, so influence flows B -> A); a
//! snapshot written by `clout ingest` works too.

use clout::prelude::*;

fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "datasets/wiki-vote/Wiki-Vote.txt".into());
    let top: usize = args.next().and_then(|t| t.parse().ok()).unwrap_or(10);

    let net = clout::open(&path, &ReadConfig::default())?.network;
    let scores = [Score::Pagerank, Score::Betweenness, Score::Coreness];
    let table = clout::score(&net, &scores, &ScoreConfig::default(), &mut |s| {
        eprintln!("computing {}", s.name());
    })?;

    println!(
        "{:>8}  {:>10} {:>5}  {:>12} {:>5}  {:>4}",
        "id", "pagerank", "#", "betweenness", "#", "core"
    );
    for v in table.order(None, net.graph.node_count(), Some(top)) {
        let col = |i: usize| &table.columns[i];
        println!(
            "{:>8}  {:>10.6} {:>5}  {:>12.6} {:>5}  {:>4}",
            net.ids.original(v).to_string(),
            col(0).values[v as usize],
            col(0).ranks[v as usize],
            col(1).values[v as usize],
            col(1).ranks[v as usize],
            col(2).values[v as usize],
        );
    }
    Ok(())
}
