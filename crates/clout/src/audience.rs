//! Target audiences and per-account conversion, read from files of original ids.
//!
//! - A **target file** has `id weight` lines (`weight >= 0`), or `id` alone for weight 1.
//!   Accounts not listed weigh the default (0 unless given): target reach is the sum of the
//!   weights of the accounts reached.
//! - A **conversion file** has `id probability [value]` lines: the chance that the account buys
//!   once it ends positive, and what a sale from it is worth. Either every line has a value or
//!   none does (then no revenue is estimated). Accounts not listed buy with the default rate
//!   (0 unless given) and their sales are worth 0.
//!
//! Fields are separated by whitespace or commas; `#` comments and blank lines are skipped.
//! Every id must be in the graph and appear once: an unknown or repeated id, a value out of
//! range or a missing field is an error naming the file and line, never skipped.

use std::collections::HashMap;
use std::path::Path;

use clout_graph::NodeId;
use clout_ingest::IdMap;
use clout_ingest::escape::escape_str;
use clout_reach::Conversion;

use crate::error::{Error, Result, Setting};
use crate::ids::{for_each_record, lookup};

/// What a seed choice maximizes: the expected sum, over the accounts reached (IC-N: reached
/// positively), of a per-account worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "kebab-case")]
pub enum Objective {
    /// Every account is worth 1: expected reach.
    #[default]
    Reach,
    /// The target audience's weights: expected target reach.
    Target,
    /// Purchase probabilities: expected sales.
    Sales,
    /// Purchase probability times sale value: expected revenue.
    Revenue,
}

impl Objective {
    /// The name used on the command line and in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Objective::Reach => "reach",
            Objective::Target => "target",
            Objective::Sales => "sales",
            Objective::Revenue => "revenue",
        }
    }

    /// The per-account worth this objective maximizes (`None` for reach: every account 1),
    /// from the audience and conversion given. Errors when what it needs was not given.
    pub fn weights(
        self,
        target: Option<&[f64]>,
        conversion: Option<&Conversion>,
    ) -> Result<Option<Vec<f64>>> {
        let missing = |what: &str| {
            Error::invalid(Setting::Target, format!("maximizing {} needs {what}", self.name()))
        };
        match self {
            Objective::Reach => Ok(None),
            Objective::Target => {
                Ok(Some(target.ok_or_else(|| missing("a target audience"))?.to_vec()))
            }
            Objective::Sales => Ok(Some(
                conversion.ok_or_else(|| missing("purchase probabilities"))?.probability.clone(),
            )),
            Objective::Revenue => {
                let c = conversion.ok_or_else(|| missing("purchase probabilities and values"))?;
                let value = c.value.as_ref().ok_or_else(|| missing("sale values"))?;
                Ok(Some(c.probability.iter().zip(value).map(|(p, v)| p * v).collect()))
            }
        }
    }
}

/// Per-account target weights (dense ids) from a target file; accounts not listed weigh
/// `default`. Errors: see the module docs; also a `default` that is negative or not finite,
/// and an audience whose weights are all 0.
pub fn read_target(path: &Path, default: f64, ids: &IdMap) -> Result<Vec<f64>> {
    if !(default.is_finite() && default >= 0.0) {
        let message = format!("the default target weight {default} is not a number >= 0");
        return Err(Error::invalid(Setting::Target, message));
    }
    let mut weights = vec![default; ids.len()];
    let mut seen = HashMap::new();
    for_each_record(path, |line, fields| {
        if fields.len() > 2 {
            return Err(Error::line(path, line, "expected `id` or `id weight`"));
        }
        let v = lookup(ids, path, line, fields[0])?;
        once(&mut seen, v, path, line, fields[0])?;
        weights[v as usize] = match fields.get(1) {
            None => 1.0,
            Some(text) => number(text, path, line, "weight", |w| w >= 0.0, "a number >= 0")?,
        };
        Ok(())
    })?;
    if seen.is_empty() {
        return Err(Error::EmptyList(path.to_path_buf()));
    }
    if !weights.iter().sum::<f64>().is_finite() {
        let message =
            format!("{}: the target weights add up to more than a finite number", path.display());
        return Err(Error::invalid(Setting::Target, message));
    }
    if weights.iter().all(|&w| w == 0.0) {
        let message = format!("{}: every target weight is 0", path.display());
        return Err(Error::invalid(Setting::Target, message));
    }
    Ok(weights)
}

/// Per-account purchase probabilities and sale values from a conversion file; accounts not
/// listed buy with `default_rate` (0 when `None`) and their sales are worth 0.
pub fn read_conversion(path: &Path, default_rate: Option<f64>, ids: &IdMap) -> Result<Conversion> {
    let rate = default_rate.unwrap_or(0.0);
    if !(0.0..=1.0).contains(&rate) {
        let message = format!("the conversion rate {rate} is outside [0, 1]");
        return Err(Error::invalid(Setting::Conversion, message));
    }
    let mut probability = vec![rate; ids.len()];
    let mut value = vec![0.0; ids.len()];
    let mut with_value: Option<(bool, usize)> = None;
    let mut seen = HashMap::new();
    for_each_record(path, |line, fields| {
        if !(2..=3).contains(&fields.len()) {
            return Err(Error::line(
                path,
                line,
                "expected `id probability` or `id probability value`",
            ));
        }
        match with_value {
            None => with_value = Some((fields.len() == 3, line)),
            Some((has, first)) if has != (fields.len() == 3) => {
                let problem = format!(
                    "line {first} {} a sale value and this line {}: give a value on every \
                     line or on none",
                    if has { "has" } else { "has no" },
                    if has { "has none" } else { "has one" },
                );
                return Err(Error::line(path, line, problem));
            }
            Some(_) => {}
        }
        let v = lookup(ids, path, line, fields[0])?;
        once(&mut seen, v, path, line, fields[0])?;
        let in_unit = |p: f64| (0.0..=1.0).contains(&p);
        probability[v as usize] =
            number(fields[1], path, line, "probability", in_unit, "a probability in [0, 1]")?;
        if let Some(text) = fields.get(2) {
            value[v as usize] = number(text, path, line, "value", |x| x >= 0.0, "a number >= 0")?;
        }
        Ok(())
    })?;
    let Some((has_value, _)) = with_value else {
        return Err(Error::EmptyList(path.to_path_buf()));
    };
    Ok(Conversion { probability, value: has_value.then_some(value) })
}

/// Records that `v` was listed on `line`; an error naming both lines if it was listed before.
fn once(
    seen: &mut HashMap<NodeId, usize>,
    v: NodeId,
    path: &Path,
    line: usize,
    id: &str,
) -> Result<()> {
    match seen.insert(v, line) {
        Some(first) => Err(Error::line(
            path,
            line,
            format!("account `{}` is listed again (first on line {first})", escape_str(id)),
        )),
        None => Ok(()),
    }
}

/// Parses a finite number that satisfies `ok`.
fn number(
    text: &str,
    path: &Path,
    line: usize,
    what: &str,
    ok: impl Fn(f64) -> bool,
    expected: &str,
) -> Result<f64> {
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() && ok(x) => Ok(x),
        _ => {
            Err(Error::line(path, line, format!("{what} `{}` is not {expected}", escape_str(text))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> IdMap {
        IdMap::identity(4)
    }

    fn file(text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut f, text.as_bytes()).unwrap();
        f
    }

    #[test]
    fn target_files_give_weights_and_defaults() {
        let f = file("# audience\n0 2.5\n2\n");
        assert_eq!(read_target(f.path(), 0.0, &ids()).unwrap(), vec![2.5, 0.0, 1.0, 0.0]);
        assert_eq!(read_target(f.path(), 0.5, &ids()).unwrap(), vec![2.5, 0.5, 1.0, 0.5]);
    }

    #[test]
    fn bad_target_lines_name_the_line() {
        for (text, needle) in [
            ("0 1\n1 -1\n", ":2: weight `-1`"),
            ("0 1\n99 1\n", ":2: account `99` is not in the graph"),
            ("0 1\n2 2\n0 3\n", ":3: account `0` is listed again (first on line 1)"),
            ("0 1 2\n", ":1: expected"),
            ("0 nan\n", ":1: weight `nan`"),
        ] {
            let message = read_target(file(text).path(), 0.0, &ids()).unwrap_err().to_string();
            assert!(message.contains(needle), "{text:?}: {message}");
        }
        let huge = read_target(file("0 1e308\n").path(), 1e308, &ids()).unwrap_err().to_string();
        assert!(huge.contains("more than a finite number"), "{huge}");
        let zero = read_target(file("0 0\n").path(), 0.0, &ids()).unwrap_err().to_string();
        assert!(zero.contains("every target weight is 0"), "{zero}");
        assert!(read_target(file("# none\n").path(), 0.0, &ids()).is_err());
    }

    #[test]
    fn conversion_files_give_probabilities_and_values() {
        let f = file("0 0.5 10\n3 0.25 4\n");
        let c = read_conversion(f.path(), Some(0.01), &ids()).unwrap();
        assert_eq!(c.probability, vec![0.5, 0.01, 0.01, 0.25]);
        assert_eq!(c.value, Some(vec![10.0, 0.0, 0.0, 4.0]));
        let c = read_conversion(file("1 1\n").path(), None, &ids()).unwrap();
        assert_eq!((c.probability, c.value), (vec![0.0, 1.0, 0.0, 0.0], None));
    }

    #[test]
    fn bad_conversion_lines_name_the_line() {
        for (text, needle) in [
            ("0 0.5 10\n1 0.5\n", ":2: line 1 has a sale value and this line has none"),
            ("0 1.5\n", ":1: probability `1.5` is not a probability in [0, 1]"),
            ("0 0.5 -3\n", ":1: value `-3`"),
            ("0\n", ":1: expected"),
        ] {
            let message = read_conversion(file(text).path(), None, &ids()).unwrap_err().to_string();
            assert!(message.contains(needle), "{text:?}: {message}");
        }
    }
}
