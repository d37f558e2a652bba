//! Sorted sets of string ids: a piece's distinct tokens (built at the end of its parse, so a
//! text piece keeps each distinct token once plus a 4-byte rank per endpoint), the parallel
//! merge of all pieces' sets into the global sorted list, and the search of a piece's tokens
//! in it.
//!
//! Tokens are compared through their first 16 bytes loaded as a big-endian `u128` (every
//! Twitter handle fits), falling back to the bytes only for longer tokens with equal prefixes.

use std::cmp::Ordering;

/// A piece's distinct string ids in byte order, and each endpoint's index among them.
#[derive(Debug, Default)]
pub(crate) struct Dictionary {
    /// The distinct tokens, concatenated in order.
    bytes: Vec<u8>,
    /// End offset of each token in `bytes`.
    ends: Vec<u32>,
    /// Per endpoint (two per edge), the index of its token.
    pub rank: Vec<u32>,
}

/// A sorted list of distinct tokens.
pub(crate) trait Sorted: Sync {
    /// Number of tokens.
    fn count(&self) -> usize;
    /// Token `i` with its prefix.
    fn key(&self, i: usize) -> (u128, &[u8]);
    /// Total bytes of the tokens.
    fn byte_len(&self) -> usize;
}

impl Sorted for Dictionary {
    fn count(&self) -> usize {
        self.ends.len()
    }

    #[inline]
    fn key(&self, i: usize) -> (u128, &[u8]) {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        key_at(&self.bytes, start, self.ends[i] as usize)
    }

    fn byte_len(&self) -> usize {
        self.bytes.len()
    }
}

/// A merged list: token `i` is `bytes[offsets[i] .. offsets[i + 1]]` (the [`IdMap`] layout).
///
/// [`IdMap`]: crate::IdMap
#[derive(Debug)]
pub(crate) struct Merged {
    pub bytes: Vec<u8>,
    pub offsets: Vec<u64>,
}

impl Sorted for Merged {
    fn count(&self) -> usize {
        self.offsets.len() - 1
    }

    #[inline]
    fn key(&self, i: usize) -> (u128, &[u8]) {
        key_at(&self.bytes, self.offsets[i] as usize, self.offsets[i + 1] as usize)
    }

    fn byte_len(&self) -> usize {
        self.bytes.len()
    }
}

/// The first 16 bytes of a token, big-endian and zero-padded.
#[inline]
pub(crate) fn prefix(token: &[u8]) -> u128 {
    let mut head = [0u8; 16];
    let n = token.len().min(16);
    head[..n].copy_from_slice(&token[..n]);
    u128::from_be_bytes(head)
}

/// The token `bytes[start..end]` with its prefix, read as one 16-byte load when the buffer
/// allows (no variable-length copy).
#[inline]
fn key_at(bytes: &[u8], start: usize, end: usize) -> (u128, &[u8]) {
    let token = &bytes[start..end];
    let prefix = match bytes.get(start..).and_then(|rest| rest.first_chunk::<16>()) {
        Some(head) if token.len() >= 16 => u128::from_be_bytes(*head),
        Some(head) => u128::from_be_bytes(*head) & !(u128::MAX >> (8 * token.len())),
        None => prefix(token),
    };
    (prefix, token)
}

/// Appends a token given with its prefix: short tokens are written as one 16-byte store and
/// cut back, which avoids a variable-length copy (a `memcpy` call) per token.
#[inline]
fn push_token(out: &mut Vec<u8>, (prefix, token): (u128, &[u8])) {
    if token.len() <= 16 {
        let keep = out.len() + token.len();
        out.extend_from_slice(&prefix.to_be_bytes());
        out.truncate(keep);
    } else {
        out.extend_from_slice(token);
    }
}

/// Byte order of two tokens given with their prefixes. Equal prefixes of two short tokens mean
/// one is the other followed by NUL bytes, so the shorter comes first.
#[inline]
pub(crate) fn compare(a: (u128, &[u8]), b: (u128, &[u8])) -> Ordering {
    a.0.cmp(&b.0).then_with(|| {
        if a.1.len() <= 16 && b.1.len() <= 16 { a.1.len().cmp(&b.1.len()) } else { a.1.cmp(b.1) }
    })
}

/// Sorts and dedups one piece's tokens (endpoint `i` is `bytes[spans[i].0 .. spans[i].1]`).
pub(crate) fn dictionary(bytes: &[u8], spans: &[(u32, u32)]) -> Dictionary {
    let token = |i: u32| {
        let (start, end) = spans[i as usize];
        &bytes[start as usize..end as usize]
    };
    // (prefix, length, endpoint): the length spares reading short tokens again.
    let mut keys: Vec<(u128, u32, u32)> = (0..spans.len() as u32)
        .map(|i| (prefix(token(i)), spans[i as usize].1 - spans[i as usize].0, i))
        .collect();
    let key_order = |a: &(u128, u32, u32), b: &(u128, u32, u32)| {
        a.0.cmp(&b.0).then_with(|| {
            if a.1 <= 16 && b.1 <= 16 { a.1.cmp(&b.1) } else { token(a.2).cmp(token(b.2)) }
        })
    };
    keys.sort_unstable_by(key_order);
    let mut dict = Dictionary {
        bytes: Vec::with_capacity(bytes.len() + 16),
        ends: Vec::new(),
        rank: vec![0; spans.len()],
    };
    let mut last: Option<&(u128, u32, u32)> = None;
    for key in &keys {
        if last.is_none_or(|l| key_order(l, key) != Ordering::Equal) {
            push_token(&mut dict.bytes, (key.0, token(key.2)));
            dict.ends.push(dict.bytes.len() as u32);
            last = Some(key);
        }
        dict.rank[key.2 as usize] = dict.ends.len() as u32 - 1;
    }
    dict.bytes.shrink_to_fit();
    dict.ends.shrink_to_fit();
    dict
}

/// A dictionary of the tokens of `merged` (whose bytes must fit 32-bit offsets) with the given
/// rank per endpoint.
pub(crate) fn from_merged(merged: Merged, rank: Vec<u32>) -> Dictionary {
    let ends = merged.offsets[1..].iter().map(|&end| end as u32).collect();
    Dictionary { bytes: merged.bytes, ends, rank }
}

/// Merges two sorted lists into one, without repeats.
fn merge_two(a: &impl Sorted, b: &impl Sorted) -> Merged {
    let mut bytes = Vec::with_capacity(a.byte_len() + b.byte_len() + 16);
    let mut offsets = Vec::with_capacity(a.count() + b.count() + 1);
    offsets.push(0u64);
    let (mut i, mut j) = (0, 0);
    while i < a.count() || j < b.count() {
        let order = match (i < a.count(), j < b.count()) {
            (true, true) => compare(a.key(i), b.key(j)),
            (true, false) => Ordering::Less,
            _ => Ordering::Greater,
        };
        let key = if order == Ordering::Greater { b.key(j) } else { a.key(i) };
        push_token(&mut bytes, key);
        offsets.push(bytes.len() as u64);
        i += (order != Ordering::Greater) as usize;
        j += (order != Ordering::Less) as usize;
    }
    bytes.shrink_to_fit();
    offsets.shrink_to_fit();
    Merged { bytes, offsets }
}

/// The dictionaries of pieces read with string ids (a piece of integer ids, which a pass
/// with string ids never makes, gives an empty one).
pub(crate) fn text_dictionaries(parts: Vec<super::Endpoints>) -> Vec<Dictionary> {
    parts
        .into_iter()
        .map(|e| match e {
            super::Endpoints::Text(dict) => dict,
            super::Endpoints::Narrow(_) | super::Endpoints::Wide(_) => Dictionary::default(),
        })
        .collect()
}

/// Merges every dictionary into one sorted list of distinct tokens (a parallel merge tree).
pub(crate) fn merge_all(dicts: &[Dictionary]) -> Merged {
    match dicts {
        [] => Merged { bytes: Vec::new(), offsets: vec![0] },
        [one] => merge_two(one, &Merged { bytes: Vec::new(), offsets: vec![0] }),
        [a, b] => merge_two(a, b),
        _ => {
            let (left, right) = dicts.split_at(dicts.len() / 2);
            let (l, r) = rayon::join(|| merge_all(left), || merge_all(right));
            merge_two(&l, &r)
        }
    }
}

/// The global index of each of `local`'s tokens, all of which are in `global`: one galloping
/// search per token, starting where the previous one was found.
pub(crate) fn positions(local: &impl Sorted, global: &impl Sorted) -> Vec<u32> {
    let mut out = Vec::with_capacity(local.count());
    let mut at = 0usize;
    for i in 0..local.count() {
        let key = local.key(i);
        let below = |g: usize| compare(global.key(g), key) == Ordering::Less;
        // Gallop to a window (lo, hi] that holds the first position not below the token.
        let (mut lo, mut step) = (at, 1usize);
        while lo + step < global.count() && below(lo + step) {
            lo += step;
            step *= 2;
        }
        // Binary search in (lo, hi]: `lo` is below the token unless it is the token itself.
        let (mut first, mut last) = (lo, (lo + step).min(global.count()));
        if below(first) {
            first += 1;
            while first < last {
                let mid = first + (last - first) / 2;
                if below(mid) { first = mid + 1 } else { last = mid }
            }
        }
        at = first;
        out.push(at as u32);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_order_is_byte_order() {
        let long = "0123456789abcdef";
        let tokens: Vec<Vec<u8>> = [
            "",
            "a",
            "a\0",
            "a\0\0",
            "ab",
            "b",
            "@user1",
            "@user10",
            "@user9",
            long,
            &format!("{long}\0"),
            &format!("{long}a"),
            &format!("{long}aa"),
            &format!("{long}z"),
            &format!("{long}\0z"),
            "0123456789abcdeg",
            "Zoë",
            "Zoe",
        ]
        .iter()
        .map(|t| t.as_bytes().to_vec())
        .collect();
        for a in &tokens {
            for b in &tokens {
                assert_eq!(compare((prefix(a), a), (prefix(b), b)), a.cmp(b), "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn key_loads_match_prefix() {
        let bytes: Vec<u8> = (0..40u8).map(|b| b.wrapping_mul(37) | 1).collect();
        for start in 0..bytes.len() {
            for end in start..bytes.len() {
                assert_eq!(
                    key_at(&bytes, start, end).0,
                    prefix(&bytes[start..end]),
                    "{start}..{end}"
                );
            }
        }
    }

    fn tokens_of(text: &str) -> (Vec<u8>, Vec<(u32, u32)>) {
        let mut bytes = Vec::new();
        let mut spans = Vec::new();
        for t in text.split(' ') {
            let start = bytes.len() as u32;
            bytes.extend_from_slice(t.as_bytes());
            spans.push((start, bytes.len() as u32));
        }
        (bytes, spans)
    }

    fn all(list: &impl Sorted) -> Vec<String> {
        (0..list.count()).map(|i| String::from_utf8(list.key(i).1.to_vec()).unwrap()).collect()
    }

    #[test]
    fn dictionaries_merge_and_find_their_tokens() {
        let mut rng = clout_graph::rng::Rng::new(3);
        let texts: Vec<String> = (0..9)
            .map(|_| {
                let words: Vec<String> = (0..rng.below(60) + 1)
                    .map(|_| {
                        let n = rng.below(300);
                        if n % 7 == 0 {
                            format!("a-rather-long-handle-{n}")
                        } else {
                            format!("@u{n}")
                        }
                    })
                    .collect();
                words.join(" ")
            })
            .collect();
        let dicts: Vec<Dictionary> = texts
            .iter()
            .map(|t| {
                let (bytes, spans) = tokens_of(t);
                dictionary(&bytes, &spans)
            })
            .collect();
        let mut want: Vec<&str> = texts.iter().flat_map(|t| t.split(' ')).collect();
        want.sort();
        want.dedup();
        let global = merge_all(&dicts);
        assert_eq!(all(&global), want);
        for (text, dict) in texts.iter().zip(&dicts) {
            let map = positions(dict, &global);
            for (i, word) in text.split(' ').enumerate() {
                let g = map[dict.rank[i] as usize] as usize;
                assert_eq!(global.key(g).1, word.as_bytes());
            }
        }
    }
}
