//! Library errors that name nodes by dense id, restated with the nodes' original ids.

use clout_centrality::CentralityError;
use clout_ingest::IdMap;
use clout_ingest::escape::escape_str;
use clout_reach::ProbError;

/// `e` with the nodes of a [`CentralityError`] or [`ProbError`] named by their original ids
/// (quoted and escaped, as input is in every message); any other error unchanged.
pub fn with_original_ids(e: anyhow::Error, ids: &IdMap) -> anyhow::Error {
    let name = |u| format!("`{}`", escape_str(&ids.original(u).to_string()));
    if let Some(c) = e.downcast_ref::<CentralityError>() {
        return anyhow::anyhow!(c.describe(&name));
    }
    if let Some(p) = e.downcast_ref::<ProbError>() {
        return anyhow::anyhow!(p.describe(&name));
    }
    e
}
