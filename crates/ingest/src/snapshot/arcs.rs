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

/// The keyed arc hash: `(tail, head)` through a full-avalanche mixer (the SplitMix64 /
/// MurmurHash3 finaliser), then, if the arcs carry attributes, a second round with the weight
/// bits and the sign folded in (the sign picks one of two keys).
#[derive(Clone, Copy)]
struct ArcHasher {
    key: [u64; 3],
}

#[inline(always)]
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[inline(always)]
fn pack(tail: u32, head: u32) -> u64 {
    u64::from(tail) << 32 | u64::from(head)
}

impl ArcHasher {
    fn new() -> ArcHasher {
        let state = RandomState::new();
        ArcHasher { key: [state.hash_one(0u8), state.hash_one(1u8), state.hash_one(2u8)] }
    }

    /// The attribute word of a weight (its bits) and a sign (which key): distinct attribute
    /// pairs give distinct words unless two random keys happen to differ by the weights' XOR.
    #[inline(always)]
    fn sign_key(&self, sign: i8) -> u64 {
        if sign < 0 { self.key[2] } else { self.key[1] }
    }

    #[inline(always)]
    fn hash(&self, arc: u64, attribute: Option<u64>) -> u64 {
        let h = mix(arc ^ self.key[0]);
        match attribute {
            Some(a) => mix(h ^ a),
            None => h,
        }
    }

    /// One direction's fingerprint: `forward` sums the arcs with rows as tails, `reversed` with
    /// rows as heads; the const parameters say which of the two are computed.
    fn fingerprint<const FORWARD: bool, const REVERSED: bool>(
        &self,
        n: usize,
        adj: &Adjacency,
    ) -> Fingerprint {
        let key = self.key[1];
        match (adj.weights.as_deref(), adj.signs.as_deref()) {
            (None, None) => self.pass::<FORWARD, REVERSED>(n, adj, |_| None),
            (Some(w), None) => {
                self.pass::<FORWARD, REVERSED>(n, adj, |k| Some(w[k].to_bits() ^ key))
            }
            (None, Some(s)) => {
                self.pass::<FORWARD, REVERSED>(n, adj, |k| Some(self.sign_key(s[k])))
            }
            (Some(w), Some(s)) => self
                .pass::<FORWARD, REVERSED>(n, adj, |k| Some(w[k].to_bits() ^ self.sign_key(s[k]))),
        }
    }

    /// The pass behind [`ArcHasher::fingerprint`], given the attribute word of each arc index.
    fn pass<const FORWARD: bool, const REVERSED: bool>(
        &self,
        n: usize,
        adj: &Adjacency,
        attribute: impl Fn(usize) -> Option<u64> + Sync,
    ) -> Fingerprint {
        let (offsets, targets) = (adj.offsets.as_slice(), adj.targets.as_slice());
        (0..n)
            .into_par_iter()
            .with_min_len(MIN_ROWS_PER_TASK)
            .fold(Fingerprint::default, |mut acc, row| {
                // Offsets were checked by `Graph::from_parts`: in bounds and non-decreasing.
                let lo = offsets[row] as usize;
                let row_targets = &targets[lo..offsets[row + 1] as usize];
                let row = row as u32;
                for (k, &other) in (lo..).zip(row_targets) {
                    let a = attribute(k);
                    if FORWARD {
                        acc.forward = acc.forward.wrapping_add(self.hash(pack(row, other), a));
                    }
                    if REVERSED {
                        acc.reversed = acc.reversed.wrapping_add(self.hash(pack(other, row), a));
                    }
                    acc.loops += u64::from(other == row);
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
    let out = if directed {
        hasher.fingerprint::<true, false>(n, g.out_adjacency())
    } else {
        hasher.fingerprint::<true, true>(n, g.out_adjacency())
    };
    if directed {
        let inn = hasher.fingerprint::<false, true>(n, g.in_adjacency());
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
