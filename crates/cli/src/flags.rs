//! Flag groups shared by several commands (`#[command(flatten)]`): how a GRAPH is read, and
//! how seeds may be chosen.

use std::path::PathBuf;

use clap::Args;
use clout::{Column, Delimiter, Duplicates, EdgeReading, Format, IdKind, ReadConfig, SelfLoops};

/// How to read edge-list inputs (ignored for snapshots, which record how they were read).
/// `clout help input` explains each setting.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// What a line `A B` means: A follows B (influence flows B -> A), or A influences B.
    #[arg(long = "edges", value_enum, default_value_t = EdgeReading::Follows, help_heading = "Input")]
    pub edges: EdgeReading,

    /// Friendships: each line is an undirected edge (overrides --edges).
    #[arg(long, help_heading = "Input")]
    pub undirected: bool,

    /// File layout: a plain edge list, SNAP signed, or SNAP Bitcoin ratings.
    #[arg(long, value_enum, default_value_t = Format::EdgeList, help_heading = "Input")]
    pub format: Format,

    /// Column separator.
    #[arg(long, value_enum, default_value_t = Delimiter::Auto, help_heading = "Input")]
    pub delimiter: Delimiter,

    /// The first non-comment line names the columns.
    #[arg(long, help_heading = "Input")]
    pub header: bool,

    /// Source column: 1-based position or, with --header, a name. Default 1.
    #[arg(long, value_name = "COL", help_heading = "Input")]
    pub src: Option<String>,

    /// Target column. Default 2.
    #[arg(long, value_name = "COL", help_heading = "Input")]
    pub dst: Option<String>,

    /// Weight column. Default: unweighted.
    #[arg(long, value_name = "COL", help_heading = "Input")]
    pub weight: Option<String>,

    /// Sign column (+1 trust / -1 distrust). Default: unsigned.
    #[arg(long, value_name = "COL", help_heading = "Input")]
    pub sign: Option<String>,

    /// Node ids: integers, strings, or detected.
    #[arg(long, value_enum, default_value_t = IdKind::Auto, help_heading = "Input")]
    pub ids: IdKind,

    /// Self-loops (`A A`).
    #[arg(long, value_enum, default_value_t = SelfLoops::Drop, help_heading = "Input")]
    pub self_loops: SelfLoops,

    /// Repeated edges.
    #[arg(long, value_enum, default_value_t = Duplicates::Sum, help_heading = "Input")]
    pub duplicates: Duplicates,

    /// Skip lines that cannot be read (counted, first few reported) instead of failing.
    #[arg(long, help_heading = "Input")]
    pub skip_bad_lines: bool,
}

impl InputArgs {
    /// The reader configuration these flags ask for.
    pub fn read_config(&self) -> anyhow::Result<ReadConfig> {
        let column = |text: &Option<String>, flag: &str| -> anyhow::Result<Option<Column>> {
            text.as_deref()
                .map(|t| {
                    Column::parse(t, self.header).map_err(|why| anyhow::anyhow!("--{flag}: {why}"))
                })
                .transpose()
        };
        let mut cfg = ReadConfig {
            reading: if self.undirected { EdgeReading::Undirected } else { self.edges },
            format: self.format,
            delimiter: self.delimiter,
            header: self.header,
            weight: column(&self.weight, "weight")?,
            sign: column(&self.sign, "sign")?,
            ids: self.ids,
            self_loops: self.self_loops,
            duplicates: self.duplicates,
            skip_bad_lines: self.skip_bad_lines,
            ..ReadConfig::default()
        };
        if let Some(c) = column(&self.src, "src")? {
            cfg.src = c;
        }
        if let Some(c) = column(&self.dst, "dst")? {
            cfg.dst = c;
        }
        Ok(cfg)
    }
}

/// Who the campaign is for: a target audience and per-account purchase, shared by `clout
/// simulate`, `clout select` and `clout report`.
#[derive(Debug, Clone, Args)]
pub struct AudienceArgs {
    /// Target audience: `id weight` lines, or `id` alone for weight 1. Every count is then
    /// also reported in target weight (target reach, awareness, backfire).
    #[arg(long, value_name = "FILE", help_heading = "Audience")]
    pub target: Option<PathBuf>,

    /// Weight of the accounts the --target file does not list.
    #[arg(
        long,
        value_name = "W",
        default_value_t = 0.0,
        requires = "target",
        help_heading = "Audience"
    )]
    pub target_default: f64,

    /// Per-account purchase: `id probability [value]` lines. Adds expected sales (and revenue,
    /// with values); unlisted accounts buy with --conversion-rate where given, else never.
    #[arg(long, value_name = "FILE", help_heading = "Audience")]
    pub conversion: Option<PathBuf>,
}

/// The target weights and conversion the [`AudienceArgs`] files give.
pub struct Audience {
    pub target: Option<Vec<f64>>,
    pub conversion: Option<clout::Conversion>,
}

impl AudienceArgs {
    /// The files these flags read (for the output-is-not-an-input check).
    pub fn files(&self) -> [Option<&std::path::Path>; 2] {
        [self.target.as_deref(), self.conversion.as_deref()]
    }

    /// Reads the files against the graph's ids; `rate` is the purchase probability of the
    /// accounts the conversion file does not list.
    pub fn read(&self, ids: &clout::IdMap, rate: Option<f64>) -> anyhow::Result<Audience> {
        let target = match &self.target {
            Some(path) => Some(clout::audience::read_target(path, self.target_default, ids)?),
            None => None,
        };
        let conversion = match &self.conversion {
            Some(path) => Some(clout::audience::read_conversion(path, rate, ids)?),
            None => None,
        };
        Ok(Audience { target, conversion })
    }
}

/// How seeds may be chosen: shared by `clout select` and `clout report`.
#[derive(Debug, Args)]
pub struct ChoiceArgs {
    /// Approximation slack of imm / opim.
    #[arg(long, value_name = "E", default_value_t = 0.1)]
    pub epsilon: f64,

    /// Failure probability of the guarantee (default 1/n, IMM's l = 1).
    #[arg(long, value_name = "D")]
    pub delta: Option<f64>,

    /// Spend at most B on seeds (needs --costs); the baselines stay within it too.
    #[arg(long, value_name = "B", requires = "costs")]
    pub budget: Option<f64>,

    /// `account cost` lines; accounts not listed cannot be chosen (needs --budget).
    #[arg(long, value_name = "FILE", requires = "budget")]
    pub costs: Option<PathBuf>,

    /// Only these accounts may be chosen, by the method and by the baselines (one id per
    /// line, `#` comments).
    #[arg(long, value_name = "FILE")]
    pub candidates: Option<PathBuf>,

    /// These accounts may not be chosen (one id per line).
    #[arg(long, value_name = "FILE")]
    pub exclude: Option<PathBuf>,

    /// Monte Carlo trials behind each estimate of --method celf.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub celf_trials: usize,

    /// What to maximize: reach, target (reach in --target weight), sales or revenue (from
    /// --conversion). Default: target with --target, else reach.
    #[arg(long, value_enum, value_name = "WHAT", help_heading = "Audience")]
    pub maximize: Option<clout::Objective>,

    #[command(flatten)]
    pub audience: AudienceArgs,
}

impl ChoiceArgs {
    /// The files these flags read (for the output-is-not-an-input check).
    pub fn files(&self) -> [Option<&std::path::Path>; 5] {
        let [target, conversion] = self.audience.files();
        [
            self.costs.as_deref(),
            self.candidates.as_deref(),
            self.exclude.as_deref(),
            target,
            conversion,
        ]
    }

    /// What the choice maximizes: --maximize, else target with a --target file, else reach.
    pub fn objective(&self) -> clout::Objective {
        self.maximize.unwrap_or(if self.audience.target.is_some() {
            clout::Objective::Target
        } else {
            clout::Objective::Reach
        })
    }

    /// The selection configuration: `k`, the model and quality, the seed, these flags' files
    /// read against the graph's ids (the objective's weights from `audience`), and the memory
    /// budget.
    pub fn select_config(
        &self,
        net: &clout::LoadedGraph,
        k: usize,
        model: clout::Model,
        quality: f64,
        seed: u64,
        audience: &Audience,
    ) -> anyhow::Result<clout::SelectConfig> {
        let ids = &net.ids;
        let weights =
            self.objective().weights(audience.target.as_deref(), audience.conversion.as_ref())?;
        let candidates =
            clout::ids::candidate_list(self.candidates.as_deref(), self.exclude.as_deref(), ids)?;
        let budget = match (&self.costs, self.budget) {
            (Some(path), Some(budget)) => {
                Some(clout::Budget { costs: clout::ids::read_costs(path, ids)?, budget })
            }
            _ => None,
        };
        Ok(clout::SelectConfig {
            k,
            model,
            quality,
            epsilon: self.epsilon,
            delta: self.delta,
            seed,
            candidates,
            budget,
            memory_limit: clout::memory::engine_limit(),
            celf_trials: self.celf_trials,
            weights,
        })
    }
}
