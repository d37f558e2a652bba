//! petgraph's algorithms running on clout graphs through the visit-trait adapter, checked against
//! clout's own components (same partitions, compared as sets of sorted member lists) and
//! breadth-first distances, on small graphs and on the shipped SNAP datasets.

use std::path::PathBuf;

use clout_graph::components::{
    Components, strongly_connected_components, verify_strong, verify_weak,
    weakly_connected_components,
};
use clout_graph::{
    BuildConfig, EdgeList, EdgeReading, Graph, GraphInfo, NodeId, build, from_pairs,
};
use petgraph::algo::{connected_components, dijkstra, kosaraju_scc, tarjan_scc};
use petgraph::visit::{Bfs, EdgeRef, Reversed};
use proptest::prelude::*;

/// A partition as a sorted list of sorted member lists, independent of component numbering.
fn canonical(mut groups: Vec<Vec<NodeId>>) -> Vec<Vec<NodeId>> {
    for group in &mut groups {
        group.sort_unstable();
    }
    groups.sort_unstable();
    groups
}

fn partition(c: &Components) -> Vec<Vec<NodeId>> {
    canonical(c.members())
}

/// Hop distances from `s` along out-arcs (or in-arcs, `backward`), by a plain BFS (`None` =
/// unreachable).
fn bfs_distances(g: &Graph, s: NodeId, backward: bool) -> Vec<Option<u32>> {
    let mut dist = vec![None; g.node_count()];
    dist[s as usize] = Some(0);
    let mut queue = std::collections::VecDeque::from([s]);
    while let Some(u) = queue.pop_front() {
        let d = dist[u as usize].unwrap();
        let next = if backward { g.in_neighbors(u) } else { g.out_neighbors(u) };
        for &v in next {
            if dist[v as usize].is_none() {
                dist[v as usize] = Some(d + 1);
                queue.push_back(v);
            }
        }
    }
    dist
}

/// Runs every petgraph algorithm under test on `g` and checks it against clout. Returns clout's
/// weak and strong components.
fn agree(g: &Graph) -> (Components, Components) {
    let weak = weakly_connected_components(g);
    let strong = strongly_connected_components(g);
    verify_weak(g, &weak).unwrap();
    verify_strong(g, &strong).unwrap();
    assert_eq!(canonical(kosaraju_scc(g)), partition(&strong), "kosaraju_scc");
    assert_eq!(canonical(tarjan_scc(g)), partition(&strong), "tarjan_scc");
    assert_eq!(connected_components(g), weak.count, "connected_components");
    if g.node_count() > 0 {
        // Unit-cost dijkstra and petgraph's Bfs agree with a plain BFS, forwards and backwards.
        let source = (g.node_count() / 2) as NodeId;
        let hops = bfs_distances(g, source, false);
        let mut by_dijkstra = vec![None; g.node_count()];
        for (v, d) in dijkstra(g, source, None, |_| 1u32) {
            by_dijkstra[v as usize] = Some(d);
        }
        assert_eq!(by_dijkstra, hops, "dijkstra");
        let mut bfs = Bfs::new(g, source);
        let mut order = Vec::new();
        while let Some(v) = bfs.next(g) {
            order.push(v);
        }
        assert_eq!(order.len(), hops.iter().flatten().count(), "Bfs reaches what BFS reaches");
        assert!(order.windows(2).all(|w| hops[w[0] as usize] <= hops[w[1] as usize]));
        let mut back = Bfs::new(Reversed(g), source);
        let mut reached_back = vec![false; g.node_count()];
        while let Some(v) = back.next(Reversed(g)) {
            reached_back[v as usize] = true;
        }
        let reaching: Vec<bool> =
            bfs_distances(g, source, true).iter().map(Option::is_some).collect();
        assert_eq!(reached_back, reaching, "Bfs on Reversed finds the nodes that reach source");
    }
    (weak, strong)
}

#[test]
fn small_graphs_agree() {
    type Case<'a> = (u32, &'a [(NodeId, NodeId)], bool);
    let cases: &[Case] = &[
        (0, &[], true),
        (1, &[], true),
        (4, &[(0, 1), (1, 2), (2, 3), (3, 0)], true),
        (4, &[(0, 1), (0, 2), (1, 3), (2, 3)], true),
        (5, &[(0, 2), (2, 3), (3, 0), (1, 4), (4, 1), (4, 0)], true),
        (6, &[(5, 1)], true),
        (6, &[(0, 4), (4, 2), (5, 3)], false),
    ];
    for &(n, arcs, directed) in cases {
        agree(&from_pairs(n, arcs, directed));
    }
}

#[test]
fn weighted_dijkstra_uses_arc_weights() {
    let edges = EdgeList {
        node_count: 4,
        src: vec![0, 0, 1, 2],
        dst: vec![1, 2, 3, 3],
        weights: Some(vec![1.0, 5.0, 10.0, 1.0]),
        signs: None,
    };
    let g = build(edges, &BuildConfig::default(), GraphInfo::default()).unwrap();
    let cost = dijkstra(&g, 0, None, |e| *e.weight());
    assert_eq!((cost[&1], cost[&2], cost[&3]), (1.0, 5.0, 6.0));
}

proptest! {
    #[test]
    fn random_graphs_agree(
        (n, arcs, directed) in (1..20u32).prop_flat_map(|n| {
            (Just(n), prop::collection::vec((0..n, 0..n), 0..60), any::<bool>())
        }),
    ) {
        agree(&from_pairs(n, &arcs, directed));
    }
}

/// Reads a SNAP edge list (`#` comments, whitespace-separated ids, CRLF or LF, final newline
/// optional), maps ids densely in ascending order, and builds it with the default policies.
fn read_snap(relative: &str, reading: EdgeReading) -> Graph {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../datasets").join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut pairs: Vec<(u64, u64)> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let mut ids = line.split_whitespace().map(|t| t.parse::<u64>().expect("numeric id"));
        pairs.push((ids.next().unwrap(), ids.next().expect("two ids per line")));
    }
    let mut ids: Vec<u64> = pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
    ids.sort_unstable();
    ids.dedup();
    let dense = |x: u64| ids.binary_search(&x).unwrap() as NodeId;
    let (mut src, mut dst): (Vec<NodeId>, Vec<NodeId>) =
        pairs.iter().map(|&(a, b)| (dense(a), dense(b))).unzip();
    if reading == EdgeReading::Follows {
        // `A B` = A voted for B: influence flows B -> A.
        std::mem::swap(&mut src, &mut dst);
    }
    let edges = EdgeList { node_count: ids.len() as u32, src, dst, weights: None, signs: None };
    let cfg =
        BuildConfig { directed: reading != EdgeReading::Undirected, ..BuildConfig::default() };
    let info = GraphInfo { reading, provenance: relative.into(), ..GraphInfo::default() };
    build(edges, &cfg, info).unwrap()
}

#[test]
fn wiki_vote_components_agree() {
    let g = read_snap("wiki-vote/Wiki-Vote.txt", EdgeReading::Follows);
    let info = g.info();
    assert_eq!((g.node_count(), g.edge_count(), info.input_edges), (7_115, 103_689, 103_689));
    assert_eq!((info.self_loops_dropped, info.duplicates_merged), (0, 0));
    let (weak, strong) = agree(&g);
    // SNAP's dataset page: largest WCC 7,066 nodes, largest SCC 1,300 nodes.
    assert_eq!((weak.count, weak.largest_size()), (24, 7_066));
    assert_eq!((strong.count, strong.largest_size()), (5_816, 1_300));
    // The reading only reverses arcs: the same partitions come out of the voting direction.
    let votes = read_snap("wiki-vote/Wiki-Vote.txt", EdgeReading::Influence);
    assert_eq!(partition(&strongly_connected_components(&votes)), partition(&strong));
}

#[test]
fn ego_facebook_is_one_component() {
    let g = read_snap("ego-facebook/facebook_combined.txt", EdgeReading::Undirected);
    assert_eq!((g.node_count(), g.edge_count(), g.arc_count()), (4_039, 88_234, 2 * 88_234));
    let (weak, strong) = agree(&g);
    assert_eq!((weak.count, weak.largest_size()), (1, 4_039));
    assert_eq!(weak, strong);
    let hops = dijkstra(&g, 0, None, |_| 1u32);
    assert_eq!(hops.len(), 4_039, "every node reachable from node 0");
}
