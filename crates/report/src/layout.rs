//! Force-directed layout (Fruchterman and Reingold, "Graph drawing by force-directed
//! placement", Software: Practice and Experience 21(11), 1991), deterministic from a seed.
//!
//! Paper notation: `k = C * sqrt(area / n)` is the ideal edge length (here the area is the unit
//! square and `C = 1`); repulsion between every pair is `k^2 / d`, attraction along each edge
//! `d^2 / k`; displacement per iteration is capped by the temperature `t`, which cools
//! linearly from `0.1` (a tenth of the frame) to `0`. A weak pull towards the centre keeps
//! disconnected pieces in the frame (as NetworkX's `spring_layout` rescaling does implicitly).
//!
//! Cost: `O(iterations * (n^2 + m))`; the CLI caps drawings at a few hundred nodes, so 300
//! iterations take a few milliseconds. The result depends only on the input and the seed:
//! initial positions come from SplitMix64 and every sum runs in index order.

/// Options of [`fruchterman_reingold`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LayoutConfig {
    /// Iterations (default 300).
    pub iterations: usize,
    /// Seed of the initial positions (default 1).
    pub seed: u64,
    /// Strength of the pull towards the centre, relative to `k` (default 0.05).
    pub gravity: f64,
}

impl Default for LayoutConfig {
    fn default() -> Self {
        LayoutConfig { iterations: 300, seed: 1, gravity: 0.05 }
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): the next value of the stream in `state`.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A uniform draw in `[0, 1)` from the 53 high bits.
fn unit(state: &mut u64) -> f64 {
    (splitmix64(state) >> 11) as f64 / (1u64 << 53) as f64
}

/// Positions for `n` nodes joined by undirected `edges` (pairs of indices below `n`; others
/// are ignored), scaled into `[0, 1] x [0, 1]` so the drawing fills the unit square (a single
/// node sits in the centre).
pub fn fruchterman_reingold(
    n: usize,
    edges: &[(usize, usize)],
    cfg: &LayoutConfig,
) -> Vec<(f64, f64)> {
    let mut state = cfg.seed ^ 0x5DEE_CE66_D1CE_4E5B;
    let mut pos: Vec<(f64, f64)> = (0..n).map(|_| (unit(&mut state), unit(&mut state))).collect();
    if n <= 1 {
        return vec![(0.5, 0.5); n];
    }
    let edges: Vec<(usize, usize)> =
        edges.iter().copied().filter(|&(a, b)| a < n && b < n && a != b).collect();
    let k = (1.0 / n as f64).sqrt();
    let mut disp = vec![(0.0f64, 0.0f64); n];
    let iterations = cfg.iterations.max(1);
    for it in 0..iterations {
        let t = 0.1 * (1.0 - it as f64 / iterations as f64);
        disp.iter_mut().for_each(|d| *d = (0.0, 0.0));
        for i in 0..n {
            for j in (i + 1)..n {
                let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let d2 = (dx * dx + dy * dy).max(1e-12);
                // k^2 / d along the unit vector (dx, dy) / d.
                let f = k * k / d2;
                disp[i].0 += dx * f;
                disp[i].1 += dy * f;
                disp[j].0 -= dx * f;
                disp[j].1 -= dy * f;
            }
        }
        for &(a, b) in &edges {
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let d = (dx * dx + dy * dy).sqrt().max(1e-9);
            // d^2 / k along the unit vector.
            let f = d / k;
            disp[a].0 -= dx * f;
            disp[a].1 -= dy * f;
            disp[b].0 += dx * f;
            disp[b].1 += dy * f;
        }
        for (p, d) in pos.iter_mut().zip(&disp) {
            let (gx, gy) = ((0.5 - p.0) * cfg.gravity / k, (0.5 - p.1) * cfg.gravity / k);
            let (dx, dy) = (d.0 + gx, d.1 + gy);
            let len = (dx * dx + dy * dy).sqrt();
            if len > 0.0 {
                let step = len.min(t);
                p.0 += dx / len * step;
                p.1 += dy / len * step;
            }
        }
    }
    normalize(&mut pos);
    pos
}

/// Scales positions into `[0, 1]^2` keeping the aspect ratio, centred.
fn normalize(pos: &mut [(f64, f64)]) {
    let (mut x_lo, mut x_hi, mut y_lo, mut y_hi) =
        (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for &(x, y) in pos.iter() {
        x_lo = x_lo.min(x);
        x_hi = x_hi.max(x);
        y_lo = y_lo.min(y);
        y_hi = y_hi.max(y);
    }
    let span = (x_hi - x_lo).max(y_hi - y_lo);
    if span.is_finite() && span > 0.0 {
        let (ox, oy) = ((1.0 - (x_hi - x_lo) / span) / 2.0, (1.0 - (y_hi - y_lo) / span) / 2.0);
        for p in pos.iter_mut() {
            *p = (ox + (p.0 - x_lo) / span, oy + (p.1 - y_lo) / span);
        }
    } else {
        pos.iter_mut().for_each(|p| *p = (0.5, 0.5));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(n: usize) -> Vec<(usize, usize)> {
        (0..n).map(|i| (i, (i + 1) % n)).collect()
    }

    #[test]
    fn deterministic_and_inside_the_unit_square() {
        let edges = ring(30);
        let cfg = LayoutConfig::default();
        let a = fruchterman_reingold(30, &edges, &cfg);
        let b = fruchterman_reingold(30, &edges, &cfg);
        assert_eq!(a, b, "same input and seed give identical positions");
        assert!(a.iter().all(|&(x, y)| (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y)));
        let c = fruchterman_reingold(30, &edges, &LayoutConfig { seed: 2, ..cfg });
        assert_ne!(a, c, "another seed gives another drawing");
        // The drawing fills the square in its longer direction.
        let span_x =
            a.iter().map(|p| p.0).fold(0.0, f64::max) - a.iter().map(|p| p.0).fold(1.0, f64::min);
        let span_y =
            a.iter().map(|p| p.1).fold(0.0, f64::max) - a.iter().map(|p| p.1).fold(1.0, f64::min);
        assert!((span_x.max(span_y) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn neighbours_end_up_closer_than_strangers() {
        // Two 6-cliques joined by one edge: the mean distance inside a clique is well below the
        // mean distance across.
        let mut edges = Vec::new();
        for base in [0, 6] {
            for i in 0..6 {
                for j in (i + 1)..6 {
                    edges.push((base + i, base + j));
                }
            }
        }
        edges.push((0, 6));
        let p = fruchterman_reingold(12, &edges, &LayoutConfig::default());
        let d = |a: usize, b: usize| ((p[a].0 - p[b].0).powi(2) + (p[a].1 - p[b].1).powi(2)).sqrt();
        let (mut inside, mut across) = (0.0, 0.0);
        for i in 0..6 {
            for j in 0..6 {
                if i != j {
                    inside += d(i, j) / 30.0;
                }
                across += d(i, 6 + j) / 36.0;
            }
        }
        assert!(inside < 0.6 * across, "inside {inside}, across {across}");
    }

    #[test]
    fn no_two_nodes_coincide_and_tiny_inputs_work() {
        let p = fruchterman_reingold(50, &ring(50), &LayoutConfig::default());
        for i in 0..50 {
            for j in (i + 1)..50 {
                let d = ((p[i].0 - p[j].0).powi(2) + (p[i].1 - p[j].1).powi(2)).sqrt();
                assert!(d > 1e-3, "nodes {i} and {j} overlap");
            }
        }
        assert_eq!(fruchterman_reingold(1, &[], &LayoutConfig::default()), vec![(0.5, 0.5)]);
        assert!(fruchterman_reingold(0, &[], &LayoutConfig::default()).is_empty());
        // Out-of-range and self edges are ignored rather than panicking.
        let q = fruchterman_reingold(3, &[(0, 9), (1, 1), (0, 2)], &LayoutConfig::default());
        assert_eq!(q.len(), 3);
    }
}
