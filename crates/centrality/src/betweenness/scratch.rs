//! Per-thread search state of exact Brandes, shared by the weighted search in [`super::exact`]
//! and the unweighted one in [`super::bfs`].

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use clout_graph::NodeId;

/// `level` of a node no search has reached.
pub(super) const UNSEEN: u32 = u32::MAX;

/// Per-thread search state, reused across sources. Between sources: `level` is all
/// [`UNSEEN`], `dist` all infinite, `sigma`, `coef` and `acc` all zero.
pub(super) struct Scratch {
    pub(super) level: Vec<u32>,
    pub(super) dist: Vec<f64>,
    pub(super) sigma: Vec<f64>,
    pub(super) coef: Vec<f64>,
    pub(super) acc: Vec<f64>,
    pub(super) order: Vec<NodeId>,
    pub(super) level_start: Vec<usize>,
    pub(super) unvisited: Vec<NodeId>,
    pub(super) found: Vec<(NodeId, f64)>,
    pub(super) heap: BinaryHeap<Reverse<(u64, NodeId)>>,
}

impl Scratch {
    pub(super) fn new(n: usize, weighted: bool) -> Self {
        Scratch {
            level: if weighted { Vec::new() } else { vec![UNSEEN; n] },
            dist: if weighted { vec![f64::INFINITY; n] } else { Vec::new() },
            sigma: vec![0.0; n],
            coef: vec![0.0; n],
            acc: if weighted { Vec::new() } else { vec![0.0; n] },
            order: if weighted { Vec::with_capacity(n) } else { vec![0; n + 1] },
            level_start: Vec::new(),
            unvisited: Vec::new(),
            found: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }
}
