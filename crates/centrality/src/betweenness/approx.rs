//! Riondato–Kornaropoulos betweenness estimation ("Fast approximation of betweenness centrality
//! through sampling", Data Mining and Knowledge Discovery 30, 2016, Algorithm 1).
//!
//! Draw `r` pairs `(s, t)`, `s ≠ t`, uniformly; for each, pick one shortest `s -> t` path
//! uniformly at random (if there is one) and add `1 / r` to each of its interior vertices. The
//! estimate `b̃(v)` of `b(v) = raw(v) / (n (n - 1))` is, with probability at least `1 - δ`,
//! within `ε'` of it for **every** `v` simultaneously when
//! `r = ⌈(c / ε'²)(⌊log₂(VD - 2)⌋ + 1 + ln(1 / δ))⌉`, `c = 0.5` (the paper's choice for the
//! universal constant of the VC-dimension bound), `VD` an upper bound on the vertex diameter
//! ([`super::diameter`]). The paper's scale relates to NetworkX's normalized scale by
//! `B_nx = b · n (n - 1) / (N (N - 1))` (`N = n - 1`, or `n` with endpoints), so clout asks for
//! `ε' = ε · N (N - 1) / (n (n - 1))` to guarantee `ε` on NetworkX's scale. With `endpoints`,
//! a sample also counts `s` and `t`; a path then lies in up to `VD` ranges instead of `VD - 2`,
//! so the VC bound uses `⌊log₂ VD⌋ + 1`.
//!
//! Paper → code: `r` = `samples`; `VD` = `vertex_diameter_bound`; `(u, w)` and `σ_s`, `σ_t` are
//! the meeting arc and the path counts of the bidirectional search; the paper's `b̃(v) · r` =
//! `hits[v]`, an integer, so the sum over samples is exact and independent of thread count.
//!
//! Each unweighted sample runs a balanced bidirectional BFS (as in Borassi and Natale's
//! KADABRA): grow the side whose frontier has fewer arcs, one whole level at a time, until an
//! expansion finds arcs `u -> w` with `u` forward- and `w` backward-visited. Then every shortest
//! path crosses exactly one such arc (the visited sets stay disjoint, so `d(s, u) + 1 + d(w, t)`
//! is the same for all of them), `σ_st = Σ σ_s(u) σ_t(w)`; pick an arc with probability
//! `σ_s(u) σ_t(w) / σ_st`, then walk to `s` choosing each predecessor `p` with probability
//! `σ_s(p) / σ_s(v)`, and to `t` likewise. Weighted samples run Dijkstra from `s` until `t` is
//! settled and walk back the same way. Sample `i` draws from `Rng::stream(seed, i)` only.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rayon::prelude::*;

use clout_graph::rng::Rng;
use clout_graph::{Graph, NodeId};

use super::{Betweenness, BetweennessConfig, BetweennessMethod, Net, diameter, scale_factors};

/// Samples per parallel block.
const SAMPLE_BLOCK: usize = 256;
const UNSEEN: u32 = u32::MAX;

/// The guarantee asked for.
pub(super) struct Params {
    pub(super) epsilon: f64,
    pub(super) delta: f64,
    pub(super) seed: u64,
}

/// The number of samples for an `epsilon` guarantee on NetworkX's normalized scale.
pub(super) fn sample_count(
    n: usize,
    vd: usize,
    endpoints: bool,
    epsilon: f64,
    delta: f64,
) -> usize {
    let big_n = if endpoints { n as f64 } else { n as f64 - 1.0 };
    let paper_epsilon = epsilon * big_n * (big_n - 1.0) / (n as f64 * (n as f64 - 1.0));
    let ranges_per_path = if endpoints { vd } else { vd.saturating_sub(2) }.max(1);
    let vc_bound = (usize::BITS - ranges_per_path.leading_zeros()) as f64; // ⌊log₂ x⌋ + 1
    (0.5 / (paper_epsilon * paper_epsilon) * (vc_bound + (1.0 / delta).ln())).ceil() as usize
}

/// Approximate betweenness; `forward` walks out-arcs, `backward` in-arcs.
pub(super) fn run(
    g: &Graph,
    forward: &Net<'_>,
    backward: &Net<'_>,
    cfg: &BetweennessConfig,
    params: Params,
) -> Betweenness {
    let n = g.node_count();
    let vd = diameter::vertex_diameter_bound(g, forward, backward);
    let method = |samples| BetweennessMethod::Approximate {
        samples,
        vertex_diameter_bound: vd,
        epsilon: params.epsilon,
        delta: params.delta,
    };
    if n < 3 {
        // At most two nodes: the exact answer costs nothing (and nothing lies inside a path).
        let exact = super::exact_scaled(g, forward, cfg);
        return Betweenness { scores: exact.scores, method: method(0) };
    }
    let samples = sample_count(n, vd, cfg.endpoints, params.epsilon, params.delta);
    let hits = (0..samples.div_ceil(SAMPLE_BLOCK))
        .into_par_iter()
        .fold(
            || (vec![0u64; n], Sampler::new(n, forward.lengths.is_some())),
            |(mut hits, mut sampler), block| {
                let lo = block * SAMPLE_BLOCK;
                for i in lo..(lo + SAMPLE_BLOCK).min(samples) {
                    let mut rng = Rng::stream(params.seed, i as u64);
                    let s = rng.below(n as u64) as NodeId;
                    let mut t = rng.below(n as u64 - 1) as NodeId;
                    t += (t >= s) as NodeId;
                    sampler.sample(forward, backward, s, t, &mut rng, cfg.endpoints, &mut hits);
                }
                (hits, sampler)
            },
        )
        .map(|(hits, _)| hits)
        .reduce(
            || vec![0u64; n],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                a
            },
        );
    let scale = scale_factors(n, None, g.is_directed(), cfg.normalized, cfg.endpoints).0;
    let pairs = n as f64 * (n as f64 - 1.0);
    let scores = hits.iter().map(|&h| h as f64 / samples as f64 * pairs * scale).collect();
    Betweenness { scores, method: method(samples) }
}

/// One side of a bidirectional BFS: hop counts, path counts, visit order, current frontier.
struct Side {
    hops: Vec<u32>,
    sigma: Vec<f64>,
    seen: Vec<NodeId>,
    /// `seen[frontier..]` is the last level found.
    frontier: usize,
    /// Arcs leaving the frontier (the cost of expanding it).
    cost: usize,
}

impl Side {
    fn new(n: usize) -> Self {
        Side { hops: vec![UNSEEN; n], sigma: vec![0.0; n], seen: Vec::new(), frontier: 0, cost: 0 }
    }

    fn start(&mut self, net: &Net<'_>, root: NodeId) {
        self.hops[root as usize] = 0;
        self.sigma[root as usize] = 1.0;
        self.seen.push(root);
        self.frontier = 0;
        self.cost = net.out.degree(root);
    }

    fn exhausted(&self) -> bool {
        self.frontier == self.seen.len()
    }

    fn clear(&mut self) {
        self.seen.drain(..).for_each(|v| self.hops[v as usize] = UNSEEN);
    }

    /// Expands the whole frontier along `net`; arcs into `other`'s visited set go to `meeting`
    /// as (forward end, backward end, paths through the arc) instead of being followed.
    fn expand(&mut self, net: &Net<'_>, other: &Side, meeting: &mut Vec<Meeting>, flip: bool) {
        let end = self.seen.len();
        let mut cost = 0;
        for i in self.frontier..end {
            let u = self.seen[i];
            let (next, sigma_u) = (self.hops[u as usize] + 1, self.sigma[u as usize]);
            for &w in net.out.row(u) {
                let wi = w as usize;
                if other.hops[wi] != UNSEEN {
                    let paths = sigma_u * other.sigma[wi];
                    meeting.push(if flip { (w, u, paths) } else { (u, w, paths) });
                } else if self.hops[wi] == UNSEEN {
                    self.hops[wi] = next;
                    self.sigma[wi] = sigma_u;
                    self.seen.push(w);
                    cost += net.out.degree(w);
                } else if self.hops[wi] == next {
                    self.sigma[wi] += sigma_u;
                }
            }
        }
        self.frontier = end;
        self.cost = cost;
    }

    /// Walks from `v` towards this side's root along `net`, one hop closer each time, choosing
    /// `p` with probability `σ[p] / σ[v]`; counts every vertex before the root.
    fn walk(&self, net: &Net<'_>, mut v: NodeId, rng: &mut Rng, hits: &mut [u64]) {
        while self.hops[v as usize] > 0 {
            hits[v as usize] += 1;
            let closer = self.hops[v as usize] - 1;
            let x = rng.next_f64() * self.sigma[v as usize];
            let (mut acc, mut chosen) = (0.0, NodeId::MAX); // every v past the root has one
            for &p in net.out.row(v) {
                if self.hops[p as usize] == closer {
                    chosen = p;
                    acc += self.sigma[p as usize];
                    if x < acc {
                        break;
                    }
                }
            }
            v = chosen;
        }
    }
}

/// A meeting arc: forward end, backward end, number of shortest paths through it.
type Meeting = (NodeId, NodeId, f64);

/// Per-thread state of one sample's searches.
struct Sampler {
    forward: Side,
    backward: Side,
    meeting: Vec<Meeting>,
    /// Weighted samples: distances, path counts and touched nodes of the Dijkstra search.
    dist: Vec<f64>,
    sigma: Vec<f64>,
    touched: Vec<NodeId>,
    heap: BinaryHeap<Reverse<(u64, NodeId)>>,
}

impl Sampler {
    fn new(n: usize, weighted: bool) -> Self {
        let (hop_nodes, length_nodes) = if weighted { (0, n) } else { (n, 0) };
        Sampler {
            forward: Side::new(hop_nodes),
            backward: Side::new(hop_nodes),
            meeting: Vec::new(),
            dist: vec![f64::INFINITY; length_nodes],
            sigma: vec![0.0; length_nodes],
            touched: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    /// Adds one to `hits` of every vertex of a uniform shortest `s -> t` path (its interior,
    /// or all of it with `endpoints`), if `t` is reachable.
    #[allow(clippy::too_many_arguments)]
    fn sample(
        &mut self,
        forward: &Net<'_>,
        backward: &Net<'_>,
        s: NodeId,
        t: NodeId,
        rng: &mut Rng,
        endpoints: bool,
        hits: &mut [u64],
    ) {
        let found = if forward.lengths.is_some() {
            self.weighted_path(forward, backward, s, t, rng, hits)
        } else {
            self.bidirectional_path(forward, backward, s, t, rng, hits)
        };
        if found && endpoints {
            hits[s as usize] += 1;
            hits[t as usize] += 1;
        }
    }

    /// Balanced bidirectional BFS, then a uniform path through a meeting arc.
    fn bidirectional_path(
        &mut self,
        forward: &Net<'_>,
        backward: &Net<'_>,
        s: NodeId,
        t: NodeId,
        rng: &mut Rng,
        hits: &mut [u64],
    ) -> bool {
        let Sampler { forward: f, backward: b, meeting, .. } = self;
        f.start(forward, s);
        b.start(backward, t);
        meeting.clear();
        while meeting.is_empty() && !f.exhausted() && !b.exhausted() {
            if f.cost <= b.cost {
                f.expand(forward, b, meeting, false);
            } else {
                b.expand(backward, f, meeting, true);
            }
        }
        let found = !meeting.is_empty();
        if found {
            let total: f64 = meeting.iter().map(|m| m.2).sum();
            let x = rng.next_f64() * total;
            let mut acc = 0.0;
            let (mut u, mut w) = (meeting[0].0, meeting[0].1);
            for &(mu, mw, paths) in meeting.iter() {
                (u, w) = (mu, mw);
                acc += paths;
                if x < acc {
                    break;
                }
            }
            f.walk(backward, u, rng, hits); // predecessors of u: in-arcs
            b.walk(forward, w, rng, hits); // successors of w: out-arcs
        }
        f.clear();
        b.clear();
        found
    }

    /// Dijkstra from `s` until `t` is settled, then a uniform walk back to `s`.
    fn weighted_path(
        &mut self,
        forward: &Net<'_>,
        backward: &Net<'_>,
        s: NodeId,
        t: NodeId,
        rng: &mut Rng,
        hits: &mut [u64],
    ) -> bool {
        let lengths = forward.lengths.as_deref().expect("weighted sample without lengths");
        let Sampler { dist, sigma, touched, heap, .. } = self;
        dist[s as usize] = 0.0;
        sigma[s as usize] = 1.0;
        touched.push(s);
        heap.push(Reverse((0f64.to_bits(), s)));
        let mut found = false;
        while let Some(Reverse((key, v))) = heap.pop() {
            let dist_v = f64::from_bits(key);
            if dist_v > dist[v as usize] {
                continue;
            }
            if v == t {
                found = true;
                break;
            }
            let (row, first) = forward.row(v);
            for (&w, &len) in row.iter().zip(&lengths[first..]) {
                let (through_v, w) = (dist_v + len, w as usize);
                if through_v <= dist_v {
                    continue;
                }
                if through_v < dist[w] {
                    if dist[w].is_infinite() {
                        touched.push(w as NodeId);
                    }
                    dist[w] = through_v;
                    sigma[w] = sigma[v as usize];
                    heap.push(Reverse((through_v.to_bits(), w as NodeId)));
                } else if through_v == dist[w] {
                    sigma[w] += sigma[v as usize];
                }
            }
        }
        if found {
            // Every node closer than t is settled, so its σ is final; t itself is not interior.
            let mut v = predecessor(backward, t, dist, sigma, rng);
            while v != s {
                hits[v as usize] += 1;
                v = predecessor(backward, v, dist, sigma, rng);
            }
        }
        heap.clear();
        touched.drain(..).for_each(|v| dist[v as usize] = f64::INFINITY);
        found
    }
}

/// A predecessor `p` of `v` on a shortest path (an in-arc with `dist[p] + len = dist[v]`),
/// chosen with probability `sigma[p] / sigma[v]`.
fn predecessor(net: &Net<'_>, v: NodeId, dist: &[f64], sigma: &[f64], rng: &mut Rng) -> NodeId {
    let lengths = net.lengths.as_deref().expect("weighted walk without lengths");
    let (row, first) = net.row(v);
    let dist_v = dist[v as usize];
    let x = rng.next_f64() * sigma[v as usize];
    let mut acc = 0.0;
    let mut chosen = NodeId::MAX; // the arc that set dist[v] always qualifies
    for (&p, &len) in row.iter().zip(&lengths[first..]) {
        let through_p = dist[p as usize] + len;
        if through_p == dist_v && through_p > dist[p as usize] {
            chosen = p;
            acc += sigma[p as usize];
            if x < acc {
                break;
            }
        }
    }
    chosen
}
