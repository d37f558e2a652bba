//! Degree counts: in-, out- and total degree, their weighted versions, and NetworkX-style
//! normalized degree centrality.
//!
//! # Naming
//! Degrees are named in clout's **influence** direction, as [`Graph::out_degree`] and
//! [`Graph::in_degree`] are. For a follower file (`A B` = "A follows B", stored as `B -> A`):
//!
//! | clout | meaning | NetworkX on the file's `DiGraph` |
//! |---|---|---|
//! | [`Degrees::out_degree`] | followers: accounts that can hear `v` | `in_degree(v)` |
//! | [`Degrees::in_degree`] | following: accounts `v` listens to | `out_degree(v)` |
//! | [`Degrees::total`] | both | `degree(v)` |
//!
//! For an undirected graph the three coincide with NetworkX's `degree` except that NetworkX
//! counts a self-loop twice in `degree`; [`Degrees::total`] does too, while `in_degree` and
//! `out_degree` (the stored row lengths) count it once.
//!
//! Cost: O(n) for unweighted degrees (they are row lengths), O(n + m) for weighted ones; both
//! parallel over nodes and deterministic (each node's weights are summed in row order).

use rayon::prelude::*;
use serde::Serialize;

use clout_graph::{Graph, NodeId};

use crate::CentralityError;

/// Which degree to use, in the influence direction (see the [module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DegreeKind {
    /// Arcs entering `v`: for a follower graph, the accounts `v` follows (NetworkX `out_degree`).
    In,
    /// Arcs leaving `v`: for a follower graph, `v`'s followers (NetworkX `in_degree`).
    Out,
    /// In plus out (NetworkX `degree`). Default.
    #[default]
    Total,
}

/// Unweighted degrees of every node (dense ids), in the influence direction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Degrees {
    /// Arcs leaving each node. For a follower graph: its followers.
    pub out_degree: Vec<u64>,
    /// Arcs entering each node. For a follower graph: the accounts it follows.
    pub in_degree: Vec<u64>,
    /// NetworkX's `degree`: in + out for a directed graph; for an undirected graph the number of
    /// incident edges with a self-loop counted twice.
    pub total: Vec<u64>,
}

impl Degrees {
    /// The degrees of the given kind.
    pub fn get(&self, kind: DegreeKind) -> &[u64] {
        match kind {
            DegreeKind::In => &self.in_degree,
            DegreeKind::Out => &self.out_degree,
            DegreeKind::Total => &self.total,
        }
    }

    /// Followers of each node in a follower graph (the influence out-degree).
    pub fn followers(&self) -> &[u64] {
        &self.out_degree
    }

    /// Accounts each node follows in a follower graph (the influence in-degree).
    pub fn following(&self) -> &[u64] {
        &self.in_degree
    }
}

/// Weighted degrees (sums of arc weights) of every node, in the influence direction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightedDegrees {
    /// Sum of the weights of arcs leaving each node.
    pub out_weight: Vec<f64>,
    /// Sum of the weights of arcs entering each node.
    pub in_weight: Vec<f64>,
    /// NetworkX's weighted `degree`: in + out for a directed graph; for an undirected graph the
    /// sum over incident edges with a self-loop's weight counted twice.
    pub total: Vec<f64>,
}

impl WeightedDegrees {
    /// The weighted degrees of the given kind.
    pub fn get(&self, kind: DegreeKind) -> &[f64] {
        match kind {
            DegreeKind::In => &self.in_weight,
            DegreeKind::Out => &self.out_weight,
            DegreeKind::Total => &self.total,
        }
    }
}

/// In-, out- and total degree of every node. See the [module docs](self) for naming.
///
/// O(n) time and memory, parallel.
///
/// ```
/// // "0 follows 1" and "2 follows 1", stored as influence arcs 1 -> 0 and 1 -> 2.
/// let g = clout_graph::from_pairs(3, &[(1, 0), (1, 2)], true);
/// let d = clout_centrality::degrees(&g);
/// assert_eq!(d.followers(), &[0, 2, 0]);
/// assert_eq!(d.following(), &[1, 0, 1]);
/// ```
pub fn degrees(g: &Graph) -> Degrees {
    let nodes = 0..g.node_count() as NodeId;
    let out_degree: Vec<u64> =
        nodes.clone().into_par_iter().map(|v| g.out_degree(v) as u64).collect();
    let in_degree: Vec<u64> = if g.is_directed() {
        nodes.clone().into_par_iter().map(|v| g.in_degree(v) as u64).collect()
    } else {
        out_degree.clone()
    };
    let total = nodes
        .into_par_iter()
        .map(|v| {
            let i = v as usize;
            if g.is_directed() {
                out_degree[i] + in_degree[i]
            } else {
                out_degree[i] + u64::from(g.has_arc(v, v))
            }
        })
        .collect();
    Degrees { out_degree, in_degree, total }
}

/// Weighted in-, out- and total degree of every node (sums of arc weights, any sign).
///
/// # Errors
/// [`CentralityError::Unweighted`] if the graph has no weights.
///
/// O(n + m) time, O(n) memory, parallel; each node's weights are summed in row order.
pub fn weighted_degrees(g: &Graph) -> Result<WeightedDegrees, CentralityError> {
    if !g.is_weighted() || (g.is_directed() && g.in_adjacency().weights.is_none()) {
        return Err(CentralityError::Unweighted);
    }
    let nodes = 0..g.node_count() as NodeId;
    let row_sum = |w: Option<&[f64]>| w.map_or(0.0, |w| w.iter().sum::<f64>());
    let out_weight: Vec<f64> =
        nodes.clone().into_par_iter().map(|v| row_sum(g.out_weights(v))).collect();
    let in_weight: Vec<f64> = if g.is_directed() {
        nodes.clone().into_par_iter().map(|v| row_sum(g.in_weights(v))).collect()
    } else {
        out_weight.clone()
    };
    let total = nodes
        .into_par_iter()
        .map(|v| {
            let i = v as usize;
            if g.is_directed() {
                out_weight[i] + in_weight[i]
            } else {
                out_weight[i] + self_loop_weight(g, v)
            }
        })
        .collect();
    Ok(WeightedDegrees { out_weight, in_weight, total })
}

fn self_loop_weight(g: &Graph, v: NodeId) -> f64 {
    match (g.out_neighbors(v).binary_search(&v), g.out_weights(v)) {
        (Ok(at), Some(w)) => w[at],
        _ => 0.0,
    }
}

/// Degree centrality: the degree of each node divided by `n - 1`, the largest possible simple
/// degree, as NetworkX's `degree_centrality` (kind [`DegreeKind::Total`]), and, on a follower
/// graph, `in_degree_centrality` ([`DegreeKind::Out`], followers) and `out_degree_centrality`
/// ([`DegreeKind::In`]). A graph with one node gives `[1.0]`, as NetworkX does.
///
/// O(n) time and memory, parallel.
pub fn degree_centrality(g: &Graph, kind: DegreeKind) -> Vec<f64> {
    let n = g.node_count();
    if n <= 1 {
        return vec![1.0; n];
    }
    let scale = 1.0 / (n - 1) as f64;
    degrees(g).get(kind).par_iter().map(|&d| d as f64 * scale).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follower_naming() {
        // Lines "0 1", "2 1", "1 3": 0 and 2 follow 1, 1 follows 3.
        let g = clout_graph::from_pairs(4, &[(1, 0), (1, 2), (3, 1)], true);
        let d = degrees(&g);
        assert_eq!(d.followers(), &[0, 2, 0, 1]);
        assert_eq!(d.following(), &[1, 1, 1, 0]);
        assert_eq!(d.total, vec![1, 3, 1, 1]);
        let c = degree_centrality(&g, DegreeKind::Out);
        assert_eq!(c, vec![0.0, 2.0 / 3.0, 0.0, 1.0 / 3.0]);
    }

    #[test]
    fn undirected_self_loop_counts_twice_in_total() {
        let cfg = clout_graph::BuildConfig {
            directed: false,
            self_loops: clout_graph::SelfLoops::Keep,
            ..Default::default()
        };
        let edges = clout_graph::EdgeList {
            weights: Some(vec![2.0, 5.0]),
            ..clout_graph::EdgeList::from_pairs(2, &[(0, 1), (1, 1)])
        };
        let g = clout_graph::build(edges, &cfg, Default::default()).unwrap();
        let d = degrees(&g);
        assert_eq!(d.out_degree, vec![1, 2]);
        assert_eq!(d.total, vec![1, 3]);
        let w = weighted_degrees(&g).unwrap();
        assert_eq!(w.out_weight, vec![2.0, 7.0]);
        assert_eq!(w.total, vec![2.0, 12.0]);
    }

    #[test]
    fn weighted_needs_weights() {
        let g = clout_graph::from_pairs(2, &[(0, 1)], true);
        assert_eq!(weighted_degrees(&g), Err(CentralityError::Unweighted));
        assert_eq!(
            degree_centrality(&clout_graph::from_pairs(1, &[], true), DegreeKind::Total),
            vec![1.0]
        );
    }
}
