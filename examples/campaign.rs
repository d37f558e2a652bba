//! Simulate a campaign with backfire: how far word of mouth carries from a few seed accounts,
//! how much of it turns negative when the product disappoints, and who most likely ends how.
//!
//! ```sh
//! cargo run --example campaign -- datasets/wiki-vote/Wiki-Vote.txt 4037,15,2625
//! ```
//!
//! IC-N (Chen et al., SDM 2011): an account reached positively turns positive with the product
//! quality q, negative otherwise, and negative opinion spreads too.

use clout::prelude::*;

fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "datasets/wiki-vote/Wiki-Vote.txt".into());
    let seeds: Vec<String> =
        args.next().unwrap_or_else(|| "4037,15,2625".into()).split(',').map(String::from).collect();

    let net = clout::open(&path, &ReadConfig::default())?.network;
    let seeds = clout::ids::resolve(&net.ids, &seeds, "seed account")?;
    let probs = clout::edge_probs(&net, "wc", 1)?;

    // One run answers three product qualities from the same trials.
    let cfg = SimConfig {
        model: Model::IcN,
        qualities: vec![0.5, 0.7, 0.9],
        trials: 5000,
        per_account: true,
        ..SimConfig::default()
    };
    let sim = clout::simulate(&net.graph, &probs, &seeds, &cfg, None)?;
    println!("quality  positive  negative  backfire risk");
    for r in &sim.results {
        println!(
            "{:>7}  {:>8.2}  {:>8.2}  {:>13.4}",
            r.quality, r.positive.mean, r.negative.mean, r.backfire_risk.mean
        );
    }

    // The quality below which the campaign does more harm than good.
    let curve = clout::backfire_curve(&net.graph, &probs, &seeds, Model::IcN, 0.7, &cfg)?;
    match curve.threshold {
        Some(q) => println!("negative reach exceeds positive reach below quality {q:.3}"),
        None => println!("positive reach exceeds negative reach at every quality"),
    }

    // Who most likely turns against the product at q = 0.5 (per-account outcomes).
    let at_half = &sim.per_account[0];
    let mut risk: Vec<NodeId> = net.graph.nodes().collect();
    risk.sort_by(|&a, &b| at_half.negative[b as usize].total_cmp(&at_half.negative[a as usize]));
    println!("most likely negative at q = 0.5:");
    for &v in risk.iter().take(5) {
        println!("  {:>6}  {:.3}", net.ids.original(v).to_string(), at_half.negative[v as usize]);
    }
    Ok(())
}
