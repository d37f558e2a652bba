//! Collective influence (CI): the score of every node by parallel bounded BFS, the adaptive CI
//! ranking that "identifies spreaders" ([`collective_influence_ranking`]), and their
//! brute-force verifiers.
//!
//! ```text
//! CI_ℓ(i) = (k_i - 1) · Σ_{j ∈ ∂Ball(i, ℓ)} (k_j - 1)
//! ```
//!
//! where `k` is the degree and `∂Ball(i, ℓ)` the set of nodes at distance **exactly** `ℓ` from
//! `i` (Morone and Makse, "Influence maximization in complex networks through optimal
//! percolation", Nature 524, 65–68, 2015, eq. 3). `k - 1` is read as 0 for `k = 0`, so every
//! node of degree 0 or 1 scores 0 (as in the authors' reference code, which returns 0 for them).
//! `ℓ = 0` is allowed: `∂Ball(i, 0) = {i}` and `CI_0(i) = (k_i - 1)²`.
//! Paper → code: `ℓ` = `radius`, `k_i` = `degree[i]`, `k - 1` = `excess(k)`, the sum over the
//! ball boundary = `boundary_sum`.
//!
//! # Directed graphs
//! The paper treats undirected graphs and defines no directed variant, so [`CiDirection`] fixes
//! clout's convention. The default, [`CiDirection::Influence`], uses the **influence
//! out-degree** and distances **along influence arcs**: `k_i - 1` counts the onward routes
//! `i`'s voice has beyond one, and the boundary sum counts the onward routes at the nodes it
//! reaches in exactly `ℓ` hops. Why: CI counts non-backtracking walks leaving `i`, and influence
//! walks leave along out-arcs; keeping the paper's `- 1` makes a digraph whose arcs are all
//! reciprocated give exactly the undirected CI (out-degree = degree, directed distance =
//! distance), which mixes of in- and out-degree do not. For a follower file (`A B` = "A follows
//! B", arc `B -> A`) `k^out` is the follower count and the ball grows through followers of
//! followers. [`CiDirection::Exposure`] is the same on reversed arcs; [`CiDirection::Undirected`]
//! ignores direction (degree = number of distinct neighbours either way), which is the reading
//! of CI as network dismantling (the giant weakly connected component). Self-loops are refused
//! ([`CentralityError::SelfLoop`]).
//!
//! # Score versus ranking
//! [`collective_influence`] is the static score: one pass, every node measured in the whole
//! graph. The paper's algorithm is adaptive: remove the node of highest CI, recompute the CI of
//! the nodes it affected, repeat. Removing a hub lowers the CI of its surroundings, so the next
//! pick is a node that covers a *different* part of the graph: the removal order of
//! [`collective_influence_ranking`] is a set of complementary spreaders (the optimal-percolation
//! "influencers"), whereas the top of the static score tends to cluster around one hub.
//!
//! # Cost and determinism
//! The score runs bounded BFS to depth `ℓ` from every node of degree at least 2, 128 nodes at a
//! time by bit-parallel multi-source BFS (each row scan up to depth `ℓ - 1` is shared by the
//! batch), in parallel over batches, on a copy of the rows renumbered by in-degree so that the
//! hottest nodes share cache lines; nodes are batched by their hottest neighbour. Time
//! O(Σ_i (arcs scanned in Ball(i, ℓ - 1) + |∂Ball(i, ℓ)|)), i.e. O(n · average ball size);
//! memory `4m + 12n` bytes for the copy plus 32 bytes per node per rayon job. Scores are
//! integers (saturating at `u64::MAX`, reachable only beyond `2³²` arcs), hence identical at
//! any thread count.

use rayon::prelude::*;
use serde::Serialize;

use clout_graph::{Adjacency, Graph, NodeId};

use crate::CentralityError;

mod batch;
mod ranking;
use batch::{Renumbered, initial_scores};
pub use ranking::{CiRanking, CiRankingConfig, collective_influence_ranking, verify_ci_ranking};

/// Which degree and distances define CI on a directed graph (ignored for undirected graphs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CiDirection {
    /// Influence out-degree and distances along influence arcs. For a follower graph: followers,
    /// and followers of followers. Default.
    #[default]
    Influence,
    /// Influence in-degree and distances against influence arcs (the same on reversed arcs).
    Exposure,
    /// Direction ignored: degree = distinct neighbours either way, distances in the underlying
    /// undirected graph.
    Undirected,
}

/// Parameters of [`collective_influence`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CollectiveInfluenceConfig {
    /// The ball radius `ℓ`. Default 2 (the paper uses 2 to 5; larger is slower).
    pub radius: u32,
    /// The directed convention. Default [`CiDirection::Influence`].
    pub direction: CiDirection,
}

impl Default for CollectiveInfluenceConfig {
    fn default() -> Self {
        CollectiveInfluenceConfig { radius: 2, direction: CiDirection::Influence }
    }
}

/// The result of [`collective_influence`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CollectiveInfluence {
    /// `CI_ℓ` of each node (dense ids).
    pub scores: Vec<u64>,
    /// The radius `ℓ` used.
    pub radius: u32,
}

/// `CI_ℓ` of every node (see the [module docs](self) for the definition, the directed
/// convention and the cost).
///
/// # Errors
/// [`CentralityError::SelfLoop`] if the graph has a self-loop.
///
/// # Complexity
/// O(n · average ball size) time, parallel over batches of 128 nodes; O(n) memory per rayon job.
///
/// # Example
/// A star with centre 0 and leaves 1, 2, 3, and a tail 3 - 4 - 5:
/// ```
/// use clout_centrality::{CollectiveInfluenceConfig, collective_influence};
/// let g = clout_graph::from_pairs(6, &[(0, 1), (0, 2), (0, 3), (3, 4), (4, 5)], false);
/// let ci = collective_influence(&g, &CollectiveInfluenceConfig::default()).unwrap();
/// // Node 0: (3 - 1) · (k_4 - 1) = 2; node 3: (2 - 1) · ((k_1 - 1) + (k_2 - 1) + (k_5 - 1)) = 0;
/// // node 4: (2 - 1) · (k_0 - 1) = 2.
/// assert_eq!(ci.scores, vec![2, 0, 0, 0, 2, 0]);
/// ```
pub fn collective_influence(
    g: &Graph,
    cfg: &CollectiveInfluenceConfig,
) -> Result<CollectiveInfluence, CentralityError> {
    refuse_self_loops(g)?;
    let view = View::new(g, cfg.direction);
    let renumbered = Renumbered::new(&view, &view.degrees(g.node_count()), false);
    let mut scores = vec![0u64; g.node_count()];
    for (new, [ci, _]) in initial_scores(&renumbered, cfg.radius).into_iter().enumerate() {
        scores[renumbered.old[new] as usize] = ci;
    }
    Ok(CollectiveInfluence { scores, radius: cfg.radius })
}

/// Checks a [`CollectiveInfluence`] result by brute force: for every node, a plain serial BFS to
/// depth `ℓ`, its boundary and degrees counted from scratch. Cost O(n · average ball size),
/// serial.
pub fn verify_collective_influence(
    g: &Graph,
    cfg: &CollectiveInfluenceConfig,
    result: &CollectiveInfluence,
) -> Result<(), String> {
    if result.radius != cfg.radius {
        return Err(format!("result radius {}, config radius {}", result.radius, cfg.radius));
    }
    let want = brute_force(&View::new(g, cfg.direction), cfg.radius, &vec![true; g.node_count()]);
    compare(&result.scores, &want)
}

pub(crate) fn compare(got: &[u64], want: &[u64]) -> Result<(), String> {
    if got.len() != want.len() {
        return Err(format!("{} scores for {} nodes", got.len(), want.len()));
    }
    match got.iter().zip(want).position(|(a, b)| a != b) {
        Some(v) => Err(format!("node {v}: CI {}, brute force {}", got[v], want[v])),
        None => Ok(()),
    }
}

pub(crate) fn refuse_self_loops(g: &Graph) -> Result<(), CentralityError> {
    match g.nodes().into_par_iter().find_first(|&v| g.has_arc(v, v)) {
        Some(node) => Err(CentralityError::SelfLoop { node }),
        None => Ok(()),
    }
}

/// `k - 1`, or 0 for `k = 0`.
#[inline]
pub(crate) fn excess(k: u32) -> u64 {
    u64::from(k.saturating_sub(1))
}

/// The rows a direction reads: `forward` rows give the ball around a node, `backward` rows the
/// nodes whose ball or degree involves it. Two rows (out and in) for the undirected view of a
/// directed graph, one otherwise.
#[derive(Clone, Copy)]
pub(crate) struct View<'g> {
    forward: [&'g Adjacency; 2],
    backward: [&'g Adjacency; 2],
    rows: usize,
    symmetric: bool,
}

impl<'g> View<'g> {
    pub(crate) fn new(g: &'g Graph, direction: CiDirection) -> View<'g> {
        let (out, inn) = (g.out_adjacency(), g.in_adjacency());
        let (forward, backward, rows, symmetric) = match (g.is_directed(), direction) {
            (false, _) => ([out, out], [out, out], 1, true),
            (true, CiDirection::Influence) => ([out, out], [inn, inn], 1, false),
            (true, CiDirection::Exposure) => ([inn, inn], [out, out], 1, false),
            (true, CiDirection::Undirected) => ([out, inn], [out, inn], 2, true),
        };
        View { forward, backward, rows, symmetric }
    }

    pub(crate) fn forward(&self) -> &[&'g Adjacency] {
        &self.forward[..self.rows]
    }

    pub(crate) fn backward(&self) -> &[&'g Adjacency] {
        &self.backward[..self.rows]
    }

    /// Whether backward and forward rows are the same (undirected graph or undirected view).
    pub(crate) fn symmetric(&self) -> bool {
        self.symmetric
    }

    /// Degree of every node: its number of distinct forward neighbours.
    pub(crate) fn degrees(&self, n: usize) -> Vec<u32> {
        (0..n as NodeId)
            .into_par_iter()
            .map(|v| {
                let mut k = 0u32;
                for_each_distinct(self.forward(), v, |_| k += 1);
                k
            })
            .collect()
    }
}

/// Calls `f` once for each distinct node in `v`'s rows (one row, or two sorted rows merged).
pub(crate) fn for_each_distinct(rows: &[&Adjacency], v: NodeId, mut f: impl FnMut(NodeId)) {
    match rows {
        [a] => a.row(v).iter().for_each(|&w| f(w)),
        [a, b] => {
            let (a, b) = (a.row(v), b.row(v));
            let (mut i, mut j) = (0, 0);
            while i < a.len() || j < b.len() {
                let w = match (a.get(i), b.get(j)) {
                    (Some(&x), Some(&y)) if x == y => {
                        (i, j) = (i + 1, j + 1);
                        x
                    }
                    (Some(&x), Some(&y)) if x < y => {
                        i += 1;
                        x
                    }
                    (Some(&x), None) => {
                        i += 1;
                        x
                    }
                    (_, Some(&y)) => {
                        j += 1;
                        y
                    }
                    (None, None) => unreachable!(),
                };
                f(w);
            }
        }
        _ => unreachable!("one or two rows"),
    }
}

/// CI of every node in the subgraph of `alive` nodes, from the definition: degrees counted
/// afresh, one plain serial BFS per node. The verifiers' reference.
pub(crate) fn brute_force(view: &View<'_>, radius: u32, alive: &[bool]) -> Vec<u64> {
    let n = alive.len();
    let degree_of = |v: NodeId| {
        let mut k = 0;
        for_each_distinct(view.forward(), v, |w| k += u32::from(alive[w as usize]));
        k
    };
    let mut dist = vec![u32::MAX; n];
    let mut scores = vec![0u64; n];
    for i in 0..n {
        if !alive[i] {
            continue;
        }
        let mut reached = vec![i as NodeId];
        dist[i] = 0;
        let mut head = 0;
        let mut boundary_sum = 0u64;
        while head < reached.len() {
            let u = reached[head];
            head += 1;
            let d = dist[u as usize];
            if d == radius {
                boundary_sum += excess(degree_of(u));
                continue;
            }
            for_each_distinct(view.forward(), u, |w| {
                if alive[w as usize] && dist[w as usize] == u32::MAX {
                    dist[w as usize] = d + 1;
                    reached.push(w);
                }
            });
        }
        for &w in &reached {
            dist[w as usize] = u32::MAX;
        }
        scores[i] = excess(degree_of(i as NodeId)).saturating_mul(boundary_sum);
    }
    scores
}
