//! A cheap, **provable** upper bound on the vertex diameter `VD` (the most vertices on any
//! shortest path) for Riondato–Kornaropoulos sampling, on directed and undirected graphs.
//!
//! A shortest path visits the strongly connected components (SCCs) along a path of the
//! condensation DAG, each in one contiguous segment (leaving an SCC and coming back would put
//! both in one SCC). A segment inside SCC `C` from `x` to `y` is itself a shortest path of the
//! whole graph lying in `C`, so its length is `d(x, y) <= d_C(x, r) + d_C(r, y) <= ecc_in(r) +
//! ecc_out(r)` for any root `r` of `C`, where the eccentricities are measured inside `C` (BFS or
//! Dijkstra over the arcs of `C`, forwards and backwards). Every arc of `C` has length at least
//! `min_len(C)` (1 unweighted), and a simple path has at most `|C| - 1` arcs, so the segment has
//! at most `hops(C) = min(|C| - 1, ⌈(ecc_in + ecc_out) / min_len(C)⌉)` arcs and `hops(C) + 1`
//! vertices. `VD` is at most the heaviest condensation path with vertex weights `hops(C) + 1`.
//!
//! On an undirected graph the SCCs are the components, there are no DAG arcs, `ecc_in =
//! ecc_out`, and the bound is the familiar `2 · ecc(r) + 1` vertices. The root is the vertex of
//! `C` with the largest total degree (a hub, so the eccentricity is small). Note that the size of
//! the largest SCC alone is **not** a bound: a directed path has only singleton SCCs.
//!
//! Cost: O((n + m) log n) (one heap-based search forwards and one backwards per SCC, each over
//! the SCC's own arcs), serial.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use clout_graph::components::strongly_connected_components;
use clout_graph::{Graph, NodeId};

use super::Net;

/// An upper bound on the number of vertices of any shortest path of `g` (`forward` holds the
/// out-arcs and their lengths, `backward` the in-arcs).
pub(super) fn vertex_diameter_bound(g: &Graph, forward: &Net<'_>, backward: &Net<'_>) -> usize {
    let n = g.node_count();
    if n == 0 {
        return 0;
    }
    let scc = strongly_connected_components(g);
    let label = &scc.labels;
    let mut root = vec![NodeId::MAX; scc.count];
    for v in g.nodes() {
        let c = label[v as usize] as usize;
        let degree = |u: NodeId| g.out_degree(u) + g.in_degree(u);
        if root[c] == NodeId::MAX || degree(v) > degree(root[c]) {
            root[c] = v;
        }
    }
    let mut search = Search::new(n);
    let mut vertices = vec![1usize; scc.count];
    for c in 0..scc.count {
        let size = scc.sizes[c] as usize;
        if size == 1 {
            continue;
        }
        let (ecc_out, min_out) = search.eccentricity(forward, root[c], label);
        let (ecc_in, min_in) = if g.is_directed() {
            search.eccentricity(backward, root[c], label)
        } else {
            (ecc_out, min_out)
        };
        let min_len = min_out.min(min_in);
        let hops = ((ecc_out + ecc_in) / min_len).ceil();
        let hops =
            if hops.is_finite() && hops < (size - 1) as f64 { hops as usize } else { size - 1 };
        vertices[c] = hops + 1;
    }
    heaviest_dag_path(g, label, &vertices)
}

/// The largest total weight of a path in the condensation DAG (Kahn's order, O(n + m)).
fn heaviest_dag_path(g: &Graph, label: &[u32], vertices: &[usize]) -> usize {
    let count = vertices.len();
    let mut indegree = vec![0u32; count];
    let mut offsets = vec![0usize; count + 1];
    for (u, v) in g.arcs() {
        let (cu, cv) = (label[u as usize] as usize, label[v as usize] as usize);
        if cu != cv {
            offsets[cu + 1] += 1;
            indegree[cv] += 1;
        }
    }
    for c in 0..count {
        offsets[c + 1] += offsets[c];
    }
    let mut fill = offsets.clone();
    let mut successors = vec![0u32; offsets[count]];
    for (u, v) in g.arcs() {
        let (cu, cv) = (label[u as usize] as usize, label[v as usize]);
        if cu != cv as usize {
            successors[fill[cu]] = cv;
            fill[cu] += 1;
        }
    }
    let mut best: Vec<usize> = vertices.to_vec();
    let mut ready: Vec<usize> = (0..count).filter(|&c| indegree[c] == 0).collect();
    let mut longest = 0;
    while let Some(c) = ready.pop() {
        longest = longest.max(best[c]);
        for &d in &successors[offsets[c]..offsets[c + 1]] {
            let d = d as usize;
            best[d] = best[d].max(best[c] + vertices[d]);
            indegree[d] -= 1;
            if indegree[d] == 0 {
                ready.push(d);
            }
        }
    }
    longest
}

/// Reusable single-component search state.
struct Search {
    dist: Vec<f64>,
    touched: Vec<NodeId>,
    heap: BinaryHeap<Reverse<(u64, NodeId)>>,
}

impl Search {
    fn new(n: usize) -> Self {
        Search { dist: vec![f64::INFINITY; n], touched: Vec::new(), heap: BinaryHeap::new() }
    }

    /// The eccentricity of `root` inside its SCC along `net`'s arcs, and the shortest length of
    /// an arc inside the SCC (1 unweighted). Dijkstra; with unit lengths it is a BFS.
    fn eccentricity(&mut self, net: &Net<'_>, root: NodeId, label: &[u32]) -> (f64, f64) {
        let component = label[root as usize];
        let mut min_len = f64::INFINITY;
        let mut ecc = 0.0f64;
        self.dist[root as usize] = 0.0;
        self.touched.push(root);
        self.heap.push(Reverse((0f64.to_bits(), root)));
        while let Some(Reverse((key, v))) = self.heap.pop() {
            let dist_v = f64::from_bits(key);
            if dist_v > self.dist[v as usize] {
                continue;
            }
            ecc = ecc.max(dist_v);
            let (row, first) = net.row(v);
            for (i, &w) in row.iter().enumerate() {
                if label[w as usize] != component {
                    continue;
                }
                let len = net.lengths.as_ref().map_or(1.0, |l| l[first + i]);
                min_len = min_len.min(len);
                let through_v = dist_v + len;
                if through_v < self.dist[w as usize] {
                    if self.dist[w as usize].is_infinite() {
                        self.touched.push(w);
                    }
                    self.dist[w as usize] = through_v;
                    self.heap.push(Reverse((through_v.to_bits(), w)));
                }
            }
        }
        self.touched.drain(..).for_each(|v| self.dist[v as usize] = f64::INFINITY);
        (ecc, min_len)
    }
}
