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

/// Most arcs [`rmat`] generates (`edge_factor * 2^scale`).
pub const RMAT_MAX_ARCS: u64 = 1 << 34;

impl RmatConfig {
    /// Arcs [`rmat`] generates: `edge_factor * 2^scale` (saturating; `scale` above 63 counts
    /// as 63).
    pub fn arc_count(&self) -> u64 {
        (1u64 << self.scale.min(63)).saturating_mul(self.edge_factor as u64)
    }

    /// Bytes [`rmat`] allocates: 8 per arc (source and target) and, when scrambling, a 4-byte
    /// label per node. Saturating.
    pub fn memory_estimate(&self) -> u64 {
        let nodes = 1u64 << self.scale.min(63);
        let labels = if self.scramble { nodes.saturating_mul(4) } else { 0 };
        self.arc_count().saturating_mul(8).saturating_add(labels)
    }

    /// Bytes at the peak of generating the arcs and building them into a [`Graph`](crate::Graph)
    /// with [`build`](crate::build): the arc list (8 per arc) alive during the first scatter
    /// (8 per arc of sort keys, 4 per arc of targets, 8 per node of offsets), then both
    /// adjacencies during the transpose (the same again, less the arc list). Saturating.
    pub fn built_memory_estimate(&self) -> u64 {
        let nodes = 1u64 << self.scale.min(63);
        let arcs = self.arc_count();
        let scatter = arcs.saturating_mul(8 + 8 + 4).saturating_add(nodes.saturating_mul(8));
        let transpose = arcs.saturating_mul(4 + 8 + 4).saturating_add(nodes.saturating_mul(16));
        scatter.max(transpose).max(self.memory_estimate())
    }

    /// Checks the parameters as [`rmat`] does, without generating anything: `scale` in
    /// `1..=31`, `a > 0`, `b, c >= 0`, `a + b + c <= 1`, at most [`RMAT_MAX_ARCS`] arcs.
    pub fn validate(&self) -> Result<(), GenerateError> {
        if self.scale == 0 || self.scale > 31 {
            return Err(GenerateError(format!("R-MAT scale must be 1..=31, got {}", self.scale)));
        }
        let (a, b, c) = (self.a, self.b, self.c);
        if !(a > 0.0 && b >= 0.0 && c >= 0.0 && a + b + c < 1.0 + 1e-12) {
            return Err(GenerateError(format!(
                "R-MAT probabilities must be non-negative with a > 0 and a + b + c <= 1, got a={a} b={b} c={c}"
            )));
        }
        let m = self.arc_count();
        if m > RMAT_MAX_ARCS {
            return Err(GenerateError(format!(
                "R-MAT edge count {} x 2^{} = {m} is too large (at most 2^34 arcs)",
                self.edge_factor, self.scale
            )));
        }
        Ok(())
    }

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
/// Time O(m · scale), parallel; memory 8 bytes per arc plus 4 per node when scrambling
/// ([`RmatConfig::memory_estimate`]).
///
/// Errors: `scale` outside `1..=31`, probabilities that are not a distribution, more than
/// [`RMAT_MAX_ARCS`] arcs, or memory for the arcs that cannot be allocated (an error, never
/// an abort).
pub fn rmat(cfg: &RmatConfig) -> Result<EdgeList, GenerateError> {
    cfg.validate()?;
    let (a, b, c) = (cfg.a, cfg.b, cfg.c);
    let n = 1u64 << cfg.scale;
    let m = usize::try_from(cfg.arc_count())
        .map_err(|_| GenerateError("R-MAT edge count too large".into()))?;
    let chunks = m.div_ceil(CHUNK);
    let mut src = zeros(m, cfg)?;
    let mut dst = zeros(m, cfg)?;
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
        let mut perm: Vec<NodeId> = Vec::new();
        perm.try_reserve_exact(n as usize).map_err(|_| out_of_memory(cfg))?;
        perm.extend(0..n as u32);
        Rng::stream(cfg.seed, u64::MAX).shuffle(&mut perm);
        src.par_iter_mut().for_each(|x| *x = perm[*x as usize]);
        dst.par_iter_mut().for_each(|x| *x = perm[*x as usize]);
    }
    Ok(EdgeList { node_count: n as u32, src, dst, weights: None, signs: None })
}

/// `len` zeroed node ids, or an error when they cannot be allocated.
fn zeros(len: usize, cfg: &RmatConfig) -> Result<Vec<NodeId>, GenerateError> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).map_err(|_| out_of_memory(cfg))?;
    v.resize(len, 0);
    Ok(v)
}

fn out_of_memory(cfg: &RmatConfig) -> GenerateError {
    GenerateError(format!(
        "cannot allocate the {} R-MAT arcs (about {} bytes)",
        cfg.arc_count(),
        cfg.memory_estimate()
    ))
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
    fn rmat_memory_estimates_count_arcs_labels_and_saturate() {
        let cfg = RmatConfig { scale: 10, edge_factor: 8, ..RmatConfig::default() };
        assert_eq!(cfg.arc_count(), 8192);
        assert_eq!(cfg.memory_estimate(), 8192 * 8 + 1024 * 4);
        assert_eq!(cfg.built_memory_estimate(), 8192 * 20 + 1024 * 8);
        let absurd = RmatConfig { scale: u32::MAX, edge_factor: u32::MAX, ..cfg };
        assert_eq!(absurd.memory_estimate(), u64::MAX);
        assert_eq!(absurd.built_memory_estimate(), u64::MAX);
        // Refused by the arc cap, not by an allocation failure.
        let big = RmatConfig { scale: 4, edge_factor: u32::MAX, ..cfg };
        assert!(rmat(&big).unwrap_err().0.contains("too large"));
    }

    #[test]
    fn rejects_bad_parameters() {
        assert!(rmat(&RmatConfig { scale: 0, ..RmatConfig::default() }).is_err());
        assert!(rmat(&RmatConfig { a: 0.9, b: 0.2, ..RmatConfig::default() }).is_err());
        assert!(gnm(0, 5, 1).is_err());
    }
}
