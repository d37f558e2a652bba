//! Summary statistics of a [`Graph`] ([`graph_stats`]): sizes, provenance, degree ranges, weight
//! and sign totals, sinks and sources, reciprocity, components and memory, in one serializable
//! [`GraphStats`] record (what `clout stats` prints).

use rayon::prelude::*;
use serde::Serialize;

use crate::components::{strongly_connected_components, weakly_connected_components};
use crate::graph::{EdgeReading, Graph, NodeId};

/// Everything [`graph_stats`] reports about a graph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphStats {
    /// Number of nodes.
    pub nodes: usize,
    /// Number of edges ([`Graph::edge_count`]: arcs if directed, each undirected edge once).
    pub edges: usize,
    /// Number of stored arcs ([`Graph::arc_count`]).
    pub arcs: usize,
    /// Whether the graph is directed.
    pub directed: bool,
    /// How input lines were turned into influence arcs.
    pub reading: EdgeReading,
    /// True for generated graphs.
    pub synthetic: bool,
    /// Input file names or generator parameters.
    pub provenance: String,
    /// Input edges read, before the build policies.
    pub input_edges: u64,
    /// Self-loops dropped by the self-loop policy.
    pub self_loops_dropped: u64,
    /// Self-loops kept in the graph.
    pub self_loops_kept: u64,
    /// Duplicate input edges merged by the duplicate policy.
    pub duplicates_merged: u64,
    /// Out-degrees (row lengths of the out-adjacency); `None` for a graph without nodes.
    pub out_degree: Option<DegreeStats>,
    /// In-degrees (row lengths of the in-adjacency; equal to out-degrees when undirected).
    pub in_degree: Option<DegreeStats>,
    /// Weight totals, if the graph is weighted.
    pub weights: Option<WeightStats>,
    /// Sign counts, if the graph is signed.
    pub signs: Option<SignStats>,
    /// Nodes with no out-arcs. Arcs point the way influence flows, so in a follower graph these
    /// are the accounts whose posts reach nobody.
    pub without_out_arcs: usize,
    /// Nodes with no in-arcs: nobody influences them.
    pub without_in_arcs: usize,
    /// Nodes with no arcs at all (a node whose only arc is a kept self-loop is not isolated).
    pub isolated: usize,
    /// NetworkX's `overall_reciprocity`: the fraction of arcs `u -> v` whose reverse `v -> u`
    /// also exists. Self-loops count in the denominator and never as reciprocated; in a
    /// multigraph every copy counts. `None` for an undirected graph (where every edge is mutual
    /// by construction; NetworkX returns a meaningless 0.0 there) and for a graph without arcs
    /// (NetworkX raises "Not defined for empty graphs").
    pub reciprocity: Option<f64>,
    /// Weakly connected components (for an undirected graph, its connected components).
    pub weak_components: ComponentStats,
    /// Strongly connected components, for a directed graph (`None` when undirected: they
    /// would equal the weak components).
    pub strong_components: Option<ComponentStats>,
    /// Bytes held by the graph's arrays ([`Graph::memory_bytes`]).
    pub memory_bytes: usize,
}

/// Minimum, mean and maximum of a degree sequence.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DegreeStats {
    /// Smallest degree.
    pub min: usize,
    /// Mean degree: arcs / nodes.
    pub mean: f64,
    /// Largest degree.
    pub max: usize,
}

/// Totals of the arc weights, counted like [`GraphStats::edges`]: every arc of a directed graph,
/// each edge of an undirected graph once (as NetworkX's `size(weight=...)` does).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WeightStats {
    /// Sum of the weights, added in CSR order in fixed blocks (bit-identical at any thread count).
    pub total: f64,
    /// Smallest weight; `None` without arcs.
    pub min: Option<f64>,
    /// Largest weight; `None` without arcs.
    pub max: Option<f64>,
}

/// Sign counts, counted like [`GraphStats::edges`] (so `positive + negative == edges`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SignStats {
    /// Arcs (edges, if undirected) with sign +1.
    pub positive: u64,
    /// Arcs (edges, if undirected) with sign -1.
    pub negative: u64,
}

/// Number of components and the size of the largest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ComponentStats {
    /// Number of components.
    pub count: usize,
    /// Nodes in the largest component (0 for a graph without nodes).
    pub largest: usize,
}

/// Computes [`GraphStats`] for `g`.
///
/// One parallel pass over fixed blocks of nodes gathers degrees, sinks and sources, weights,
/// signs and reciprocal arcs (a merge of each node's sorted out- and in-rows); the blocks'
/// partial results are combined in block order, so the result, floating-point total included,
/// is identical at any thread count. Components come from
/// [`crate::components`], computed alongside.
///
/// Time O(n + m) (plus the components' near-linear union-find); extra space O(n) for the
/// components.
///
/// ```
/// use clout_graph::{from_pairs, stats::graph_stats};
/// let g = from_pairs(3, &[(0, 1), (1, 0), (1, 2)], true);
/// let s = graph_stats(&g);
/// assert_eq!(s.reciprocity, Some(2.0 / 3.0));
/// assert_eq!((s.without_out_arcs, s.strong_components.unwrap().count), (1, 2));
/// ```
pub fn graph_stats(g: &Graph) -> GraphStats {
    let (pass, (weak, strong)) = rayon::join(
        || node_pass(g),
        || {
            rayon::join(
                || weakly_connected_components(g),
                || g.is_directed().then(|| strongly_connected_components(g)),
            )
        },
    );
    let n = g.node_count();
    let degree = |min: usize, max: usize| {
        (n > 0).then(|| DegreeStats { min, mean: g.arc_count() as f64 / n as f64, max })
    };
    let info = g.info();
    let summary = |c: &crate::components::Components| ComponentStats {
        count: c.count,
        largest: c.largest_size(),
    };
    GraphStats {
        nodes: n,
        edges: g.edge_count(),
        arcs: g.arc_count(),
        directed: g.is_directed(),
        reading: info.reading,
        synthetic: info.synthetic,
        provenance: info.provenance.clone(),
        input_edges: info.input_edges,
        self_loops_dropped: info.self_loops_dropped,
        self_loops_kept: info.self_loops_kept,
        duplicates_merged: info.duplicates_merged,
        out_degree: degree(pass.out_min, pass.out_max),
        in_degree: degree(pass.in_min, pass.in_max),
        weights: g.is_weighted().then_some(WeightStats {
            total: pass.weight_total,
            min: pass.weight_min,
            max: pass.weight_max,
        }),
        signs: g
            .is_signed()
            .then_some(SignStats { positive: pass.positive, negative: pass.negative }),
        without_out_arcs: pass.without_out,
        without_in_arcs: pass.without_in,
        isolated: pass.isolated,
        reciprocity: (g.is_directed() && g.arc_count() > 0)
            .then(|| pass.reciprocated as f64 / g.arc_count() as f64),
        weak_components: summary(&weak),
        strong_components: strong.as_ref().map(summary),
        memory_bytes: g.memory_bytes(),
    }
}

/// Nodes per block of the node pass. Fixed (not derived from the thread count) so that the
/// order in which weights are added never changes.
const BLOCK: usize = 1 << 14;

/// What one block of nodes contributes.
#[derive(Debug, Clone, Copy)]
struct Partial {
    out_min: usize,
    out_max: usize,
    in_min: usize,
    in_max: usize,
    without_out: usize,
    without_in: usize,
    isolated: usize,
    reciprocated: u64,
    weight_total: f64,
    weight_min: Option<f64>,
    weight_max: Option<f64>,
    positive: u64,
    negative: u64,
}

impl Partial {
    const EMPTY: Partial = Partial {
        out_min: usize::MAX,
        out_max: 0,
        in_min: usize::MAX,
        in_max: 0,
        without_out: 0,
        without_in: 0,
        isolated: 0,
        reciprocated: 0,
        weight_total: 0.0,
        weight_min: None,
        weight_max: None,
        positive: 0,
        negative: 0,
    };

    /// Combines `self` (earlier nodes) with `later`.
    fn then(self, later: Partial) -> Partial {
        let pick = |a: Option<f64>, b: Option<f64>, f: fn(f64, f64) -> f64| match (a, b) {
            (Some(x), Some(y)) => Some(f(x, y)),
            (x, y) => x.or(y),
        };
        Partial {
            out_min: self.out_min.min(later.out_min),
            out_max: self.out_max.max(later.out_max),
            in_min: self.in_min.min(later.in_min),
            in_max: self.in_max.max(later.in_max),
            without_out: self.without_out + later.without_out,
            without_in: self.without_in + later.without_in,
            isolated: self.isolated + later.isolated,
            reciprocated: self.reciprocated + later.reciprocated,
            weight_total: self.weight_total + later.weight_total,
            weight_min: pick(self.weight_min, later.weight_min, f64::min),
            weight_max: pick(self.weight_max, later.weight_max, f64::max),
            positive: self.positive + later.positive,
            negative: self.negative + later.negative,
        }
    }
}

fn node_pass(g: &Graph) -> Partial {
    let n = g.node_count();
    let blocks: Vec<Partial> = (0..n.div_ceil(BLOCK))
        .into_par_iter()
        .map(|b| {
            let nodes = (b * BLOCK) as NodeId..((b + 1) * BLOCK).min(n) as NodeId;
            nodes.fold(Partial::EMPTY, |acc, u| acc.then(node_partial(g, u)))
        })
        .collect();
    blocks.into_iter().fold(Partial::EMPTY, Partial::then)
}

/// One node's contribution.
fn node_partial(g: &Graph, u: NodeId) -> Partial {
    let (out, inn) = (g.out_neighbors(u), g.in_neighbors(u));
    let mut p = Partial {
        out_min: out.len(),
        out_max: out.len(),
        in_min: inn.len(),
        in_max: inn.len(),
        without_out: usize::from(out.is_empty()),
        without_in: usize::from(inn.is_empty()),
        isolated: usize::from(out.is_empty() && inn.is_empty()),
        ..Partial::EMPTY
    };
    if g.is_directed() {
        // Arcs u -> v with v -> u: targets of u that are also sources into u (merge of two
        // sorted rows; duplicates on the out side each count).
        let mut j = 0;
        for &v in out {
            while j < inn.len() && inn[j] < v {
                j += 1;
            }
            if v != u && j < inn.len() && inn[j] == v {
                p.reciprocated += 1;
            }
        }
    }
    // Weights and signs count each undirected edge once: from its smaller endpoint.
    let counted = |v: NodeId| g.is_directed() || v >= u;
    if let Some(weights) = g.out_weights(u) {
        for (_, &w) in out.iter().zip(weights).filter(|&(&v, _)| counted(v)) {
            p.weight_total += w;
            p.weight_min = Some(p.weight_min.map_or(w, |m| m.min(w)));
            p.weight_max = Some(p.weight_max.map_or(w, |m| m.max(w)));
        }
    }
    if let Some(signs) = g.out_signs(u) {
        for (_, &sign) in out.iter().zip(signs).filter(|&(&v, _)| counted(v)) {
            if sign > 0 {
                p.positive += 1;
            } else {
                p.negative += 1;
            }
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::{BuildConfig, EdgeList, SelfLoops, build, from_pairs};
    use crate::generate::gnm;
    use crate::graph::GraphInfo;
    use crate::rng::Rng;
    use proptest::prelude::*;

    fn assert_serializable<T: Serialize>(_: &T) {}

    #[test]
    fn small_directed_graph() {
        // 0 <-> 1 -> 2 -> 3, and 4 alone.
        let g = from_pairs(5, &[(0, 1), (1, 0), (1, 2), (2, 3)], true);
        let s = graph_stats(&g);
        assert_serializable(&s);
        assert_eq!((s.nodes, s.edges, s.arcs, s.directed), (5, 4, 4, true));
        assert_eq!(s.reading, EdgeReading::Influence);
        assert_eq!(s.out_degree, Some(DegreeStats { min: 0, mean: 0.8, max: 2 }));
        assert_eq!(s.in_degree, Some(DegreeStats { min: 0, mean: 0.8, max: 1 }));
        assert_eq!((s.without_out_arcs, s.without_in_arcs, s.isolated), (2, 1, 1));
        assert_eq!(s.reciprocity, Some(0.5));
        assert_eq!(s.weak_components, ComponentStats { count: 2, largest: 4 });
        assert_eq!(s.strong_components, Some(ComponentStats { count: 4, largest: 2 }));
        assert_eq!((s.weights, s.signs), (None, None));
        // offsets 2 x 6 x 8 + targets 2 x 4 x 4.
        assert_eq!(s.memory_bytes, 96 + 32);
    }

    #[test]
    fn self_loops_count_as_unreciprocated_arcs() {
        // NetworkX: DiGraph([(0, 1), (1, 0), (2, 2)]) has overall_reciprocity 2/3.
        let cfg = BuildConfig { self_loops: SelfLoops::Keep, ..BuildConfig::default() };
        let edges = EdgeList::from_pairs(3, &[(0, 1), (1, 0), (2, 2), (2, 2)]);
        let s = graph_stats(&build(edges, &cfg, GraphInfo::default()).unwrap());
        assert_eq!((s.arcs, s.self_loops_kept, s.duplicates_merged), (3, 1, 1));
        assert_eq!(s.reciprocity, Some(2.0 / 3.0));
        assert_eq!((s.isolated, s.without_out_arcs), (0, 0));
    }

    #[test]
    fn undirected_weighted_signed_graph() {
        let edges = EdgeList {
            node_count: 4,
            src: vec![0, 1, 2],
            dst: vec![1, 2, 0],
            weights: Some(vec![0.5, 2.0, 4.0]),
            signs: Some(vec![1, -1, 1]),
        };
        let cfg = BuildConfig { directed: false, ..BuildConfig::default() };
        let s = graph_stats(&build(edges, &cfg, GraphInfo::default()).unwrap());
        assert_eq!((s.edges, s.arcs, s.reciprocity, s.strong_components), (3, 6, None, None));
        assert_eq!(s.weights, Some(WeightStats { total: 6.5, min: Some(0.5), max: Some(4.0) }));
        assert_eq!(s.signs, Some(SignStats { positive: 2, negative: 1 }));
        assert_eq!(s.out_degree, s.in_degree);
        assert_eq!((s.isolated, s.weak_components.count, s.weak_components.largest), (1, 2, 3));
    }

    #[test]
    fn empty_graphs() {
        let s = graph_stats(&from_pairs(0, &[], true));
        assert_eq!((s.out_degree, s.reciprocity, s.weak_components.largest), (None, None, 0));
        assert_eq!(s.strong_components, Some(ComponentStats { count: 0, largest: 0 }));
        let weighted = EdgeList { weights: Some(vec![]), ..EdgeList::from_pairs(2, &[]) };
        let s =
            graph_stats(&build(weighted, &BuildConfig::default(), GraphInfo::default()).unwrap());
        assert_eq!(s.weights, Some(WeightStats { total: 0.0, min: None, max: None }));
        assert_eq!((s.isolated, s.reciprocity), (2, None));
    }

    #[test]
    fn identical_at_any_thread_count() {
        let mut edges = gnm(50_000, 400_000, 7).unwrap();
        let mut rng = Rng::new(3);
        edges.weights = Some((0..edges.len()).map(|_| rng.next_f64()).collect());
        let g = build(edges, &BuildConfig::default(), GraphInfo::default()).unwrap();
        let run = |threads| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| graph_stats(&g))
        };
        let (one, two) = (run(1), run(2));
        assert_eq!(one, two);
        let (a, b) = (one.weights.unwrap().total, two.weights.unwrap().total);
        assert_eq!(a.to_bits(), b.to_bits());
    }

    proptest! {
        #[test]
        fn reciprocity_matches_brute_force(
            (n, arcs) in (1..12u32).prop_flat_map(|n| {
                (Just(n), prop::collection::vec((0..n, 0..n), 1..40))
            }),
        ) {
            let cfg = BuildConfig { self_loops: SelfLoops::Keep, ..BuildConfig::default() };
            let g = build(EdgeList::from_pairs(n, &arcs), &cfg, GraphInfo::default()).unwrap();
            let mutual = g.arcs().filter(|&(u, v)| u != v && g.has_arc(v, u)).count();
            let s = graph_stats(&g);
            prop_assert_eq!(s.reciprocity, Some(mutual as f64 / g.arc_count() as f64));
            let sinks = g.nodes().filter(|&u| g.out_degree(u) == 0).count();
            prop_assert_eq!(s.without_out_arcs, sinks);
        }
    }
}
