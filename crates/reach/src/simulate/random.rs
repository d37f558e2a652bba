//! Where every random number of a simulation comes from.
//!
//! A trial `t` of a simulation with seed `s` has the key `trial_key(s, t)`. Everything random in
//! that trial is a pure function of the key and of *which node or arc* it belongs to, never of
//! the order in which the cascade visits nodes or of the seed set:
//!
//! | what | source |
//! |---|---|
//! | out-arc coins of node `u` (cascade models) | the stream `Rng::stream(key, u)`, consumed from its start when `u` activates |
//! | sign coin `U_u` of node `u` (IC-N) | `unit(key, SIGN, u)` |
//! | threshold `theta_v` of node `v` (LT) | `unit(key, THRESHOLD, v)` |
//! | tie-break priority of arc `a` (IC-N, signed) | `hash(key, TIE, a)` |
//!
//! So a trial's live-edge graph is fixed before the cascade starts: several seed sets evaluated
//! with the same seed see the same live-edge graphs (paired comparisons), reach is monotone in
//! the seed set trial by trial, and IC, IC-N and signed spread share their live-edge graphs.
//!
//! # Geometric skipping
//! When every arc of a row has the same probability `p`, the number of failed attempts before
//! the next success is geometric: `P(K >= k) = (1 - p)^k`. With `U` uniform in `(0, 1]`,
//! `K = floor(ln U / ln(1 - p))` has exactly that law, because `K >= k` iff
//! `U <= (1 - p)^k`. Drawing `K` and jumping over `K` arcs replaces `K + 1` coins by one draw.
//! With a table of `(1 - p)^r`, comparing `U` with the entry for the `r` arcs left in the row
//! tells whether the jump leaves the row without computing the logarithm.
//! Rows with different probabilities use *thinning*: propose arcs with the row's largest
//! probability `p_max` by geometric jumps and keep a proposed arc `i` with probability
//! `p_i / p_max`; each arc is then live with probability exactly `p_i`, independently.

use clout_graph::NodeId;
use clout_graph::rng::Rng;

/// Salt of the IC-N sign coins.
pub(crate) const SIGN: u64 = 0x5349_474E_5349_474E;
/// Salt of the LT thresholds.
pub(crate) const THRESHOLD: u64 = 0x5448_5245_5348_4F4C;
/// Salt of the tie-break priorities.
pub(crate) const TIE: u64 = 0x5449_4542_5245_414B;

/// The finalizer of SplitMix64 (Stafford's variant 13): a bijection of `u64` with full
/// avalanche.
#[inline]
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The key of trial `trial` under the user's `seed`.
#[inline]
pub(crate) fn trial_key(seed: u64, trial: u64) -> u64 {
    Rng::stream(seed, trial).next_u64()
}

/// The out-arc coin stream of node `u` in the trial with key `key`.
#[inline]
pub(crate) fn node_stream(key: u64, u: NodeId) -> Rng {
    Rng::stream(key, u as u64)
}

/// 64 random bits belonging to `(key, salt, item)`.
#[inline]
pub(crate) fn hash(key: u64, salt: u64, item: u64) -> u64 {
    mix(key ^ mix(salt ^ item.wrapping_mul(0x9E37_79B9_7F4A_7C15)))
}

/// A uniform `f64` in `[0, 1)` belonging to `(key, salt, item)`.
#[inline]
pub(crate) fn unit(key: u64, salt: u64, item: u64) -> f64 {
    (hash(key, salt, item) >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// `1 / ln(1 - p)` for `0 < p < 1`: the scale of geometric jumps (negative).
#[inline]
pub(crate) fn jump_scale(p: f64) -> f64 {
    1.0 / (-p).ln_1p()
}

/// The number of failures before the next success: `floor(ln U / ln(1 - p))` with `U` uniform
/// in `(0, 1]`, given `scale = 1 / ln(1 - p)`. Saturates instead of overflowing.
#[inline]
pub(crate) fn geometric(rng: &mut Rng, scale: f64) -> usize {
    let u = 1.0 - rng.next_f64(); // (0, 1]
    // ln(u) <= 0 and scale < 0, so the product is >= 0; `as` saturates (and maps NaN to 0).
    (u.ln() * scale) as usize
}

/// A geometric jump that must land among the next `remaining` arcs: `None` when the jump
/// would leave the row. `none_left[r] = (1 - p)^r` is the probability that the next `r`
/// attempts all fail, so `K >= remaining` iff `U <= none_left[remaining]`: that comparison
/// settles most draws without the logarithm (which then runs only for live arcs).
#[inline]
pub(crate) fn geometric_within(
    rng: &mut Rng,
    scale: f64,
    none_left: &[f64],
    remaining: usize,
) -> Option<usize> {
    let u = 1.0 - rng.next_f64(); // (0, 1]
    if u <= none_left[remaining] {
        return None;
    }
    let k = (u.ln() * scale) as usize;
    // Rounding can disagree with the table by an ulp at the boundary: stay inside the row.
    (k < remaining).then_some(k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometric_jumps_have_the_geometric_law() {
        // P(K = 0) = p and E[K] = (1 - p) / p. 200,000 draws at p = 0.1: E[K] = 9, sd of the
        // mean = sqrt((1-p)/p^2 / n) = 0.0212; P(K = 0) has sd 0.00067. Bounds are 5 sd.
        let p = 0.1;
        let scale = jump_scale(p);
        let mut rng = Rng::new(3);
        let n = 200_000;
        let (mut sum, mut zeros) = (0usize, 0usize);
        for _ in 0..n {
            let k = geometric(&mut rng, scale);
            sum += k;
            zeros += (k == 0) as usize;
        }
        let mean = sum as f64 / n as f64;
        assert!((mean - 9.0).abs() < 0.106, "mean jump {mean}");
        let p0 = zeros as f64 / n as f64;
        assert!((p0 - 0.1).abs() < 0.0034, "P(K = 0) = {p0}");
    }

    #[test]
    fn hashed_uniforms_depend_on_every_input() {
        let a = unit(1, SIGN, 7);
        assert_ne!(a, unit(2, SIGN, 7));
        assert_ne!(a, unit(1, TIE, 7));
        assert_ne!(a, unit(1, SIGN, 8));
        assert_eq!(a, unit(1, SIGN, 7));
        // 100,000 uniforms: mean within 5 sd (0.0046) of 1/2.
        let mean = (0..100_000u64).map(|i| unit(9, THRESHOLD, i)).sum::<f64>() / 1e5;
        assert!((mean - 0.5).abs() < 0.0046, "{mean}");
    }
}
