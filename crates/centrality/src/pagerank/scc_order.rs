//! Strongly connected components of the PageRank flow graph in topological order, for the
//! Gauss–Seidel solver: every node gathers only from nodes of its own component or of earlier
//! ones, so a single pass in this order finishes every node outside a cycle.

use clout_graph::NodeId;

/// The nodes grouped by strongly connected component, components in topological order of the
/// rank flow (a component's sources of rank come before it).
pub(super) struct SccOrder {
    /// Every node once; component `i` is `nodes[starts[i] .. starts[i + 1]]`.
    pub nodes: Vec<NodeId>,
    /// `component count + 1` boundaries into `nodes`, starting at 0.
    pub starts: Vec<u32>,
    /// A spare `u32` per node (the search's work array, every entry overwritten), handed back
    /// so that the caller need not allocate (and fault in) another one.
    pub scratch: Vec<u32>,
}

impl SccOrder {
    /// The components, first to last.
    #[cfg(test)]
    pub fn components(&self) -> impl Iterator<Item = &[NodeId]> {
        self.starts.windows(2).map(|w| &self.nodes[w[0] as usize..w[1] as usize])
    }
}

/// Tarjan's algorithm ("Depth-first search and linear graph algorithms", SIAM J. Comput. 1972)
/// over the pull rows (`sources[offsets[v] .. offsets[v + 1]]` are the nodes `v` gathers from),
/// with an explicit stack of `(node, next arc)` frames. Tarjan completes a component only after
/// every component it can reach, and the pull rows point upstream, so components come out
/// sources of rank first: exactly the order the solver needs. Within a component the nodes are
/// in the order Tarjan pops them, last discovered first, so a node comes after the depth-first
/// children it gathers from. (Measured: the order inside a component changes the sweep count by
/// at most a few percent.)
///
/// Paper → code: `v.index` = `index[v]`, `v.lowlink` = the `low` of `v`'s frame (a low-link is
/// only read while its node is on the call stack, so it lives in the frame, not in an array);
/// "on the stack" = visited and not yet `SETTLED`. Time O(n + m), serial; space one word per
/// node plus the stacks. Deterministic: roots are tried in id order and rows are read in CSR
/// order.
///
/// Nodes for which `skip` holds are left out (neither visited nor listed): the caller settles
/// them itself, and they must not lie on a cycle that matters (see `gauss_seidel::solve`).
pub(super) fn scc_order(
    offsets: &[u64],
    sources: &[NodeId],
    skip: impl Fn(usize) -> bool,
) -> SccOrder {
    // `index[v]`: UNVISITED, then the discovery index, then SETTLED once v has a component.
    // SETTLED is above every discovery index, so `low.min(index[w])` ignores settled `w`
    // without a separate "on the stack" test.
    const UNVISITED: u32 = u32::MAX;
    const SETTLED: u32 = u32::MAX - 1;
    /// A call of the depth-first search: node, next arc of its row, low-link.
    struct Frame {
        node: NodeId,
        next: usize,
        low: u32,
    }
    let n = offsets.len() - 1;
    let mut index: Vec<u32> = (0..n).map(|v| if skip(v) { SETTLED } else { UNVISITED }).collect();
    let mut next_index = 0u32;
    let mut stack: Vec<NodeId> = Vec::new();
    let mut calls: Vec<Frame> = Vec::new();
    let mut nodes = Vec::new();
    let mut starts = vec![0u32];
    for root in 0..n {
        if index[root] != UNVISITED {
            continue;
        }
        // A node nobody feeds is a component of its own: skip the frame machinery.
        if offsets[root] == offsets[root + 1] {
            index[root] = SETTLED;
            nodes.push(root as NodeId);
            starts.push(nodes.len() as u32);
            continue;
        }
        index[root] = next_index;
        stack.push(root as NodeId);
        calls.push(Frame { node: root as NodeId, next: offsets[root] as usize, low: next_index });
        next_index += 1;
        while let Some(frame) = calls.last_mut() {
            let v = frame.node as usize;
            let end = offsets[v + 1] as usize;
            let mut descend = None;
            while frame.next < end {
                let w = sources[frame.next] as usize;
                frame.next += 1;
                let index_w = index[w];
                if index_w == UNVISITED {
                    descend = Some(w);
                    break;
                }
                frame.low = frame.low.min(index_w);
            }
            if let Some(w) = descend {
                index[w] = next_index;
                stack.push(w as NodeId);
                calls.push(Frame { node: w as NodeId, next: offsets[w] as usize, low: next_index });
                next_index += 1;
                continue;
            }
            let low_v = frame.low;
            calls.pop();
            if low_v == index[v] {
                while let Some(w) = stack.pop() {
                    index[w as usize] = SETTLED;
                    nodes.push(w);
                    if w as usize == v {
                        break;
                    }
                }
                starts.push(nodes.len() as u32);
            }
            if let Some(parent) = calls.last_mut() {
                parent.low = parent.low.min(low_v);
            }
        }
    }
    SccOrder { nodes, starts, scratch: index }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pull rows from `(gatherer, source)` pairs.
    fn rows(n: usize, pairs: &[(u32, u32)]) -> (Vec<u64>, Vec<u32>) {
        let mut sorted = pairs.to_vec();
        sorted.sort_unstable();
        let mut offsets = vec![0u64; n + 1];
        for &(v, _) in &sorted {
            offsets[v as usize + 1] += 1;
        }
        for v in 0..n {
            offsets[v + 1] += offsets[v];
        }
        (offsets, sorted.iter().map(|p| p.1).collect())
    }

    #[test]
    fn components_come_sources_first() {
        // Rank flows 0 -> 1 -> 2 -> 1 (a cycle {1, 2}) -> 3, and 4 stands alone.
        let (offsets, sources) = rows(5, &[(1, 0), (2, 1), (1, 2), (3, 2)]);
        let order = scc_order(&offsets, &sources, |_| false);
        let comps: Vec<Vec<u32>> = order
            .components()
            .map(|c| {
                let mut c = c.to_vec();
                c.sort_unstable();
                c
            })
            .collect();
        let position = |x: u32| comps.iter().position(|c| c.contains(&x)).unwrap();
        assert_eq!(comps.len(), 4);
        assert!(comps.contains(&vec![1, 2]));
        assert!(position(0) < position(1) && position(1) < position(3));
        assert_eq!(order.nodes.len(), 5);
        // Skipping node 0 (a source nobody else feeds) leaves the rest in the same order.
        let without = scc_order(&offsets, &sources, |v| v == 0);
        assert_eq!(without.nodes.len(), 4);
        assert!(!without.nodes.contains(&0));
    }
}
