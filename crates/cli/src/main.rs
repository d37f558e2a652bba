//! The `clout` command line: a thin layer over the clout crates.
//!
//! Exit codes: 0 success; 1 the work failed (bad input, unreadable file, invalid snapshot, I/O);
//! 2 the command line itself was wrong (unknown flag, missing argument).

mod args;
#[cfg(feature = "distributed")]
mod cmd_cluster;
mod cmd_generate;
mod cmd_ingest;
mod cmd_learn;
mod cmd_rank;
mod cmd_report;
mod cmd_select;
mod cmd_simulate;
mod cmd_stats;
mod cmd_validate;
mod errors;
mod flags;
mod limits;
mod load;
mod output;
mod progress;
mod table;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help and version to stdout with exit 0, usage errors to stderr with 2.
            let _ = err.print();
            return if err.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    clout::memory::set_limit(cli.max_memory);
    // The worker threads, with the main thread's stack size: every command runs on them (see
    // below). `num_threads(0)` is rayon's default, one per core (or RAYON_NUM_THREADS).
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cli.threads.unwrap_or(0))
        .stack_size(WORKER_STACK)
        .build_global();
    if let Err(err) = pool {
        let count = cli.threads.map_or_else(|| "the".to_string(), |t| t.to_string());
        eprintln!("error: could not start {count} worker threads: {err}");
        return ExitCode::from(1);
    }
    output::install_signal_cleanup();
    #[cfg(feature = "distributed")]
    if cli.cluster.is_member() {
        return exit_code(cmd_cluster::member(cli.command, &cli.cluster));
    }
    // The command runs on a worker of the pool rather than on the main thread, so that its
    // parallel steps start on the worker that reaches them. From the main thread each step is
    // handed to the pool and the main thread sleeps until it returns: two thread switches per
    // step, which at `--threads 1` cost `clout select -k 50 --epsilon 0.1` on soc-sign-epinions
    // a quarter of its selection time (0.041-0.061 s against 0.028-0.049 s, seeds 1-5).
    let result = rayon::scope(|_| match cli.command {
        Command::Ingest(a) => cmd_ingest::run(a),
        Command::Stats(a) => cmd_stats::run(a),
        Command::Rank(a) => cmd_rank::run(a),
        Command::Generate(a) => cmd_generate::run(a),
        Command::Simulate(a) => cmd_simulate::run(a),
        Command::Select(a) => cmd_select::run(a),
        Command::Report(a) => cmd_report::run(a),
        Command::Learn(a) => cmd_learn::run(a),
        Command::Validate(a) => cmd_validate::run(a),
        #[cfg(feature = "distributed")]
        Command::Cluster(a) => cmd_cluster::launch(a, cli.threads),
        Command::Input(_) => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            let topic = cmd.find_subcommand_mut("input").map(|c| c.render_long_help());
            println!("{}", topic.map(|t| t.to_string()).unwrap_or_default());
            Ok(())
        }
    });
    exit_code(result)
}

/// Stack size of the worker threads that run every command: the main thread's default on
/// Linux, which the commands ran on before.
const WORKER_STACK: usize = 8 << 20;

/// The exit code for a command's outcome, printing its error.
fn exit_code(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`clout rank g | head -1`): stop quietly, as coreutils do.
        Err(err) if output::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", errors::describe(&err));
            ExitCode::from(1)
        }
    }
}
