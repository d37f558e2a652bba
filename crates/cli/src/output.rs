//! Writing output files atomically: into a temporary file beside the target, renamed into place
//! only when everything was written, so an error never leaves a partial file behind. A target
//! that is not a regular file (`/dev/null`, a FIFO) is written in place, never replaced.

use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};
use clout_ingest::outfile::OutFile;

/// Writes `path` through `fill`; the file appears only if `fill` and the flush succeed.
pub fn write_atomically<F>(path: &Path, fill: F) -> Result<()>
where
    F: FnOnce(&mut dyn Write) -> Result<()>,
{
    let out = OutFile::create(path, ".clout-")
        .with_context(|| format!("cannot create the output {}", path.display()))?;
    {
        let mut w = BufWriter::with_capacity(1 << 20, out.file());
        fill(&mut w).with_context(|| format!("while writing {}", path.display()))?;
        w.flush().with_context(|| format!("cannot write {}", path.display()))?;
    }
    out.commit(false)
        .with_context(|| format!("cannot move the output into place at {}", path.display()))?;
    Ok(())
}
