//! The neighbourhood drawing: the seeds and the accounts they most likely reach, coloured by
//! the opinion each most likely ends with. The chances are the engine's per-account outcomes
//! of the campaign's own simulation (same kernel, same trials as the reach figures).

use std::collections::HashMap;

use clout_graph::NodeId;
use clout_ingest::LoadedGraph;
use clout_reach::{AccountOutcomes, Model};
use clout_report::data::{NeighbourNode, NeighbourhoodSection};

/// The drawing, or `None` when the seeds reach nobody else in any trial. At most `draw`
/// accounts (but every seed); `layout_seed` seeds the force layout.
pub fn section(
    network: &LoadedGraph,
    seeds: &[NodeId],
    outcomes: &AccountOutcomes,
    trials: usize,
    model: Model,
    draw: usize,
    layout_seed: u64,
) -> Option<NeighbourhoodSection> {
    let (g, ids) = (&network.graph, &network.ids);
    let cap = draw.max(seeds.len());
    let is_seed = |v: NodeId| seeds.contains(&v);
    let p = |v: NodeId| outcomes.reached[v as usize];
    let mut reached: Vec<NodeId> = g.nodes().filter(|&v| !is_seed(v) && p(v) > 0.0).collect();
    if reached.is_empty() {
        return None;
    }
    let total_reached = reached.len();
    reached.sort_by(|&a, &b| p(b).total_cmp(&p(a)).then(a.cmp(&b)));
    reached.truncate(cap - seeds.len());
    let drawn: Vec<NodeId> = seeds.iter().copied().chain(reached.iter().copied()).collect();
    let index: HashMap<NodeId, usize> = drawn.iter().enumerate().map(|(i, &v)| (v, i)).collect();
    let mut arcs = Vec::new();
    for (i, &u) in drawn.iter().enumerate() {
        for &v in g.out_neighbors(u) {
            if let Some(&j) = index.get(&v)
                && i != j
                && (g.is_directed() || i < j)
            {
                arcs.push((i, j));
            }
        }
    }
    let nodes = drawn
        .iter()
        .map(|&v| NeighbourNode {
            id: ids.original(v).to_string(),
            seed: is_seed(v),
            positive: outcomes.positive[v as usize],
            negative: outcomes.negative[v as usize],
        })
        .collect();
    let note = format!(
        "The {} seeds and the {} accounts they most likely reach{}. Colour: the opinion an account \
         more likely ends with; size: its chance of being reached. Chances are per-account \
         outcomes of the same {} trials of model {} as the reach figures above.",
        seeds.len(),
        reached.len(),
        if total_reached > reached.len() {
            format!(" (of {total_reached} reached in at least one trial)")
        } else {
            String::new()
        },
        trials,
        model
    );
    Some(NeighbourhoodSection { nodes, arcs, note, layout_seed })
}
