//! Building a graph from edges held in memory (arrays of original ids), as a program or a
//! Python caller has them, with the same reading conventions and policies as a file.

use clout_graph::{
    BuildConfig, Duplicates, EdgeList, EdgeReading, GraphInfo, NodeId, SelfLoops, Slab,
};
use clout_ingest::{IdMap, LoadedGraph};

use crate::error::{Error, Result, Setting};

/// Original ids of edge endpoints: integers or strings, one per edge end.
#[derive(Debug, Clone)]
pub enum EdgeIds {
    /// Integer ids.
    Integer(Vec<u64>),
    /// String ids (handles).
    String(Vec<String>),
}

impl EdgeIds {
    fn len(&self) -> usize {
        match self {
            EdgeIds::Integer(v) => v.len(),
            EdgeIds::String(v) => v.len(),
        }
    }
}

/// How to turn in-memory edges into a graph. Defaults: `A B` means A influences B (arrays
/// usually hold arcs already), self-loops dropped, duplicates summed.
#[derive(Debug, Clone)]
pub struct EdgesConfig {
    /// What an edge `(src[i], dst[i])` means. Default [`EdgeReading::Influence`].
    pub reading: EdgeReading,
    /// Self-loop policy. Default drop.
    pub self_loops: SelfLoops,
    /// Duplicate policy. Default sum.
    pub duplicates: Duplicates,
    /// Where the edges came from, recorded as the graph's provenance.
    pub provenance: String,
}

impl Default for EdgesConfig {
    fn default() -> Self {
        EdgesConfig {
            reading: EdgeReading::Influence,
            self_loops: SelfLoops::Drop,
            duplicates: Duplicates::Sum,
            provenance: "in-memory edges".into(),
        }
    }
}

/// Builds a graph from parallel arrays: `src[i] -> dst[i]` read with `cfg.reading`, optional
/// weights and signs (+1 / -1), and optional `nodes` that exist even without edges. Dense ids
/// follow the ascending order of the original ids, as for files. `src` and `dst` must be of
/// the same kind (integers or strings) and length.
pub fn from_edges(
    src: EdgeIds,
    dst: EdgeIds,
    nodes: Option<EdgeIds>,
    weights: Option<Vec<f64>>,
    signs: Option<Vec<i8>>,
    cfg: &EdgesConfig,
) -> Result<LoadedGraph> {
    let m = src.len();
    let bad = |what: String| Error::invalid(Setting::Edges, what);
    if dst.len() != m {
        return Err(bad(format!("{m} sources but {} targets", dst.len())));
    }
    for (name, len) in
        [("weights", weights.as_ref().map(Vec::len)), ("signs", signs.as_ref().map(Vec::len))]
    {
        if let Some(len) = len
            && len != m
        {
            return Err(bad(format!("{len} {name} for {m} edges")));
        }
    }
    if let Some(s) = &signs
        && let Some(x) = s.iter().find(|&&x| x != 1 && x != -1)
    {
        return Err(bad(format!("sign {x} is neither +1 nor -1")));
    }
    let (ids, a, b) = match (src, dst, nodes) {
        // Nodes 0 .. n-1 in order, every edge end among them: the ids are the dense ids (the
        // shape NetworkX conversions hand over), so nothing needs sorting or searching.
        (EdgeIds::Integer(s), EdgeIds::Integer(d), Some(EdgeIds::Integer(n)))
            if n.len() <= NodeId::MAX as usize
                && n.iter().enumerate().all(|(i, &x)| x == i as u64)
                && s.iter().chain(&d).all(|&x| x < n.len() as u64) =>
        {
            let dense = |v: &[u64]| v.iter().map(|&x| x as NodeId).collect::<Vec<_>>();
            (IdMap::identity(n.len() as NodeId), dense(&s), dense(&d))
        }
        (EdgeIds::Integer(s), EdgeIds::Integer(d), n) => {
            let extra = match n {
                None => Vec::new(),
                Some(EdgeIds::Integer(n)) => n,
                Some(EdgeIds::String(_)) => {
                    return Err(bad("integer edges with string nodes".into()));
                }
            };
            let mut all: Vec<u64> = s.iter().chain(&d).chain(&extra).copied().collect();
            all.sort_unstable();
            all.dedup();
            let index = |x: &u64| all.binary_search(x).expect("every id is in the list") as NodeId;
            let (a, b) = (s.iter().map(index).collect(), d.iter().map(index).collect());
            (IdMap::Integer(Slab::from_vec(all)), a, b)
        }
        (EdgeIds::String(s), EdgeIds::String(d), n) => {
            let extra = match n {
                None => Vec::new(),
                Some(EdgeIds::String(n)) => n,
                Some(EdgeIds::Integer(_)) => {
                    return Err(bad("string edges with integer nodes".into()));
                }
            };
            let mut all: Vec<&str> = s.iter().chain(&d).chain(&extra).map(String::as_str).collect();
            all.sort_unstable();
            all.dedup();
            let index = |x: &String| {
                all.binary_search(&x.as_str()).expect("every id is in the list") as NodeId
            };
            let (a, b) = (s.iter().map(index).collect(), d.iter().map(index).collect());
            let mut offsets = Vec::with_capacity(all.len() + 1);
            let mut bytes = Vec::new();
            offsets.push(0u64);
            for id in &all {
                bytes.extend_from_slice(id.as_bytes());
                offsets.push(bytes.len() as u64);
            }
            let map =
                IdMap::String { offsets: Slab::from_vec(offsets), bytes: Slab::from_vec(bytes) };
            (map, a, b)
        }
        _ => return Err(bad("sources and targets must both be integers or both strings".into())),
    };
    let n = ids.len();
    if n > NodeId::MAX as usize {
        return Err(bad(format!("{n} distinct accounts is more than 2^32 - 1")));
    }
    // `A B` as "A follows B" is the influence arc B -> A.
    let (src, dst) = if cfg.reading == EdgeReading::Follows { (b, a) } else { (a, b) };
    let edges = EdgeList { node_count: n as u32, src, dst, weights, signs };
    let build = BuildConfig {
        directed: cfg.reading != EdgeReading::Undirected,
        self_loops: cfg.self_loops,
        duplicates: cfg.duplicates,
    };
    let info = GraphInfo {
        reading: cfg.reading,
        provenance: cfg.provenance.clone(),
        input_edges: m as u64,
        ..GraphInfo::default()
    };
    let graph = clout_graph::build(edges, &build, info)?;
    Ok(LoadedGraph { graph, ids })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_edges_read_as_follows_point_the_way_influence_flows() {
        let s = |v: &[&str]| EdgeIds::String(v.iter().map(|x| x.to_string()).collect());
        let cfg = EdgesConfig { reading: EdgeReading::Follows, ..EdgesConfig::default() };
        let net =
            from_edges(s(&["@b", "@c"]), s(&["@a", "@a"]), Some(s(&["@z"])), None, None, &cfg)
                .unwrap();
        assert_eq!(net.graph.node_count(), 4);
        let a = net.ids.lookup("@a").unwrap();
        // @b and @c follow @a: @a reaches both.
        assert_eq!(net.graph.out_degree(a), 2);
        assert_eq!(net.graph.out_degree(net.ids.lookup("@z").unwrap()), 0);
    }

    #[test]
    fn dense_integer_nodes_are_the_ids() {
        let i = |v: &[u64]| EdgeIds::Integer(v.to_vec());
        let cfg = EdgesConfig::default();
        let fast =
            from_edges(i(&[2, 0]), i(&[1, 2]), Some(i(&[0, 1, 2, 3])), None, None, &cfg).unwrap();
        let slow = from_edges(i(&[2, 0]), i(&[1, 2]), Some(i(&[3])), None, None, &cfg).unwrap();
        assert_eq!(fast.graph.node_count(), 4);
        for v in 0..4 {
            assert_eq!(fast.ids.original(v), slow.ids.original(v));
            assert_eq!(fast.graph.out_neighbors(v), slow.graph.out_neighbors(v));
        }
    }

    #[test]
    fn mismatched_arrays_are_errors() {
        let i = |v: &[u64]| EdgeIds::Integer(v.to_vec());
        let cfg = EdgesConfig::default();
        assert!(from_edges(i(&[1, 2]), i(&[3]), None, None, None, &cfg).is_err());
        assert!(from_edges(i(&[1]), i(&[3]), None, Some(vec![]), None, &cfg).is_err());
        assert!(from_edges(i(&[1]), i(&[3]), None, None, Some(vec![2]), &cfg).is_err());
        let net =
            from_edges(i(&[10, 10]), i(&[30, 30]), None, Some(vec![1.0, 2.0]), None, &cfg).unwrap();
        assert_eq!(net.graph.edge_count(), 1, "duplicates summed");
        assert_eq!(net.graph.out_weights(0).unwrap(), &[3.0]);
    }
}
