//! Command-line arguments: every subcommand and flag, with help that states each convention.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use clout::Score;
use clout::centrality::{CoreDegree, DanglingPolicy, PageRankMethod, WeightMode};

use crate::flags::InputArgs;

const ABOUT: &str = "Find who really moves a social network and what happens when they talk.";

const LONG_ABOUT: &str = include_str!("../help/clout.txt").trim_ascii_end();

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

    /// Cluster flags: this command as one process of several.
    #[cfg(feature = "distributed")]
    #[command(flatten)]
    pub cluster: ClusterFlags,

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
    /// Learn per-arc influence probabilities from an action log (propagation trees, Higgs
    /// activity, CSV) and write them as a snapshot or CSV.
    #[command(long_about = crate::cmd_learn::ABOUT)]
    Learn(crate::cmd_learn::LearnArgs),
    /// Check the simulator on held-out real cascades: learn, predict who joins and how big,
    /// score against the defaults (JSON and an HTML page).
    #[command(long_about = crate::cmd_validate::ABOUT)]
    Validate(crate::cmd_validate::ValidateArgs),
    /// How a GRAPH is read: formats, edge direction, columns, ids (a help topic, also shown by
    /// `clout help input`).
    #[command(long_about = INPUT_HELP)]
    Input(InputTopic),
    /// Run a clout command as N local processes that cooperate over loopback (each gets
    /// --processes N --process I --hostfile FILE); exits non-zero if any process fails.
    #[cfg(feature = "distributed")]
    Cluster(LaunchArgs),
}

const RANK_ABOUT: &str = include_str!("../help/rank.txt").trim_ascii_end();

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

/// The `clout help input` topic.
pub const INPUT_HELP: &str = include_str!("../help/input.txt").trim_ascii_end();

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

/// The flags that make a command one process of a cluster run.
#[cfg(feature = "distributed")]
#[derive(Debug, Args)]
pub struct ClusterFlags {
    /// Run as one of N processes (needs --process and, for N > 1, --hostfile). Every process
    /// runs the same command; process 0 writes the output. Commands: rank --by pagerank,
    /// simulate, select --method opim|imm (ic or lt, -k; no budget or target weights).
    #[arg(long, global = true, value_name = "N", help_heading = "Cluster")]
    pub processes: Option<usize>,

    /// This process's index, 0 .. N-1.
    #[arg(long, global = true, value_name = "I", help_heading = "Cluster")]
    pub process: Option<usize>,

    /// One `host:port` per line, in process order (the first N lines are used).
    #[arg(long, global = true, value_name = "FILE", help_heading = "Cluster")]
    pub hostfile: Option<PathBuf>,

    /// Seconds to wait for every process to connect.
    #[arg(
        long,
        global = true,
        value_name = "SECONDS",
        default_value_t = 30.0,
        help_heading = "Cluster"
    )]
    pub connect_timeout: f64,
}

#[cfg(feature = "distributed")]
impl ClusterFlags {
    /// Whether this process is part of a cluster run.
    pub fn is_member(&self) -> bool {
        self.processes.is_some() || self.process.is_some() || self.hostfile.is_some()
    }
}

/// `clout cluster`.
#[cfg(feature = "distributed")]
#[derive(Debug, Args)]
pub struct LaunchArgs {
    /// How many local processes to start.
    #[arg(short = 'n', long = "count", value_name = "N")]
    pub count: usize,

    /// Seconds the other processes get to stop on their own after one fails, before they are
    /// killed.
    #[arg(long, default_value_t = 20.0, value_name = "SECONDS")]
    pub grace: f64,

    /// The clout command every process runs (after `--`), e.g. `rank g.clout --by pagerank`.
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "COMMAND"
    )]
    pub command: Vec<String>,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn command_line_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
