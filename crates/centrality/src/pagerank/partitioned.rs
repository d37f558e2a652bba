//! PageRank's power iteration split into row ranges, so that parts that hold the same graph
//! (on different machines, say) compute it together and end with the bits of one machine's
//! [`PageRankMethod::Power`](super::PageRankMethod::Power).
//!
//! Why the bits agree: states are 64-bit fixed point and a row's sum is an integer sum, exact
//! in any order; a node's update reads only its row sum and its own state; and the only
//! floating-point reductions (the L1 change and the dangling mass) are summed chunk by chunk
//! ([`CHUNK`] nodes) and then over chunks in chunk order. Parts that start and end on chunk
//! boundaries compute exactly the chunk partials one machine computes, and every part folds
//! the full list of partials in the same order. The exchange between steps is the caller's
//! ([`StateExchange`]): this module does not know how the parts talk.

use std::ops::Range;

use clout_graph::{Graph, NodeId};

use rayon::prelude::*;

use super::inputs::{check_config, inverse_shares_of};
use super::power::{Iteration, Part, PullRows, exact_power_part};
use super::{CHUNK, Distribution, PageRank, PageRankConfig, PageRankMethod};
use crate::CentralityError;

/// Splits the rows of `g`'s power iteration into `parts` consecutive ranges on [`CHUNK`]
/// boundaries, each with about the same number of arcs plus rows (the work of one step).
/// The split depends only on the graph and `parts`, never on thread counts. Ranges are empty
/// when there are more parts than chunks; `parts = 0` is treated as 1.
///
/// O(parts · log(n / CHUNK)).
pub fn partition_rows(g: &Graph, parts: usize) -> Vec<Range<usize>> {
    partition_offsets(g.out_adjacency().offsets.as_slice(), parts)
}

/// [`partition_rows`] from the out-adjacency offsets alone (`n + 1` entries, non-decreasing;
/// an empty slice is a graph of no nodes), for a part that holds only those
/// ([`PullArrays`]).
pub fn partition_offsets(offsets: &[u64], parts: usize) -> Vec<Range<usize>> {
    let parts = parts.max(1);
    let n = offsets.len().saturating_sub(1);
    if n == 0 {
        return vec![0..0; parts];
    }
    let chunks = n.div_ceil(CHUNK);
    let cost = |chunk: usize| {
        let end = (chunk * CHUNK).min(n);
        offsets[end] as u128 + end as u128
    };
    let total = cost(chunks);
    let mut bounds = vec![0usize];
    for b in 1..parts {
        let target = total * b as u128 / parts as u128;
        // The first chunk boundary whose cost reaches the target.
        let (mut lo, mut hi) = (0usize, chunks);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if cost(mid) < target { lo = mid + 1 } else { hi = mid }
        }
        bounds.push((lo * CHUNK).min(n).max(*bounds.last().unwrap_or(&0)));
    }
    bounds.push(n);
    bounds.windows(2).map(|w| w[0]..w[1]).collect()
}

/// How the parts of [`pagerank_rows`] learn each other's results after every power step.
pub trait StateExchange {
    /// Why an exchange failed (a lost peer, say).
    type Error;
    /// Called once per power step, after this part computed its rows. `states` holds every
    /// node's next state, of which only the `own` rows are up to date; the exchange must
    /// write every other part's rows into it. `partials` are this part's per-chunk
    /// `(L1 change, dangling mass)` in chunk order; the exchange returns every chunk's
    /// partials of the graph, in chunk order (the parts' lists concatenated in row order).
    ///
    /// States are opaque fixed-point words: move them bit for bit.
    fn exchange(
        &mut self,
        own: Range<usize>,
        states: &mut [u64],
        partials: Vec<(f64, f64)>,
    ) -> Result<Vec<(f64, f64)>, Self::Error>;
}

/// Why [`pagerank_rows`] failed.
#[derive(Debug)]
pub enum PartitionedError<E> {
    /// The configuration or the row range is invalid, or needs more than the fixed-point
    /// power iteration offers.
    Centrality(CentralityError),
    /// The exchange between steps failed.
    Exchange(E),
}

impl<E: std::fmt::Display> std::fmt::Display for PartitionedError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PartitionedError::Centrality(e) => e.fmt(f),
            PartitionedError::Exchange(e) => write!(f, "exchanging PageRank states: {e}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for PartitionedError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PartitionedError::Centrality(e) => Some(e),
            PartitionedError::Exchange(e) => Some(e),
        }
    }
}

/// One part of a row-partitioned PageRank power iteration: computes the `rows` of every step
/// and learns the others through `exchange`. When the parts' ranges tile `0..n` on [`CHUNK`]
/// boundaries (as [`partition_rows`] gives) and every part runs with the same graph and
/// config, every part returns the same [`PageRank`], bit for bit equal to [`super::pagerank`]
/// with [`PageRankMethod::Power`]: same scores, iterations, residual and convergence flag.
/// `cfg.method` is not consulted; the result's method is `Power`.
///
/// Conventions, stopping rule and paper: those of [`super::pagerank`].
///
/// # Errors
/// [`PartitionedError::Centrality`] with [`CentralityError::InvalidConfig`] for a config
/// [`super::pagerank`] refuses, for weights, a personalization vector or damping 1 (the
/// fixed-point states need unweighted rows and every score at least `(1 - α) / n`), or for
/// `rows` outside `0..n` or not on chunk boundaries; [`PartitionedError::Exchange`] with the
/// exchange's own error.
///
/// # Complexity
/// Per step O(m_rows + n): the part's arcs, plus O(n) for the states every row may gather from.
/// Memory: two state words and one degree per node of the graph.
pub fn pagerank_rows<X: StateExchange>(
    g: &Graph,
    cfg: &PageRankConfig,
    rows: Range<usize>,
    exchange: &mut X,
) -> Result<PageRank, PartitionedError<X::Error>> {
    pagerank_rows_of(&PullArrays::of(g), cfg, rows, exchange)
}

/// The arrays one part of a row-partitioned PageRank reads, which need not come from a whole
/// [`Graph`]: a process that maps only its rows of a snapshot (`clout-ingest`'s
/// `open_snapshot_rows`) holds every offset but only its own rows' arcs in memory.
///
/// Direction: row `v` of the iteration is `v`'s influence out-row (the accounts `v`
/// influences, who pass rank to `v`: NetworkX's in-neighbours), and node `u` splits its rank
/// over its influence in-degree (NetworkX's out-degree).
#[derive(Clone, Copy, Debug)]
pub struct PullArrays<'a> {
    /// The influence out-adjacency offsets, `n + 1` entries from 0 to `m`.
    pub offsets: &'a [u64],
    /// The influence out-adjacency targets, all `m` of them; only the part's own rows are read
    /// (and checked).
    pub sources: &'a [NodeId],
    /// The influence in-adjacency offsets, `n + 1` entries from 0 to `m` (the same array as
    /// `offsets` for an undirected graph).
    pub share_offsets: &'a [u64],
}

impl<'a> PullArrays<'a> {
    /// The arrays of a whole graph.
    pub fn of(g: &'a Graph) -> Self {
        PullArrays {
            offsets: g.out_adjacency().offsets.as_slice(),
            sources: g.out_adjacency().targets.as_slice(),
            share_offsets: g.in_adjacency().offsets.as_slice(),
        }
    }

    /// The node count.
    pub fn node_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Checks what a part over `rows` relies on: both offset arrays have `n + 1` entries and
    /// run from 0 to `m`; the share offsets never decrease; the offsets of `rows` never
    /// decrease and stay within `0..=m`; and the targets of `rows` are below `n`. O(n + the
    /// rows' arcs): the other rows' offsets and arcs are never read, so a process that maps
    /// them from a file keeps them out of memory.
    fn check(&self, rows: &Range<usize>) -> Result<(), String> {
        let m = self.sources.len() as u64;
        let n = self.node_count();
        for (name, offsets) in [("offsets", self.offsets), ("share offsets", self.share_offsets)] {
            if offsets.len() != n + 1 || offsets.is_empty() {
                return Err(format!("{name} has {} entries, expected {}", offsets.len(), n + 1));
            }
            if offsets[0] != 0 || offsets[n] != m {
                return Err(format!(
                    "{name} run from {} to {}, expected 0 to {m} (the arc count)",
                    offsets[0], offsets[n]
                ));
            }
        }
        let decrease = |offsets: &[u64], first: usize| {
            offsets.par_windows(2).position_any(|w| w[0] > w[1] || w[1] > m).map(|i| first + i)
        };
        if let Some(i) = decrease(self.share_offsets, 0) {
            return Err(format!("share offsets decrease at node {i}"));
        }
        if let Some(i) = decrease(&self.offsets[rows.start..=rows.end], rows.start) {
            return Err(format!("offsets decrease or pass the arc count at node {i}"));
        }
        let (lo, hi) = (self.offsets[rows.start] as usize, self.offsets[rows.end] as usize);
        if let Some(i) = self.sources[lo..hi].par_iter().position_any(|&t| t as usize >= n) {
            return Err(format!(
                "arc {} points to node {} but there are only {n} nodes",
                lo + i,
                self.sources[lo + i]
            ));
        }
        Ok(())
    }
}

/// [`pagerank_rows`] over [`PullArrays`] instead of a whole graph: the same iteration and the
/// same bits, reading only the offsets and the part's own rows. The arrays are checked first
/// (O(n) plus the rows' arcs), so malformed arrays are an error, never a panic.
///
/// # Errors
/// Those of [`pagerank_rows`], and [`CentralityError::InvalidConfig`] (parameter `arrays`)
/// for arrays that fail the check.
pub fn pagerank_rows_of<X: StateExchange>(
    arrays: &PullArrays,
    cfg: &PageRankConfig,
    rows: Range<usize>,
    exchange: &mut X,
) -> Result<PageRank, PartitionedError<X::Error>> {
    let n = arrays.node_count();
    let invalid = |parameter: &'static str, reason: String| {
        PartitionedError::Centrality(CentralityError::InvalidConfig { parameter, reason })
    };
    check_config(cfg).map_err(PartitionedError::Centrality)?;
    if cfg.weighted || cfg.personalization.is_some() || cfg.damping >= 1.0 {
        return Err(invalid(
            "method",
            "the row-partitioned power iteration needs unweighted rows, no personalization \
             vector and damping below 1"
                .into(),
        ));
    }
    let aligned = |b: usize| b % CHUNK == 0 || b == n;
    if rows.start > rows.end || rows.end > n || !aligned(rows.start) || !aligned(rows.end) {
        return Err(invalid(
            "rows",
            format!("{rows:?} is not a range of 0..{n} on multiples of {CHUNK}"),
        ));
    }
    if n == 0 {
        return Ok(PageRank {
            scores: Vec::new(),
            iterations: 0,
            residual: 0.0,
            converged: true,
            method: PageRankMethod::Power,
        });
    }
    arrays.check(&rows).map_err(|reason| invalid("arrays", reason))?;
    let uniform = Distribution::Uniform(1.0 / n as f64);
    let inv_share = inverse_shares_of(arrays.share_offsets);
    let pull_rows = PullRows {
        offsets: arrays.offsets,
        sources: arrays.sources,
        weights: None,
        inv_share: &inv_share,
        share_offsets: arrays.share_offsets,
    };
    let iteration = Iteration { rows: &pull_rows, cfg, teleport: uniform, dangling_to: uniform };
    let mut hook = |own: Range<usize>, states: &mut [u64], partials: Vec<(f64, f64)>| {
        exchange.exchange(own, states, partials)
    };
    exact_power_part(&iteration, vec![1.0 / n as f64; n], Part { rows, exchange: &mut hook })
        .map_err(PartitionedError::Exchange)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pagerank::pagerank;

    /// An exchange that learns nothing: a part computing alone.
    struct Alone;
    impl StateExchange for Alone {
        type Error = std::convert::Infallible;
        fn exchange(
            &mut self,
            _: Range<usize>,
            _: &mut [u64],
            partials: Vec<(f64, f64)>,
        ) -> Result<Vec<(f64, f64)>, Self::Error> {
            Ok(partials)
        }
    }

    /// A random graph of 9000 nodes (five chunks) whose last 500 nodes have no arcs, so some
    /// rows are empty and some nodes dangle.
    fn test_graph() -> Graph {
        let e = clout_graph::generate::gnm(9000, 60_000, 7).unwrap();
        let pairs: Vec<(u32, u32)> = (e.src.iter().zip(&e.dst))
            .filter(|&(&a, &b)| a < 8500 && b < 8500)
            .map(|(&a, &b)| (a, b))
            .collect();
        clout_graph::from_pairs(e.node_count, &pairs, true)
    }

    /// Parts in one process that exchange through shared vectors, stepping in lock step on
    /// threads: the parts' answers equal one machine's power iteration bit for bit.
    #[test]
    fn parts_equal_one_machine_power() {
        let g = test_graph();
        let cfg = PageRankConfig {
            method: PageRankMethod::Power,
            tolerance: 1e-10,
            ..PageRankConfig::default()
        };
        let single = pagerank(&g, &cfg).unwrap();
        for parts in [1usize, 2, 3] {
            let ranges = partition_rows(&g, parts);
            assert_eq!(ranges.len(), parts);
            assert_eq!(ranges.first().unwrap().start, 0);
            assert_eq!(ranges.last().unwrap().end, g.node_count());
            let results = run_parts(&g, &cfg, &ranges);
            for r in results {
                assert_eq!(r.iterations, single.iterations);
                assert_eq!(r.residual.to_bits(), single.residual.to_bits());
                assert_eq!(r.converged, single.converged);
                assert!(
                    r.scores.iter().zip(&single.scores).all(|(a, b)| a.to_bits() == b.to_bits())
                );
            }
        }
    }

    /// A part that skips the exchange of states computes something else: the equality above
    /// depends on the exchange.
    #[test]
    fn a_part_without_the_others_rows_differs() {
        let g = test_graph();
        let cfg = PageRankConfig { method: PageRankMethod::Power, ..PageRankConfig::default() };
        let single = pagerank(&g, &cfg).unwrap();
        let first = partition_rows(&g, 2)[0].clone();
        let alone = pagerank_rows(&g, &cfg, first, &mut Alone).unwrap();
        assert_ne!(alone.scores, single.scores);
    }

    #[test]
    fn misaligned_rows_and_weights_are_refused() {
        let g = clout_graph::from_pairs(5000, &[(1, 0), (2, 1)], true);
        let cfg = PageRankConfig::default();
        assert!(matches!(
            pagerank_rows(&g, &cfg, 1..5000, &mut Alone),
            Err(PartitionedError::Centrality(CentralityError::InvalidConfig {
                parameter: "rows",
                ..
            }))
        ));
        let weighted = PageRankConfig { weighted: true, ..cfg };
        assert!(matches!(
            pagerank_rows(&g, &weighted, 0..5000, &mut Alone),
            Err(PartitionedError::Centrality(CentralityError::InvalidConfig {
                parameter: "method",
                ..
            }))
        ));
    }

    /// A part over [`PullArrays`] whose other rows' arcs are garbage computes the same bits as
    /// over the whole graph: only its own rows are read; garbage in its own rows is an error.
    #[test]
    fn arrays_part_reads_only_its_rows() {
        let g = test_graph();
        let cfg = PageRankConfig { method: PageRankMethod::Power, ..PageRankConfig::default() };
        let ranges = partition_rows(&g, 2);
        assert_eq!(ranges, partition_offsets(g.out_adjacency().offsets.as_slice(), 2));
        let whole = PullArrays::of(&g);
        let own = ranges[0].clone();
        let (lo, hi) = (whole.offsets[own.start] as usize, whole.offsets[own.end] as usize);
        assert!(lo < hi && hi < whole.sources.len());
        let mut garbage = whole.sources.to_vec();
        garbage[hi..].iter_mut().for_each(|t| *t = u32::MAX);
        let arrays = PullArrays { sources: &garbage, ..whole };
        let from_graph = pagerank_rows(&g, &cfg, own.clone(), &mut Alone).unwrap();
        let from_arrays = pagerank_rows_of(&arrays, &cfg, own.clone(), &mut Alone).unwrap();
        assert_eq!(from_graph.iterations, from_arrays.iterations);
        assert!(
            from_graph
                .scores
                .iter()
                .zip(&from_arrays.scores)
                .all(|(a, b)| a.to_bits() == b.to_bits())
        );
        // The second part's rows hold the garbage: refused, with the arc named.
        let refused = pagerank_rows_of(&arrays, &cfg, ranges[1].clone(), &mut Alone);
        let Err(PartitionedError::Centrality(CentralityError::InvalidConfig { parameter, reason })) =
            refused
        else {
            panic!("garbage arcs were accepted");
        };
        assert_eq!(parameter, "arrays");
        assert!(reason.contains(&format!("arc {hi} points to node {}", u32::MAX)), "{reason}");
        // Offsets that do not end at the arc count.
        let short = PullArrays { sources: &garbage[..hi], ..whole };
        assert!(pagerank_rows_of(&short, &cfg, own, &mut Alone).is_err());
    }

    /// Runs every range as a thread; after each step the threads publish their rows and
    /// partials to a shared board and wait at a barrier.
    fn run_parts(g: &Graph, cfg: &PageRankConfig, ranges: &[Range<usize>]) -> Vec<PageRank> {
        use std::sync::{Barrier, Mutex};
        type Board = Vec<Option<(Vec<u64>, Vec<(f64, f64)>)>>;
        let barrier = Barrier::new(ranges.len());
        let board: Mutex<Board> = Mutex::new(vec![None; ranges.len()]);
        struct Shared<'a> {
            me: usize,
            ranges: &'a [Range<usize>],
            barrier: &'a Barrier,
            board: &'a Mutex<Board>,
        }
        impl StateExchange for Shared<'_> {
            type Error = std::convert::Infallible;
            fn exchange(
                &mut self,
                own: Range<usize>,
                states: &mut [u64],
                partials: Vec<(f64, f64)>,
            ) -> Result<Vec<(f64, f64)>, Self::Error> {
                self.board.lock().unwrap()[self.me] = Some((states[own].to_vec(), partials));
                self.barrier.wait();
                let mut all = Vec::new();
                {
                    let board = self.board.lock().unwrap();
                    for (range, entry) in self.ranges.iter().zip(board.iter()) {
                        let (rows, parts) = entry.as_ref().unwrap();
                        states[range.clone()].copy_from_slice(rows);
                        all.extend_from_slice(parts);
                    }
                }
                self.barrier.wait();
                Ok(all)
            }
        }
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..ranges.len())
                .map(|me| {
                    let mut ex = Shared { me, ranges, barrier: &barrier, board: &board };
                    let range = ranges[me].clone();
                    s.spawn(move || pagerank_rows(g, cfg, range, &mut ex).unwrap())
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        })
    }
}
