//! `clout report`: one self-contained HTML page (and optionally every chart as SVG and PNG)
//! about a graph and a campaign. This module parses the arguments and writes the files; the
//! library gathers the data (`clout::report::build`) and draws it (`clout::report::render`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;
use clout::report::{ReportConfig, Seeds, build, render};
use clout::{Method, Model};

use crate::flags::{ChoiceArgs, InputArgs};
use crate::load::open_graph;
use crate::output::Outputs;
use crate::progress::spinner;

/// Long help of `clout report`.
pub const ABOUT: &str = include_str!("../help/report.txt").trim_ascii_end();

/// `clout report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A snapshot or an edge list.
    #[arg(value_name = "GRAPH")]
    pub graph: PathBuf,

    /// The campaign's seeds: original ids, comma-separated.
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "ID,...",
        required_unless_present_any = ["select", "seeds_file"],
        conflicts_with = "select"
    )]
    pub seeds: Vec<String>,

    /// The campaign's seeds from a file: one original id per line (`#` comments).
    #[arg(long, value_name = "FILE", conflicts_with = "select")]
    pub seeds_file: Option<PathBuf>,

    /// Choose K seeds with --method instead of giving them (as `clout select -k K`).
    #[arg(long, value_name = "K")]
    pub select: Option<usize>,

    /// How --select chooses (see `clout select --help`).
    #[arg(long, value_enum, default_value_t = Method::Opim, requires = "select")]
    pub method: Method,

    /// Diffusion model: ic, lt, icn (backfire) or signed (trust/distrust graphs).
    #[arg(long, value_enum, default_value_t = Model::IcN)]
    pub model: Model,

    /// Edge probabilities: wc (1/in-degree), uniform:P, trivalency[:SEED], weight,
    /// weight-normalized.
    #[arg(long, value_name = "SPEC", default_value = "wc")]
    pub prob: String,

    /// Product quality q for --model icn (default 0.8); the other models have none.
    #[arg(long, value_name = "Q")]
    pub quality: Option<f64>,

    /// Monte Carlo trials of every simulation.
    #[arg(long, value_name = "N", default_value_t = 2000)]
    pub trials: usize,

    /// Seed of every random choice; the same seed gives the same report at any thread count.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// Accounts listed per score in the influencer table.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,

    /// Most accounts in the neighbourhood drawing (seeds included; at most 300).
    #[arg(long, value_name = "N", default_value_t = 150)]
    pub draw: usize,

    /// The HTML file to write.
    #[arg(short = 'o', long = "output", alias = "out", value_name = "FILE")]
    pub output: PathBuf,

    /// Also write every chart as DIR/<chart>.svg (created if missing).
    #[arg(long, value_name = "DIR")]
    pub svg_dir: Option<PathBuf>,

    /// With --svg-dir, also write each chart as a PNG at twice its size (needs system fonts).
    #[arg(long, requires = "svg_dir")]
    pub png: bool,

    /// Add a calibration section from a `clout validate` result (its JSON file); its charts
    /// (reliability, cascade-size) are written to --svg-dir with the others.
    #[arg(long, value_name = "FILE.json")]
    pub validation: Option<PathBuf>,

    #[command(flatten)]
    pub choice: ChoiceArgs,

    #[command(flatten)]
    pub input: InputArgs,
}

/// Runs `clout report`.
pub fn run(args: ReportArgs) -> Result<()> {
    if args.model != Model::IcN && args.quality.is_some() {
        bail!("--quality applies to --model icn only");
    }
    // Fail before the long computation when the files cannot be written.
    let [costs, candidates, exclude, target, conversion] = args.choice.files();
    let inputs = [
        Some(args.graph.as_path()),
        args.seeds_file.as_deref(),
        costs,
        candidates,
        exclude,
        target,
        conversion,
        args.validation.as_deref(),
    ];
    let (mut outputs, html) = Outputs::single(&inputs, &args.output)?;
    let validation = args.validation.as_deref().map(clout::learn::read_validation).transpose()?;
    if let Some(dir) = &args.svg_dir {
        check_svg_dir(dir)?;
    }
    let raster = match (&args.svg_dir, args.png) {
        (Some(_), true) => Some(clout::report::png::Rasterizer::new()?),
        _ => None,
    };
    let opened = open_graph(&args.graph, &args.input)?;
    let net = &opened.network;
    let g = &net.graph;
    let seeds = match args.select {
        Some(k) => Seeds::Choose { k, method: args.method },
        None => {
            let mut seeds = clout::ids::resolve(&net.ids, &args.seeds, "seed account")?;
            if let Some(path) = &args.seeds_file {
                let listed = clout::ids::read_id_list(path, &net.ids).context("--seeds-file")?;
                seeds.extend(listed.iter().map(|s| s.0));
            }
            let how = match (&args.seeds_file, args.seeds.is_empty()) {
                (Some(_), true) => "given with --seeds-file",
                (Some(_), false) => "given with --seeds and --seeds-file",
                (None, _) => "given with --seeds",
            };
            Seeds::Given { seeds, how: how.into() }
        }
    };
    let k = args.select.unwrap_or(args.seeds.len());
    let mut cfg = ReportConfig::new(seeds, file_name(&args.graph));
    cfg.model = args.model;
    cfg.prob = args.prob.clone();
    cfg.quality = args.quality;
    cfg.trials = args.trials;
    cfg.seed = args.seed;
    // k, model, quality and seed are set by the report itself.
    let audience = args.choice.audience.read(&net.ids, None)?;
    cfg.select = args.choice.select_config(net, k, args.model, 1.0, args.seed, &audience)?;
    cfg.target = audience.target;
    cfg.conversion = audience.conversion;
    cfg.top = args.top;
    cfg.draw = args.draw;
    cfg.source = args.graph.display().to_string();
    cfg.command = command_line();
    let bar = spinner("gathering the report");
    let data = build(net, &cfg, &|what: &str| bar.set_message(what.to_string()));
    bar.finish_and_clear();
    let data = data?;
    if let Some(b) = &data.campaign.budget
        && b.spent > b.budget
    {
        eprintln!("warning: the seeds cost {} , more than the budget {}", b.spent, b.budget);
    }
    let rendered = match &validation {
        Some(v) => clout::learn::add_calibration_section(render(&data), v)?,
        None => render(&data),
    };
    // Every file is written to a temporary name first; all are moved into place together, the
    // page last, so a report.html exists only when the run succeeded.
    let mut created = None;
    if let Some(dir) = &args.svg_dir
        && !dir.exists()
    {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        created = Some(dir);
    }
    let written = (|| -> Result<()> {
        if let Some(dir) = &args.svg_dir {
            for chart in &rendered.charts {
                let svg = chart.standalone();
                let id = outputs.add(&dir.join(format!("{}.svg", chart.id)))?;
                outputs.write(id, |w| Ok(w.write_all(svg.as_bytes())?))?;
                if let Some(r) = &raster {
                    let png = r.png(&svg, 2.0).with_context(|| format!("chart {}", chart.id))?;
                    let id = outputs.add(&dir.join(format!("{}.png", chart.id)))?;
                    outputs.write(id, |w| Ok(w.write_all(&png)?))?;
                }
            }
        }
        outputs.write(html, |w| Ok(w.write_all(rendered.html.as_bytes())?))
    })();
    match written {
        Ok(()) => outputs.commit()?,
        Err(e) => {
            drop(outputs);
            if let Some(dir) = created {
                let _ = std::fs::remove_dir(dir);
            }
            return Err(e);
        }
    }
    eprintln!(
        "wrote {} ({} charts{}); {} nodes, {} edges; {} seed{}",
        args.output.display(),
        rendered.charts.len(),
        match &args.svg_dir {
            Some(d) => format!(
                ", also in {}{}",
                d.display(),
                if args.png { " as SVG and PNG" } else { "" }
            ),
            None => String::new(),
        },
        g.node_count(),
        g.edge_count(),
        data.campaign.seeds.len(),
        if data.campaign.seeds.len() == 1 { "" } else { "s" }
    );
    Ok(())
}

/// Errors when `--svg-dir` names something that is not a directory, or a directory that
/// cannot be created because its parent does not exist. (It is created, if missing, only when
/// the charts are written.)
fn check_svg_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        if !dir.is_dir() {
            bail!("--svg-dir {} exists and is not a directory", dir.display());
        }
        return Ok(());
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        bail!("--svg-dir {}: {} is not a directory", dir.display(), parent.display());
    }
    Ok(())
}

/// The last path component, for the title.
fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// The command line as typed, each argument quoted for a POSIX shell when it needs it.
fn command_line() -> String {
    let quote = |a: String| {
        if !a.is_empty() && a.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:,=@+%".contains(c))
        {
            a
        } else {
            format!("'{}'", a.replace('\'', "'\\''"))
        }
    };
    let mut args = std::env::args();
    let program =
        args.next().map(|p| file_name(std::path::Path::new(&p))).unwrap_or_else(|| "clout".into());
    std::iter::once(program).chain(args.map(quote)).collect::<Vec<_>>().join(" ")
}
