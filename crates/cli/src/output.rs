//! Writing output files atomically: into a temporary file beside the target, renamed into place
//! only when everything was written, so an error never leaves a partial file behind.

use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};

/// Writes `path` through `fill`; the file appears only if `fill` and the flush succeed.
pub fn write_atomically<F>(path: &Path, fill: F) -> Result<()>
where
    F: FnOnce(&mut dyn Write) -> Result<()>,
{
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".clout-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    {
        let mut w = BufWriter::with_capacity(1 << 20, tmp.as_file());
        fill(&mut w).with_context(|| format!("while writing {}", path.display()))?;
        w.flush().with_context(|| format!("cannot write {}", path.display()))?;
    }
    // tempfile creates 0600 files; an output is an ordinary file for the user's group to read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    tmp.persist(path)
        .with_context(|| format!("cannot move the output into place at {}", path.display()))?;
    Ok(())
}
