//! Command-line arguments: every subcommand and flag, with help that states each convention.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    pub output_format: Option<TableFormat>,

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
    #[arg(long, value_enum, default_value_t = DanglingArg::Personalization, help_heading = "PageRank")]
    pub dangling: DanglingArg,

    /// Weighted PageRank: an arc's share is its weight over the source's total out-weight.
    #[arg(long, help_heading = "PageRank")]
    pub weighted: bool,

    /// PageRank solver: auto (Gauss-Seidel over strongly connected components when it applies,
    /// else power), gauss-seidel, or power (NetworkX's iteration, step for step). Every method
    /// stops on NetworkX's rule for --tol. Scores are f64; without --weighted or --personalize
    /// the power step sums rows exactly in 64-bit fixed point (L1 error below arcs * 1.1e-19).
    #[arg(long, value_enum, default_value_t = PageRankMethodArg::Auto, help_heading = "PageRank")]
    pub pagerank_method: PageRankMethodArg,

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
    pub bc_weights: Option<WeightModeArg>,

    /// Raw betweenness instead of NetworkX's normalized scale.
    #[arg(long, help_heading = "Betweenness")]
    pub raw: bool,

    /// Count path endpoints in betweenness (NetworkX's endpoints=True).
    #[arg(long, help_heading = "Betweenness")]
    pub endpoints: bool,

    /// Degree used by coreness on directed graphs.
    #[arg(long, value_enum, default_value_t = CoreDegreeArg::Total, help_heading = "Coreness")]
    pub core_degree: CoreDegreeArg,

    /// Collective-influence ball radius l.
    #[arg(long, default_value_t = 2, help_heading = "Collective influence")]
    pub ci_radius: u32,

    /// Run each kernel's independent verifier; fail if one disagrees.
    #[arg(long)]
    pub verify: bool,

    #[command(flatten)]
    pub input: InputArgs,
}

/// A score `clout rank` can compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Score {
    /// PageRank.
    Pagerank,
    /// Betweenness centrality.
    Betweenness,
    /// k-core number.
    Coreness,
    /// Harmonic closeness (reach).
    Harmonic,
    /// Collective influence.
    Ci,
    /// Influence out-degree.
    Followers,
    /// Influence in-degree.
    Following,
    /// Total degree.
    Degree,
    /// Weighted influence out-degree.
    WeightedFollowers,
}

/// `--format` of `clout rank`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// Comma-separated, header row.
    Csv,
    /// Tab-separated, header row.
    Tsv,
    /// JSON: kernel summaries and rows.
    Json,
}

/// `--dangling`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DanglingArg {
    /// Along the personalization vector (NetworkX).
    Personalization,
    /// Uniformly.
    Uniform,
}

/// `--pagerank-method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PageRankMethodArg {
    /// Gauss-Seidel when it applies, else power.
    Auto,
    /// Gauss-Seidel over strongly connected components, finished by power steps.
    GaussSeidel,
    /// Power iteration (NetworkX's iterates).
    Power,
}

/// `--bc-weights`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WeightModeArg {
    /// Weight = distance.
    Distance,
    /// Weight = strength; distance 1/w.
    Strength,
}

/// `--core-degree`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CoreDegreeArg {
    /// In + out (NetworkX).
    Total,
    /// Influence in-degree (accounts heard inside the core).
    In,
    /// Influence out-degree (followers inside the core).
    Out,
}

/// How to read edge-list inputs (ignored for snapshots, which record how they were read).
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// What a line `A B` means. follows: A follows / retweeted / voted for B, influence flows
    /// B -> A (SNAP's Twitter, wiki-Vote, Slashdot, Higgs). influence: A influences B.
    #[arg(long = "edges", value_enum, default_value_t = EdgesArg::Follows, help_heading = "Input")]
    pub edges: EdgesArg,

    /// Friendships: each line is an undirected edge (overrides --edges).
    #[arg(long, help_heading = "Input")]
    pub undirected: bool,

    /// File layout. edges: `A B [...]`; signed: SNAP signed, third column +1/-1;
    /// bitcoin: SNAP Bitcoin `SOURCE,TARGET,RATING,TIME` (weight = rating, sign = its sign).
    #[arg(long, value_enum, default_value_t = FormatArg::Edges, help_heading = "Input")]
    pub format: FormatArg,

    /// Column separator (auto: comma if the first data line has one, else whitespace).
    #[arg(long, value_enum, default_value_t = DelimiterArg::Auto, help_heading = "Input")]
    pub delimiter: DelimiterArg,

    /// The first non-comment line names the columns (select them by name with --src etc.).
    #[arg(long, help_heading = "Input")]
    pub header: bool,

    /// Source column: 1-based position or, with --header, a name. Default 1.
    #[arg(long, value_name = "COL", help_heading = "Input")]
    pub src: Option<String>,

    /// Target column: 1-based position or header name. Default 2.
    #[arg(long, value_name = "COL", help_heading = "Input")]
    pub dst: Option<String>,

    /// Weight column (a number; summed when duplicates merge). Default: unweighted.
    #[arg(long, value_name = "COL", help_heading = "Input")]
    pub weight: Option<String>,

    /// Sign column (+1 trust / -1 distrust). Default: unsigned.
    #[arg(long, value_name = "COL", help_heading = "Input")]
    pub sign: Option<String>,

    /// Node ids: auto (integers if every id in the first block is a plain integer, else
    /// strings), integer (up to 2^64-1), or string (handles such as @alice).
    #[arg(long, value_enum, default_value_t = IdsArg::Auto, help_heading = "Input")]
    pub ids: IdsArg,

    /// Self-loops (`A A`): drop (default, counted in the summary) or keep.
    #[arg(long, value_enum, default_value_t = SelfLoopsArg::Drop, help_heading = "Input")]
    pub self_loops: SelfLoopsArg,

    /// Repeated edges: sum (merge, weights summed), first (merge, keep the first weight),
    /// or keep (a multigraph).
    #[arg(long, value_enum, default_value_t = DuplicatesArg::Sum, help_heading = "Input")]
    pub duplicates: DuplicatesArg,

    /// Skip lines that cannot be read (counted, first few reported) instead of failing.
    #[arg(long, help_heading = "Input")]
    pub skip_bad_lines: bool,
}

/// `--edges`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EdgesArg {
    /// `A B`: A follows B; influence flows B -> A.
    Follows,
    /// `A B`: A influences B.
    Influence,
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Plain edge list.
    Edges,
    /// SNAP signed: third column +1/-1.
    Signed,
    /// SNAP Bitcoin rating CSV.
    Bitcoin,
}

/// `--delimiter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DelimiterArg {
    /// Detect per file.
    Auto,
    /// Spaces and tabs.
    Whitespace,
    /// Commas.
    Comma,
    /// Tabs only.
    Tab,
}

/// `--ids`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IdsArg {
    /// Detect.
    Auto,
    /// Integers.
    Integer,
    /// Strings.
    String,
}

/// `--self-loops`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SelfLoopsArg {
    /// Drop and count.
    Drop,
    /// Keep.
    Keep,
}

/// `--duplicates`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DuplicatesArg {
    /// Merge, summing weights.
    Sum,
    /// Merge, keeping the first.
    First,
    /// Keep all.
    Keep,
}

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

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn command_line_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
