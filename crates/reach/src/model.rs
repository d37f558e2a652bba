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
    type Err = UnknownModel;

    fn from_str(text: &str) -> Result<Self, UnknownModel> {
        match text {
            "ic" => Ok(Model::Ic),
            "lt" => Ok(Model::Lt),
            "icn" | "ic-n" => Ok(Model::IcN),
            "signed" => Ok(Model::Signed),
            _ => Err(UnknownModel(text.to_string())),
        }
    }
}

/// A model name that [`Model::from_str`] does not know (the text as given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownModel(pub String);

impl fmt::Display for UnknownModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown model `{}`: expected ic, lt, icn or signed", self.0)
    }
}

impl std::error::Error for UnknownModel {}

/// Why a [`Quality`] could not be built.
#[derive(Debug, Clone, PartialEq)]
pub enum QualityError {
    /// A quality is not a number in `[0, 1]` (NaN included).
    OutOfRange {
        /// The value given.
        quality: f64,
        /// The account it was given for (`None`: the global value).
        node: Option<NodeId>,
    },
    /// An override names a dense id that is not below the node count.
    UnknownNode {
        /// The dense id.
        node: NodeId,
        /// Nodes in the graph.
        node_count: usize,
    },
}

impl fmt::Display for QualityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QualityError::OutOfRange { quality, node: None } => {
                write!(f, "quality {quality} is outside [0, 1]")
            }
            QualityError::OutOfRange { quality, node: Some(v) } => {
                write!(f, "quality {quality} for node {v} is outside [0, 1]")
            }
            QualityError::UnknownNode { node, node_count } => {
                write!(f, "node {node} is not in the graph ({node_count} nodes)")
            }
        }
    }
}

impl std::error::Error for QualityError {}

/// Product quality `q`: the probability that an account reached through a positive account
/// (or a seed) ends up positive. A global value, optionally overridden per node.
#[derive(Debug, Clone, PartialEq)]
pub struct Quality {
    global: f64,
    per_node: Option<Vec<f64>>,
}

impl Quality {
    /// The same quality `q` for every account.
    ///
    /// Errors: [`QualityError::OutOfRange`] unless `0 <= q <= 1`.
    pub fn uniform(q: f64) -> Result<Quality, QualityError> {
        if !(0.0..=1.0).contains(&q) {
            return Err(QualityError::OutOfRange { quality: q, node: None });
        }
        Ok(Quality { global: q, per_node: None })
    }

    /// `global` for every account except those in `overrides` (dense id, q).
    ///
    /// Errors: the first value outside `[0, 1]` ([`QualityError::OutOfRange`]; the global value
    /// first), or the first id not below `node_count` ([`QualityError::UnknownNode`]).
    pub fn with_overrides(
        global: f64,
        node_count: usize,
        overrides: &[(NodeId, f64)],
    ) -> Result<Quality, QualityError> {
        if !(0.0..=1.0).contains(&global) {
            return Err(QualityError::OutOfRange { quality: global, node: None });
        }
        let mut per_node = vec![global; node_count];
        for &(v, q) in overrides {
            if !(0.0..=1.0).contains(&q) {
                return Err(QualityError::OutOfRange { quality: q, node: Some(v) });
            }
            *per_node
                .get_mut(v as usize)
                .ok_or(QualityError::UnknownNode { node: v, node_count })? = q;
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
        Quality { global: 1.0, per_node: None }
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
        assert_eq!(
            Quality::with_overrides(0.8, 3, &[(3, 0.5)]),
            Err(QualityError::UnknownNode { node: 3, node_count: 3 })
        );
        assert_eq!(
            Quality::with_overrides(0.8, 3, &[(0, 1.5)]),
            Err(QualityError::OutOfRange { quality: 1.5, node: Some(0) })
        );
        assert_eq!(
            Quality::with_overrides(1.2, 3, &[]),
            Err(QualityError::OutOfRange { quality: 1.2, node: None })
        );
    }

    #[test]
    fn a_uniform_quality_outside_the_unit_interval_is_an_error() {
        assert_eq!(Quality::uniform(0.25).map(|q| q.of(7)), Ok(0.25));
        for bad in [-0.1, 1.5, f64::NAN, f64::INFINITY] {
            let err = Quality::uniform(bad).unwrap_err();
            assert!(matches!(err, QualityError::OutOfRange { node: None, .. }), "{bad}: {err:?}");
        }
        assert_eq!(Quality::default(), Quality::uniform(1.0).unwrap());
    }

    #[test]
    fn an_unknown_model_name_is_a_typed_error() {
        let err = "sir".parse::<Model>().unwrap_err();
        assert_eq!(err, UnknownModel("sir".into()));
        assert!(err.to_string().contains("expected ic, lt, icn or signed"));
    }
}
