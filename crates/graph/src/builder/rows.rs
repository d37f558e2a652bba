//! Sorting and merging CSR rows (the builder's duplicate policies).

use crate::Duplicates;
use crate::graph::NodeId;

/// One bucket's mutable view of the row arrays.
pub(crate) struct RowMut<'a> {
    pub targets: &'a mut [NodeId],
    pub weights: Option<&'a mut [f64]>,
    pub signs: Option<&'a mut [i8]>,
}

/// Sorts every row of `block` (rows `first_row ..`, local arc offsets `offsets`) by target,
/// stably (keeping input order among equal targets, so attributes follow), and merges
/// duplicates per `policy`, leaving each row's kept arcs at its front. Returns each row's kept
/// length and the number of merged input edges (an undirected duplicate is seen in both
/// endpoint rows and counted once).
pub(crate) fn sort_rows(
    first_row: usize,
    offsets: &[u64],
    block: &mut RowMut<'_>,
    policy: Duplicates,
    directed: bool,
) -> (Vec<u64>, u64) {
    let rows = offsets.len() - 1;
    let mut lens = Vec::with_capacity(rows);
    let mut merged = 0u64;
    let mut perm: Vec<u32> = Vec::new();
    let mut scratch_t: Vec<NodeId> = Vec::new();
    let mut scratch_w: Vec<f64> = Vec::new();
    let mut scratch_s: Vec<i8> = Vec::new();
    let RowMut { targets, weights, signs } = block;
    for r in 0..rows {
        let row = first_row + r;
        let a = offsets[r] as usize;
        let b = offsets[r + 1] as usize;
        let t = &mut targets[a..b];
        let mut w = weights.as_deref_mut().map(|w| &mut w[a..b]);
        let mut s = signs.as_deref_mut().map(|s| &mut s[a..b]);
        if !t.is_sorted() {
            if w.is_none() && s.is_none() {
                t.sort_unstable();
            } else {
                // Stable sort through a permutation so attributes follow their targets.
                perm.clear();
                perm.extend(0..t.len() as u32);
                perm.sort_by_key(|&i| t[i as usize]);
                scratch_t.clear();
                scratch_t.extend(perm.iter().map(|&i| t[i as usize]));
                t.copy_from_slice(&scratch_t);
                if let Some(w) = w.as_deref_mut() {
                    scratch_w.clear();
                    scratch_w.extend(perm.iter().map(|&i| w[i as usize]));
                    w.copy_from_slice(&scratch_w);
                }
                if let Some(s) = s.as_deref_mut() {
                    scratch_s.clear();
                    scratch_s.extend(perm.iter().map(|&i| s[i as usize]));
                    s.copy_from_slice(&scratch_s);
                }
            }
        }
        let len = if policy == Duplicates::Keep || t.len() < 2 {
            t.len()
        } else {
            let mut kept = 1usize;
            for i in 1..t.len() {
                if t[i] == t[kept - 1] {
                    // An undirected duplicate shows up in both endpoint rows: count it once.
                    if directed || t[i] as usize >= row {
                        merged += 1;
                    }
                    if policy == Duplicates::Sum
                        && let Some(w) = w.as_deref_mut()
                    {
                        w[kept - 1] += w[i];
                    }
                } else {
                    t[kept] = t[i];
                    if let Some(w) = w.as_deref_mut() {
                        w[kept] = w[i];
                    }
                    if let Some(s) = s.as_deref_mut() {
                        s[kept] = s[i];
                    }
                    kept += 1;
                }
            }
            kept
        };
        lens.push(len as u64);
    }
    (lens, merged)
}
