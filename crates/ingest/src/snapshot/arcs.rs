//! The check that a snapshot's two adjacency directions describe the same arcs.
//!
//! [`Graph::from_parts`] checks each direction on its own (offsets, bounds, sorted rows, signs);
//! it does not re-derive that the in-adjacency is the transpose of the out-adjacency, nor, for
//! an undirected graph, that the one stored direction is symmetric. A snapshot whose checksums
//! were recomputed after such a change would otherwise open and give wrong answers (in-degree,
//! pull-style PageRank and reverse reach read the in-adjacency; forward reach the out-adjacency).
//!
//! # Method
//! Every arc `u -> v` with weight bits `w` and sign `s` is hashed to 64 bits, and the hashes are
//! summed (wrapping): the sum is independent of order, so it fingerprints the arc *multiset*.
//! - Directed: the sum over the out-adjacency (`u` the row, `v` the entry) must equal the sum
//!   over the in-adjacency (`v` the row, `u` the entry), attributes taken from each side's own
//!   arrays. Equal multisets give equal sums, so a valid snapshot always passes.
//! - Undirected: the sum over the out-adjacency must equal the sum with every arc reversed, which
//!   holds exactly when every arc `u -> v` has a partner `v -> u` with the same attributes.
//!
//! Two different multisets give the same sum with probability about 2^-64 per open. The hash is
//! keyed with a key drawn per process ([`RandomState`]), so a file cannot be crafted in advance
//! to collide; the outcome for a valid file does not depend on the key.
//!
//! Cost: one parallel streaming pass over each direction's arrays, O(n + m) time and O(1)
//! memory beyond rayon's stack; the same pass counts self-loop arcs.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

use clout_graph::{Adjacency, Graph};
use rayon::prelude::*;

/// Rows handed to one rayon task at least (keeps task overhead small on sparse rows).
const MIN_ROWS_PER_TASK: usize = 1 << 12;

/// What the pass over one direction found.
#[derive(Clone, Copy, Default)]
struct Fingerprint {
    /// Sum of the arc hashes, rows as sources.
    forward: u64,
    /// Sum of the arc hashes with every arc reversed (rows as targets).
    reversed: u64,
    /// Arcs `u -> u`.
    loops: u64,
}

impl Fingerprint {
    fn merge(self, other: Fingerprint) -> Fingerprint {
        Fingerprint {
            forward: self.forward.wrapping_add(other.forward),
            reversed: self.reversed.wrapping_add(other.reversed),
            loops: self.loops + other.loops,
        }
    }
}

/// Which sums a pass computes (each costs one hash per arc).
#[derive(Clone, Copy)]
struct Sums {
    forward: bool,
    reversed: bool,
}

/// The keyed arc hash: `(tail, head)`, then the weight bits and the sign when present, each
/// folded in through a full-avalanche mixer (the SplitMix64 / MurmurHash3 finaliser).
#[derive(Clone, Copy)]
struct ArcHasher {
    key: [u64; 3],
}

#[inline]
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl ArcHasher {
    fn new() -> ArcHasher {
        let state = RandomState::new();
        ArcHasher { key: [state.hash_one(0u8), state.hash_one(1u8), state.hash_one(2u8)] }
    }

    #[inline]
    fn hash(&self, tail: u32, head: u32, weight: Option<u64>, sign: Option<i8>) -> u64 {
        let mut h = mix((u64::from(tail) << 32 | u64::from(head)) ^ self.key[0]);
        if let Some(w) = weight {
            h = mix(h ^ w ^ self.key[1]);
        }
        if let Some(s) = sign {
            h = mix(h ^ u64::from(s as u8) ^ self.key[2]);
        }
        h
    }

    /// One direction's fingerprint: rows as tails (`forward`, if asked) and as heads
    /// (`reversed`, if asked), and the self-loop count.
    fn fingerprint(&self, node_count: usize, adj: &Adjacency, sums: Sums) -> Fingerprint {
        let (offsets, targets) = (adj.offsets.as_slice(), adj.targets.as_slice());
        let weights = adj.weights.as_deref();
        let signs = adj.signs.as_deref();
        (0..node_count)
            .into_par_iter()
            .with_min_len(MIN_ROWS_PER_TASK)
            .fold(Fingerprint::default, |mut acc, row| {
                // Offsets were checked by `Graph::from_parts`: in bounds and non-decreasing.
                let (lo, hi) = (offsets[row] as usize, offsets[row + 1] as usize);
                let row_id = row as u32;
                for k in lo..hi {
                    let other = targets[k];
                    let w = weights.map(|w| w[k].to_bits());
                    let s = signs.map(|s| s[k]);
                    if sums.forward {
                        acc.forward = acc.forward.wrapping_add(self.hash(row_id, other, w, s));
                    }
                    if sums.reversed {
                        acc.reversed = acc.reversed.wrapping_add(self.hash(other, row_id, w, s));
                    }
                    acc.loops += u64::from(other == row_id);
                }
                acc
            })
            .reduce(Fingerprint::default, Fingerprint::merge)
    }
}

/// Checks that `g`'s in-adjacency holds exactly the out-adjacency's arcs reversed (directed),
/// or that its adjacency is symmetric (undirected), attributes included. Returns the number of
/// self-loop arcs, or a description of the mismatch.
pub(super) fn check_arcs(g: &Graph) -> Result<u64, String> {
    let hasher = ArcHasher::new();
    let n = g.node_count();
    let directed = g.is_directed();
    let out = hasher.fingerprint(n, g.out_adjacency(), Sums { forward: true, reversed: !directed });
    if directed {
        let sums = Sums { forward: false, reversed: true };
        let inn = hasher.fingerprint(n, g.in_adjacency(), sums);
        // The in-adjacency's rows are heads: its `reversed` sum hashes (tail, head).
        if out.forward != inn.reversed {
            return Err("the in-adjacency is not the transpose of the out-adjacency (arcs, \
                        weights or signs differ)"
                .into());
        }
    } else if out.forward != out.reversed {
        return Err("the adjacency of this undirected graph is not symmetric (an arc, weight or \
                    sign has no matching reverse arc)"
            .into());
    }
    Ok(out.loops)
}
