//! Resource flags of one `clout` run: parsing `--max-memory SIZE` and `--threads T`, and the
//! flag named in an error about a setting. The budget itself (`--max-memory`, else the memory
//! available now) and the checks live in the library, `clout::memory`.

use clout::memory::BudgetSource;
use clout::{Error, Setting};

/// The fewest threads `--threads` caps at, whatever the core count (so determinism tests at
/// a few dozen threads run anywhere).
const MIN_THREAD_CAP: usize = 64;
/// Threads allowed per core.
const THREADS_PER_CORE: usize = 4;
/// The most threads `--threads` accepts on any machine.
const MAX_THREADS: usize = 1024;

/// The flag behind a library setting.
fn flag(setting: Setting) -> &'static str {
    match setting {
        Setting::Trials => "--trials",
        Setting::CelfTrials => "--celf-trials",
        Setting::Threads => "--threads",
        Setting::GeneratedSize => "--scale or --edge-factor",
        Setting::RrSets => "-k, or raise --epsilon or --delta",
        Setting::MaxIterations => "--max-iter",
        Setting::Epsilon => "--epsilon",
        Setting::Quality => "--quality",
        Setting::QualityFile => "--quality-file",
        Setting::Seeds => "--seeds",
        Setting::Sampling => "--epsilon or --samples",
        Setting::Draw => "--draw",
        _ => "the settings",
    }
}

/// Phrases of library messages that describe a setting, and the flag that changes it here.
const FLAG_HINTS: [(&str, &str); 6] = [
    ("read ids as strings", "`--ids string`"),
    ("read the first line as a header row", "`--header`"),
    ("read the input with a weight column", "`--weight COL`"),
    ("keep the first copy of a repeated edge instead of summing", "`--duplicates first`"),
    ("weight-normalized probabilities to scale weights", "`--prob weight-normalized`"),
    ("or do not ask for PNG files", "leave out `--png`"),
];

/// `text` with each setting it describes followed by its flag in parentheses.
pub fn with_flags_named(text: &str) -> String {
    let mut out = text.to_string();
    for (phrase, flag) in FLAG_HINTS {
        out = out.replace(phrase, &format!("{phrase} ({flag})"));
    }
    out
}

/// A library error's message with the flag to change: a memory limit names the flag to lower
/// and how to allow more; a bad setting is prefixed with its flag.
pub fn with_flag_hint(e: &Error, text: String) -> String {
    match e {
        Error::MemoryLimit(m) => {
            let (limit, raise) = match m.budget.source {
                BudgetSource::Set => ("allowed by --max-memory", "raise --max-memory"),
                BudgetSource::MemAvailable => {
                    ("available (MemAvailable in /proc/meminfo)", "set --max-memory to allow more")
                }
                BudgetSource::Cgroup => {
                    ("left under this cgroup's memory limit", "raise the cgroup limit")
                }
                BudgetSource::Unknown => ("addressable", "use a smaller input"),
            };
            format!(
                "{} needs about {} of memory, more than the {} {limit}; lower {} (or {raise})",
                m.what,
                clout::memory::human_bytes(m.needed),
                clout::memory::human_bytes(m.budget.bytes),
                flag(m.lower)
            )
        }
        Error::Invalid { setting, .. } => format!("{}: {text}", flag(*setting)),
        _ => text,
    }
}

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
