//! Output files and standard output.
//!
//! Every command prepares all its output files before it starts work ([`Outputs::prepare`]):
//! a path that is one of the command's inputs (the same file, through links), two outputs that
//! are one file, a missing directory or an unwritable one are refused at once, exit 1, with the
//! inputs untouched. The outputs are written to temporary files beside their targets and renamed
//! into place together at the end ([`Outputs::commit`]), so a failed run leaves no output
//! behind, and a run stopped by SIGINT or SIGTERM deletes its temporary files
//! ([`install_signal_cleanup`]). A target that is not a regular file (`/dev/null`, a FIFO) is
//! written in place, never replaced.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clout::ingest::outfile::{OutputId, OutputSet};

/// The prepared output files of one command.
pub struct Outputs {
    set: OutputSet,
    inputs: Vec<PathBuf>,
}

impl Outputs {
    /// Checks and creates (as temporary files) every output in `outputs` that is given,
    /// against every input in `inputs` that is given. Returns the set and one id per given
    /// output, in order.
    pub fn prepare(
        inputs: &[Option<&Path>],
        outputs: &[Option<&Path>],
    ) -> Result<(Outputs, Vec<Option<OutputId>>)> {
        let mut set = Outputs {
            set: OutputSet::new(),
            inputs: inputs.iter().flatten().map(|p| p.to_path_buf()).collect(),
        };
        let ids = outputs
            .iter()
            .map(|o| o.map(|path| set.add(path)).transpose())
            .collect::<Result<_>>()?;
        Ok((set, ids))
    }

    /// [`Outputs::prepare`] for a command with exactly one output file.
    pub fn single(inputs: &[Option<&Path>], output: &Path) -> Result<(Outputs, OutputId)> {
        let (set, ids) = Outputs::prepare(inputs, &[Some(output)])?;
        let id = ids[0].context("the output was not prepared")?;
        Ok((set, id))
    }

    /// The open temporary file behind output `id`, for writers that seek (snapshots).
    pub fn file(&self, id: OutputId) -> Result<&std::fs::File> {
        let path = self.set.path(id);
        self.set.file(id).with_context(|| format!("{} was already written", path.display()))
    }

    /// Adds one more output (checked against the inputs and the outputs so far).
    ///
    /// `-` is refused: for an input it means stdin, so a user who writes `-o -` means stdout,
    /// and writing a file named `-` instead would be a silent reinterpretation.
    pub fn add(&mut self, path: &Path) -> Result<OutputId> {
        if path.as_os_str() == "-" {
            anyhow::bail!(
                "`-` as an output file: leave the output flag out to print to stdout (where the \
                 command prints), or name a file (`./-` for a file called `-`)"
            );
        }
        let inputs: Vec<&Path> = self.inputs.iter().map(PathBuf::as_path).collect();
        Ok(self.set.add(path, &inputs)?)
    }

    /// Writes output `id` through `fill`; it appears only at [`Outputs::commit`].
    pub fn write<F>(&mut self, id: OutputId, fill: F) -> Result<()>
    where
        F: FnOnce(&mut dyn Write) -> Result<()>,
    {
        let path = self.set.path(id).to_path_buf();
        self.set.write(id, |w| fill(w)).with_context(|| format!("while writing {}", path.display()))
    }

    /// Moves every written output into place.
    pub fn commit(self) -> Result<()> {
        Ok(self.set.commit()?)
    }
}

/// Writes to standard output through `fill`, buffered, and flushes: a full disk is an error
/// (`/dev/full`), a closed pipe ends the program quietly (see [`is_broken_pipe`]).
pub fn to_stdout<F>(fill: F) -> Result<()>
where
    F: FnOnce(&mut dyn Write) -> Result<()>,
{
    let stdout = io::stdout();
    let mut w = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    fill(&mut w).context("cannot write to standard output")?;
    w.flush().context("cannot write to standard output")?;
    Ok(())
}

/// Whether an error is a write to a closed pipe (`clout rank g | head -1`), which ends the
/// program quietly with exit 0, as ripgrep and coreutils do.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || cause.downcast_ref::<serde_json::Error>().and_then(|e| e.io_error_kind())
                == Some(io::ErrorKind::BrokenPipe)
    })
}

/// On SIGINT, SIGTERM or SIGHUP: delete every temporary output file and exit (130, 143, 129),
/// so an interrupted run leaves nothing half-written behind.
#[cfg(unix)]
pub fn install_signal_cleanup() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let _held = clout::ingest::outfile::remove_pending();
            std::process::exit(128 + signal);
        }
    });
}

#[cfg(not(unix))]
pub fn install_signal_cleanup() {}
