//! Accounts named by their original ids: seed lists, id files, cost files, quality files.
//!
//! Files hold one account per line (`#` comments and blank lines skipped), fields separated by
//! whitespace or commas. Every id must be in the graph: an unknown one is an error naming the
//! file and line, never skipped.

use std::path::Path;

use clout_graph::NodeId;
use clout_ingest::IdMap;
use clout_ingest::escape::escape_str;
use clout_reach::Quality;

use crate::error::{Error, Result, Setting};

/// The dense ids of `texts` (original ids; blank entries skipped). `role` names them in the
/// error for an id that is not in the graph ("seed account").
pub fn resolve<S: AsRef<str>>(ids: &IdMap, texts: &[S], role: &'static str) -> Result<Vec<NodeId>> {
    let mut out = Vec::with_capacity(texts.len());
    for text in texts.iter().map(|t| t.as_ref().trim()).filter(|t| !t.is_empty()) {
        match ids.lookup(text) {
            Some(v) => out.push(v),
            None => return Err(Error::UnknownAccount { id: escape_str(text), role }),
        }
    }
    Ok(out)
}

/// Reads `id [weight]` lines: every id must be in the graph; the weight (1 when absent) must
/// be a non-negative number. An empty list is an error.
pub fn read_id_list(path: &Path, ids: &IdMap) -> Result<Vec<(NodeId, f64)>> {
    let mut out = Vec::new();
    for_each_record(path, |line, fields| {
        let node = lookup(ids, path, line, fields[0])?;
        let weight = match fields.get(1) {
            None => 1.0,
            Some(w) => match w.parse::<f64>() {
                Ok(w) if w.is_finite() && w >= 0.0 => w,
                _ => {
                    let problem =
                        format!("weight `{}` is not a non-negative number", escape_str(w));
                    return Err(Error::line(path, line, problem));
                }
            },
        };
        out.push((node, weight));
        Ok(())
    })?;
    if out.is_empty() {
        return Err(Error::EmptyList(path.to_path_buf()));
    }
    Ok(out)
}

/// Reads `account cost` lines: every cost positive and finite. Accounts not listed cost
/// infinity (they cannot be chosen under a budget).
pub fn read_costs(path: &Path, ids: &IdMap) -> Result<Vec<f64>> {
    let mut costs = vec![f64::INFINITY; ids.len()];
    for_each_record(path, |line, fields| {
        let Some(cost) = fields.get(1) else {
            return Err(Error::line(path, line, "expected `account cost`"));
        };
        let v = lookup(ids, path, line, fields[0])?;
        match cost.parse::<f64>() {
            Ok(c) if c.is_finite() && c > 0.0 => {
                costs[v as usize] = c;
                Ok(())
            }
            _ => {
                let problem = format!("cost `{}` is not a positive number", escape_str(cost));
                Err(Error::line(path, line, problem))
            }
        }
    })?;
    Ok(costs)
}

/// Who may be chosen: the `candidates` file's accounts (everybody without one) minus the
/// `exclude` file's, in id order; `None` when neither file is given (no restriction).
pub fn candidate_list(
    candidates: Option<&Path>,
    exclude: Option<&Path>,
    ids: &IdMap,
) -> Result<Option<Vec<NodeId>>> {
    if candidates.is_none() && exclude.is_none() {
        return Ok(None);
    }
    let n = ids.len();
    let mut allowed = vec![candidates.is_none(); n];
    if let Some(path) = candidates {
        for (v, _) in read_id_list(path, ids)? {
            allowed[v as usize] = true;
        }
    }
    if let Some(path) = exclude {
        for (v, _) in read_id_list(path, ids)? {
            allowed[v as usize] = false;
        }
    }
    Ok(Some((0..n as NodeId).filter(|&v| allowed[v as usize]).collect()))
}

/// Per-account product qualities for IC-N: `id q` lines override `default` for those accounts.
pub fn read_quality_file(path: &Path, default: f64, ids: &IdMap) -> Result<Quality> {
    let overrides = read_id_list(path, ids)?;
    if let Some((v, q)) = overrides.iter().find(|(_, q)| *q > 1.0) {
        let message = format!(
            "{}: quality {q} for account {} is above 1",
            path.display(),
            escape_str(&ids.original(*v).to_string())
        );
        return Err(Error::invalid(Setting::QualityFile, message));
    }
    Quality::with_overrides(default, ids.len(), &overrides)
        .map_err(|e| Error::invalid(Setting::Quality, format!("quality: {e}")))
}

/// The original id of `v` as JSON: a number for integer ids, a string for handles.
pub fn json_id(ids: &IdMap, v: NodeId) -> serde_json::Value {
    match ids.original(v) {
        clout_ingest::OriginalId::Integer(x) => x.into(),
        clout_ingest::OriginalId::String(s) => s.into(),
    }
}

/// Calls `each` with (1-based line number, fields) for every non-comment line of a file.
pub(crate) fn for_each_record(
    path: &Path,
    mut each: impl FnMut(usize, &[&str]) -> Result<()>,
) -> Result<()> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    let mut fields = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        fields.clear();
        fields
            .extend(line.split(|c: char| c == ',' || c.is_whitespace()).filter(|f| !f.is_empty()));
        each(i + 1, &fields)?;
    }
    Ok(())
}

pub(crate) fn lookup(ids: &IdMap, path: &Path, line: usize, id: &str) -> Result<NodeId> {
    ids.lookup(id).ok_or_else(|| {
        Error::line(path, line, format!("account `{}` is not in the graph", escape_str(id)))
    })
}

/// A PageRank personalization vector from `id [weight]` lines (weights of a repeated id add).
pub fn read_personalization(path: &Path, ids: &IdMap) -> Result<Vec<f64>> {
    let mut p = vec![0.0; ids.len()];
    for (v, w) in read_id_list(path, ids)? {
        p[v as usize] += w;
    }
    Ok(p)
}
