//! Resource flags of one `clout` run: parsing `--max-memory SIZE` and `--threads T`. The
//! budget itself (`--max-memory`, else the memory available now) and the checks live in the
//! library, `clout::memory`.

/// The fewest threads `--threads` caps at, whatever the core count (so determinism tests at
/// a few dozen threads run anywhere).
const MIN_THREAD_CAP: usize = 64;
/// Threads allowed per core.
const THREADS_PER_CORE: usize = 4;
/// The most threads `--threads` accepts on any machine.
const MAX_THREADS: usize = 1024;

/// Parses `--max-memory SIZE`: a positive number of bytes, optionally with a fraction and a
/// binary unit K, M, G, T, P or E (1024-based; `KB`, `KiB` and lower case are the same).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        "p" | "pb" | "pib" => 50,
        "e" | "eb" | "eib" => 60,
        _ => return Err(format!("`{text}` is not a size such as 512M, 2G or 1.5T")),
    };
    let valid = !number.is_empty() && number.matches('.').count() <= 1 && number != ".";
    let value: f64 = match number.parse() {
        Ok(v) if valid => v,
        _ => return Err(format!("`{text}` is not a size such as 512M, 2G or 1.5T")),
    };
    let bytes = value * (1u64 << shift) as f64;
    if bytes < 1.0 {
        return Err(format!("`{text}` is less than one byte; give a positive size such as 2G"));
    }
    // 2^64 as f64 is exact; anything at or above it does not fit.
    if bytes >= 18_446_744_073_709_551_616.0 {
        return Err(format!("`{text}` is more than 16 EiB"));
    }
    Ok(bytes as u64)
}

/// The most `--threads` accepts here: four per core, at least 64, at most 1024.
pub fn thread_cap() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.saturating_mul(THREADS_PER_CORE).clamp(MIN_THREAD_CAP, MAX_THREADS)
}

/// Parses `--threads T`: 1 up to [`thread_cap`].
pub fn parse_threads(text: &str) -> Result<usize, String> {
    let cap = thread_cap();
    let threads: usize = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a whole number of threads (1 to {cap})"))?;
    if threads == 0 {
        return Err("at least one thread is needed (leave --threads out for one per core)".into());
    }
    if threads > cap {
        return Err(format!(
            "{threads} threads is above the cap of {cap} on this machine (four per core, at \
             least {MIN_THREAD_CAP}, at most {MAX_THREADS}); more threads than that only add \
             memory and start-up time"
        ));
    }
    Ok(threads)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_binary_units() {
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        assert_eq!(parse_size("512m"), Ok(512 << 20));
        assert_eq!(parse_size("1.5GiB"), Ok(3 << 29));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("1kb"), Ok(1024));
        assert_eq!(parse_size("15E"), Ok(15 << 60));
        for bad in ["", "0", "0.1", "-1", "NaN", "inf", "1e9", "2X", "1..5G", ".", "16E", "1e30T"] {
            assert!(parse_size(bad).is_err(), "{bad} parsed");
        }
    }

    #[test]
    fn threads_are_capped() {
        assert_eq!(parse_threads("1"), Ok(1));
        assert_eq!(parse_threads("64"), Ok(64));
        assert!(parse_threads("0").is_err());
        assert!(parse_threads("-1").is_err());
        assert!(parse_threads("1025").is_err());
        assert!(parse_threads("18446744073709551616").is_err());
        assert!((MIN_THREAD_CAP..=MAX_THREADS).contains(&thread_cap()));
    }
}
