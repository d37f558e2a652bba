//! The `clout` command line: a thin layer over the clout crates.
//!
//! Exit codes: 0 success; 1 the work failed (bad input, unreadable file, invalid snapshot, I/O);
//! 2 the command line itself was wrong (unknown flag, missing argument).

mod args;
mod cmd_generate;
mod cmd_ingest;
mod cmd_rank;
mod cmd_report;
mod cmd_select;
mod cmd_simulate;
mod cmd_stats;
mod load;
mod names;
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
    if let Some(threads) = cli.threads
        && let Err(err) = rayon::ThreadPoolBuilder::new().num_threads(threads).build_global()
    {
        eprintln!("error: could not start {threads} worker threads: {err}");
        return ExitCode::from(1);
    }
    let result = match cli.command {
        Command::Ingest(a) => cmd_ingest::run(a),
        Command::Stats(a) => cmd_stats::run(a),
        Command::Rank(a) => cmd_rank::run(a),
        Command::Generate(a) => cmd_generate::run(a),
        Command::Simulate(a) => cmd_simulate::run(a),
        Command::Select(a) => cmd_select::run(a),
        Command::Report(a) => cmd_report::run(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}
