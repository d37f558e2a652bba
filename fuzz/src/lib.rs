//! Helpers shared by the fuzz targets: turning fuzz bytes into choices, and an independent,
//! deliberately naive check of every invariant a loaded graph promises (the library's own
//! checks are parallel and streaming; these sort and compare whole arc lists instead).

use clout_graph::{Adjacency, Graph};
use clout_ingest::LoadedGraph;

/// Takes bytes from the front of the fuzz input; zeros once it runs out.
pub struct Bytes<'a> {
    data: &'a [u8],
}

impl<'a> Bytes<'a> {
    /// Wraps the fuzz input.
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data }
    }

    /// The next byte, or 0.
    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }

    /// The next little-endian u16, or 0.
    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.byte(), self.byte()])
    }

    /// One of `options`, chosen by the next byte.
    pub fn pick<T: Clone>(&mut self, options: &[T]) -> T {
        options[usize::from(self.byte()) % options.len()].clone()
    }

    /// The next `n` bytes (fewer at the end).
    pub fn take(&mut self, n: usize) -> &'a [u8] {
        let (head, rest) = self.data.split_at(n.min(self.data.len()));
        self.data = rest;
        head
    }

    /// Everything not taken yet.
    pub fn rest(self) -> &'a [u8] {
        self.data
    }

    /// Whether everything was taken.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}

/// One arc: tail, head, weight bits (0 if unweighted), sign (0 if unsigned).
type Arc = (u32, u32, u64, i8);

/// Checks one adjacency direction's CSR shape; returns its arcs with rows as tails
/// (`rows_are_tails`) or as heads, sorted.
fn direction(name: &str, n: usize, adj: &Adjacency, rows_are_tails: bool) -> Vec<Arc> {
    let (offsets, targets) = (&*adj.offsets, &*adj.targets);
    assert_eq!(offsets.len(), n + 1, "{name}: offsets length");
    assert_eq!(offsets[0], 0, "{name}: first offset");
    assert_eq!(offsets[n] as usize, targets.len(), "{name}: last offset");
    if let Some(w) = &adj.weights {
        assert_eq!(w.len(), targets.len(), "{name}: weights length");
    }
    if let Some(s) = &adj.signs {
        assert_eq!(s.len(), targets.len(), "{name}: signs length");
        assert!(s.iter().all(|&x| x == 1 || x == -1), "{name}: signs are +1 or -1");
    }
    let mut arcs = Vec::with_capacity(targets.len());
    for row in 0..n {
        let (lo, hi) = (offsets[row] as usize, offsets[row + 1] as usize);
        assert!(lo <= hi, "{name}: offsets decrease at {row}");
        assert!(targets[lo..hi].is_sorted(), "{name}: row {row} unsorted");
        for k in lo..hi {
            let other = targets[k];
            assert!((other as usize) < n, "{name}: node {other} out of range");
            let w = adj.weights.as_ref().map_or(0, |w| w[k].to_bits());
            let s = adj.signs.as_ref().map_or(0, |s| s[k]);
            let row = row as u32;
            arcs.push(if rows_are_tails { (row, other, w, s) } else { (other, row, w, s) });
        }
    }
    arcs.sort_unstable();
    arcs
}

/// Asserts every invariant of a loaded graph: id map matches and validates, both CSR
/// directions are well-formed, the in-adjacency is the transpose of the out-adjacency (or the
/// adjacency is symmetric when undirected), and the edge count is what the arcs say.
pub fn check_loaded(loaded: &LoadedGraph) {
    let g: &Graph = &loaded.graph;
    let n = g.node_count();
    assert_eq!(loaded.ids.len(), n, "one original id per node");
    if let Err(e) = loaded.ids.validate() {
        panic!("id map: {e}");
    }
    let out = direction("out", n, g.out_adjacency(), true);
    let reversed = direction("in", n, g.in_adjacency(), false);
    assert_eq!(out, reversed, "in-adjacency is the transpose of the out-adjacency");
    assert_eq!(g.is_weighted(), g.in_adjacency().weights.is_some());
    assert_eq!(g.is_signed(), g.in_adjacency().signs.is_some());
    let loops = out.iter().filter(|a| a.0 == a.1).count();
    if g.is_directed() {
        assert_eq!(g.edge_count(), out.len(), "directed edge count");
    } else {
        let mut mirrored: Vec<Arc> = out.iter().map(|&(u, v, w, s)| (v, u, w, s)).collect();
        mirrored.sort_unstable();
        assert_eq!(out, mirrored, "undirected adjacency is symmetric");
        assert_eq!(g.edge_count(), (out.len() - loops) / 2 + loops, "undirected edge count");
    }
}
