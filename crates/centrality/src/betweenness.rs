//! Shortest-path betweenness centrality: exact (parallel Brandes, with degree-1 folding on
//! undirected graphs), approximate with a guarantee (Riondato–Kornaropoulos sampling), and
//! NetworkX-style sampled sources, all on NetworkX's scale; plus a serial textbook verifier.
//!
//! Betweenness of `v` is `B(v) = Σ_{s ≠ v ≠ t, s ≠ t} σ_st(v) / σ_st`, summed over **ordered**
//! pairs, where `σ_st` counts shortest `s -> t` paths and `σ_st(v)` those through `v` (Freeman,
//! "A set of measures of centrality based on betweenness", Sociometry 1977). With
//! `endpoints = true`, `v` also counts as lying on every shortest path it starts or ends
//! (NetworkX's `endpoints=True`).
//!
//! # Direction
//! Paths follow clout's **influence** arcs `u -> v`. Exact betweenness is the same on a graph and
//! on its reverse (a shortest `s -> t` path reversed is a shortest `t -> s` path, with the same
//! interior), so for a follower file the result equals `networkx.betweenness_centrality` on
//! `nx.read_edgelist(file, create_using=nx.DiGraph)` whichever way the file was read. Undirected
//! graphs match `nx.Graph`. Parallel arcs (only with `Duplicates::Keep`) count as distinct
//! paths; self-loops never lie on a shortest path.
//!
//! # Scale: NetworkX 3.6.1's `_rescale`, exactly
//! Let `raw(v)` be the ordered-pair sum above over the sources used (all nodes when exact),
//! `n` the node count, `N = n - 1` (or `N = n` with `endpoints`), `k` the number of sources
//! when sampling them. If `N < 2`, `raw` is returned unscaled (it is all zeros). Otherwise:
//!
//! | case | `normalized = true` (default) | `normalized = false` |
//! |---|---|---|
//! | exact, directed | `raw / (N (N - 1))` | `raw` |
//! | exact, undirected | `raw / (N (N - 1))` | `raw / 2` (unordered pairs) |
//! | `k` sources, `endpoints` | `raw / (k (N - 1))` | `raw · N / (k c)` |
//! | `k` sources, no `endpoints`, `v` a source | `raw / ((k - 1)(N - 1))` | `raw · N / ((k - 1) c)` |
//! | `k` sources, no `endpoints`, other `v` | `raw / (k (N - 1))` | `raw · N / (k c)` |
//!
//! with `c = 2` undirected, `1` directed; `k = 1` gives NaN for the source (as NetworkX).
//! Undirected normalized equals the unordered-pair sum times `2 / ((n - 1)(n - 2))`.
//! **Other libraries:** igraph's `betweenness()` on an undirected graph returns the
//! unordered-pair sum (clout's `normalized = false`), on a directed graph the ordered-pair sum
//! (also clout's `normalized = false`). Comparing an undirected unordered-pair sum with an
//! ordered-pair sum (or with NetworkX releases that halved differently) is off by the factor 2:
//! check which sum a library reports before comparing.
//!
//! # Weights ([`WeightMode`])
//! Without weights every arc has length 1 (BFS). [`WeightMode::Distance`] takes each arc's
//! weight as its length (NetworkX's `weight="weight"`); [`WeightMode::Strength`] takes a weight
//! `w` as a tie strength and uses length `1 / w` (strong ties are short), which is NetworkX's
//! `weight=` on an attribute holding `1 / w`. Lengths must be finite and positive. Equal-length
//! paths are detected by exact `f64` equality of `dist[v] + len`, as NetworkX does.
//!
//! # Modes ([`BetweennessMode`])
//! - [`Exact`](BetweennessMode::Exact): Brandes over every source (see [`betweenness()`]).
//! - [`Approximate`](BetweennessMode::Approximate): every score within `epsilon` of the exact
//!   normalized score with probability at least `1 - delta`, on directed graphs too.
//! - [`SampledSources`](BetweennessMode::SampledSources) / [`Sources`](BetweennessMode::Sources):
//!   NetworkX's `k=` estimate, from `k` seeded random sources or from given ones.
//!
//! # Determinism
//! Sources are split into fixed blocks; block results are combined by a pairwise reduction
//! whose shape depends only on the number of blocks, so every bit of the result is the same at
//! any thread count. Sample `i` of the approximation draws from `Rng::stream(seed, i)` only, and
//! its per-node hit counts are integers, summed exactly in any order.

use serde::Serialize;

use clout_graph::{Graph, NodeId};

use crate::CentralityError;

mod approx;
mod bfs;
mod diameter;
mod exact;
mod net;
mod reduce;
mod scratch;
mod verify;

use net::{Net, Pool, Rows, arc_lengths, tree_reduce};
pub use verify::verify_betweenness;

/// How arc weights become path lengths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "kebab-case")]
pub enum WeightMode {
    /// The weight is the length (NetworkX's `weight="weight"`).
    Distance,
    /// The weight `w` is a strength; the length is `1 / w`.
    Strength,
}

/// Which betweenness to compute. Default [`BetweennessMode::Exact`].
#[derive(Debug, Clone, PartialEq, Default)]
pub enum BetweennessMode {
    /// Brandes' exact algorithm over all sources. Default.
    #[default]
    Exact,
    /// Riondato–Kornaropoulos sampling: with probability at least `1 - delta`, every score is
    /// within `epsilon` of the exact **normalized** score (`epsilon` times the ratio of the two
    /// rescale factors when `normalized = false`). The sample size is the paper's, including its
    /// constant `c = 0.5` for the universal constant of the VC-dimension sampling theorem (an
    /// estimate the paper adopts, not a proven value). Works on directed graphs. `epsilon` and
    /// `delta` must lie in `(0, 1)`. Reproducible: the same seed gives the same bits at any
    /// thread count.
    Approximate {
        /// Additive error bound on the normalized scale.
        epsilon: f64,
        /// Failure probability.
        delta: f64,
        /// Seed; sample `i` uses `Rng::stream(seed, i)`.
        seed: u64,
    },
    /// NetworkX's `k=`: `k` distinct sources drawn uniformly with `Rng::stream(seed, 0)` (not
    /// Python's generator, so not NetworkX's draw), scaled by the table in the module docs.
    /// `k = n` is exact, as in NetworkX. `1 <= k <= n`.
    SampledSources {
        /// Number of sources.
        k: usize,
        /// Seed.
        seed: u64,
    },
    /// NetworkX's `k=` estimate from the given distinct sources (for example the ones NetworkX
    /// drew), scaled as `k = sources.len()`.
    Sources(Vec<NodeId>),
}

/// Parameters of [`betweenness`]. The default is NetworkX's default call.
#[derive(Debug, Clone, PartialEq)]
pub struct BetweennessConfig {
    /// Rescale as NetworkX's `normalized=True` (see the module's table). Default `true`.
    pub normalized: bool,
    /// Count a path's endpoints as lying on it (NetworkX's `endpoints`). Default `false`.
    pub endpoints: bool,
    /// Arc lengths from weights; `None` (default) means every arc has length 1.
    pub weights: Option<WeightMode>,
    /// Exact, approximate or sampled sources. Default [`BetweennessMode::Exact`].
    pub mode: BetweennessMode,
    /// Fold degree-1 vertices before exact runs on undirected graphs (the result is the same;
    /// only the time differs). Default `true`.
    pub fold_leaves: bool,
}

impl Default for BetweennessConfig {
    fn default() -> Self {
        BetweennessConfig {
            normalized: true,
            endpoints: false,
            weights: None,
            mode: BetweennessMode::Exact,
            fold_leaves: true,
        }
    }
}

/// How a [`Betweenness`] result was computed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BetweennessMethod {
    /// Exact Brandes.
    Exact {
        /// Single-source searches run (nodes left after folding).
        searches: usize,
        /// Degree-1 vertices folded away (0 on directed graphs or with `fold_leaves = false`).
        folded: usize,
    },
    /// Riondato–Kornaropoulos sampling.
    Approximate {
        /// Sampled `(s, t)` pairs, `r` in the paper.
        samples: usize,
        /// The proven upper bound on the vertex diameter used to size the sample.
        vertex_diameter_bound: usize,
        /// The guarantee: additive error on the normalized scale ...
        epsilon: f64,
        /// ... with probability at least `1 - delta`.
        delta: f64,
    },
    /// A sum over the listed sources, scaled as NetworkX's `k=` estimate.
    Sources {
        /// The sources, ascending.
        sources: Vec<NodeId>,
    },
}

/// The result of [`betweenness`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Betweenness {
    /// Score per node (dense ids), on the scale chosen by `normalized` / `endpoints`.
    pub scores: Vec<f64>,
    /// How the scores were computed.
    pub method: BetweennessMethod,
}

/// Shortest-path betweenness of every node with NetworkX 3.6.1's conventions and scale (see the
/// [module docs](self)).
///
/// - **Exact** (Brandes, "A faster algorithm for betweenness centrality", J. Math. Sociology
///   2001): one BFS per source — level-synchronous, choosing top-down or bottom-up steps and
///   pull or push accumulation by cost, with no predecessor lists and no division per arc — or
///   one Dijkstra with a binary heap when weighted, parallel over fixed blocks of sources with
///   per-thread scratch. Undirected graphs first fold degree-1 vertices
///   (Baglioni, Geraci, Pellegrini and Lastres, "Fast exact computation of betweenness
///   centrality in social networks", ASONAM 2012; Sariyüce, Saule, Kaya and Çatalyürek,
///   "Shattering and compressing networks for betweenness centrality", SDM 2013) and correct
///   the result exactly; directed graphs use plain Brandes.
/// - **Approximate** (Riondato and Kornaropoulos, "Fast approximation of betweenness centrality
///   through sampling", DMKD 2016): `r = ⌈(c / ε'²)(⌊log₂(VD - 2)⌋ + 1 + ln(1 / δ))⌉` samples
///   with `c = 0.5`, `VD` a proven vertex-diameter bound and `ε'` the requested `epsilon`
///   moved to the paper's `n (n - 1)` scale; each sample is one uniform shortest path between
///   a uniform pair, found by balanced bidirectional BFS (forward Dijkstra when weighted).
/// - **Sources**: Brandes from the chosen sources only.
///
/// # Errors
/// [`CentralityError::InvalidConfig`] for `epsilon`/`delta` outside `(0, 1)`, `k` outside
/// `1..=n`, or repeated / out-of-range sources; [`CentralityError::Unweighted`] when weights are
/// asked of an unweighted graph; [`CentralityError::NonPositiveWeight`] for a length that is not
/// finite and positive.
///
/// # Complexity
/// Exact: O(n' m') time unweighted, O(n' (m' + n') log n') weighted, where `n'`, `m'` count
/// what is left after folding; O(n) scratch per thread plus O(n) per live block. Approximate:
/// O(r · cost of one sample) — on social graphs a balanced bidirectional BFS touches far fewer
/// than `m` arcs — plus O((n + m) log n) for the diameter bound. Sources: O(k m).
///
/// # Example
/// A path `0 - 1 - 2`: only node 1 lies inside a path.
/// ```
/// use clout_centrality::{BetweennessConfig, betweenness};
/// let g = clout_graph::from_pairs(3, &[(0, 1), (1, 2)], false);
/// let b = betweenness(&g, &BetweennessConfig::default()).unwrap();
/// assert_eq!(b.scores, vec![0.0, 1.0, 0.0]); // networkx.betweenness_centrality(path_graph(3))
/// ```
pub fn betweenness(g: &Graph, cfg: &BetweennessConfig) -> Result<Betweenness, CentralityError> {
    let n = g.node_count();
    let out_lengths = arc_lengths(g.out_adjacency(), cfg.weights, false)?;
    let net = Net::out_of(g, out_lengths);
    match &cfg.mode {
        BetweennessMode::Exact => Ok(exact_scaled(g, &net, cfg)),
        BetweennessMode::SampledSources { k, seed } => {
            if !(1..=n).contains(k) {
                return Err(invalid("k", format!("must be in 1..={n}, got {k}")));
            }
            if *k == n {
                return Ok(exact_scaled(g, &net, cfg)); // as NetworkX: k = n is exact
            }
            Ok(from_sources(g, &net, cfg, sample_sources(n, *k, *seed)))
        }
        BetweennessMode::Sources(list) => {
            let mut sources = list.clone();
            sources.sort_unstable();
            if sources.is_empty() || sources.windows(2).any(|w| w[0] == w[1]) {
                return Err(invalid("sources", "must be non-empty and distinct".into()));
            }
            if let Some(&bad) = sources.iter().find(|&&s| s as usize >= n) {
                return Err(invalid("sources", format!("node {bad} is not below {n}")));
            }
            Ok(from_sources(g, &net, cfg, sources))
        }
        BetweennessMode::Approximate { epsilon, delta, seed } => {
            for (name, value) in [("epsilon", *epsilon), ("delta", *delta)] {
                if !(value > 0.0 && value < 1.0) {
                    return Err(invalid(name, format!("must be in (0, 1), got {value}")));
                }
            }
            let in_lengths = if g.is_directed() {
                arc_lengths(g.in_adjacency(), cfg.weights, true)?
            } else {
                net.lengths.clone()
            };
            let reverse =
                Net { out: net.inn, inn: net.out, symmetric: net.symmetric, lengths: in_lengths };
            let params = approx::Params { epsilon: *epsilon, delta: *delta, seed: *seed };
            Ok(approx::run(g, &net, &reverse, cfg, params))
        }
    }
}

/// Exact scores, scaled.
fn exact_scaled(g: &Graph, net: &Net<'_>, cfg: &BetweennessConfig) -> Betweenness {
    let n = g.node_count();
    let (mut raw, folded) = if !g.is_directed() && cfg.fold_leaves {
        reduce::exact_folded(net, cfg.endpoints)
    } else {
        let all: Vec<NodeId> = g.nodes().collect();
        (exact::brandes(net, &all, None, cfg.endpoints), 0)
    };
    let scale = scale_factors(n, None, g.is_directed(), cfg.normalized, cfg.endpoints).0;
    raw.iter_mut().for_each(|x| *x *= scale);
    Betweenness { scores: raw, method: BetweennessMethod::Exact { searches: n - folded, folded } }
}

/// Scores from the given (sorted, distinct) sources, scaled as NetworkX's `k=` estimate.
fn from_sources(
    g: &Graph,
    net: &Net<'_>,
    cfg: &BetweennessConfig,
    sources: Vec<NodeId>,
) -> Betweenness {
    let mut raw = exact::brandes(net, &sources, None, cfg.endpoints);
    let (at_source, elsewhere) = scale_factors(
        g.node_count(),
        Some(sources.len()),
        g.is_directed(),
        cfg.normalized,
        cfg.endpoints,
    );
    let mut is_source = vec![false; raw.len()];
    sources.iter().for_each(|&s| is_source[s as usize] = true);
    for (x, source) in raw.iter_mut().zip(is_source) {
        *x *= if source { at_source } else { elsewhere };
    }
    Betweenness { scores: raw, method: BetweennessMethod::Sources { sources } }
}

/// NetworkX 3.6.1's `_rescale` as multipliers `(for sources, for other nodes)` of the raw
/// ordered-pair sums; `sources = None` means all nodes were sources (exact).
pub(crate) fn scale_factors(
    n: usize,
    sources: Option<usize>,
    directed: bool,
    normalized: bool,
    endpoints: bool,
) -> (f64, f64) {
    let big_n = if endpoints { n as f64 } else { n as f64 - 1.0 };
    if big_n < 2.0 {
        return (1.0, 1.0);
    }
    let correction = if directed { 1.0 } else { 2.0 };
    let scale = |k: f64| {
        if k <= 0.0 {
            f64::NAN
        } else if normalized {
            1.0 / (k * (big_n - 1.0))
        } else {
            big_n / (k * correction)
        }
    };
    match sources {
        None => {
            let s = scale(big_n);
            (s, s)
        }
        Some(k) if endpoints => (scale(k as f64), scale(k as f64)),
        Some(k) => (scale(k as f64 - 1.0), scale(k as f64)),
    }
}

/// `k` distinct nodes drawn uniformly (partial Fisher–Yates with `Rng::stream(seed, 0)`),
/// ascending.
fn sample_sources(n: usize, k: usize, seed: u64) -> Vec<NodeId> {
    let mut rng = clout_graph::rng::Rng::stream(seed, 0);
    let mut nodes: Vec<NodeId> = (0..n as NodeId).collect();
    for i in 0..k {
        let j = i + rng.below((n - i) as u64) as usize;
        nodes.swap(i, j);
    }
    nodes.truncate(k);
    nodes.sort_unstable();
    nodes
}

fn invalid(parameter: &'static str, reason: String) -> CentralityError {
    CentralityError::InvalidConfig { parameter, reason }
}
