//! Running clout across processes (the `distributed` feature): the cluster flags every
//! process takes (`--processes N --process I --hostfile FILE`, timely's conventions), the
//! distributed form of the commands that have one, and `clout cluster`, which starts N local
//! processes on free loopback ports.
//!
//! Supported across processes: `clout rank --by pagerank` (rows partitioned, power method;
//! the table is process 0's and is identical to `--pagerank-method power` on one machine) and
//! `clout simulate` (trials partitioned; identical estimates, with a fixed trial count) and
//! `clout select --method opim|imm` (RR sets partitioned; the same seeds, gains and estimate,
//! under IC or LT with k seeds; process 0 alone re-estimates the choice by Monte Carlo, with
//! one machine's trials, and writes the report).

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clout::centrality::{PageRankMethod, PullArrays};
use clout::{Score, ScoreColumn, ScoreTable};
use clout_distributed::{ClusterConfig, describe_input, read_hostfile};

use crate::args::{ClusterFlags, Command, LaunchArgs, RankArgs};
use crate::load::open_graph;
use crate::output::Outputs;

/// Runs `command` as this process's part of a cluster run.
pub fn member(command: Command, flags: &ClusterFlags) -> Result<()> {
    let processes = flags.processes.context("a cluster run needs --processes N")?;
    let process = flags.process.context("a cluster run needs --process I (0 .. N-1)")?;
    let hosts = match &flags.hostfile {
        Some(path) => read_hostfile(path, Some(processes))?,
        None if processes == 1 => vec!["127.0.0.1:0".to_string()],
        None => bail!("a cluster run of {processes} processes needs --hostfile FILE"),
    };
    let mut cluster = ClusterConfig::new(process, hosts)?;
    if !(flags.connect_timeout.is_finite() && flags.connect_timeout > 0.0) {
        bail!("--connect-timeout must be a positive number of seconds");
    }
    cluster.connect_timeout = Duration::from_secs_f64(flags.connect_timeout);
    match command {
        Command::Rank(args) => rank(args, &cluster),
        Command::Simulate(args) => simulate(args, &cluster),
        Command::Select(args) => select(args, &cluster),
        _ => bail!(
            "this command does not run across processes; `clout rank --by pagerank`, \
             `clout simulate` and `clout select --method opim|imm` do (drop \
             --processes/--process/--hostfile to run it on one machine)"
        ),
    }
}

/// This process's command line without `--process I` (the one flag that differs between
/// processes), then the input's size and checksum: what every process must agree on.
fn describe_run(input: &Path) -> Result<String> {
    let mut words = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--process" {
            args.next();
        } else if !arg.starts_with("--process=") {
            words.push(arg);
        }
    }
    // Every process reads the input at its path, after reading it once for the fingerprint:
    // stdin, a pipe or a FIFO would be consumed by the first read (and a FIFO's second open
    // would wait for a writer forever), so only a regular file will do.
    let regular = input.as_os_str() != "-"
        && std::fs::metadata(input)
            .with_context(|| format!("cannot read {} to fingerprint it", input.display()))?
            .is_file();
    if !regular {
        bail!(
            "across processes the input must be a regular file that every process reads at \
             the same path; {} is not (stdin, a pipe or a FIFO cannot be read twice)",
            input.display()
        );
    }
    let fingerprint = describe_input(input)
        .with_context(|| format!("cannot read {} to fingerprint it", input.display()))?;
    Ok(format!("clout {}; input {fingerprint}", words.join(" ")))
}

/// `clout rank --by pagerank` with the rows split across the processes.
fn rank(args: RankArgs, cluster: &ClusterConfig) -> Result<()> {
    if args.by != [Score::Pagerank] {
        bail!("across processes, clout rank computes PageRank only (--by pagerank)");
    }
    match args.pagerank_method {
        PageRankMethod::Power => {}
        PageRankMethod::Auto => {
            if cluster.process == 0 {
                eprintln!(
                    "note: across processes PageRank uses the power method: the scores equal \
                     --pagerank-method power on one machine"
                );
            }
        }
        PageRankMethod::GaussSeidel => {
            bail!(
                "across processes PageRank uses the power method; drop --pagerank-method gauss-seidel"
            )
        }
    }
    if args.verify {
        bail!("--verify is not available across processes; verify the table on one machine");
    }
    if args.personalize.is_some() {
        bail!("across processes PageRank has no personalization vector; drop --personalize");
    }
    let description = describe_run(&args.graph)?;
    let inputs = [Some(args.graph.as_path()), args.candidates.as_deref()];
    let writes = cluster.process == 0;
    let prepared =
        if writes { Some(Outputs::prepare(&inputs, &[args.out.as_deref()])?) } else { None };
    let mut cfg = crate::cmd_rank::config_with(&args, None)?.pagerank;
    cfg.method = PageRankMethod::Power;
    // A snapshot is opened for rows: each process keeps only the arcs of its own rows (and
    // the O(n) offsets) in memory; an edge list is read whole.
    // `describe_run` made sure the input is a regular file.
    let input = if clout::ingest::snapshot::is_snapshot(&args.graph)
        .with_context(|| format!("cannot read {}", args.graph.display()))?
    {
        let opened = clout::ingest::snapshot::open_snapshot_rows(&args.graph, writes)?;
        if args.weighted && !opened.is_weighted() {
            bail!("--weighted: {} has no weights", args.graph.display());
        }
        RankInput::Rows(opened)
    } else {
        RankInput::Whole(open_graph(&args.graph, &args.input)?.network)
    };
    let input = Arc::new(input);
    let rows = match (&args.candidates, input.ids()) {
        (Some(path), Some(ids)) => {
            Some(clout::ids::read_id_list(path, ids)?.into_iter().map(|r| r.0).collect::<Vec<_>>())
        }
        _ => None,
    };
    let started = Instant::now();
    let shared = Arc::clone(&input);
    let run = clout_distributed::run(cluster, description, move |collective| {
        clout_distributed::pagerank(collective, &shared.arrays(), &cfg)
    })?;
    let seconds = started.elapsed().as_secs_f64();
    let pr = &run.result;
    eprintln!(
        "process {} of {}: rows {}..{}, {} iterations in {seconds:.3} s; sent {} bytes ({} per \
         iteration), received {}",
        cluster.process,
        cluster.processes(),
        run.rows.start,
        run.rows.end,
        pr.iterations,
        run.traffic.sent,
        run.traffic.last_sent,
        run.traffic.received,
    );
    let Some(prepared) = prepared else { return Ok(()) };
    let detail = format!(
        "power across {} processes, {} iterations, L1 change {:.2e}, {}",
        cluster.processes(),
        pr.iterations,
        pr.residual,
        if pr.converged { "converged" } else { "NOT converged" }
    );
    let warning = (!pr.converged).then(|| {
        format!(
            "PageRank did not converge in {} iterations (L1 change {:.2e})",
            pr.iterations, pr.residual
        )
    });
    if let Some(w) = &warning {
        eprintln!("warning: {w}; raise --max-iter");
    }
    let values = run.result.scores;
    let ranks = clout::ranks(&values);
    let table = ScoreTable {
        columns: vec![ScoreColumn {
            score: Score::Pagerank,
            values,
            ranks,
            seconds,
            detail,
            warning: None,
        }],
    };
    let ids = input.ids().context("process 0 opened the id map")?;
    let graph = (ids, input.counts());
    crate::cmd_rank::write(&args, graph, &table, rows.as_deref(), (prepared.0, prepared.1[0]))
}

/// The graph of a distributed `clout rank`.
enum RankInput {
    /// An edge list, read whole.
    Whole(clout::LoadedGraph),
    /// A snapshot opened for rows (the id map only on process 0).
    Rows(clout::ingest::snapshot::SnapshotRows),
}

impl RankInput {
    fn arrays(&self) -> PullArrays<'_> {
        match self {
            RankInput::Whole(net) => PullArrays::of(&net.graph),
            RankInput::Rows(rows) => PullArrays {
                offsets: rows.out_offsets(),
                sources: rows.out_targets(),
                share_offsets: rows.in_offsets(),
            },
        }
    }

    fn ids(&self) -> Option<&clout::IdMap> {
        match self {
            RankInput::Whole(net) => Some(&net.ids),
            RankInput::Rows(rows) => rows.ids(),
        }
    }

    /// Node and edge counts.
    fn counts(&self) -> (usize, usize) {
        match self {
            RankInput::Whole(net) => (net.graph.node_count(), net.graph.edge_count()),
            RankInput::Rows(rows) => (rows.node_count(), rows.edge_count()),
        }
    }
}

/// `clout simulate` with the trials split across the processes; process 0 writes the outputs.
fn simulate(args: crate::cmd_simulate::SimulateArgs, cluster: &ClusterConfig) -> Result<()> {
    if args.precision.is_some() {
        bail!(
            "across processes, simulate runs a fixed number of trials: give --trials, not --precision"
        );
    }
    if args.per_account.is_some() {
        bail!("--per-account is not available across processes");
    }
    let description = describe_run(&args.graph)?;
    let job = crate::cmd_simulate::prepare(&args)?;
    let shared = Arc::new((job.opened, job.probs, job.seeds, job.cfg));
    let inputs = Arc::clone(&shared);
    let started = Instant::now();
    let run = clout_distributed::run(cluster, description, move |collective| {
        let (opened, probs, seeds, cfg) = &*inputs;
        clout_distributed::simulate(collective, &opened.network.graph, probs, seeds, cfg)
    })?;
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "process {} of {}: {} of {} trials in {seconds:.3} s; sent {} bytes, received {}",
        cluster.process,
        cluster.processes(),
        run.own_trials,
        run.simulation.trials,
        run.traffic.sent,
        run.traffic.received,
    );
    if cluster.process != 0 {
        return Ok(());
    }
    let (opened, _, seeds, cfg) = &*shared;
    crate::cmd_simulate::write(&args, job.outputs, (opened, seeds, cfg), &run.simulation, seconds)
}

/// `clout select --method opim|imm` with the RR sets split across the processes. The Monte Carlo
/// re-estimation of the chosen prefixes (and `--compare`) then runs only on process 0, which
/// writes the outputs: its trials are one machine's, so the report is too.
fn select(args: crate::cmd_select::SelectArgs, cluster: &ClusterConfig) -> Result<()> {
    let method = args.method;
    if !matches!(method, clout::Method::Imm | clout::Method::Opim) {
        bail!(
            "across processes, clout select runs --method opim (the default) and imm only \
             (CELF and the heuristics run on one machine)"
        );
    }
    let description = describe_run(&args.graph)?;
    let job = crate::cmd_select::prepare(&args)?;
    let crate::cmd_select::Prepared { outputs, opened, probs, opts } = job;
    let shared = Arc::new((opened, probs, opts));
    let inputs = Arc::clone(&shared);
    let started = Instant::now();
    let run = clout_distributed::run(cluster, description, move |collective| {
        let (opened, probs, opts) = &*inputs;
        let graph = &opened.network.graph;
        match method {
            clout::Method::Imm => clout_distributed::imm(collective, graph, probs, &opts.select),
            _ => clout_distributed::opim(collective, graph, probs, &opts.select),
        }
    })?;
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "process {} of {}: {} RR sets held at the end, in {seconds:.3} s; {} greedy steps \
         sent {} bytes; sent {} bytes in all, received {}",
        cluster.process,
        cluster.processes(),
        run.own_sets,
        run.greedy_rounds,
        run.greedy_bytes,
        run.traffic.sent,
        run.traffic.received,
    );
    if cluster.process != 0 {
        return Ok(());
    }
    let (opened, probs, opts) = &*shared;
    let graph = args.graph.display().to_string();
    let doc = clout::evaluate_choice(
        &opened.network,
        &graph,
        probs,
        opts,
        run.selection,
        seconds,
        &|_: &str| {},
    )?;
    crate::cmd_select::write(&args, outputs, &doc)
}

/// Runs `clout cluster`: N local processes of the same command on free loopback ports.
pub fn launch(args: LaunchArgs, threads: Option<usize>) -> Result<()> {
    if args.count == 0 {
        bail!("-n must be at least 1");
    }
    if !(args.grace.is_finite() && args.grace >= 0.0) {
        bail!("--grace must be a non-negative number of seconds");
    }
    let hostfile = HostFile::new(args.count)?;
    let exe = std::env::current_exe().context("cannot find the clout executable")?;
    let mut children: Vec<Child> = Vec::with_capacity(args.count);
    let mut relays = Vec::with_capacity(args.count);
    for process in 0..args.count {
        let mut cmd = Process::new(&exe);
        if let Some(t) = threads {
            cmd.arg("--threads").arg(t.to_string());
        }
        cmd.args(&args.command)
            .arg("--processes")
            .arg(args.count.to_string())
            .arg("--process")
            .arg(process.to_string())
            .arg("--hostfile")
            .arg(&hostfile.path)
            .stdin(Stdio::null())
            .stdout(Stdio::inherit())
            .stderr(Stdio::piped());
        let mut child = match cmd.spawn() {
            Ok(child) => child,
            Err(e) => {
                stop(&mut children);
                return Err(e).context("cannot start a clout process");
            }
        };
        // Each process's stderr, line by line, prefixed with its index.
        if let Some(stderr) = child.stderr.take() {
            relays.push(std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    let _ = writeln!(std::io::stderr().lock(), "[{process}] {line}");
                }
            }));
        }
        children.push(child);
    }
    let failures = wait_all(&mut children, Duration::from_secs_f64(args.grace));
    for relay in relays {
        let _ = relay.join();
    }
    if failures.is_empty() {
        return Ok(());
    }
    bail!("{}", failures.join("; "))
}

/// Waits for every child; once one fails, the others get `grace` to stop on their own and are
/// then killed. Returns one message per failed process.
fn wait_all(children: &mut [Child], grace: Duration) -> Vec<String> {
    let mut status: Vec<Option<String>> = vec![None; children.len()];
    let mut finished = vec![false; children.len()];
    let mut first_failure: Option<Instant> = None;
    while finished.iter().any(|f| !f) {
        for (i, child) in children.iter_mut().enumerate() {
            if finished[i] {
                continue;
            }
            match child.try_wait() {
                Ok(Some(exit)) => {
                    finished[i] = true;
                    if !exit.success() {
                        status[i] = Some(format!("process {i} failed ({exit})"));
                        first_failure.get_or_insert_with(Instant::now);
                    }
                }
                Ok(None) => {}
                Err(e) => {
                    finished[i] = true;
                    status[i] = Some(format!("process {i}: cannot wait for it: {e}"));
                }
            }
        }
        if first_failure.is_some_and(|t| t.elapsed() > grace) {
            for (i, child) in children.iter_mut().enumerate() {
                if !finished[i] {
                    let _ = child.kill();
                    let _ = child.wait();
                    finished[i] = true;
                    status[i] = Some(format!("process {i} killed after the grace period"));
                }
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    status.into_iter().flatten().collect()
}

/// Kills the children started so far (a later one could not be started).
fn stop(children: &mut [Child]) {
    for child in children {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// A temporary host file listing `count` free loopback ports; removed on drop.
struct HostFile {
    path: PathBuf,
}

impl HostFile {
    fn new(count: usize) -> Result<Self> {
        // Ports the system hands out now; released before the processes bind them, so another
        // program could take one in between (the run then fails to listen, and says so).
        let mut lines = String::new();
        let listeners: Vec<std::net::TcpListener> = (0..count)
            .map(|_| std::net::TcpListener::bind("127.0.0.1:0"))
            .collect::<std::io::Result<_>>()
            .context("cannot find free loopback ports")?;
        for l in &listeners {
            lines.push_str(&format!("{}\n", l.local_addr()?));
        }
        drop(listeners);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let path =
            std::env::temp_dir().join(format!("clout-hosts-{}-{nanos}.txt", std::process::id()));
        std::fs::write(&path, lines)
            .with_context(|| format!("cannot write the host file {}", path.display()))?;
        Ok(HostFile { path })
    }
}

impl Drop for HostFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
