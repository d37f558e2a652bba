//! Checking and preparing [`pagerank`](super::pagerank)'s inputs: the config, the
//! personalization vector, arc weights, and each node's inverse out-weight.

use rayon::prelude::*;

use clout_graph::{Adjacency, Graph, NodeId};

use super::PageRankConfig;
use crate::CentralityError;

pub(super) fn check_config(cfg: &PageRankConfig) -> Result<(), CentralityError> {
    if !(0.0..=1.0).contains(&cfg.damping) {
        return Err(CentralityError::InvalidConfig {
            parameter: "damping",
            reason: format!("must be in [0, 1], got {}", cfg.damping),
        });
    }
    if !(cfg.tolerance >= 0.0 && cfg.tolerance.is_finite()) {
        return Err(CentralityError::InvalidConfig {
            parameter: "tolerance",
            reason: format!("must be finite and >= 0, got {}", cfg.tolerance),
        });
    }
    Ok(())
}

/// Validates a personalization vector and returns it divided by its sum.
pub(super) fn normalized_personalization(
    n: usize,
    personalization: Option<&[f64]>,
) -> Result<Option<Vec<f64>>, CentralityError> {
    let Some(p) = personalization else { return Ok(None) };
    if p.len() != n {
        return Err(CentralityError::WrongLength {
            what: "personalization vector",
            expected: n,
            found: p.len(),
        });
    }
    if n == 0 {
        return Ok(None);
    }
    if let Some(node) = p.iter().position(|&value| !(value >= 0.0 && value.is_finite())) {
        return Err(CentralityError::InvalidPersonalization {
            node: node as NodeId,
            value: p[node],
        });
    }
    let total: f64 = p.iter().sum();
    if total <= 0.0 {
        return Err(CentralityError::ZeroPersonalization);
    }
    Ok(Some(p.iter().map(|value| value / total).collect()))
}

/// The out-adjacency weights, after checking that both directions' weights (one shared array
/// when undirected) are finite and non-negative.
pub(super) fn checked_weights(g: &Graph) -> Result<&[f64], CentralityError> {
    let check = |adj: &Adjacency, inward: bool| -> Result<(), CentralityError> {
        let w = adj.weights.as_ref().ok_or(CentralityError::Unweighted)?;
        match w.par_iter().position_first(|&wt| !(wt >= 0.0 && wt.is_finite())) {
            Some(arc) => {
                let (row, entry) = crate::arc_ends(adj, arc);
                let (source, target) = if inward { (entry, row) } else { (row, entry) };
                Err(CentralityError::InvalidWeight { source, target, weight: w[arc] })
            }
            None => Ok(()),
        }
    };
    check(g.out_adjacency(), false)?;
    if g.is_directed() {
        check(g.in_adjacency(), true)?;
    }
    Ok(g.out_adjacency().weights.as_ref().map(|w| w.as_slice()).unwrap_or_default())
}

/// `1 / S_u` per node, where `S_u` is `u`'s total NetworkX out-weight: the length (or weight)
/// of its influence in-adjacency row. 0 marks a dangling node.
pub(super) fn inverse_shares(g: &Graph, weighted: bool) -> Vec<f64> {
    let inverse = |total: f64| if total > 0.0 { 1.0 / total } else { 0.0 };
    if !weighted {
        return inverse_shares_of(g.in_adjacency().offsets.as_slice());
    }
    (0..g.node_count() as NodeId)
        .into_par_iter()
        .map(|u| {
            let total = match g.in_weights(u) {
                Some(w) => w.iter().sum::<f64>(),
                None => g.in_degree(u) as f64,
            };
            inverse(total)
        })
        .collect()
}

/// Unweighted [`inverse_shares`] from the influence in-adjacency offsets alone.
pub(super) fn inverse_shares_of(share_offsets: &[u64]) -> Vec<f64> {
    let inverse = |total: f64| if total > 0.0 { 1.0 / total } else { 0.0 };
    share_offsets.par_windows(2).map(|w| inverse((w[1] - w[0]) as f64)).collect()
}
