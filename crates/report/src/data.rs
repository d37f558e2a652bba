//! The report's input: plain data gathered by the caller (the CLI) from the graph, the
//! centrality kernels and the simulations. Everything is serializable: the page embeds it as a
//! JSON block so that tests and scripts read the exact numbers the charts were drawn from.
//!
//! Account ids are the original ids as strings. Reach figures are numbers of accounts.

use serde::Serialize;

/// Everything one report shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportData {
    /// Page title, e.g. `clout report: karate.edges`.
    pub title: String,
    /// What produced it, e.g. `clout 0.1.0`.
    pub generator: String,
    /// The command line that reproduces it.
    pub command: String,
    /// The graph at a glance.
    pub graph: GraphSection,
    /// The influencer table.
    pub influencers: InfluencerSection,
    /// The campaign: seeds, model and options.
    pub campaign: Campaign,
    /// Reach over time for the campaign's seeds.
    pub reach: Option<ReachSection>,
    /// Positive, negative and net reach as quality goes from 0 to 1.
    pub backfire: Option<BackfireSection>,
    /// The seeds against baseline seed sets on the same trials.
    pub comparison: Option<ComparisonSection>,
    /// The campaign counted in a target audience's weight, when the report was given one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<TargetSection>,
    /// A drawing of the seeds' neighbourhood.
    pub neighbourhood: Option<NeighbourhoodSection>,
    /// Why a section above is absent: `(section id, reason)`, e.g. `("backfire", "...")`.
    pub omitted: Vec<(String, String)>,
}

/// Size and shape of the graph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphSection {
    /// The input file (or snapshot) as given.
    pub source: String,
    /// Accounts.
    pub nodes: usize,
    /// Edges (arcs if directed, each friendship once if undirected).
    pub edges: usize,
    /// Whether the graph is directed.
    pub directed: bool,
    /// Reading name: `follows`, `influence` or `undirected`.
    pub reading: String,
    /// What a line `A B` meant, in one sentence.
    pub reading_sentence: String,
    /// Share of arcs whose reverse exists (directed graphs).
    pub reciprocity: Option<f64>,
    /// Accounts with no arcs at all.
    pub isolated: usize,
    /// Accounts whose posts reach nobody (no out-arcs).
    pub without_followers: usize,
    /// Weakly connected components (connected components if undirected).
    pub weak_components: usize,
    /// Sizes of the largest weak components, largest first (at most 5).
    pub largest_weak: Vec<usize>,
    /// Strongly connected components (directed graphs).
    pub strong_components: Option<usize>,
    /// Size of the largest strong component (directed graphs).
    pub largest_strong: Option<usize>,
    /// Degree distributions: one series per degree kind.
    pub degree_distributions: Vec<DegreeDistribution>,
}

/// How many accounts have each degree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DegreeDistribution {
    /// Machine name, e.g. `followers`.
    pub key: String,
    /// Legend label, e.g. `followers (influence out-degree)`.
    pub label: String,
    /// `(degree, accounts)` for every degree with at least one account, ascending.
    pub counts: Vec<(u64, u64)>,
    /// Mean degree.
    pub mean: f64,
    /// Largest degree.
    pub max: u64,
}

/// The influencer table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InfluencerSection {
    /// N of "top N".
    pub top: usize,
    /// One entry per score, in display order.
    pub scores: Vec<ScoreSummary>,
    /// `spearman[i][j]`: Spearman's rho between scores `i` and `j` over all accounts.
    pub spearman: Vec<Vec<Option<f64>>>,
    /// `kendall[i][j]`: Kendall's tau-b between scores `i` and `j`.
    pub kendall: Vec<Vec<Option<f64>>>,
}

/// One score: its best accounts and its distribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreSummary {
    /// Machine name, e.g. `pagerank`.
    pub key: String,
    /// Display name, e.g. `PageRank`.
    pub name: String,
    /// How it was computed (method, convention, guarantee).
    pub method: String,
    /// The top accounts, best first.
    pub top: Vec<RankedAccount>,
    /// Histogram bins `(low, high, accounts)`.
    pub histogram: Vec<(f64, f64, u64)>,
}

/// An account with a score and its competition rank (1 = best; ties share the best rank).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedAccount {
    /// Original id.
    pub id: String,
    /// Score.
    pub value: f64,
    /// Rank.
    pub rank: u64,
}

/// The campaign being reported on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Campaign {
    /// The seeds (original ids), in the order given or chosen.
    pub seeds: Vec<String>,
    /// How they were chosen, e.g. `given with --seeds` or `IMM, (1 - 1/e - 0.1) ...`.
    pub chosen_by: String,
    /// Model name (`ic`, `lt`, `icn`, `signed`).
    pub model: String,
    /// Edge probability spec, e.g. `wc`.
    pub prob: String,
    /// Product quality q, for the backfire models.
    pub quality: Option<f64>,
    /// Monte Carlo trials.
    pub trials: usize,
    /// Seed of every random choice.
    pub seed: u64,
    /// Budget and its use, when a budget was given.
    pub budget: Option<Budget>,
}

/// A budget and what the chosen seeds cost.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Budget {
    /// The budget.
    pub budget: f64,
    /// Total cost of the seeds.
    pub spent: f64,
    /// Cost of each seed, in seed order.
    pub costs: Vec<f64>,
}

/// A Monte Carlo estimate, with the same fields as `clout simulate`'s JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// Mean.
    pub mean: f64,
    /// Standard error of the mean.
    pub std_error: f64,
    /// Lower end of the 95 % confidence interval.
    pub ci95_low: f64,
    /// Upper end of the 95 % confidence interval.
    pub ci95_high: f64,
    /// 5 % quantile over trials.
    pub q05: f64,
    /// Median over trials.
    pub q50: f64,
    /// 95 % quantile over trials.
    pub q95: f64,
}

/// A mean with its 95 % confidence band.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    /// Mean.
    pub mean: f64,
    /// Lower end of the 95 % confidence interval.
    pub ci95_low: f64,
    /// Upper end of the 95 % confidence interval.
    pub ci95_high: f64,
}

/// Reach of the campaign's seeds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReachSection {
    /// Accounts ending positive (seeds included).
    pub positive: Estimate,
    /// Accounts ending negative.
    pub negative: Estimate,
    /// Accounts activated.
    pub total: Estimate,
    /// Accounts that heard of the product (received at least one attempt).
    pub awareness: Estimate,
    /// Probability that negative reach exceeds positive reach.
    pub backfire_risk: Estimate,
    /// Expected conversions, when a conversion rate was given.
    pub conversions: Option<Estimate>,
    /// Expected sales and revenue, when per-account purchase probabilities (and values) were
    /// given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sales: Option<Estimate>,
    /// Expected revenue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revenue: Option<Estimate>,
    /// New activations per round (round 0 is the seeds).
    pub rounds: Vec<Round>,
}

/// New activations in one round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Round {
    /// Round number (0 = seeds).
    pub round: u32,
    /// New positive activations.
    pub positive: Band,
    /// New negative activations.
    pub negative: Band,
}

/// The backfire curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BackfireSection {
    /// Model the curve was simulated with (IC-N unless the campaign is signed).
    pub model: String,
    /// One point per quality, ascending.
    pub points: Vec<BackfirePoint>,
    /// The quality where net reach crosses zero (see [`crate::threshold_quality`]).
    pub threshold: Option<f64>,
}

/// Reach at one quality.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BackfirePoint {
    /// Product quality q.
    pub quality: f64,
    /// Positive reach.
    pub positive: Band,
    /// Negative reach.
    pub negative: Band,
    /// Net reach, positive minus negative per trial (its band counts their correlation).
    pub net: Band,
}

/// Seed sets evaluated on the same trials.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparisonSection {
    /// The sets; the campaign's own set first.
    pub sets: Vec<SeedSetResult>,
    /// What was compared and how.
    pub note: String,
}

/// One seed set's reach.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeedSetResult {
    /// Machine name: `selected`, `degree`, `pagerank`, `degree-discount`, ...
    pub key: String,
    /// Display label.
    pub label: String,
    /// Seeds (original ids).
    pub seeds: Vec<String>,
    /// Positive reach.
    pub positive: Estimate,
    /// Negative reach.
    pub negative: Estimate,
    /// Total reach.
    pub total: Estimate,
    /// Total cost of the set, when costs were given.
    pub cost: Option<f64>,
}

/// The neighbourhood drawing's data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NeighbourhoodSection {
    /// Accounts drawn: seeds first, then the sample.
    pub nodes: Vec<NeighbourNode>,
    /// Influence arcs among them (indices into `nodes`).
    pub arcs: Vec<(usize, usize)>,
    /// How the sample was taken.
    pub note: String,
    /// Seed of the layout.
    pub layout_seed: u64,
}

/// One drawn account.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NeighbourNode {
    /// Original id.
    pub id: String,
    /// True for a seed.
    pub seed: bool,
    /// Probability of ending positive.
    pub positive: f64,
    /// Probability of ending negative.
    pub negative: f64,
}

/// The campaign counted in a target audience's weight: each account reached counts its
/// weight instead of 1 (accounts outside the audience weigh 0). Same trials as the rest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetSection {
    /// The audience's total weight (the most target reach can be).
    pub weight: f64,
    /// Accounts with a positive weight.
    pub accounts: usize,
    /// Positive target weight reached (seeds included).
    pub positive: Estimate,
    /// Negative target weight reached.
    pub negative: Estimate,
    /// Target weight reached: the target reach.
    pub total: Estimate,
    /// Target weight of the accounts that heard of the product.
    pub awareness: Estimate,
    /// P(negative target weight > positive target weight) in a trial.
    pub backfire_risk: Estimate,
    /// New target weight per round.
    pub rounds: Vec<Round>,
    /// Mean target weight that newly heard of the product in each round (round 0: the seeds;
    /// one round longer than `rounds` when the last attempts activated nobody).
    pub heard_rounds: Vec<f64>,
    /// The backfire curve in target weight (absent for signed spread).
    pub backfire: Option<BackfireSection>,
    /// The seed sets of the comparison, in target weight (positive, negative, total).
    pub sets: Vec<SeedSetResult>,
}
