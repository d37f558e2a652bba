//! The diffusion models clout simulates and the product-quality factor of the backfire models.
//!
//! Direction: every arc `u -> v` points the way influence flows, so a cascade started at an
//! account reaches the accounts that follow it (see [`clout_graph::EdgeReading`]).
//! The precise rules of each model are documented on [`Model`].

use clout_graph::NodeId;
use std::fmt;
use std::str::FromStr;

/// A diffusion model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Model {
    /// Independent Cascade (Kempe, Kleinberg and Tardos, KDD 2003): a node activated at step
    /// `t - 1` gets one attempt on each inactive out-neighbour `v` at step `t`, succeeding with
    /// `p(u, v)`. Everybody reached is positive.
    Ic,
    /// Linear Threshold (Kempe et al. 2003): in-weights `b(u, v) = p(u, v)`, scaled per target
    /// so they sum to at most 1; each node draws a threshold uniform in `[0, 1]` per trial and
    /// activates once the weight of its active in-neighbours reaches it.
    Lt,
    /// IC-N, backfire (Chen et al., SDM 2011): IC in which each seed turns positive with
    /// probability `q`, a node activated by a positive node turns positive with probability `q`
    /// (else negative), a node activated by a negative node turns negative, and simultaneous
    /// attempts on one node are tried in uniformly random order (the first success decides).
    #[cfg_attr(feature = "clap", value(name = "icn"))]
    IcN,
    /// Signed spread (polarity-related IC) on trust/distrust graphs: an opinion passed over a
    /// distrust arc (sign -1) flips sign. Not monotone.
    Signed,
}

impl Model {
    /// The name used on the command line and in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Model::Ic => "ic",
            Model::Lt => "lt",
            Model::IcN => "icn",
            Model::Signed => "signed",
        }
    }

    /// True for the models with opinions (positive and negative reach).
    pub fn has_opinions(self) -> bool {
        matches!(self, Model::IcN | Model::Signed)
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Model {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "ic" => Ok(Model::Ic),
            "lt" => Ok(Model::Lt),
            "icn" | "ic-n" => Ok(Model::IcN),
            "signed" => Ok(Model::Signed),
            _ => Err(format!("unknown model `{text}`: expected ic, lt, icn or signed")),
        }
    }
}

/// Product quality `q`: the probability that an account reached through a positive account
/// (or a seed) ends up positive. A global value, optionally overridden per node.
#[derive(Debug, Clone, PartialEq)]
pub struct Quality {
    global: f64,
    per_node: Option<Vec<f64>>,
}

impl Quality {
    /// The same quality for every account. Panics unless `0 <= q <= 1` (callers validate input).
    pub fn uniform(q: f64) -> Quality {
        assert!((0.0..=1.0).contains(&q), "quality {q} outside [0, 1]");
        Quality { global: q, per_node: None }
    }

    /// `global` for every account except those in `overrides` (dense id, q). Errors name the
    /// first value outside `[0, 1]` or the first id not below `node_count`.
    pub fn with_overrides(
        global: f64,
        node_count: usize,
        overrides: &[(NodeId, f64)],
    ) -> Result<Quality, String> {
        if !(0.0..=1.0).contains(&global) {
            return Err(format!("quality {global} is outside [0, 1]"));
        }
        let mut per_node = vec![global; node_count];
        for &(v, q) in overrides {
            if !(0.0..=1.0).contains(&q) {
                return Err(format!("quality {q} for node {v} is outside [0, 1]"));
            }
            *per_node
                .get_mut(v as usize)
                .ok_or_else(|| format!("node {v} is not in the graph ({node_count} nodes)"))? = q;
        }
        Ok(Quality { global, per_node: Some(per_node) })
    }

    /// The global quality.
    pub fn global(&self) -> f64 {
        self.global
    }

    /// True when no account overrides the global value.
    pub fn is_uniform(&self) -> bool {
        self.per_node.is_none()
    }

    /// The quality that applies to account `v`.
    #[inline]
    pub fn of(&self, v: NodeId) -> f64 {
        match &self.per_node {
            Some(q) => q[v as usize],
            None => self.global,
        }
    }
}

impl Default for Quality {
    /// `q = 1`: nobody is disappointed, IC-N reduces to IC.
    fn default() -> Self {
        Quality::uniform(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn models_round_trip_through_their_names() {
        for m in [Model::Ic, Model::Lt, Model::IcN, Model::Signed] {
            assert_eq!(m.name().parse(), Ok(m));
        }
        assert!("sir".parse::<Model>().is_err());
    }

    #[test]
    fn overrides_apply_and_are_validated() {
        let q = Quality::with_overrides(0.8, 3, &[(1, 0.2)]).unwrap();
        assert_eq!([q.of(0), q.of(1), q.of(2)], [0.8, 0.2, 0.8]);
        assert!(Quality::with_overrides(0.8, 3, &[(3, 0.5)]).is_err());
        assert!(Quality::with_overrides(0.8, 3, &[(0, 1.5)]).is_err());
        assert!(Quality::with_overrides(1.2, 3, &[]).is_err());
    }
}
