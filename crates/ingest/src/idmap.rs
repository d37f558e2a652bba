//! The id map: original account ids (integers or strings such as handles) for dense node ids.
//!
//! Dense ids are assigned in ascending order of the original ids — numeric order for integer
//! ids, byte order for string ids — so the map is a sorted array and a lookup from original to
//! dense id is a binary search over it. Nothing has to be built when a snapshot is opened: the
//! mapped arrays are the map.

use clout_graph::{NodeId, Slab};
use rayon::prelude::*;

/// Original ids of a graph's nodes; dense id `i` is the `i`-th smallest original id.
#[derive(Debug, Clone)]
pub enum IdMap {
    /// Integer ids (up to `u64`), strictly ascending.
    Integer(Slab<u64>),
    /// String ids: node `i` is `bytes[offsets[i] .. offsets[i + 1]]`, valid UTF-8, strictly
    /// ascending in byte order.
    String {
        /// `node_count + 1` offsets into `bytes`.
        offsets: Slab<u64>,
        /// The concatenated UTF-8 ids.
        bytes: Slab<u8>,
    },
}

/// One original id, borrowed from an [`IdMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OriginalId<'a> {
    /// An integer id.
    Integer(u64),
    /// A string id.
    String(&'a str),
}

impl std::fmt::Display for OriginalId<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OriginalId::Integer(x) => write!(f, "{x}"),
            OriginalId::String(s) => f.write_str(s),
        }
    }
}

impl IdMap {
    /// The identity map `0 .. n` (for generated graphs).
    pub fn identity(n: u32) -> IdMap {
        IdMap::Integer(Slab::from_vec((0..n as u64).collect()))
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        match self {
            IdMap::Integer(ids) => ids.len(),
            IdMap::String { offsets, .. } => offsets.len().saturating_sub(1),
        }
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether ids are strings.
    pub fn is_string(&self) -> bool {
        matches!(self, IdMap::String { .. })
    }

    /// The original id of dense node `id`. Panics if `id` is out of range.
    pub fn original(&self, id: NodeId) -> OriginalId<'_> {
        match self {
            IdMap::Integer(ids) => OriginalId::Integer(ids[id as usize]),
            IdMap::String { .. } => OriginalId::String(self.string_at(id as usize)),
        }
    }

    fn string_at(&self, i: usize) -> &str {
        match self {
            IdMap::String { offsets, bytes } => {
                let raw = &bytes[offsets[i] as usize..offsets[i + 1] as usize];
                // Validated when the map was built or opened; a lossy fallback keeps this total.
                std::str::from_utf8(raw).unwrap_or("\u{FFFD}")
            }
            IdMap::Integer(_) => unreachable!("string_at on an integer map"),
        }
    }

    /// The dense id of an original id written as text (as a user types it on the command line
    /// or in a seeds file), or `None` if no node has it. For an integer map, `text` must be a
    /// plain decimal integer.
    pub fn lookup(&self, text: &str) -> Option<NodeId> {
        match self {
            IdMap::Integer(ids) => {
                let value: u64 = text.trim().parse().ok()?;
                ids.binary_search(&value).ok().map(|i| i as NodeId)
            }
            IdMap::String { .. } => {
                let (mut lo, mut hi) = (0usize, self.len());
                while lo < hi {
                    let mid = lo + (hi - lo) / 2;
                    match self.string_at(mid).as_bytes().cmp(text.as_bytes()) {
                        std::cmp::Ordering::Less => lo = mid + 1,
                        std::cmp::Ordering::Greater => hi = mid,
                        std::cmp::Ordering::Equal => return Some(mid as NodeId),
                    }
                }
                None
            }
        }
    }

    /// Checks the invariants (strictly ascending, offsets in range, UTF-8) in O(total size).
    pub fn validate(&self) -> Result<(), String> {
        match self {
            IdMap::Integer(ids) => {
                match ids.as_slice().par_windows(2).position_any(|w| w[0] >= w[1]) {
                    Some(i) => Err(format!("integer ids are not strictly ascending at node {i}")),
                    None => Ok(()),
                }
            }
            IdMap::String { offsets, bytes } => {
                if offsets.is_empty() || offsets[0] != 0 {
                    return Err("string id offsets must start at 0".into());
                }
                if offsets[offsets.len() - 1] != bytes.len() as u64 {
                    return Err("string id offsets must end at the byte count".into());
                }
                if let Some(i) = offsets.windows(2).position(|w| w[0] > w[1]) {
                    return Err(format!("string id offsets decrease at node {i}"));
                }
                let (offsets, bytes) = (offsets.as_slice(), bytes.as_slice());
                let id = |i: usize| &bytes[offsets[i] as usize..offsets[i + 1] as usize];
                let n = offsets.len() - 1;
                if let Some(i) =
                    (0..n).into_par_iter().position_any(|i| std::str::from_utf8(id(i)).is_err())
                {
                    return Err(format!("string id of node {i} is not UTF-8"));
                }
                if let Some(i) = (1..n).into_par_iter().position_any(|i| id(i - 1) >= id(i)) {
                    return Err(format!("string ids are not strictly ascending at node {i}"));
                }
                Ok(())
            }
        }
    }

    /// Heap bytes owned by the map (0 when memory-mapped).
    pub fn owned_bytes(&self) -> usize {
        match self {
            IdMap::Integer(ids) => ids.owned_bytes(),
            IdMap::String { offsets, bytes } => offsets.owned_bytes() + bytes.owned_bytes(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(ids: &[&str]) -> IdMap {
        let mut offsets = vec![0u64];
        let mut bytes = Vec::new();
        for s in ids {
            bytes.extend_from_slice(s.as_bytes());
            offsets.push(bytes.len() as u64);
        }
        IdMap::String { offsets: Slab::from_vec(offsets), bytes: Slab::from_vec(bytes) }
    }

    #[test]
    fn integer_lookup_round_trips() {
        let map = IdMap::Integer(Slab::from_vec(vec![3, 7, 8297, u64::MAX]));
        assert_eq!(map.lookup("8297"), Some(2));
        assert_eq!(map.lookup("18446744073709551615"), Some(3));
        assert_eq!(map.lookup("4"), None);
        assert_eq!(map.lookup("alice"), None);
        assert_eq!(map.original(1).to_string(), "7");
        assert!(map.validate().is_ok());
    }

    #[test]
    fn string_lookup_round_trips() {
        let map = strings(&["@alice", "@bob", "Zoë", "carol"]);
        assert_eq!(map.lookup("@bob"), Some(1));
        assert_eq!(map.lookup("Zoë"), Some(2));
        assert_eq!(map.lookup("dave"), None);
        assert_eq!(map.original(3), OriginalId::String("carol"));
        assert!(map.validate().is_ok());
        assert!(strings(&["b", "a"]).validate().is_err());
    }
}
