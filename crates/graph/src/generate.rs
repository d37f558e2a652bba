//! Seeded synthetic graphs. Every generated graph is labelled synthetic in its
//! [`GraphInfo`](crate::GraphInfo).
//!
//! - [`rmat`]: Graph500 R-MAT / Kronecker (Chakrabarti, Zhan, Faloutsos, SDM 2004; Graph500
//!   specification), the standard stand-in for large skewed social graphs.
//! - [`gnm`]: Erdős–Rényi G(n, m), uniform random arcs.
//!
//! Generation is parallel and deterministic: arcs are produced in fixed chunks, chunk `c` drawing
//! from `Rng::stream(seed, c)`, so the output depends only on the parameters and the seed.

use rayon::prelude::*;

use crate::builder::EdgeList;
use crate::graph::NodeId;
use crate::rng::Rng;

/// Arcs per independent random stream.
const CHUNK: usize = 1 << 16;

/// R-MAT parameters. Defaults are Graph500's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RmatConfig {
    /// log2 of the node count (`n = 2^scale`). Default 16.
    pub scale: u32,
    /// Arcs per node (`m = edge_factor * n`, before merging duplicates). Default 16.
    pub edge_factor: u32,
    /// Probability of the top-left quadrant. Default 0.57.
    pub a: f64,
    /// Top-right. Default 0.19.
    pub b: f64,
    /// Bottom-left. Default 0.19 (bottom-right is `1 - a - b - c` = 0.05).
    pub c: f64,
    /// Randomly relabel nodes so that id order carries no degree information, as Graph500
    /// does. Default true.
    pub scramble: bool,
    /// Seed. Default 1.
    pub seed: u64,
}

impl Default for RmatConfig {
    fn default() -> Self {
        RmatConfig {
            scale: 16,
            edge_factor: 16,
            a: 0.57,
            b: 0.19,
            c: 0.19,
            scramble: true,
            seed: 1,
        }
    }
}

impl RmatConfig {
    /// A one-line description for provenance records.
    pub fn describe(&self) -> String {
        format!(
            "synthetic: R-MAT scale={} edge_factor={} a={} b={} c={} scramble={} seed={}",
            self.scale, self.edge_factor, self.a, self.b, self.c, self.scramble, self.seed
        )
    }
}

/// Why generator parameters were refused.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateError(pub String);

impl std::fmt::Display for GenerateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GenerateError {}

/// R-MAT arcs: `edge_factor * 2^scale` arcs `u -> v`, each placed by `scale` recursive quadrant
/// choices. Self-loops and duplicates are left in; the builder's policies deal with them.
///
/// Time O(m · scale), parallel; memory 8 bytes per arc.
pub fn rmat(cfg: &RmatConfig) -> Result<EdgeList, GenerateError> {
    if cfg.scale == 0 || cfg.scale > 31 {
        return Err(GenerateError(format!("R-MAT scale must be 1..=31, got {}", cfg.scale)));
    }
    let (a, b, c) = (cfg.a, cfg.b, cfg.c);
    if !(a > 0.0 && b >= 0.0 && c >= 0.0 && a + b + c < 1.0 + 1e-12) {
        return Err(GenerateError(format!(
            "R-MAT probabilities must be non-negative with a > 0 and a + b + c <= 1, got a={a} b={b} c={c}"
        )));
    }
    let n = 1u64 << cfg.scale;
    let m =
        n.checked_mul(cfg.edge_factor as u64).filter(|&m| m <= (1u64 << 34)).ok_or_else(|| {
            GenerateError("R-MAT edge count is too large (at most 2^34 arcs)".into())
        })? as usize;
    let chunks = m.div_ceil(CHUNK);
    let mut src = vec![0 as NodeId; m];
    let mut dst = vec![0 as NodeId; m];
    src.par_chunks_mut(CHUNK).zip(dst.par_chunks_mut(CHUNK)).enumerate().for_each(
        |(chunk, (s, d))| {
            let mut rng = Rng::stream(cfg.seed, chunk as u64);
            for (su, dv) in s.iter_mut().zip(d.iter_mut()) {
                let (mut u, mut v) = (0u32, 0u32);
                for _ in 0..cfg.scale {
                    let r = rng.next_f64();
                    let (bu, bv) = if r < a {
                        (0, 0)
                    } else if r < a + b {
                        (0, 1)
                    } else if r < a + b + c {
                        (1, 0)
                    } else {
                        (1, 1)
                    };
                    u = (u << 1) | bu;
                    v = (v << 1) | bv;
                }
                *su = u;
                *dv = v;
            }
        },
    );
    debug_assert_eq!(chunks, m.div_ceil(CHUNK));
    if cfg.scramble {
        let mut perm: Vec<NodeId> = (0..n as u32).collect();
        Rng::stream(cfg.seed, u64::MAX).shuffle(&mut perm);
        src.par_iter_mut().for_each(|x| *x = perm[*x as usize]);
        dst.par_iter_mut().for_each(|x| *x = perm[*x as usize]);
    }
    Ok(EdgeList { node_count: n as u32, src, dst, weights: None, signs: None })
}

/// Erdős–Rényi G(n, m): `m` arcs with endpoints drawn uniformly and independently (self-loops
/// and duplicates possible; the builder's policies deal with them).
pub fn gnm(n: u32, m: usize, seed: u64) -> Result<EdgeList, GenerateError> {
    if n == 0 {
        return Err(GenerateError("G(n, m) needs at least one node".into()));
    }
    let mut src = vec![0 as NodeId; m];
    let mut dst = vec![0 as NodeId; m];
    src.par_chunks_mut(CHUNK).zip(dst.par_chunks_mut(CHUNK)).enumerate().for_each(
        |(chunk, (s, d))| {
            let mut rng = Rng::stream(seed, chunk as u64);
            for (su, dv) in s.iter_mut().zip(d.iter_mut()) {
                *su = rng.below(n as u64) as u32;
                *dv = rng.below(n as u64) as u32;
            }
        },
    );
    Ok(EdgeList { node_count: n, src, dst, weights: None, signs: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rmat_is_deterministic_and_in_range() {
        let cfg = RmatConfig { scale: 10, edge_factor: 8, ..RmatConfig::default() };
        let a = rmat(&cfg).unwrap();
        let b = rmat(&cfg).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.len(), 8 << 10);
        assert!(a.src.iter().chain(&a.dst).all(|&x| x < 1024));
        let other = rmat(&RmatConfig { seed: 2, ..cfg }).unwrap();
        assert_ne!(a, other);
    }

    #[test]
    fn rmat_same_at_any_thread_count() {
        let cfg = RmatConfig { scale: 12, edge_factor: 16, ..RmatConfig::default() };
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let two = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        assert_eq!(one.install(|| rmat(&cfg)).unwrap(), two.install(|| rmat(&cfg)).unwrap());
    }

    #[test]
    fn rmat_quadrant_frequencies_match_parameters() {
        // Without scrambling, the top bit of u and v is the first quadrant choice:
        // P(u top bit = 0) = a + b = 0.76, P(v top bit = 0) = a + c = 0.76.
        let cfg =
            RmatConfig { scale: 12, edge_factor: 16, scramble: false, ..RmatConfig::default() };
        let e = rmat(&cfg).unwrap();
        let m = e.len() as f64;
        let half = 1u32 << 11;
        let top_u = e.src.iter().filter(|&&u| u < half).count() as f64 / m;
        let top_both =
            e.src.iter().zip(&e.dst).filter(|&(&u, &v)| u < half && v < half).count() as f64 / m;
        // m = 65536: sd of a proportion near 0.76 is 0.0017; 5 sd = 0.0085.
        assert!((top_u - 0.76).abs() < 0.0085, "{top_u}");
        assert!((top_both - 0.57).abs() < 0.0095, "{top_both}");
    }

    #[test]
    fn rejects_bad_parameters() {
        assert!(rmat(&RmatConfig { scale: 0, ..RmatConfig::default() }).is_err());
        assert!(rmat(&RmatConfig { a: 0.9, b: 0.2, ..RmatConfig::default() }).is_err());
        assert!(gnm(0, 5, 1).is_err());
    }
}
