//! One unweighted Brandes source, level-synchronous and direction-optimizing.
//!
//! **Forward.** Level `d + 1` is found either *top-down* (scan the out-arcs of the level-`d`
//! nodes: discover unseen targets, add `σ[v]` to targets on level `d + 1`) or *bottom-up* (for
//! every unseen node `w`, `σ[w] = Σ σ[u]` over its in-neighbours `u`; `w` joins level `d + 1`
//! when the sum is positive), whichever is cheaper (Beamer, Asanović and Patterson,
//! "Direction-optimizing breadth-first search", SC 2012). Bottom-up needs no test per arc: an
//! unseen node's in-neighbours are on level `d` or unseen (an in-neighbour on an earlier level
//! would have discovered it), and unseen nodes have `σ = 0`. Unlike plain BFS it cannot stop at
//! the first parent — `σ` needs all of them — but late levels of a small-world graph have few
//! unseen nodes, so it still scans far fewer arcs than top-down.
//!
//! **Backward.** Level by level from the deepest, `acc[v] = Σ coef[w]` over the successors `w`
//! of each level-`d` node `v` (`coef[w] = (r[w] + δ[w]) / σ[w]`), either *pulled* (scan `v`'s
//! out-arcs) or *pushed* (scan the in-arcs of each level-`d + 1` node `w`, adding `coef[w]` to
//! its in-neighbours), whichever is cheaper. Neither tests levels: `coef` is kept zero on
//! levels `<= d` (a level's `coef` is written only after the whole level has pulled), and an
//! out-neighbour of a level-`d` node is on a level `<= d + 1`; a push writes only to in-neighbours
//! on levels `>= d` (or unseen ones, on directed graphs), which are finished or not yet read.
//! Then `δ[v] = σ[v] · acc[v]`.
//!
//! Every choice depends only on the graph and the source, so results are deterministic.

use clout_graph::NodeId;

use super::scratch::{Scratch, UNSEEN};
use super::{Net, Rows};

/// Relative costs that pick each step's direction, measured on ego-Facebook and wiki-Vote: a
/// top-down arc (an unpredictable branch) costs about twice a bottom-up arc (a plain gather),
/// a listed unseen node (a branch and a row lookup) about four, and a pushed arc (load, add,
/// store) about 1.5 pulled arcs.
const TOP_DOWN_ARC_COST: usize = 2;
const BOTTOM_UP_NODE_COST: usize = 4;
const PUSH_ARC_COST: usize = 3;
const PULL_ARC_COST: usize = 2;

/// BFS from `s` (forward pass): fills `level`, `sigma`, `order` and `level_start`; returns the
/// number of nodes reached (`order[..reached]`). `enterable` lists the nodes with at least one
/// in-arc, ascending (the only ones a bottom-up step can discover).
pub(super) fn forward(
    net: &Net<'_>,
    enterable: &[NodeId],
    s: NodeId,
    scratch: &mut Scratch,
) -> usize {
    let (out, inn) = (net.out, net.inn);
    let level: &mut [u32] = &mut scratch.level;
    let sigma: &mut [f64] = &mut scratch.sigma;
    let order: &mut [NodeId] = &mut scratch.order;
    let (level_start, unvisited, found) =
        (&mut scratch.level_start, &mut scratch.unvisited, &mut scratch.found);
    level_start.clear();
    unvisited.clear();
    let mut unvisited_listed = false;
    order[0] = s;
    let mut tail = 1;
    level[s as usize] = 0;
    sigma[s as usize] = 1.0;
    level_start.push(0);
    let mut unseen_in_arcs = inn.targets.len() - inn.degree(s);
    let mut unseen_enterable = enterable.len() - usize::from(inn.degree(s) > 0);
    loop {
        let (lo, hi) = (level_start[level_start.len() - 1], tail);
        if lo == hi {
            break;
        }
        level_start.push(hi);
        let next = level[order[lo] as usize] + 1;
        let top_down_arcs: usize = order[lo..hi].iter().map(|&v| out.degree(v)).sum();
        let bottom_up_cost = unseen_in_arcs + BOTTOM_UP_NODE_COST * unseen_enterable;
        if bottom_up_cost < TOP_DOWN_ARC_COST * top_down_arcs {
            if !unvisited_listed {
                unvisited.extend(enterable.iter().filter(|&&v| level[v as usize] == UNSEEN));
                unvisited_listed = true;
            }
            found.clear();
            unvisited.retain(|&w| {
                if level[w as usize] != UNSEEN {
                    return false; // discovered top-down since the list was made
                }
                let paths = gather_sum(inn.row(w), sigma);
                if paths > 0.0 {
                    found.push((w, paths));
                }
                paths == 0.0
            });
            for &(w, paths) in found.iter() {
                level[w as usize] = next;
                sigma[w as usize] = paths;
                order[tail] = w;
                tail += 1;
            }
        } else {
            for i in lo..hi {
                let v = order[i] as usize;
                let sigma_v = sigma[v];
                for &w in out.row(v as NodeId) {
                    let w = w as usize;
                    let w_level = level[w];
                    if w_level == UNSEEN {
                        level[w] = next;
                        sigma[w] = sigma_v;
                        order[tail] = w as NodeId;
                        tail += 1;
                    } else if w_level == next {
                        sigma[w] += sigma_v;
                    }
                }
            }
        }
        for &w in &order[hi..tail] {
            let degree = inn.degree(w);
            unseen_in_arcs -= degree;
            unseen_enterable -= usize::from(degree > 0);
        }
    }
    tail
}

/// Backward pass: adds `source_weight · δ[v] + endpoint` to `partial[v]` for every reached
/// `v ≠ s`, then restores the scratch invariants (`level` unseen, `sigma`, `coef`, `acc` zero).
pub(super) fn backward(
    net: &Net<'_>,
    reach: Option<&[f64]>,
    source_weight: f64,
    endpoint: f64,
    scratch: &mut Scratch,
    partial: &mut [f64],
) {
    let Scratch { level, sigma, coef, acc, order, level_start, .. } = scratch;
    let (out, inn) = (net.out, net.inn);
    let levels = level_start.len() - 1;
    let mut pushed = false;
    for d in (1..levels).rev() {
        let nodes = &order[level_start[d]..level_start[d + 1]];
        if d + 1 < levels {
            let successors = &order[level_start[d + 1]..level_start[d + 2]];
            let pull_arcs: usize = nodes.iter().map(|&v| out.degree(v)).sum();
            let push_arcs: usize = successors.iter().map(|&w| inn.degree(w)).sum();
            if PUSH_ARC_COST * push_arcs < PULL_ARC_COST * pull_arcs {
                pushed = true;
                push(inn, successors, coef, acc);
            } else {
                for &v in nodes {
                    acc[v as usize] = gather_sum(out.row(v), coef);
                }
            }
        }
        for &v in nodes {
            let v = v as usize;
            let delta = sigma[v] * acc[v];
            coef[v] = (reach.map_or(1.0, |r| r[v]) + delta) / sigma[v];
            partial[v] += source_weight * delta + endpoint;
        }
    }
    for &v in &order[..level_start[levels]] {
        let v = v as usize;
        level[v] = UNSEEN;
        sigma[v] = 0.0;
        coef[v] = 0.0;
        acc[v] = 0.0;
    }
    if pushed && !net.symmetric {
        acc.fill(0.0); // pushes may have reached unseen in-neighbours
    }
}

/// Adds `coef[w]` to `acc[u]` for every arc `u -> w` into the given nodes.
fn push(inn: Rows<'_>, successors: &[NodeId], coef: &[f64], acc: &mut [f64]) {
    for &w in successors {
        let c = coef[w as usize];
        for &u in inn.row(w) {
            acc[u as usize] += c;
        }
    }
}

/// `Σ values[i]` over `indices`, with four independent partial sums (a fixed order).
#[inline]
fn gather_sum(indices: &[NodeId], values: &[f64]) -> f64 {
    let mut lanes = [0.0f64; 4];
    let mut chunks = indices.chunks_exact(4);
    for c in &mut chunks {
        lanes[0] += values[c[0] as usize];
        lanes[1] += values[c[1] as usize];
        lanes[2] += values[c[2] as usize];
        lanes[3] += values[c[3] as usize];
    }
    let mut total = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
    for &i in chunks.remainder() {
        total += values[i as usize];
    }
    total
}
