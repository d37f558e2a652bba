//! The settings an error can point at, so a command line can name its own flag.

/// A setting a caller can change to get past an error: command lines map it to their flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Setting {
    /// Monte Carlo trials.
    Trials,
    /// Trials behind each CELF estimate.
    CelfTrials,
    /// Worker threads.
    Threads,
    /// The size of a generated graph (scale, edge factor).
    GeneratedSize,
    /// The RR-set sample of IMM / OPIM (k, epsilon, delta).
    RrSets,
    /// PageRank's iteration cap.
    MaxIterations,
    /// The sampling precision of betweenness (epsilon).
    Epsilon,
    /// The product quality.
    Quality,
    /// The per-account quality file.
    QualityFile,
    /// The target audience (its file or default weight).
    Target,
    /// The conversion rate or file.
    Conversion,
    /// The seed accounts.
    Seeds,
    /// Betweenness sampling: epsilon and sampled sources are alternatives.
    Sampling,
    /// The accounts drawn in the report's neighbourhood.
    Draw,
    /// Edges given in memory (lengths, kinds, signs).
    Edges,
    /// How probabilities are learned (the prior, isotonic recalibration).
    Learning,
    /// Which interactions of an activity log count.
    LogKinds,
}
