//! Exact degree-1 folding for undirected graphs (Baglioni, Geraci, Pellegrini and Lastres,
//! ASONAM 2012; Sariyüce, Saule, Kaya and Çatalyürek, "Shattering and compressing networks for
//! betweenness centrality", SDM 2013, the degree-1 case).
//!
//! Repeatedly remove a vertex `u` of degree 1, attaching it to its one remaining neighbour `p`:
//! `p` now stands for `reach[p] += reach[u]` original vertices (`reach` starts at 1). What is
//! left, `G'`, keeps every shortest path between its vertices, and every original vertex lies in
//! the tree hanging off exactly one vertex of `G'`. With `N` the size of the component, the
//! ordered-pair betweenness splits exactly into:
//!
//! - a removed `u`: it cuts its component into branches — one per folded child `c` (size
//!   `reach[c]`) and the rest (size `N - reach[u]`) — and lies on every path between two
//!   branches and on no other: `B(u) = (N - 1)² - Σ_c reach[c]² - (N - reach[u])²`;
//! - a kept `v`: paths between two of its folded branches, `(reach[v] - 1)² - Σ_c reach[c]²`;
//!   paths from a folded branch to the rest of the component and back,
//!   `2 (reach[v] - 1)(N - reach[v])`; and paths between the trees of two other kept vertices
//!   `s'`, `t'`, which pass `v` exactly when the `G'` path `s' -> t'` does, each such pair
//!   weighing `reach[s'] · reach[t']`: Brandes on `G'` with source and target weights `reach`.
//!
//! Paper → code: `reach` = `reach` (Sariyüce's `reach`/`comp` values); `Σ_c reach[c]²` =
//! `child_squares`; `N` = `component_size`.
//!
//! Endpoints (NetworkX's `endpoints=True`) add `2 (N - 1)` to every vertex: it starts and ends a
//! path to each other vertex of its component.
//!
//! Cost: O(n + m) for the folding and the corrections, then Brandes on `G'`.

use std::borrow::Cow;

use clout_graph::NodeId;

use super::{Net, Rows, exact};

const KEPT: NodeId = NodeId::MAX;

/// Exact raw (ordered-pair) betweenness of an undirected graph with degree-1 folding, and the
/// number of folded vertices.
pub(super) fn exact_folded(net: &Net<'_>, endpoints: bool) -> (Vec<f64>, usize) {
    let n = net.node_count();
    let fold = fold_leaves(net);
    if fold.removal_order.is_empty() {
        let all: Vec<NodeId> = (0..n as NodeId).collect();
        return (exact::brandes(net, &all, None, endpoints), 0);
    }
    let (offsets, targets, reduced_lengths, kept) = induced(net, &fold.parent);
    let rows = Rows { offsets: &offsets, targets: &targets };
    let reduced = Net { out: rows, inn: rows, symmetric: true, lengths: reduced_lengths };
    let reduced_reach: Vec<f64> = kept.iter().map(|&v| fold.reach[v as usize]).collect();
    let reduced_sources: Vec<NodeId> = (0..kept.len() as NodeId).collect();
    let through = exact::brandes(&reduced, &reduced_sources, Some(&reduced_reach), false);

    let component_size = component_sizes(&reduced, &reduced_reach, &kept, &fold);
    let (reach, child_squares) = (&fold.reach, &fold.child_squares);
    let mut raw = vec![0.0; n];
    for (i, &v) in kept.iter().enumerate() {
        let v = v as usize;
        let (r, size) = (reach[v], component_size[v]);
        raw[v] =
            through[i] + (r - 1.0) * (r - 1.0) - child_squares[v] + 2.0 * (r - 1.0) * (size - r);
    }
    for &u in &fold.removal_order {
        let u = u as usize;
        let (r, size) = (reach[u], component_size[u]);
        raw[u] = (size - 1.0) * (size - 1.0) - child_squares[u] - (size - r) * (size - r);
    }
    if endpoints {
        raw.iter_mut().zip(&component_size).for_each(|(b, size)| *b += 2.0 * (size - 1.0));
    }
    (raw, fold.removal_order.len())
}

/// The outcome of folding.
struct Folding {
    /// Original vertices each vertex stands for (itself and everything folded into it).
    reach: Vec<f64>,
    /// `Σ reach[c]²` over the children folded into each vertex.
    child_squares: Vec<f64>,
    /// The neighbour a removed vertex was folded into; `KEPT` for vertices of `G'`.
    parent: Vec<NodeId>,
    /// Removed vertices, in removal order.
    removal_order: Vec<NodeId>,
}

/// Removes degree-1 vertices until none is left (self-loops do not count towards the degree;
/// a vertex with parallel arcs to one neighbour is never folded).
fn fold_leaves(net: &Net<'_>) -> Folding {
    let n = net.node_count();
    let mut degree: Vec<u32> =
        (0..n as NodeId).map(|v| net.row(v).0.iter().filter(|&&w| w != v).count() as u32).collect();
    let mut fold = Folding {
        reach: vec![1.0; n],
        child_squares: vec![0.0; n],
        parent: vec![KEPT; n],
        removal_order: Vec::new(),
    };
    let mut stack: Vec<NodeId> = (0..n as NodeId).filter(|&v| degree[v as usize] == 1).collect();
    stack.reverse(); // pop in ascending id order
    while let Some(u) = stack.pop() {
        if degree[u as usize] != 1 || fold.parent[u as usize] != KEPT {
            continue;
        }
        let p = *net
            .row(u)
            .0
            .iter()
            .find(|&&w| w != u && fold.parent[w as usize] == KEPT)
            .expect("a degree-1 vertex has a remaining neighbour");
        let (ui, pi) = (u as usize, p as usize);
        fold.parent[ui] = p;
        fold.removal_order.push(u);
        degree[ui] = 0;
        fold.reach[pi] += fold.reach[ui];
        fold.child_squares[pi] += fold.reach[ui] * fold.reach[ui];
        degree[pi] -= 1;
        if degree[pi] == 1 {
            stack.push(p);
        }
    }
    fold
}

/// The subgraph induced by the kept vertices, renumbered in ascending order (rows stay sorted):
/// CSR offsets and targets, arc lengths, and the original id of each new id.
type Induced<'a> = (Vec<u64>, Vec<NodeId>, Option<Cow<'a, [f64]>>, Vec<NodeId>);

fn induced<'a>(net: &Net<'a>, parent: &[NodeId]) -> Induced<'a> {
    let kept: Vec<NodeId> =
        (0..parent.len() as NodeId).filter(|&v| parent[v as usize] == KEPT).collect();
    let mut new_id = vec![KEPT; parent.len()];
    kept.iter().enumerate().for_each(|(i, &v)| new_id[v as usize] = i as NodeId);
    let mut offsets = Vec::with_capacity(kept.len() + 1);
    let mut targets = Vec::new();
    let mut lengths = net.lengths.as_ref().map(|_| Vec::new());
    offsets.push(0u64);
    for &v in &kept {
        let (row, first) = net.row(v);
        for (i, &w) in row.iter().enumerate() {
            if new_id[w as usize] != KEPT {
                targets.push(new_id[w as usize]);
                if let (Some(out), Some(all)) = (lengths.as_mut(), net.lengths.as_ref()) {
                    out.push(all[first + i]);
                }
            }
        }
        offsets.push(targets.len() as u64);
    }
    (offsets, targets, lengths.map(Cow::Owned), kept)
}

/// The size (in original vertices) of every original vertex's component: the `reach` sum over
/// its `G'` component, handed down the folding forest.
fn component_sizes(
    reduced: &Net<'_>,
    reduced_reach: &[f64],
    kept: &[NodeId],
    fold: &Folding,
) -> Vec<f64> {
    let k = reduced.node_count();
    let mut label = vec![KEPT; k];
    let mut totals: Vec<f64> = Vec::new();
    let mut queue: Vec<NodeId> = Vec::new();
    for root in 0..k as NodeId {
        if label[root as usize] != KEPT {
            continue;
        }
        let id = totals.len() as NodeId;
        let mut total = 0.0;
        label[root as usize] = id;
        queue.clear();
        queue.push(root);
        while let Some(v) = queue.pop() {
            total += reduced_reach[v as usize];
            for &w in reduced.row(v).0 {
                if label[w as usize] == KEPT {
                    label[w as usize] = id;
                    queue.push(w);
                }
            }
        }
        totals.push(total);
    }
    let mut size = vec![0.0; fold.parent.len()];
    for (i, &v) in kept.iter().enumerate() {
        size[v as usize] = totals[label[i] as usize];
    }
    // A parent is removed after its children (or kept), so reverse removal order sees it first.
    for &u in fold.removal_order.iter().rev() {
        size[u as usize] = size[fold.parent[u as usize] as usize];
    }
    size
}
