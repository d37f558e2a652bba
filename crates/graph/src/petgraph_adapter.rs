//! petgraph 0.8's visit traits for [`Graph`], so petgraph's algorithms (`kosaraju_scc`,
//! `tarjan_scc`, `connected_components`, `dijkstra`, `Bfs`, `Dfs`, `toposort`, ...) run on a
//! clout graph in place, without copying it into a petgraph type.
//!
//! # Mapping
//!
//! | petgraph | clout |
//! |---|---|
//! | `NodeId` | [`NodeId`] (`u32`), dense: `to_index(u) == u as usize` |
//! | `EdgeId` | [`ArcId`] (`u64`): the arc's index in the out-adjacency's `targets` |
//! | `EdgeType` | always [`petgraph::Directed`] (see below) |
//! | `neighbors(u)`, `neighbors_directed(u, Outgoing)` | [`Graph::out_neighbors`] |
//! | `neighbors_directed(v, Incoming)` | [`Graph::in_neighbors`] |
//! | `edges(u)`, `edges_directed(u, Outgoing)` | `u`'s out-arcs, source `u` |
//! | `edges_directed(v, Incoming)` | `v`'s in-arcs, target `v`, with the same ids as the out-arcs |
//! | `edge_references()` | every arc, in CSR order (ids ascending) |
//! | `node_count()`, `edge_count()` | nodes, **arcs** ([`Graph::arc_count`]) |
//! | edge weight ([`ArcRef::weight`]) | the arc's `f64` weight, or 1.0 if unweighted |
//! | node weight | `()` |
//! | `Visitable::Map` | [`FixedBitSet`] (the fixedbitset 0.5 that petgraph itself uses) |
//! | `is_adjacent(a, b)` | [`Graph::has_arc`]: binary search in `a`'s row, O(log d), not O(1) |
//!
//! Arcs point the way influence flows (see [`crate::graph`]): petgraph's `Outgoing` neighbours of
//! `u` are the accounts `u` can reach, so `Bfs` from `u` explores `u`'s audience, and running an
//! algorithm on [`petgraph::visit::Reversed`] follows influence backwards.
//!
//! # Why always `Directed`
//!
//! petgraph fixes the edge type at compile time, clout at run time. An undirected clout graph
//! stores every edge `{u, v}` as the two arcs `u -> v` and `v -> u`, so seen as `Directed` it is
//! exactly the symmetric digraph, and everything that follows arcs (searches, shortest paths,
//! components, SCCs) gives the undirected answer. What differs from a petgraph `UnGraph`: each
//! edge appears twice in `edge_references()` and `edge_count()` counts arcs (twice
//! [`Graph::edge_count`], less kept self-loops), and `is_directed()` is true. Algorithms that
//! count edges or look for cycles (`is_cyclic_directed` sees `u -> v -> u`) should therefore be
//! given directed graphs only.
//!
//! Edge ids are unique even in a multigraph ([`crate::Duplicates::Keep`]): the `k`-th copy of
//! `s -> v` in `v`'s in-row has the id of the `k`-th copy in `s`'s out-row.
//!
//! petgraph's `tarjan_scc` recurses once per node along a depth-first path and can overflow the
//! stack on long chains of real graphs; its `kosaraju_scc` is iterative, and so are clout's own
//! [`crate::components`], which are also canonical and verified.
//!
//! Signs are not petgraph weights; they are available as [`ArcRef::sign`] for closures such as
//! `dijkstra`'s `edge_cost`.
//!
//! ```
//! use clout_graph::from_pairs;
//! use petgraph::algo::{dijkstra, kosaraju_scc};
//!
//! let g = from_pairs(4, &[(0, 1), (1, 0), (1, 2), (2, 3)], true);
//! assert_eq!(kosaraju_scc(&g).len(), 3);
//! let hops = dijkstra(&g, 0, None, |_| 1u32);
//! assert_eq!(hops[&3], 3);
//! ```

use fixedbitset::FixedBitSet;
use petgraph::Direction;
use petgraph::visit::{
    Data, EdgeCount, EdgeIndexable, EdgeRef, GetAdjacencyMatrix, GraphBase, GraphProp,
    IntoEdgeReferences, IntoEdges, IntoEdgesDirected, IntoNeighbors, IntoNeighborsDirected,
    IntoNodeIdentifiers, IntoNodeReferences, NodeCompactIndexable, NodeCount, NodeIndexable,
    Visitable,
};

use crate::graph::{Graph, NodeId};

/// petgraph edge id of an arc: its index in the out-adjacency's `targets` (and attribute
/// arrays), `0 .. arc_count`.
pub type ArcId = u64;

/// One arc as petgraph sees it: source, target, id, weight (1.0 if unweighted) and sign
/// (+1 if unsigned). Small and `Copy`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ArcRef {
    source: NodeId,
    target: NodeId,
    id: ArcId,
    weight: f64,
    sign: i8,
}

impl ArcRef {
    /// The arc's sign: +1 or -1 in a signed graph, +1 otherwise.
    pub fn sign(&self) -> i8 {
        self.sign
    }

    /// The arc with out-adjacency index `id`, from `source` to `target`.
    #[inline]
    fn new(g: &Graph, source: NodeId, target: NodeId, id: usize) -> ArcRef {
        let out = g.out_adjacency();
        ArcRef {
            source,
            target,
            id: id as ArcId,
            weight: out.weights.as_ref().map_or(1.0, |w| w[id]),
            sign: out.signs.as_ref().map_or(1, |s| s[id]),
        }
    }
}

impl EdgeRef for ArcRef {
    type NodeId = NodeId;
    type EdgeId = ArcId;
    type Weight = f64;

    /// The node the arc leaves (the influencer).
    fn source(&self) -> NodeId {
        self.source
    }

    /// The node the arc enters (the influenced).
    fn target(&self) -> NodeId {
        self.target
    }

    /// The arc's weight, 1.0 in an unweighted graph.
    fn weight(&self) -> &f64 {
        &self.weight
    }

    /// The arc's index in the out-adjacency.
    fn id(&self) -> ArcId {
        self.id
    }
}

impl GraphBase for Graph {
    type NodeId = NodeId;
    type EdgeId = ArcId;
}

impl GraphProp for Graph {
    /// Always directed; an undirected graph is its symmetric digraph (see the module doc).
    type EdgeType = petgraph::Directed;
}

impl Data for Graph {
    type NodeWeight = ();
    type EdgeWeight = f64;
}

impl NodeCount for Graph {
    fn node_count(&self) -> usize {
        Graph::node_count(self)
    }
}

impl EdgeCount for Graph {
    /// Stored arcs, consistent with `edge_references()` (for an undirected graph this is not
    /// [`Graph::edge_count`]; see the module doc).
    fn edge_count(&self) -> usize {
        self.arc_count()
    }
}

impl NodeIndexable for Graph {
    fn node_bound(&self) -> usize {
        Graph::node_count(self)
    }

    fn to_index(&self, a: NodeId) -> usize {
        a as usize
    }

    fn from_index(&self, i: usize) -> NodeId {
        debug_assert!(i < Graph::node_count(self), "node index {i} out of range");
        i as NodeId
    }
}

impl NodeCompactIndexable for Graph {}

impl EdgeIndexable for Graph {
    fn edge_bound(&self) -> usize {
        self.arc_count()
    }

    fn to_index(&self, a: ArcId) -> usize {
        a as usize
    }

    fn from_index(&self, i: usize) -> ArcId {
        debug_assert!(i < self.arc_count(), "arc index {i} out of range");
        i as ArcId
    }
}

impl Visitable for Graph {
    type Map = FixedBitSet;

    fn visit_map(&self) -> FixedBitSet {
        FixedBitSet::with_capacity(Graph::node_count(self))
    }

    fn reset_map(&self, map: &mut FixedBitSet) {
        map.clear();
        map.grow(Graph::node_count(self));
    }
}

impl GetAdjacencyMatrix for Graph {
    /// No matrix is built: rows are sorted, so adjacency is a binary search.
    type AdjMatrix = ();

    fn adjacency_matrix(&self) {}

    /// Whether the arc `a -> b` exists: O(log out-degree(a)), not petgraph's usual O(1).
    fn is_adjacent(&self, _matrix: &(), a: NodeId, b: NodeId) -> bool {
        self.has_arc(a, b)
    }
}

impl IntoNodeIdentifiers for &Graph {
    type NodeIdentifiers = std::ops::Range<NodeId>;

    fn node_identifiers(self) -> Self::NodeIdentifiers {
        self.nodes()
    }
}

impl IntoNodeReferences for &Graph {
    type NodeRef = (NodeId, ());
    type NodeReferences = std::iter::Map<std::ops::Range<NodeId>, fn(NodeId) -> (NodeId, ())>;

    fn node_references(self) -> Self::NodeReferences {
        self.nodes().map(|u| (u, ()))
    }
}

impl<'a> IntoNeighbors for &'a Graph {
    type Neighbors = std::iter::Copied<std::slice::Iter<'a, NodeId>>;

    /// The nodes `a` influences.
    fn neighbors(self, a: NodeId) -> Self::Neighbors {
        self.out_neighbors(a).iter().copied()
    }
}

impl<'a> IntoNeighborsDirected for &'a Graph {
    type NeighborsDirected = std::iter::Copied<std::slice::Iter<'a, NodeId>>;

    /// `Outgoing`: the nodes `n` influences; `Incoming`: the nodes that influence `n`.
    fn neighbors_directed(self, n: NodeId, d: Direction) -> Self::NeighborsDirected {
        match d {
            Direction::Outgoing => self.out_neighbors(n).iter().copied(),
            Direction::Incoming => self.in_neighbors(n).iter().copied(),
        }
    }
}

impl<'a> IntoEdgeReferences for &'a Graph {
    type EdgeRef = ArcRef;
    type EdgeReferences = AllArcs<'a>;

    fn edge_references(self) -> AllArcs<'a> {
        AllArcs { graph: self, node: 0, arc: 0 }
    }
}

impl<'a> IntoEdges for &'a Graph {
    type Edges = RowArcs<'a>;

    /// `a`'s out-arcs.
    fn edges(self, a: NodeId) -> RowArcs<'a> {
        RowArcs::new(self, a, Direction::Outgoing)
    }
}

impl<'a> IntoEdgesDirected for &'a Graph {
    type EdgesDirected = RowArcs<'a>;

    /// `Outgoing`: arcs leaving `a`; `Incoming`: arcs entering `a` (with `a` as their target).
    fn edges_directed(self, a: NodeId, dir: Direction) -> RowArcs<'a> {
        RowArcs::new(self, a, dir)
    }
}

/// Every arc of a graph in CSR order: petgraph's `edge_references()`.
#[derive(Debug, Clone)]
pub struct AllArcs<'a> {
    graph: &'a Graph,
    node: NodeId,
    arc: usize,
}

impl Iterator for AllArcs<'_> {
    type Item = ArcRef;

    fn next(&mut self) -> Option<ArcRef> {
        let out = self.graph.out_adjacency();
        if self.arc >= out.targets.len() {
            return None;
        }
        // Skip rows that end at or before this arc (empty rows, or the row just finished).
        while out.offsets[self.node as usize + 1] as usize <= self.arc {
            self.node += 1;
        }
        let item = ArcRef::new(self.graph, self.node, out.targets[self.arc], self.arc);
        self.arc += 1;
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.graph.arc_count() - self.arc;
        (left, Some(left))
    }
}

impl ExactSizeIterator for AllArcs<'_> {}

/// The arcs leaving or entering one node: petgraph's `edges()` and `edges_directed()`.
#[derive(Debug, Clone)]
pub struct RowArcs<'a> {
    graph: &'a Graph,
    node: NodeId,
    direction: Direction,
    /// Next index into the row's adjacency array, and the row's end.
    pos: usize,
    end: usize,
    /// Incoming only: how many copies of the current source came before (multigraphs).
    copies_before: usize,
}

impl<'a> RowArcs<'a> {
    fn new(graph: &'a Graph, node: NodeId, direction: Direction) -> RowArcs<'a> {
        let adjacency = match direction {
            Direction::Outgoing => graph.out_adjacency(),
            Direction::Incoming => graph.in_adjacency(),
        };
        let (pos, end) = adjacency.bounds(node);
        RowArcs { graph, node, direction, pos, end, copies_before: 0 }
    }
}

impl Iterator for RowArcs<'_> {
    type Item = ArcRef;

    fn next(&mut self) -> Option<ArcRef> {
        if self.pos >= self.end {
            return None;
        }
        let g = self.graph;
        let pos = self.pos;
        self.pos += 1;
        Some(match self.direction {
            Direction::Outgoing => ArcRef::new(g, self.node, g.out_adjacency().targets[pos], pos),
            Direction::Incoming => {
                // Find the out-arc `source -> node`: its row is sorted, so binary search, then
                // step over the copies of it that earlier in-arcs already stood for.
                let sources = &g.in_adjacency().targets;
                let source = sources[pos];
                let repeat =
                    pos > g.in_adjacency().bounds(self.node).0 && sources[pos - 1] == source;
                self.copies_before = if repeat { self.copies_before + 1 } else { 0 };
                let (lo, _) = g.out_adjacency().bounds(source);
                let first = g.out_neighbors(source).partition_point(|&t| t < self.node);
                ArcRef::new(g, source, self.node, lo + first + self.copies_before)
            }
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.end - self.pos;
        (left, Some(left))
    }
}

impl ExactSizeIterator for RowArcs<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::{BuildConfig, Duplicates, EdgeList, build, from_pairs};
    use crate::graph::GraphInfo;

    #[test]
    fn edge_references_cover_every_arc_in_order() {
        let g = from_pairs(6, &[(4, 0), (0, 2), (0, 1), (4, 5)], true);
        let arcs: Vec<_> = g.edge_references().map(|e| (e.source(), e.target(), e.id())).collect();
        assert_eq!(arcs, [(0, 1, 0), (0, 2, 1), (4, 0, 2), (4, 5, 3)]);
        assert_eq!(g.edge_references().len(), 4);
        let empty = from_pairs(3, &[], true);
        assert_eq!(empty.edge_references().count(), 0);
    }

    #[test]
    fn incoming_edges_carry_the_out_arc_ids_and_attributes() {
        let edges = EdgeList {
            node_count: 3,
            src: vec![0, 1, 0, 1, 2],
            dst: vec![2, 2, 2, 0, 1],
            weights: Some(vec![1.5, 2.5, 3.5, 4.5, 5.5]),
            signs: Some(vec![1, -1, -1, 1, 1]),
        };
        for directed in [true, false] {
            let cfg =
                BuildConfig { directed, duplicates: Duplicates::Keep, ..BuildConfig::default() };
            let g = build(edges.clone(), &cfg, GraphInfo::default()).unwrap();
            let by_id: Vec<ArcRef> = g.edge_references().collect();
            let mut ids = Vec::new();
            for v in g.nodes() {
                for e in g.edges_directed(v, Direction::Incoming) {
                    assert_eq!(e.target(), v);
                    assert_eq!(by_id[e.id() as usize], e, "incoming arc must match its out-arc");
                    ids.push(e.id());
                }
                let out: Vec<_> = g.edges(v).collect();
                assert!(out.iter().all(|e| e.source() == v && by_id[e.id() as usize] == *e));
            }
            ids.sort_unstable();
            assert_eq!(ids, (0..g.arc_count() as u64).collect::<Vec<_>>(), "each id exactly once");
        }
    }

    #[test]
    fn neighbours_follow_the_influence_direction() {
        let g = from_pairs(3, &[(0, 1), (2, 1)], true);
        assert_eq!(g.neighbors(0).collect::<Vec<_>>(), [1]);
        assert_eq!(g.neighbors_directed(1, Direction::Incoming).collect::<Vec<_>>(), [0, 2]);
        assert!(g.neighbors_directed(1, Direction::Outgoing).next().is_none());
        assert!(g.is_adjacent(&g.adjacency_matrix(), 2, 1) && !g.is_adjacent(&(), 1, 2));
        assert_eq!((EdgeCount::edge_count(&g), NodeIndexable::node_bound(&g)), (2, 3));
        let u = from_pairs(3, &[(0, 1)], false);
        assert_eq!(EdgeCount::edge_count(&u), 2, "arcs, not edges");
        assert!(petgraph::visit::GraphProp::is_directed(&u));
    }
}
