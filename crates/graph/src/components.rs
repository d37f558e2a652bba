//! Connected components of a [`Graph`]: weakly connected ([`weakly_connected_components`],
//! union-find) and strongly connected ([`strongly_connected_components`], iterative Tarjan),
//! each with an independent O(n + m) verifier ([`verify_weak`], [`verify_strong`]) in the manner
//! of GAP's `CCVerifier`.
//!
//! Both kernels return a [`Components`] in one canonical form: component ids are numbered in the
//! order of each component's smallest node id (node 0 is always in component 0), so the result
//! depends only on the graph, never on traversal order or thread count, and two results for the
//! same partition are equal.
//!
//! Neither kernel recurses: real graphs have paths millions of nodes deep.

use crate::graph::{Graph, NodeId};

/// A partition of the nodes into components, in canonical form (see the module doc).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Components {
    /// Component id of every node, `0 .. count`, numbered by smallest member.
    pub labels: Vec<u32>,
    /// Number of components (0 only for a graph without nodes).
    pub count: usize,
    /// Number of nodes in each component, indexed by component id.
    pub sizes: Vec<u32>,
    /// Id of the largest component (the smallest id among equally large ones); `None` when the
    /// graph has no nodes.
    pub largest: Option<u32>,
}

impl Components {
    /// Size of the largest component (0 when the graph has no nodes).
    pub fn largest_size(&self) -> usize {
        self.largest.map_or(0, |c| self.sizes[c as usize] as usize)
    }

    /// The members of every component, ascending, indexed by component id. O(n).
    pub fn members(&self) -> Vec<Vec<NodeId>> {
        let mut groups: Vec<Vec<NodeId>> =
            self.sizes.iter().map(|&s| Vec::with_capacity(s as usize)).collect();
        for (u, &c) in self.labels.iter().enumerate() {
            groups[c as usize].push(u as NodeId);
        }
        groups
    }

    /// Canonical components from arbitrary raw labels below `raw_count`: relabels in order of
    /// first appearance, i.e. of each component's smallest node. O(n + raw_count).
    fn from_raw(mut labels: Vec<u32>, raw_count: usize) -> Components {
        const UNSET: u32 = u32::MAX;
        let mut canonical = vec![UNSET; raw_count];
        let mut sizes: Vec<u32> = Vec::new();
        for label in labels.iter_mut() {
            let slot = &mut canonical[*label as usize];
            if *slot == UNSET {
                *slot = sizes.len() as u32;
                sizes.push(0);
            }
            *label = *slot;
            sizes[*slot as usize] += 1;
        }
        // `max_by_key` keeps the last maximum; scanning in reverse makes it the smallest id.
        let largest =
            sizes.iter().enumerate().rev().max_by_key(|&(_, &s)| s).map(|(c, _)| c as u32);
        Components { count: sizes.len(), labels, sizes, largest }
    }
}

/// Weakly connected components: the connected components of the graph with arc directions
/// ignored. For an undirected graph these are its connected components.
///
/// Union-find with union by size and path halving (Tarjan and van Leeuwen, "Worst-case analysis
/// of set union algorithms", JACM 1984) over every arc (for an undirected graph over one arc of
/// each symmetric pair), then one canonical relabelling pass.
///
/// Time O(n + m α(n)), serial; space 3 `u32` per node. Deterministic (canonical ids).
///
/// ```
/// use clout_graph::{components::weakly_connected_components, from_pairs};
/// let g = from_pairs(5, &[(1, 0), (3, 4)], true);
/// let wcc = weakly_connected_components(&g);
/// assert_eq!(wcc.labels, [0, 0, 1, 2, 2]);
/// assert_eq!((wcc.count, wcc.largest_size()), (3, 2));
/// ```
pub fn weakly_connected_components(g: &Graph) -> Components {
    let n = g.node_count();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let mut size = vec![1u32; n];
    let directed = g.is_directed();
    for u in g.nodes() {
        for &v in g.out_neighbors(u) {
            // An undirected graph stores `v -> u` too: one of the pair is enough.
            if directed || v > u {
                union(&mut parent, &mut size, u, v);
            }
        }
    }
    // Roots are node ids, so they serve directly as raw labels.
    let roots: Vec<u32> = (0..n as u32).map(|u| find(&mut parent, u)).collect();
    Components::from_raw(roots, n)
}

/// Root of `x`'s set, halving the path on the way (every node on it skips to its grandparent).
#[inline]
fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let grandparent = parent[parent[x as usize] as usize];
        parent[x as usize] = grandparent;
        x = grandparent;
    }
    x
}

/// Merges the sets of `a` and `b`, hanging the smaller tree under the larger.
#[inline]
fn union(parent: &mut [u32], size: &mut [u32], a: u32, b: u32) {
    let (mut ra, mut rb) = (find(parent, a), find(parent, b));
    if ra == rb {
        return;
    }
    if size[ra as usize] < size[rb as usize] {
        std::mem::swap(&mut ra, &mut rb);
    }
    parent[rb as usize] = ra;
    size[ra as usize] += size[rb as usize];
}

/// Strongly connected components: maximal sets of nodes in which every node reaches every other
/// along arcs. For an undirected graph these equal the connected components.
///
/// Tarjan's algorithm ("Depth-first search and linear graph algorithms", SIAM J. Comput. 1972)
/// with an explicit call stack of `(node, next arc)` frames instead of recursion, over the
/// out-adjacency. Paper notation: `v.index` is `index[v]`, `v.lowlink` is `low[v]`; a node is
/// "on the stack" when it is visited but not yet assigned a component.
///
/// Time O(n + m), serial; space 3 `u32` per node plus the two stacks (at most n entries each).
/// Deterministic (canonical ids, not Tarjan's reverse topological order).
///
/// ```
/// use clout_graph::{components::strongly_connected_components, from_pairs};
/// // A 3-cycle feeding a 2-cycle through the arc 2 -> 3.
/// let g = from_pairs(5, &[(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 3)], true);
/// let scc = strongly_connected_components(&g);
/// assert_eq!(scc.labels, [0, 0, 0, 1, 1]);
/// assert_eq!(scc.sizes, [3, 2]);
/// ```
pub fn strongly_connected_components(g: &Graph) -> Components {
    const UNVISITED: u32 = u32::MAX;
    const UNASSIGNED: u32 = u32::MAX;
    let n = g.node_count();
    let offsets = g.out_adjacency().offsets.as_slice();
    let targets = g.out_adjacency().targets.as_slice();
    let mut index = vec![UNVISITED; n];
    let mut low = vec![0u32; n];
    let mut component = vec![UNASSIGNED; n];
    let mut next_index = 0u32;
    let mut found = 0u32;
    let mut stack: Vec<NodeId> = Vec::new();
    let mut calls: Vec<(NodeId, usize)> = Vec::new();
    for root in 0..n as u32 {
        if index[root as usize] != UNVISITED {
            continue;
        }
        index[root as usize] = next_index;
        low[root as usize] = next_index;
        next_index += 1;
        stack.push(root);
        calls.push((root, offsets[root as usize] as usize));
        while let Some(frame) = calls.last_mut() {
            let v = frame.0 as usize;
            if frame.1 < offsets[v + 1] as usize {
                let w = targets[frame.1];
                frame.1 += 1;
                if index[w as usize] == UNVISITED {
                    index[w as usize] = next_index;
                    low[w as usize] = next_index;
                    next_index += 1;
                    stack.push(w);
                    calls.push((w, offsets[w as usize] as usize));
                } else if component[w as usize] == UNASSIGNED {
                    low[v] = low[v].min(index[w as usize]);
                }
                continue;
            }
            calls.pop();
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    component[w as usize] = found;
                    if w as usize == v {
                        break;
                    }
                }
                found += 1;
            }
            if let Some(&(parent, _)) = calls.last() {
                low[parent as usize] = low[parent as usize].min(low[v]);
            }
        }
    }
    drop((index, low));
    Components::from_raw(component, found as usize)
}

/// Why a [`Components`] is not the right answer for a graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyError(pub String);

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "components check failed: {}", self.0)
    }
}

impl std::error::Error for VerifyError {}

/// Checks that `c` is exactly the weakly connected components of `g`, in canonical form,
/// without union-find: no arc joins two components, and a breadth-first search over out- and
/// in-arcs from each component's smallest node reaches all of it. O(n + m).
pub fn verify_weak(g: &Graph, c: &Components) -> Result<(), VerifyError> {
    check_canonical(g, c)?;
    if let Some((u, v)) = g.arcs().find(|&(u, v)| c.labels[u as usize] != c.labels[v as usize]) {
        return Err(VerifyError(format!("arc {u} -> {v} joins two components")));
    }
    let mut seen = vec![false; g.node_count()];
    let mut queue = Vec::new();
    for (id, members) in c.members().iter().enumerate() {
        let reached = search(g, members[0], &mut seen, &mut queue, |_| true, Both);
        if reached != members.len() {
            return Err(VerifyError(format!("component {id} is not connected")));
        }
    }
    Ok(())
}

/// Checks that `c` is exactly the strongly connected components of `g`, in canonical form,
/// without Tarjan: from each component's smallest node, forward and backward searches confined
/// to the component reach all of it (so it is strongly connected), and the components form an
/// acyclic condensation, checked by Kahn's topological sort (so each is maximal). O(n + m).
pub fn verify_strong(g: &Graph, c: &Components) -> Result<(), VerifyError> {
    check_canonical(g, c)?;
    let members = c.members();
    let (mut forward, mut backward) = (vec![false; g.node_count()], vec![false; g.node_count()]);
    let mut queue = Vec::new();
    for (id, nodes) in members.iter().enumerate() {
        let inside = |v: NodeId| c.labels[v as usize] == id as u32;
        let out = search(g, nodes[0], &mut forward, &mut queue, inside, Out);
        let back = search(g, nodes[0], &mut backward, &mut queue, inside, In);
        if out != nodes.len() || back != nodes.len() {
            return Err(VerifyError(format!("component {id} is not strongly connected")));
        }
    }
    // Kahn's algorithm on the condensation, counting parallel arcs between components.
    let mut indegree = vec![0u64; c.count];
    for (u, v) in g.arcs() {
        let (cu, cv) = (c.labels[u as usize], c.labels[v as usize]);
        if cu != cv {
            indegree[cv as usize] += 1;
        }
    }
    let mut ready: Vec<usize> = (0..c.count).filter(|&k| indegree[k] == 0).collect();
    let mut sorted = 0usize;
    while let Some(k) = ready.pop() {
        sorted += 1;
        for &u in &members[k] {
            for &v in g.out_neighbors(u) {
                let cv = c.labels[v as usize] as usize;
                if cv != k {
                    indegree[cv] -= 1;
                    if indegree[cv] == 0 {
                        ready.push(cv);
                    }
                }
            }
        }
    }
    if sorted != c.count {
        return Err(VerifyError(format!(
            "{} components lie on a cycle of components, so they are not maximal",
            c.count - sorted
        )));
    }
    Ok(())
}

/// Which arcs a verification search follows.
#[derive(Clone, Copy)]
enum Follow {
    Out,
    In,
    Both,
}
use Follow::{Both, In, Out};

/// Breadth-first search from `start` over the chosen arcs, entering only nodes for which
/// `inside` holds; marks `seen` and returns the number of nodes reached.
fn search(
    g: &Graph,
    start: NodeId,
    seen: &mut [bool],
    queue: &mut Vec<NodeId>,
    inside: impl Fn(NodeId) -> bool,
    follow: Follow,
) -> usize {
    queue.clear();
    queue.push(start);
    seen[start as usize] = true;
    let mut head = 0;
    while head < queue.len() {
        let u = queue[head];
        head += 1;
        let (out, inn): (&[NodeId], &[NodeId]) = match follow {
            Out => (g.out_neighbors(u), &[]),
            In => (&[], g.in_neighbors(u)),
            Both => (g.out_neighbors(u), g.in_neighbors(u)),
        };
        for &v in out.iter().chain(inn) {
            if !seen[v as usize] && inside(v) {
                seen[v as usize] = true;
                queue.push(v);
            }
        }
    }
    queue.len()
}

/// Shape checks shared by both verifiers: lengths, ranges, sizes, canonical numbering, largest.
fn check_canonical(g: &Graph, c: &Components) -> Result<(), VerifyError> {
    let fail = |what: String| Err(VerifyError(what));
    if c.labels.len() != g.node_count() {
        return fail(format!("{} labels for {} nodes", c.labels.len(), g.node_count()));
    }
    if c.sizes.len() != c.count {
        return fail(format!("{} sizes for {} components", c.sizes.len(), c.count));
    }
    let mut counted = vec![0u32; c.count];
    let mut next = 0usize;
    for (u, &label) in c.labels.iter().enumerate() {
        let label = label as usize;
        if label > next || label >= c.count {
            return fail(format!("node {u} has label {label}; the next new label must be {next}"));
        }
        next += usize::from(label == next);
        counted[label] += 1;
    }
    if next != c.count || counted != c.sizes {
        return fail("component sizes do not match the labels".into());
    }
    let biggest = c.sizes.iter().max().copied();
    let first_biggest = c.sizes.iter().position(|&s| Some(s) == biggest).map(|k| k as u32);
    if c.largest != first_biggest {
        return fail(format!("largest is {:?}, expected {first_biggest:?}", c.largest));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::from_pairs;
    use proptest::prelude::*;

    fn both(g: &Graph) -> (Components, Components) {
        let (weak, strong) = (weakly_connected_components(g), strongly_connected_components(g));
        verify_weak(g, &weak).unwrap();
        verify_strong(g, &strong).unwrap();
        (weak, strong)
    }

    #[test]
    fn cycle_is_one_component() {
        let (weak, strong) = both(&from_pairs(4, &[(0, 1), (1, 2), (2, 3), (3, 0)], true));
        assert_eq!(weak, strong);
        assert_eq!((strong.labels, strong.count, strong.largest), (vec![0; 4], 1, Some(0)));
    }

    #[test]
    fn dag_has_singleton_sccs() {
        let (weak, strong) = both(&from_pairs(4, &[(0, 1), (0, 2), (1, 3), (2, 3)], true));
        assert_eq!((weak.count, weak.largest_size()), (1, 4));
        assert_eq!(strong.labels, [0, 1, 2, 3]);
        assert_eq!((strong.sizes, strong.largest), (vec![1; 4], Some(0)));
    }

    #[test]
    fn two_sccs_joined_by_one_arc() {
        // The 3-cycle {0, 2, 3} and the 2-cycle {1, 4}, with interleaved ids, joined only by
        // the arc 4 -> 0: ids follow smallest members, not Tarjan's completion order.
        let arcs = [(0, 2), (2, 3), (3, 0), (1, 4), (4, 1), (4, 0)];
        let (weak, strong) = both(&from_pairs(5, &arcs, true));
        assert_eq!((weak.count, weak.largest_size()), (1, 5));
        assert_eq!(strong.labels, [0, 1, 0, 0, 1]);
        assert_eq!(strong.members(), [vec![0, 2, 3], vec![1, 4]]);
        assert_eq!((strong.sizes, strong.largest), (vec![3, 2], Some(0)));
    }

    #[test]
    fn isolated_nodes_are_their_own_components() {
        let (weak, strong) = both(&from_pairs(5, &[(3, 1)], true));
        assert_eq!(weak.labels, [0, 1, 2, 1, 3]);
        assert_eq!((weak.sizes, weak.largest), (vec![1, 2, 1, 1], Some(1)));
        assert_eq!((strong.count, strong.largest_size()), (5, 1));
    }

    #[test]
    fn empty_graphs() {
        let (weak, strong) = both(&from_pairs(0, &[], true));
        for c in [weak, strong] {
            assert_eq!((c.count, c.largest, c.largest_size()), (0, None, 0));
            assert!(c.labels.is_empty() && c.sizes.is_empty());
        }
        let (weak, _) = both(&from_pairs(3, &[], false));
        assert_eq!((weak.labels, weak.count), (vec![0, 1, 2], 3));
    }

    #[test]
    fn undirected_components_are_strong_components() {
        let g = from_pairs(6, &[(0, 4), (4, 2), (5, 3)], false);
        let (weak, strong) = both(&g);
        assert_eq!(weak, strong);
        assert_eq!(weak.labels, [0, 1, 0, 2, 0, 2]);
    }

    #[test]
    fn deep_path_does_not_overflow_the_stack() {
        let n = 300_000u32;
        let path: Vec<_> = (0..n - 1).map(|u| (u, u + 1)).collect();
        let (weak, strong) = both(&from_pairs(n, &path, true));
        assert_eq!((weak.count, strong.count), (1, n as usize));
        let mut cycle = path;
        cycle.push((n - 1, 0));
        let (_, strong) = both(&from_pairs(n, &cycle, true));
        assert_eq!(strong.count, 1);
    }

    #[test]
    fn verifiers_reject_wrong_partitions() {
        let g = from_pairs(4, &[(0, 1), (1, 0), (2, 3)], true);
        let strong = strongly_connected_components(&g);
        // Merging 2 and 3 breaks strong connectivity; splitting {0, 1} breaks maximality.
        let merged = Components::from_raw(vec![0, 0, 1, 1], 2);
        assert!(verify_strong(&g, &merged).is_err());
        let split = Components::from_raw(vec![0, 1, 2, 3], 4);
        assert!(verify_strong(&g, &split).is_err());
        assert!(verify_weak(&g, &strong).is_err(), "2 -> 3 joins two of its components");
        let mut relabelled = weakly_connected_components(&g);
        relabelled.labels = vec![1, 1, 0, 0];
        assert!(verify_weak(&g, &relabelled).is_err(), "not canonical");
    }

    /// Nodes reachable from `s` (including `s`) by BFS over out-arcs, or over both directions.
    fn reach(g: &Graph, s: NodeId, undirected: bool) -> Vec<bool> {
        let mut seen = vec![false; g.node_count()];
        let mut queue = vec![s];
        seen[s as usize] = true;
        while let Some(u) = queue.pop() {
            let back = if undirected { g.in_neighbors(u) } else { &[] };
            for &v in g.out_neighbors(u).iter().chain(back) {
                if !std::mem::replace(&mut seen[v as usize], true) {
                    queue.push(v);
                }
            }
        }
        seen
    }

    fn small_graph() -> impl Strategy<Value = (u32, Vec<(u32, u32)>, bool)> {
        (1..14u32)
            .prop_flat_map(|n| (Just(n), prop::collection::vec((0..n, 0..n), 0..40), any::<bool>()))
    }

    proptest! {
        #[test]
        fn same_component_iff_mutually_reachable((n, arcs, directed) in small_graph()) {
            let g = from_pairs(n, &arcs, directed);
            let (weak, strong) = both(&g);
            let forward: Vec<_> = g.nodes().map(|u| reach(&g, u, false)).collect();
            let either: Vec<_> = g.nodes().map(|u| reach(&g, u, true)).collect();
            for u in 0..n as usize {
                for v in 0..n as usize {
                    let mutual = forward[u][v] && forward[v][u];
                    prop_assert_eq!(strong.labels[u] == strong.labels[v], mutual);
                    prop_assert_eq!(weak.labels[u] == weak.labels[v], either[u][v]);
                }
            }
        }
    }
}
