//! Choose whom to pay under a budget, then check the choice against the usual baselines on
//! the same Monte Carlo trials.
//!
//! ```sh
//! cargo run --example budget -- datasets/wiki-vote/Wiki-Vote.txt 20
//! ```
//!
//! Every account costs 1 + its follower count / 100 here (a stand-in for a real price list);
//! IMM returns the better of a by-gain and a by-gain-per-cost greedy pass.

use clout::prelude::*;
use clout::{BaselineOutcome, Budget};

fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "datasets/wiki-vote/Wiki-Vote.txt".into());
    let budget: f64 = args.next().and_then(|b| b.parse().ok()).unwrap_or(20.0);

    let net = clout::open(&path, &ReadConfig::default())?.network;
    let g = &net.graph;
    let probs = clout::edge_probs(&net, "wc", 1)?;
    let costs = g.nodes().map(|v| 1.0 + g.out_degree(v) as f64 / 100.0).collect();
    let cfg = SelectConfig { budget: Some(Budget { costs, budget }), ..SelectConfig::default() };

    let chosen = clout::choose(g, &probs, Method::Imm, &cfg, None)?;
    println!(
        "IMM chose {} accounts costing {:.2} of {budget}",
        chosen.seeds.len(),
        chosen.cost.unwrap_or(0.0)
    );
    println!("guarantee: {}", chosen.guarantee.statement);

    // Re-estimate on a stream no method used, and run the baselines on the same trials.
    let eval = SimConfig { trials: 2000, seed: clout::evaluation_seed(1), ..SimConfig::default() };
    let (prefixes, _precision) = clout::evaluate(g, &probs, &chosen.seeds, &eval)?;
    if let Some(all) = prefixes.last() {
        let p = &all.positive;
        println!("{:<16} {:>8.1} [{:.1}, {:.1}]", "imm", p.mean, p.ci95_low, p.ci95_high);
    }
    for b in clout::compare_baselines(g, &probs, &cfg, Some(Method::Imm), &eval, None)? {
        match b.outcome {
            BaselineOutcome::Reach(reach) => {
                let p = &reach.1.positive;
                println!(
                    "{:<16} {:>8.1} [{:.1}, {:.1}]",
                    b.method.name(),
                    p.mean,
                    p.ci95_low,
                    p.ci95_high
                );
            }
            BaselineOutcome::ChoseNobody => println!("{:<16} chose nobody", b.method.name()),
            BaselineOutcome::Failed(why) => {
                println!("{:<16} {}", b.method.name(), clout::describe(&*why))
            }
        }
    }
    Ok(())
}
