//! Command-line arguments: every subcommand and flag, with help that states each convention.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use clout::centrality::{CoreDegree, DanglingPolicy, PageRankMethod, WeightMode};
use clout::{
    Column, Delimiter, Duplicates, EdgeReading, Format, IdKind, ReadConfig, Score, SelfLoops,
};

const ABOUT: &str = "Find who really moves a social network and what happens when they talk.";

const LONG_ABOUT: &str = "\
Find who really moves a social network and what happens when they talk.

clout reads exported follower graphs (edge lists, CSV, SNAP files; plain, gzip or zstd),
stores them as memory-mapped snapshots that reload in a blink, and analyses them.

Edge direction: clout stores every edge in the direction influence flows. A line `A B` of a
directed file is read, by default, as \"A follows B\" (`--edges follows`): B's posts reach A, so
the stored arc is B -> A. This is how SNAP's Twitter, wiki-Vote, Slashdot and Higgs files read.
Use `--edges influence` when `A B` means A influences B, and `--undirected` for friendships.

Every command that takes a GRAPH accepts a snapshot (`.clout`, detected by its magic bytes) or a
raw edge list, so `clout stats data.txt` works without an ingest step. GRAPH may be a file, a
pipe, a FIFO, a process substitution or `-` (stdin): each is opened once and gives the same graph.

Outputs (--output, also spelled --out) are checked before any work, never replace an input, and
appear only when the whole run succeeded. Summaries and progress go to stderr.

Exit codes: 0 success, 1 the work failed (bad input, I/O, invalid snapshot), 2 bad command line.";

/// The clout command line.
#[derive(Debug, Parser)]
#[command(name = "clout", version, about = ABOUT, long_about = LONG_ABOUT)]
pub struct Cli {
    /// Worker threads (default: one per core; at most four per core, at least 64 allowed,
    /// never above 1024). Results do not depend on it.
    #[arg(long, global = true, value_name = "T", value_parser = crate::limits::parse_threads)]
    pub threads: Option<usize>,

    /// Most memory a command may allocate for its work (RR sets, per-trial results, generated
    /// arcs, per-thread scratch; the loaded graph is not counted), e.g. 512M, 2G, 1.5T
    /// (1024-based). A command that would need more stops before allocating, with an error
    /// naming its estimate. Default: the memory available when it starts (MemAvailable, or
    /// the cgroup limit if lower); this flag replaces that limit.
    #[arg(long, global = true, value_name = "SIZE", value_parser = crate::limits::parse_size)]
    pub max_memory: Option<u64>,

    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read edge lists into a binary snapshot that later commands open in milliseconds.
    #[command(long_about = "\
Read one or more edge lists (concatenated into one graph) and write a snapshot.

Inputs may be plain text, gzip or zstd (detected by magic bytes, not by name), from files, pipes,
FIFOs or stdin (`-`). Lines are `A B [more columns]`, separated by whitespace, tabs or commas; `#`
and `%` start comments; CRLF and a missing final newline are fine. The snapshot is written to a
temporary file and renamed into place, so an error never leaves a partial file behind; an output
that is one of the inputs is refused before anything is read.

Prints one summary line on stderr (nodes, edges, dropped self-loops, merged duplicates, bytes,
seconds), or JSON on stdout with --json.")]
    Ingest(IngestArgs),
    /// Print the size and shape of a graph: degrees, reciprocity, components, memory.
    Stats(StatsArgs),
    /// Score and rank every account: PageRank, betweenness, coreness, harmonic closeness,
    /// collective influence, degrees.
    #[command(long_about = RANK_ABOUT)]
    Rank(RankArgs),
    /// Generate a seeded synthetic graph (always labelled synthetic).
    Generate(GenerateArgs),
    /// Simulate reach from seed accounts: IC, LT, IC-N (backfire) or signed spread, with
    /// positive / negative reach, awareness, backfire risk and per-round curves.
    #[command(long_about = crate::cmd_simulate::ABOUT)]
    Simulate(crate::cmd_simulate::SimulateArgs),
    /// Choose whom to pay: influence maximization (IMM, OPIM, CELF, baselines), with budgets.
    #[command(long_about = crate::cmd_select::ABOUT)]
    Select(crate::cmd_select::SelectArgs),
    /// Write a campaign report: one self-contained HTML page of charts (graph, influencers,
    /// reach over time, backfire curve, seed sets, neighbourhood), and SVG/PNG files.
    #[command(long_about = crate::cmd_report::ABOUT)]
    Report(crate::cmd_report::ReportArgs),
    /// How a GRAPH is read: formats, edge direction, columns, ids (a help topic, also shown by
    /// `clout help input`).
    #[command(long_about = INPUT_HELP)]
    Input(InputTopic),
}

const RANK_ABOUT: &str = "\
Score every account and rank them. One row per account: its original id, each score, and its
rank under each score (1 = highest; ties share the best rank). Rows are ordered by the first
score. CSV by default; TSV or JSON by --out extension or --output-format. Scores are computed on the
whole graph; --candidates only limits the rows printed.

Scores (--by, comma-separated) and their conventions on a follower graph (`A B` = A follows B):
  pagerank         equals networkx.pagerank on the file read as DiGraph(A -> B): much-followed
                   accounts rank high. Damping 0.85; dangling mass goes to the personalization
                   vector (uniform without one), as in NetworkX; stops when the L1 change is
                   below N * tol (NetworkX's rule).
  betweenness      networkx.betweenness_centrality conventions: normalized by 1/((n-1)(n-2))
                   (directed) or 2/((n-1)(n-2)) (undirected), endpoints excluded. Exact
                   (Brandes) unless --epsilon/--delta (every score within epsilon of exact
                   with probability 1-delta, Riondato-Kornaropoulos) or --samples K (K sources).
  coreness         k-core number (networkx.core_number; directed graphs use in+out degree).
  harmonic         harmonic closeness of reach: sum over other accounts of 1/distance along
                   influence arcs from this account. Exact, or sampled with --epsilon/--delta.
  ci               collective influence (Morone & Makse 2015), ball radius --ci-radius (2):
                   (k_i - 1) * sum of (k_j - 1) over accounts j at distance exactly l, with k
                   the number of followers reached along influence arcs.
  followers        accounts that hear this one directly (influence out-degree; NetworkX
                   in_degree of the file's DiGraph).
  following        accounts this one hears (influence in-degree).
  degree           followers + following (networkx degree).
  weighted-followers   sum of weights of influence out-arcs (needs --weight).

--verify reruns every kernel's independent verifier and fails (exit 1) if one disagrees.";

/// `clout rank`.
#[derive(Debug, Args)]
pub struct RankArgs {
    /// A snapshot or an edge list.
    #[arg(value_name = "GRAPH")]
    pub graph: PathBuf,

    /// Scores to compute, comma-separated (see the list above).
    #[arg(long, value_delimiter = ',', default_value = "pagerank", value_enum)]
    pub by: Vec<Score>,

    /// Print only the N best rows (by the first score).
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,

    /// Print only these accounts: a file with one original id per line (`#` comments).
    #[arg(long, value_name = "FILE")]
    pub candidates: Option<PathBuf>,

    /// Write the table here (written atomically); stdout when absent.
    #[arg(long = "output", short = 'o', alias = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Table format (default: from the --output extension, else CSV).
    #[arg(long = "output-format", value_enum)]
    pub output_format: Option<crate::table::TableFormat>,

    /// PageRank damping factor.
    #[arg(long, default_value_t = 0.85, help_heading = "PageRank")]
    pub damping: f64,

    /// PageRank tolerance: stop when the L1 change is below N * tol (NetworkX's rule).
    #[arg(long, default_value_t = 1e-6, help_heading = "PageRank")]
    pub tol: f64,

    /// PageRank iteration cap (not converging is reported, not hidden).
    #[arg(long, default_value_t = 100, help_heading = "PageRank")]
    pub max_iter: usize,

    /// Personalized PageRank: a file of `id [weight]` lines (weight 1 when absent).
    #[arg(long, value_name = "FILE", help_heading = "PageRank")]
    pub personalize: Option<PathBuf>,

    /// Where dangling accounts' rank goes: the personalization vector (NetworkX's default;
    /// uniform without one) or always uniform.
    #[arg(long, value_enum, default_value_t = DanglingPolicy::Personalization, help_heading = "PageRank")]
    pub dangling: DanglingPolicy,

    /// Weighted PageRank: an arc's share is its weight over the source's total out-weight.
    #[arg(long, help_heading = "PageRank")]
    pub weighted: bool,

    /// PageRank solver: auto (Gauss-Seidel over strongly connected components when it applies,
    /// else power), gauss-seidel, or power (NetworkX's iteration, step for step). Every method
    /// stops on NetworkX's rule for --tol. Scores are f64; without --weighted or --personalize
    /// the power step sums rows exactly in 64-bit fixed point (L1 error below arcs * 1.1e-19).
    #[arg(long, value_enum, default_value_t = PageRankMethod::Auto, help_heading = "PageRank")]
    pub pagerank_method: PageRankMethod,

    /// Approximate betweenness / harmonic closeness: every score within EPSILON (on the
    /// normalized scale) of the exact value with probability at least 1 - DELTA.
    #[arg(long, value_name = "EPSILON", help_heading = "Sampling")]
    pub epsilon: Option<f64>,

    /// Failure probability for --epsilon.
    #[arg(long, value_name = "DELTA", default_value_t = 0.1, help_heading = "Sampling")]
    pub delta: f64,

    /// Betweenness from K random sources (NetworkX's k), instead of exact or --epsilon.
    #[arg(long, value_name = "K", help_heading = "Sampling")]
    pub samples: Option<usize>,

    /// Seed for every sampled score; the same seed gives the same scores at any thread count.
    #[arg(long, default_value_t = 1, help_heading = "Sampling")]
    pub seed: u64,

    /// Betweenness on weighted graphs: weights as distances, or strengths (distance 1/w).
    #[arg(long, value_enum, help_heading = "Betweenness")]
    pub bc_weights: Option<WeightMode>,

    /// Raw betweenness instead of NetworkX's normalized scale.
    #[arg(long, help_heading = "Betweenness")]
    pub raw: bool,

    /// Count path endpoints in betweenness (NetworkX's endpoints=True).
    #[arg(long, help_heading = "Betweenness")]
    pub endpoints: bool,

    /// Degree used by coreness on directed graphs.
    #[arg(long, value_enum, default_value_t = CoreDegree::Total, help_heading = "Coreness")]
    pub core_degree: CoreDegree,

    /// Collective-influence ball radius l.
    #[arg(long, default_value_t = 2, help_heading = "Collective influence")]
    pub ci_radius: u32,

    /// Run each kernel's independent verifier; fail if one disagrees.
    #[arg(long)]
    pub verify: bool,

    #[command(flatten)]
    pub input: InputArgs,
}

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

/// The `clout help input` topic.
pub const INPUT_HELP: &str = "\
How clout reads a GRAPH (every command that takes one) and the inputs of `clout ingest`.

A snapshot (`.clout`, detected by its magic bytes, whatever its name) is mapped as it is; its
input settings were fixed when it was written. Anything else is an edge list: plain text, gzip or
zstd (detected by magic bytes), from a file, a pipe, a FIFO, a process substitution or `-`
(stdin). Lines are `A B [more columns]`, separated by whitespace, tabs or commas; `#` and `%`
start comments; CRLF and a missing final newline are fine; CR-only line endings are refused.

--edges follows     (default) a line `A B` means A follows / retweeted / voted for B: influence
                    flows B -> A (SNAP's Twitter, wiki-Vote, Slashdot, Higgs files).
--edges influence   a line `A B` means A influences B.
--undirected        friendships: each line is an undirected edge (overrides --edges).
--format            edges: `A B [...]`; signed: SNAP signed, third column +1/-1; bitcoin: SNAP
                    Bitcoin `SOURCE,TARGET,RATING,TIME` (weight = rating, sign = its sign).
--delimiter         auto (comma if the first data line has one, else whitespace), whitespace,
                    comma or tab. With one-byte delimiters, fields may be quoted as in RFC 4180.
--header            the first non-comment line names the columns; --src, --dst, --weight and
                    --sign then take names as well as 1-based positions.
--weight COL        a number per edge (summed when duplicates merge). --sign COL: +1 / -1.
--ids               auto: integers if every id in the first block is a plain integer without a
                    leading zero, else strings (handles such as @alice); integer (up to
                    2^64-1); string.
--self-loops        drop (default, counted in the summary) or keep.
--duplicates        sum (merge, weights summed), first (merge, keep the first weight), or keep
                    (a multigraph).
--skip-bad-lines    skip lines that cannot be read (counted, the first few reported) instead of
                    failing on the first, with its file and line.";

/// The topic `clout help input` prints (`clout input` prints it too).
#[derive(Debug, Args)]
pub struct InputTopic {}

/// `clout ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Input edge lists (`-` for stdin); several files make one graph.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// The snapshot to write.
    #[arg(short, long, alias = "out", value_name = "FILE")]
    pub output: PathBuf,

    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub input: InputArgs,
}

/// `clout stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// A snapshot or an edge list.
    #[arg(value_name = "GRAPH")]
    pub graph: PathBuf,

    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub input: InputArgs,
}

/// `clout generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    #[command(subcommand)]
    pub kind: GenerateKind,
}

/// Generators.
#[derive(Debug, Subcommand)]
pub enum GenerateKind {
    /// Graph500 R-MAT: 2^scale nodes, edge_factor * 2^scale arcs drawn by recursive quadrant
    /// choice (a=0.57, b=0.19, c=0.19, d=0.05), node ids scrambled. As a snapshot, self-loops
    /// are dropped and duplicates merged as in ingest. When FILE ends in .txt/.tsv/.edges it is
    /// a raw text edge list instead, every drawn arc kept (duplicates and self-loops included,
    /// as a real export would have them; lines `u<TAB>v` meaning u influences v: read them back
    /// with `--edges influence`).
    Rmat(RmatArgs),
}

/// `clout generate rmat`.
#[derive(Debug, Args)]
pub struct RmatArgs {
    /// log2 of the node count.
    #[arg(long)]
    pub scale: u32,
    /// Arcs per node before merging duplicates.
    #[arg(long, default_value_t = 16)]
    pub edge_factor: u32,
    /// Seed; the same seed gives the same graph at any thread count.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Quadrant probability a.
    #[arg(long, default_value_t = 0.57)]
    pub a: f64,
    /// Quadrant probability b.
    #[arg(long, default_value_t = 0.19)]
    pub b: f64,
    /// Quadrant probability c (d = 1 - a - b - c).
    #[arg(long, default_value_t = 0.19)]
    pub c: f64,
    /// Keep R-MAT's raw ids (degree correlates with id) instead of scrambling them.
    #[arg(long)]
    pub no_scramble: bool,
    /// Output file: a snapshot, or a text edge list for .txt/.tsv/.edges names.
    #[arg(short, long, alias = "out", value_name = "FILE")]
    pub output: PathBuf,
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
}

impl ChoiceArgs {
    /// The files these flags read (for the output-is-not-an-input check).
    pub fn files(&self) -> [Option<&std::path::Path>; 3] {
        [self.costs.as_deref(), self.candidates.as_deref(), self.exclude.as_deref()]
    }

    /// The selection configuration: `k`, the model and quality, the seed, these flags' files
    /// read against the graph's ids, and the memory budget.
    pub fn select_config(
        &self,
        net: &clout::LoadedGraph,
        k: usize,
        model: clout::Model,
        quality: f64,
        seed: u64,
    ) -> anyhow::Result<clout::SelectConfig> {
        let ids = &net.ids;
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
        })
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn command_line_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
