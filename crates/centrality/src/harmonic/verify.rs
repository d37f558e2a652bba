//! The independent verifier of harmonic closeness: a serial textbook recompute with one plain
//! queue BFS per source (exact) or per distinct pivot (sampled), summing `1 / d` in f64.

use std::collections::VecDeque;

use clout_graph::{Adjacency, Graph, NodeId};

use super::{Harmonic, HarmonicConfig, draw_pivots, normalize, plan};

/// Checks a [`Harmonic`] result against a serial recompute from scratch: plain BFS from every
/// node (exact results) or from every pivot the result reports (sampled results, after checking
/// that the pivots are the ones `cfg`'s seed draws). Scores must agree to `1e-9` relative (the
/// sums run in a different order), plus the fixed-point rounding allowance of sampled sums.
///
/// Cost O(n · m) (exact) or O(k · m) (sampled), serial: meant for tests and `--verify` on
/// modest graphs.
pub fn verify_harmonic(g: &Graph, cfg: &HarmonicConfig, result: &Harmonic) -> Result<(), String> {
    let n = g.node_count();
    if result.scores.len() != n {
        return Err(format!("{} scores for {n} nodes", result.scores.len()));
    }
    if result.normalized != cfg.normalized {
        return Err(format!(
            "result normalized = {}, config says {}",
            result.normalized, cfg.normalized
        ));
    }
    let planned = plan(n, &cfg.method).map_err(|e| e.to_string())?;
    let mut want = vec![0.0f64; n];
    let mut allowance = 0.0;
    match (planned, &result.sampling) {
        (None, None) => {
            let rows = cfg.direction.forward_rows(g);
            let mut bfs = Bfs::new(n);
            for (v, slot) in want.iter_mut().enumerate() {
                bfs.run(rows, v as NodeId, |_, d| *slot += 1.0 / f64::from(d));
            }
        }
        (Some((k, seed, _)), Some(sampling)) => {
            if sampling.pivots != draw_pivots(n, k, seed) || sampling.seed != seed {
                return Err(format!("the reported pivots are not the {k} drawn from seed {seed}"));
            }
            let mut distinct = sampling.pivots.clone();
            distinct.sort_unstable();
            distinct.dedup();
            if distinct.len() != sampling.distinct_pivots {
                return Err(format!(
                    "{} distinct pivots reported, {} found",
                    sampling.distinct_pivots,
                    distinct.len()
                ));
            }
            let rows = cfg.direction.backward_rows(g);
            let mut bfs = Bfs::new(n);
            for &p in &sampling.pivots {
                bfs.run(rows, p, |w, d| want[w as usize] += 1.0 / f64::from(d));
            }
            let scale = n as f64 / k as f64;
            want.iter_mut().for_each(|s| *s *= scale);
            allowance = n as f64 * 2f64.powi(-32);
        }
        (None, Some(_)) => {
            return Err("the config asks for exact scores, the result is sampled".into());
        }
        (Some(_), None) => {
            return Err("the config asks for a sample, the result claims exact".into());
        }
    }
    if cfg.normalized {
        normalize(&mut want);
        allowance /= (n.max(2) - 1) as f64;
    }
    for (v, (&got, &expected)) in result.scores.iter().zip(&want).enumerate() {
        let close = (got - expected).abs() <= 1e-9 * expected.abs().max(1.0) + allowance;
        // A NaN score is never close.
        if !close {
            return Err(format!("node {v}: score {got}, serial recompute {expected}"));
        }
    }
    Ok(())
}

/// Plain serial BFS with a reusable distance array.
struct Bfs {
    dist: Vec<u32>,
    queue: VecDeque<NodeId>,
    reached: Vec<NodeId>,
}

impl Bfs {
    fn new(n: usize) -> Bfs {
        Bfs { dist: vec![u32::MAX; n], queue: VecDeque::new(), reached: Vec::new() }
    }

    /// Calls `found(w, d)` for every node `w ≠ s` reachable from `s` along `rows`, at distance
    /// `d`.
    fn run(&mut self, rows: &Adjacency, s: NodeId, mut found: impl FnMut(NodeId, u32)) {
        self.dist[s as usize] = 0;
        self.reached.push(s);
        self.queue.push_back(s);
        while let Some(u) = self.queue.pop_front() {
            let d = self.dist[u as usize] + 1;
            for &w in rows.row(u) {
                if self.dist[w as usize] == u32::MAX {
                    self.dist[w as usize] = d;
                    self.reached.push(w);
                    self.queue.push_back(w);
                    found(w, d);
                }
            }
        }
        for &w in &self.reached {
            self.dist[w as usize] = u32::MAX;
        }
        self.reached.clear();
    }
}
