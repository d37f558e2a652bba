//! PageRank with the rows partitioned across processes: each process computes the power
//! step for its own row range ([`clout::centrality::partition_rows`]: contiguous, on chunk
//! boundaries, balanced by arcs plus rows) and the processes all-gather the new states after
//! every step.
//!
//! Identity: the result is bit for bit the single-machine PageRank with the power method (see
//! [`clout::centrality::pagerank_rows`] for why), whatever the number of processes or threads.
//! It is the same as the default `Auto` method's answer only when `Auto` stays with power
//! iteration; otherwise both satisfy the same stopping rule but may differ in the last bits.
//!
//! What each step sends: every process sends its rows' states (8 bytes per row) and its
//! chunks' two partial sums (16 bytes per 2048 rows) to every other process, so one step moves
//! about `8 n (N - 1)` bytes in total over the network and each process receives about `8 n`.

use std::ops::Range;

use clout::centrality::{PageRank, PageRankConfig, PartitionedError, PullArrays, StateExchange};
use clout::centrality::{pagerank_rows_of, partition_offsets};

use crate::collective::{Collective, Traffic};
use crate::error::ClusterError;

/// A distributed PageRank's result on one process.
#[derive(Debug, Clone)]
pub struct PageRankRun {
    /// The scores and how the iteration ended (the same on every process).
    pub result: PageRank,
    /// The rows this process computed.
    pub rows: Range<usize>,
    /// The bytes this process sent and received, including the start-up check.
    pub traffic: Traffic,
}

/// Runs this process's part of a row-partitioned PageRank (power method) over the graph whose
/// arrays are `arrays` ([`PullArrays::of`] a whole graph, or the arrays of a snapshot opened
/// with `clout::ingest::snapshot::open_snapshot_rows`, of which this process then reads only
/// its own rows' arcs).
///
/// # Errors
/// [`ClusterError::Centrality`] for a config the partitioned power iteration refuses
/// (weights, personalization, damping 1, or any config [`clout::centrality::pagerank()`]
/// refuses) and for arrays that fail their check; the all-gather's errors.
pub fn pagerank(
    collective: &mut Collective,
    arrays: &PullArrays,
    cfg: &PageRankConfig,
) -> Result<PageRankRun, ClusterError> {
    let ranges = partition_offsets(arrays.offsets, collective.peers());
    let rows = ranges[collective.index()].clone();
    let mut exchange = Gather { collective, ranges: &ranges };
    let result =
        pagerank_rows_of(arrays, cfg, rows.clone(), &mut exchange).map_err(|e| match e {
            PartitionedError::Centrality(e) => ClusterError::Centrality(e),
            PartitionedError::Exchange(e) => e,
        })?;
    Ok(PageRankRun { result, rows, traffic: collective.traffic() })
}

/// The states exchange of one power step through the all-gather.
struct Gather<'a, 'w> {
    collective: &'a mut Collective<'w>,
    ranges: &'a [Range<usize>],
}

impl StateExchange for Gather<'_, '_> {
    type Error = ClusterError;

    fn exchange(
        &mut self,
        own: Range<usize>,
        states: &mut [u64],
        partials: Vec<(f64, f64)>,
    ) -> Result<Vec<(f64, f64)>, ClusterError> {
        // Payload: the partials' count, the partials, then the rows' states, little-endian.
        let mut payload = Vec::with_capacity(8 + 16 * partials.len() + 8 * own.len());
        payload.extend_from_slice(&(partials.len() as u64).to_le_bytes());
        for (change, mass) in &partials {
            payload.extend_from_slice(&change.to_le_bytes());
            payload.extend_from_slice(&mass.to_le_bytes());
        }
        for state in &states[own.clone()] {
            payload.extend_from_slice(&state.to_le_bytes());
        }
        let all = self.collective.gather_others(payload)?;
        let me = self.collective.index();
        let mut every = Vec::new();
        let word = |bytes: &[u8]| u64::from_le_bytes(bytes.try_into().unwrap_or([0; 8]));
        for (process, (data, range)) in all.iter().zip(self.ranges).enumerate() {
            if process == me {
                every.extend_from_slice(&partials);
                continue;
            }
            let count = data.get(..8).map(|b| word(b) as usize);
            let expected_len = count.map(|c| 8 + 16 * c + 8 * range.len());
            let (Some(count), Some(len)) = (count, expected_len) else {
                return Err(ClusterError::Protocol(format!(
                    "process {process}: empty PageRank message"
                )));
            };
            if data.len() != len {
                return Err(ClusterError::Protocol(format!(
                    "process {process}: {} bytes of PageRank states, expected {len}",
                    data.len()
                )));
            }
            // Decoded straight into place: no copy of the states besides the message.
            let (sums, rows) = data[8..].split_at(16 * count);
            every.extend(
                sums.chunks_exact(16)
                    .map(|p| (f64::from_bits(word(&p[..8])), f64::from_bits(word(&p[8..])))),
            );
            for (state, bytes) in states[range.clone()].iter_mut().zip(rows.chunks_exact(8)) {
                *state = word(bytes);
            }
        }
        Ok(every)
    }
}
