//! The independent betweenness verifier: a serial textbook recomputation (Brandes 2001,
//! Algorithm 1, with explicit predecessor lists, a `VecDeque` BFS and a Dijkstra that counts
//! paths the way NetworkX's `_single_source_dijkstra_path_basic` does), sharing no search code,
//! no folding and no parallel reduction with the kernel.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use clout_graph::{Graph, NodeId};

use super::{
    Betweenness, BetweennessConfig, BetweennessMethod, BetweennessMode, WeightMode, approx,
};

/// Checks a [`Betweenness`] result by recomputing it serially from the definition's textbook
/// algorithm, then applying NetworkX's rescale from its pair counts.
///
/// - [`BetweennessMethod::Exact`] and [`BetweennessMethod::Sources`]: every score must be within
///   `tolerance · max(1, |expected|)` of the recomputation (NaN matches NaN).
/// - [`BetweennessMethod::Approximate`]: every score must be within the stated `epsilon` (on the
///   normalized scale; scaled accordingly when `normalized = false`) plus `tolerance`, and the
///   sample count must be the one the guarantee requires. The guarantee holds with probability
///   `1 - delta`, so a correct run fails this check with probability at most `delta`.
///
/// The method must match `cfg.mode` (same sources, same `epsilon` and `delta`). Weights are read
/// as the config says; a graph whose weights are missing or not positive is reported as an
/// error. Cost O(n + Σ reached arcs) unweighted and O(n + Σ reached arcs · log n) weighted over
/// the `k` sources (so at most O(k · m) and O(k · m log n)), serial, plus O(n + m) predecessor
/// lists: meant for tests and `--verify`, not for the largest graphs.
pub fn verify_betweenness(
    g: &Graph,
    cfg: &BetweennessConfig,
    result: &Betweenness,
    tolerance: f64,
) -> Result<(), String> {
    let n = g.node_count();
    if result.scores.len() != n {
        return Err(format!("{} scores for {} nodes", result.scores.len(), n));
    }
    let lengths = textbook_lengths(g, cfg.weights)?;
    let all: Vec<NodeId> = g.nodes().collect();
    let (sources, allowed) = match (&cfg.mode, &result.method) {
        (BetweennessMode::Exact, BetweennessMethod::Exact { .. }) => (all, 0.0),
        (BetweennessMode::SampledSources { k, .. }, BetweennessMethod::Exact { .. }) if *k == n => {
            (all, 0.0)
        }
        (BetweennessMode::SampledSources { k, .. }, BetweennessMethod::Sources { sources })
            if sources.len() == *k =>
        {
            (sources.clone(), 0.0)
        }
        (BetweennessMode::Sources(asked), BetweennessMethod::Sources { sources }) => {
            let mut asked = asked.clone();
            asked.sort_unstable();
            if &asked != sources {
                return Err("the result lists other sources than the config".into());
            }
            (asked, 0.0)
        }
        (
            BetweennessMode::Approximate { epsilon, delta, .. },
            BetweennessMethod::Approximate { samples, vertex_diameter_bound, epsilon: e, delta: d },
        ) if e == epsilon && d == delta => {
            let needed = approx::sample_count(n, *vertex_diameter_bound, cfg.endpoints, *e, *d);
            if n >= 3 && *samples != needed {
                return Err(format!("{samples} samples, but the guarantee needs {needed}"));
            }
            let (norm, _) = rescale(n, None, g.is_directed(), true, cfg.endpoints);
            let (this, _) = rescale(n, None, g.is_directed(), cfg.normalized, cfg.endpoints);
            (all, epsilon * this / norm)
        }
        (mode, method) => {
            return Err(format!("method {method:?} does not answer mode {mode:?}"));
        }
    };
    let sampled = (sources.len() < n).then_some(sources.len());
    let (at_source, elsewhere) =
        rescale(n, sampled, g.is_directed(), cfg.normalized, cfg.endpoints);
    let mut is_source = vec![false; n];
    sources.iter().for_each(|&s| is_source[s as usize] = true);
    let raw = textbook_raw(g, lengths.as_deref(), &sources, cfg.endpoints);
    for v in 0..n {
        let scale = if sampled.is_some() && is_source[v] { at_source } else { elsewhere };
        let expected = raw[v] * scale;
        let got = result.scores[v];
        if expected.is_nan() && got.is_nan() {
            continue;
        }
        let bound = allowed + tolerance * expected.abs().max(1.0);
        let close = (got - expected).abs() <= bound; // false for a NaN on one side only
        if !close {
            return Err(format!("node {v}: score {got}, expected {expected} (allowed {bound})"));
        }
    }
    Ok(())
}

/// NetworkX's rescale, from pair counts: `(factor for sources, factor for others)`.
fn rescale(n: usize, k: Option<usize>, directed: bool, normalized: bool, ends: bool) -> (f64, f64) {
    // Pairs (s, t), s != t, that could have v inside (or at an end, with `ends`).
    let candidates = if ends { n } else { n.saturating_sub(1) } as f64;
    if candidates < 2.0 {
        return (1.0, 1.0);
    }
    let sources = k.map_or(candidates, |k| k as f64);
    let factor = |sources: f64| {
        if sources == 0.0 {
            return f64::NAN;
        }
        let pairs = sources * (candidates - 1.0);
        if normalized {
            1.0 / pairs
        } else {
            // Full-graph pair count over sampled pair count; undirected counts {s, t} once.
            candidates / sources / if directed { 1.0 } else { 2.0 }
        }
    };
    match k {
        Some(_) if !ends => (factor(sources - 1.0), factor(sources)),
        _ => (factor(sources), factor(sources)),
    }
}

fn textbook_lengths(g: &Graph, mode: Option<WeightMode>) -> Result<Option<Vec<f64>>, String> {
    let Some(mode) = mode else { return Ok(None) };
    let weights = g.out_adjacency().weights.as_ref().ok_or("the graph has no weights")?;
    let lengths: Vec<f64> = match mode {
        WeightMode::Distance => weights.to_vec(),
        WeightMode::Strength => weights.iter().map(|w| 1.0 / w).collect(),
    };
    if let Some(arc) = lengths.iter().position(|&l| !(l > 0.0 && l.is_finite())) {
        return Err(format!("arc {arc} has length {}", lengths[arc]));
    }
    Ok(Some(lengths))
}

/// NetworkX's raw (pre-rescale) sums: Brandes' Algorithm 1 per source, serially. The
/// per-node arrays are allocated once and only the entries a source reached are reset, so a
/// source costs O(what it reaches), not O(n): on a star whose sampled sources are leaves that
/// reach nothing, allocating and freeing them per source cost seconds.
fn textbook_raw(g: &Graph, lengths: Option<&[f64]>, sources: &[NodeId], ends: bool) -> Vec<f64> {
    let n = g.node_count();
    let mut b = vec![0.0; n];
    let mut search = Search::new(n);
    for &s in sources {
        match lengths {
            None => search.bfs(g, s),
            Some(l) => search.dijkstra(g, l, s),
        }
        let Search { stack, preds, sigma, delta, .. } = &mut search;
        if ends {
            b[s as usize] += (stack.len() - 1) as f64;
        }
        for &w in stack.iter().rev() {
            let w = w as usize;
            let coeff = (1.0 + delta[w]) / sigma[w];
            for &v in &preds[w] {
                delta[v as usize] += sigma[v as usize] * coeff;
            }
            if w != s as usize {
                b[w] += delta[w] + if ends { 1.0 } else { 0.0 };
            }
        }
        search.reset();
    }
    b
}

/// One source's search state: `stack` (nodes in order of distance), predecessor lists, path
/// counts `sigma`, dependencies `delta`, and the distance labels of the BFS (`dist`) or of
/// Dijkstra (`settled`, `seen`). Entries of untouched nodes are empty, zero or `None`.
struct Search {
    stack: Vec<NodeId>,
    preds: Vec<Vec<NodeId>>,
    sigma: Vec<f64>,
    delta: Vec<f64>,
    dist: Vec<Option<u64>>,
    settled: Vec<Option<f64>>,
    seen: Vec<Option<f64>>,
    /// Nodes whose entries were written.
    touched: Vec<NodeId>,
}

impl Search {
    fn new(n: usize) -> Search {
        Search {
            stack: Vec::new(),
            preds: vec![Vec::new(); n],
            sigma: vec![0.0; n],
            delta: vec![0.0; n],
            dist: vec![None; n],
            settled: vec![None; n],
            seen: vec![None; n],
            touched: Vec::new(),
        }
    }

    /// Clears the entries of the touched nodes (keeping the predecessor lists' capacity).
    fn reset(&mut self) {
        for &v in &self.touched {
            let v = v as usize;
            self.preds[v].clear();
            self.sigma[v] = 0.0;
            self.delta[v] = 0.0;
            self.dist[v] = None;
            self.settled[v] = None;
            self.seen[v] = None;
        }
        self.touched.clear();
        self.stack.clear();
    }

    fn bfs(&mut self, g: &Graph, s: NodeId) {
        let Search { stack, preds, sigma, dist, touched, .. } = self;
        sigma[s as usize] = 1.0;
        dist[s as usize] = Some(0);
        touched.push(s);
        let mut queue = VecDeque::from([s]);
        while let Some(v) = queue.pop_front() {
            stack.push(v);
            let dv = dist[v as usize].expect("queued nodes have a distance");
            for &w in g.out_neighbors(v) {
                if dist[w as usize].is_none() {
                    queue.push_back(w);
                    dist[w as usize] = Some(dv + 1);
                    touched.push(w);
                }
                if dist[w as usize] == Some(dv + 1) {
                    sigma[w as usize] += sigma[v as usize];
                    preds[w as usize].push(v);
                }
            }
        }
    }

    /// NetworkX's `_single_source_dijkstra_path_basic`, transcribed.
    fn dijkstra(&mut self, g: &Graph, lengths: &[f64], s: NodeId) {
        let Search { stack, preds, sigma, settled, seen, touched, .. } = self;
        sigma[s as usize] = 1.0;
        seen[s as usize] = Some(0.0);
        touched.push(s);
        // (distance bits, insertion counter, predecessor, node): ties pop in insertion order.
        let mut heap = BinaryHeap::from([Reverse((0f64.to_bits(), 0u64, s, s))]);
        let mut counter = 1u64;
        while let Some(Reverse((bits, _, pred, v))) = heap.pop() {
            if settled[v as usize].is_some() {
                continue;
            }
            let dist = f64::from_bits(bits);
            if pred != v {
                sigma[v as usize] += sigma[pred as usize];
            }
            stack.push(v);
            settled[v as usize] = Some(dist);
            let (lo, _) = g.out_adjacency().bounds(v);
            for (i, &w) in g.out_neighbors(v).iter().enumerate() {
                let vw = dist + lengths[lo + i];
                let w = w as usize;
                if settled[w].is_none() && seen[w].is_none_or(|d| vw < d) {
                    if seen[w].is_none() {
                        touched.push(w as NodeId);
                    }
                    seen[w] = Some(vw);
                    heap.push(Reverse((vw.to_bits(), counter, v, w as NodeId)));
                    counter += 1;
                    sigma[w] = 0.0;
                    preds[w].clear();
                    preds[w].push(v);
                } else if seen[w] == Some(vw) && settled[w].is_none() {
                    sigma[w] += sigma[v as usize];
                    preds[w].push(v);
                }
            }
        }
    }
}
