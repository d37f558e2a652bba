//! Learning influence probabilities from an action log, and validating the simulator on
//! held-out real cascades (see [`clout_learn`] for the estimators and the protocol).
//!
//! The learned graph's arcs point the way influence flows, with original account ids and the
//! probability as arc weight, so simulate, select and report use it with the `weight`
//! probability.

use std::io::Write;
use std::path::{Path, PathBuf};

use clout_ingest::LoadedGraph;
pub use clout_learn::{
    ActionLog, Cascade, Estimator, HiggsKinds, LearnConfig, Learned, Prior, Seeds, Split,
    ValidateConfig, ValidateError, Validation,
};
use clout_report::calibration::{
    CalibrationData, CalibrationDifference, CalibrationModel, ReliabilityPoint,
};
use serde::Serialize;
use serde_json::Value;

use crate::edges::{EdgeIds, EdgesConfig, from_edges};
use crate::error::{Error, Result};
use crate::setting::Setting;
use crate::{ReadConfig, open};

/// The format of an action log.
#[derive(Debug, Clone)]
pub enum LogFormat {
    /// Propagation trees (a directory or a `.tar`/`.tar.gz`); `part` keeps only paths
    /// containing it (e.g. `twitter15`).
    Trees {
        /// Path filter.
        part: Option<String>,
    },
    /// The Higgs activity log, cut into time windows that act as cascades.
    Higgs {
        /// Window length in minutes.
        window_minutes: f64,
        /// Which interactions count.
        kinds: HiggsKinds,
    },
    /// `user,cascade,time[,parent]`; actions without a parent are credited to earlier actors
    /// among the account's in-neighbours in `social` within `window_minutes`.
    Csv {
        /// The social graph (and how to read it), needed when parents are missing.
        social: Option<(PathBuf, ReadConfig)>,
        /// Credit window in minutes.
        window_minutes: f64,
    },
}

fn setting(message: String) -> Error {
    Error::Validate(clout_learn::ValidateError::Setting(message))
}

/// Parses a Beta prior's strength: `auto` (chosen on held-out training cascades) or a
/// number `>= 0` (0: the raw estimate).
pub fn parse_prior(text: &str) -> Result<Prior> {
    match text {
        "auto" => Ok(Prior::Auto),
        k => match k.parse::<f64>() {
            Ok(k) if k >= 0.0 && k.is_finite() => Ok(Prior::Strength(k)),
            _ => Err(Error::invalid(
                Setting::Learning,
                format!("prior `{k}` is neither `auto` nor a number >= 0"),
            )),
        },
    }
}

/// Parses which interactions of the Higgs activity log count: `RT` (retweet), `MT` (mention),
/// `RE` (reply), in any case; at least one.
pub fn parse_kinds<S: AsRef<str>>(kinds: &[S]) -> Result<HiggsKinds> {
    let mut out = HiggsKinds { retweet: false, mention: false, reply: false };
    for k in kinds {
        match k.as_ref().trim().to_ascii_uppercase().as_str() {
            "RT" => out.retweet = true,
            "MT" => out.mention = true,
            "RE" => out.reply = true,
            other => {
                return Err(Error::invalid(
                    Setting::LogKinds,
                    format!("interaction kind `{other}` is not RT, MT or RE"),
                ));
            }
        }
    }
    if !(out.retweet || out.mention || out.reply) {
        return Err(Error::invalid(Setting::LogKinds, "no interaction kind given"));
    }
    Ok(out)
}

/// The learning settings. Isotonic recalibration is fitted on the held-out cascades the
/// automatic prior is chosen on, so it needs [`Prior::Auto`].
pub fn learn_config(estimator: Estimator, prior: Prior, isotonic: bool) -> Result<LearnConfig> {
    if isotonic && prior != Prior::Auto {
        return Err(Error::invalid(
            Setting::Learning,
            "isotonic recalibration is fitted on the held-out cascades of the automatic prior",
        ));
    }
    Ok(LearnConfig { estimator, prior, isotonic, ..LearnConfig::default() })
}

/// Reads an action log.
pub fn read_log(path: &Path, format: &LogFormat) -> Result<ActionLog> {
    match format {
        LogFormat::Trees { part } => Ok(clout_learn::read_trees(path, part.as_deref())?),
        LogFormat::Higgs { window_minutes, kinds } => {
            if !(*window_minutes > 0.0 && window_minutes.is_finite()) {
                return Err(setting(format!(
                    "window of {window_minutes} minutes: it must be positive"
                )));
            }
            Ok(clout_learn::read_higgs(path, *window_minutes, *kinds)?)
        }
        LogFormat::Csv { social, window_minutes } => {
            let mut log = clout_learn::read_csv(path)?;
            let missing = log
                .cascades
                .iter()
                .flat_map(|c| c.actions.iter().skip(1))
                .any(|a| a.parents.is_empty());
            if let Some((graph_path, read)) = social {
                let network = open(graph_path, read)?.network;
                let g = &network.graph;
                // Log account -> graph node, and back.
                let to_graph: Vec<Option<u32>> =
                    log.users.iter().map(|u| network.ids.lookup(u)).collect();
                let mut to_log = std::collections::HashMap::new();
                for (i, n) in to_graph.iter().enumerate() {
                    if let Some(n) = n {
                        to_log.insert(*n, i as u32);
                    }
                }
                let in_neighbors = |user: u32| -> Vec<u32> {
                    to_graph[user as usize].map_or_else(Vec::new, |v| {
                        g.in_neighbors(v).iter().filter_map(|x| to_log.get(x).copied()).collect()
                    })
                };
                clout_learn::credit_from_graph(&mut log, &in_neighbors, *window_minutes);
            } else if missing {
                return Err(setting(format!(
                    "{}: some actions name no parent; give the social graph whose \
                     in-neighbours are credited",
                    path.display()
                )));
            }
            Ok(log)
        }
    }
}

/// Learns per-arc probabilities from every cascade of `log`.
pub fn learn(log: &ActionLog, cfg: &LearnConfig) -> Learned {
    clout_learn::learn(log, None, cfg)
}

/// Original ids of `log`'s accounts: integers when every id is one, else strings.
fn ids(log: &ActionLog, which: &[u32]) -> EdgeIds {
    let all_int = log.users.iter().all(|u| u.parse::<u64>().is_ok());
    if all_int {
        EdgeIds::Integer(
            which.iter().map(|&u| log.users[u as usize].parse().unwrap_or(0)).collect(),
        )
    } else {
        EdgeIds::String(which.iter().map(|&u| log.users[u as usize].clone()).collect())
    }
}

/// The learned arcs as a graph with original ids and the probability as arc weight.
pub fn learned_graph(log: &ActionLog, learned: &Learned) -> Result<LoadedGraph> {
    let cfg = EdgesConfig {
        provenance: format!(
            "probabilities learned ({}) from {}",
            learned.estimator.name(),
            log.provenance
        ),
        ..EdgesConfig::default()
    };
    from_edges(
        ids(log, &learned.sources),
        ids(log, &learned.targets),
        None,
        Some(learned.probability.clone()),
        None,
        &cfg,
    )
}

/// Writes the learned arcs as CSV `source,target,probability` (original ids, a header line).
pub fn write_learned_csv(
    out: &mut dyn Write,
    log: &ActionLog,
    learned: &Learned,
) -> std::io::Result<()> {
    writeln!(out, "source,target,probability")?;
    for i in 0..learned.len() {
        writeln!(
            out,
            "{},{},{}",
            csv_field(&log.users[learned.sources[i] as usize]),
            csv_field(&log.users[learned.targets[i] as usize]),
            learned.probability[i]
        )?;
    }
    Ok(())
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.into() }
}

/// What was learned, for printing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LearnSummary {
    /// Cascades.
    pub cascades: usize,
    /// Actions.
    pub actions: usize,
    /// Accounts in the log.
    pub accounts: usize,
    /// Arcs with evidence.
    pub arcs: usize,
    /// Arcs credited once, twice, 3-9 times, 10 or more times.
    pub evidence: [usize; 4],
    /// The estimator.
    pub estimator: String,
    /// Pooled success rate over arcs with evidence.
    pub pooled_rate: f64,
    /// Prior mean.
    pub prior_mean: f64,
    /// Prior strength.
    pub prior_strength: f64,
    /// Whether the prior was chosen on held-out cascades.
    pub prior_chosen: bool,
    /// The prior's second Beta component (weight, mean, strength), if one was kept.
    pub prior_component: Option<clout_learn::Component>,
    /// Mean probability.
    pub mean: f64,
    /// Probability quantiles: min, 10 %, 50 %, 90 %, 99 %, max.
    pub quantiles: [f64; 6],
}

/// Summarizes what was learned.
pub fn summarize(log: &ActionLog, learned: &Learned) -> LearnSummary {
    let mut p = learned.probability.clone();
    p.sort_by(f64::total_cmp);
    let q = |f: f64| {
        if p.is_empty() { f64::NAN } else { p[((p.len() - 1) as f64 * f).round() as usize] }
    };
    let mut evidence = [0usize; 4];
    for &s in &learned.successes {
        let k = if s <= 1.0 {
            0
        } else if s <= 2.0 {
            1
        } else if s < 10.0 {
            2
        } else {
            3
        };
        evidence[k] += 1;
    }
    LearnSummary {
        cascades: learned.cascades,
        actions: log.action_count(),
        accounts: log.users.len(),
        arcs: learned.len(),
        evidence,
        estimator: learned.estimator.name().into(),
        pooled_rate: learned.pooled_rate,
        prior_mean: learned.prior_mean,
        prior_strength: learned.prior_strength,
        prior_chosen: !learned.strength_scores.is_empty(),
        prior_component: learned.component,
        mean: p.iter().sum::<f64>() / p.len().max(1) as f64,
        quantiles: [q(0.0), q(0.1), q(0.5), q(0.9), q(0.99), q(1.0)],
    }
}

/// Runs the held-out validation; `progress(done, total)` after each simulated seed set.
pub fn validate(
    log: &ActionLog,
    cfg: &ValidateConfig,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Validation> {
    Ok(clout_learn::validate_with_progress(log, cfg, progress)?)
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn triple(v: &Value) -> [f64; 3] {
    [num(&v["estimate"]), num(&v["lo"]), num(&v["hi"])]
}

/// The folds' second prior components, as text (empty when no fold kept one).
fn second_components(folds: &[Value]) -> String {
    let parts: Vec<String> = folds
        .iter()
        .map(|f| &f["prior_component"])
        .filter(|c| c.is_object())
        .map(|c| {
            format!(
                "weight {}, mean {}, strength {}",
                fmt_p(num(&c["weight"])),
                fmt_p(num(&c["mean"])),
                fmt_p(num(&c["strength"]))
            )
        })
        .collect();
    if parts.is_empty() {
        return String::new();
    }
    format!(
        "; a Beta mixture in {} of {} folds, second component {}",
        parts.len(),
        folds.len(),
        parts.join(" / ")
    )
}

/// The calibration page's data from a validation result as written by `validate` in JSON
/// (so that a saved result can be shown again, e.g. in the campaign report).
pub fn calibration_data(v: &Value, generator: &str, command: &str) -> Result<CalibrationData> {
    let models = v["models"]
        .as_array()
        .filter(|m| !m.is_empty())
        .ok_or_else(|| setting("not a validation result: no `models` list".into()))?;
    let folds = v["folds"].as_array().cloned().unwrap_or_default();
    let mean_fold = |key: &str| {
        let x: Vec<f64> = folds.iter().map(|f| num(&f[key])).collect();
        x.iter().sum::<f64>() / x.len().max(1) as f64
    };
    let uniform_p = mean_fold("uniform_p");
    let describe = |name: &str| match name {
        "learned" => format!("learned ({})", v["estimator"].as_str().unwrap_or("?")),
        "uniform" => format!("uniform p = {} (fitted to training sizes)", fmt_p(uniform_p)),
        "wc" => "weighted cascade (1 / in-degree)".into(),
        "trivalency" => "trivalency {0.1, 0.01, 0.001}".into(),
        other => other.into(),
    };
    let models: Vec<CalibrationModel> = models
        .iter()
        .map(|m| {
            let name = m["name"].as_str().unwrap_or("?").to_string();
            CalibrationModel {
                description: describe(&name),
                name,
                auc: num(&m["pooled"]["auc"]),
                mean_cascade_auc: num(&m["mean_cascade_auc"]),
                brier: num(&m["pooled"]["brier"]),
                brier_skill: num(&m["pooled"]["brier_skill"]),
                ece: num(&m["pooled"]["ece"]),
                log_rmse: num(&m["size"]["log_rmse"]),
                bias: num(&m["size"]["bias"]),
                spearman: num(&m["size"]["spearman"]),
                spearman_seen: num(&m["size_seen"]["spearman"]),
                log_rmse_in_graph: num(&m["size_in_graph"]["log_rmse"]),
                reliability: m["pooled"]["reliability"]
                    .as_array()
                    .map(|bins| {
                        bins.iter()
                            .map(|b| ReliabilityPoint {
                                lo: num(&b["lo"]),
                                hi: num(&b["hi"]),
                                count: b["count"].as_u64().unwrap_or(0),
                                mean_predicted: num(&b["mean_predicted"]),
                                observed: num(&b["observed"]),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    let differences = v["differences"]
        .as_array()
        .map(|d| {
            d.iter()
                .map(|x| CalibrationDifference {
                    baseline: describe(x["baseline"].as_str().unwrap_or("?")),
                    auc: triple(&x["auc"]),
                    brier: triple(&x["brier"]),
                    log_rmse: triple(&x["log_rmse"]),
                    spearman: triple(&x["spearman"]),
                    spearman_seen: triple(&x["spearman_seen"]),
                })
                .collect()
        })
        .unwrap_or_default();
    let per = v["per_cascade"].as_array().cloned().unwrap_or_default();
    let sizes = per
        .iter()
        .map(|c| {
            let p = c["predicted_size"].as_array().map(|a| a.iter().map(num).collect());
            (num(&c["real_size"]), p.unwrap_or_default())
        })
        .collect();
    let split = match &v["split"] {
        Value::Object(o) if o.contains_key("folds") => {
            format!("grouped {}-fold by cascade", o["folds"])
        }
        Value::Object(o) if o.contains_key("time_cut") => {
            format!("time cut: earliest {} of cascades train", o["time_cut"])
        }
        other => other.to_string(),
    };
    let seeds = match &v["seeds"] {
        Value::String(s) if s == "root" => "the root account".to_string(),
        Value::Object(o) if o.contains_key("early") => {
            format!("accounts active in the first {} minutes", o["early"])
        }
        other => other.to_string(),
    };
    let setup = vec![
        ("log".to_string(), v["provenance"].as_str().unwrap_or("").to_string()),
        ("cascades".into(), v["cascades"].to_string()),
        ("split".into(), split),
        ("seeds".into(), seeds),
        ("candidates and rounds".into(), format!("within {} arcs of the seeds", v["hops"])),
        ("trials per cascade".into(), v["trials"].to_string()),
        ("estimator".into(), v["estimator"].as_str().unwrap_or("?").to_string()),
        (
            "prior (mean over folds)".into(),
            format!(
                "mean {}, strength {}{}",
                fmt_p(mean_fold("prior_mean")),
                fmt_p(mean_fold("prior_strength")),
                second_components(&folds)
            ),
        ),
        ("bootstrap replicates".into(), v["bootstrap"].to_string()),
        ("random seed".into(), v["seed"].to_string()),
    ];
    let cov = &v["coverage"];
    let learned = &v["models"][0]["pooled"];
    Ok(CalibrationData {
        title: "Held-out validation of the cascade simulator".into(),
        generator: generator.into(),
        command: command.into(),
        setup,
        candidates: learned["count"].as_u64().unwrap_or(0),
        base_rate: num(&learned["base_rate"]),
        cascades: per.len(),
        accounts: cov["accounts"].as_u64().unwrap_or(0),
        outside_graph: num(&cov["outside_graph"]),
        outside_candidates: num(&cov["outside_candidates"]),
        cascades_without_seed: cov["cascades_without_seed"].as_u64().unwrap_or(0) as usize,
        models,
        differences,
        sizes,
    })
}

fn fmt_p(x: f64) -> String {
    if x != 0.0 && x.abs() < 1e-3 {
        format!("{x:.3e}")
    } else {
        format!("{}", (x * 1e4).round() / 1e4)
    }
}

/// The standalone HTML page of a validation result (JSON value as written by `validate`).
pub fn calibration_page(v: &Value, generator: &str, command: &str) -> Result<String> {
    Ok(clout_report::calibration::calibration_page(&calibration_data(v, generator, command)?).html)
}

/// Reads a validation result written by `validate` (JSON).
pub fn read_validation(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| Error::line(path, e.line(), format!("not a validation result (JSON): {e}")))?;
    calibration_data(&value, "", "").map_err(|_| {
        setting(format!("{}: not a validation result (no `models` list)", path.display()))
    })?;
    Ok(value)
}

/// Adds the calibration section of a saved validation result to a rendered campaign report:
/// the section goes before the page footer, and its charts (reliability diagram, cascade
/// sizes) join the report's, so they are written with the others as files too.
pub fn add_calibration_section(
    mut rendered: clout_report::Rendered,
    v: &Value,
) -> Result<clout_report::Rendered> {
    let data = calibration_data(v, "", "")?;
    let charts = clout_report::calibration::calibration_charts(&data);
    let section = clout_report::calibration::calibration_section(&data, &charts);
    let html = &rendered.html;
    rendered.html = match html.rfind("<footer>") {
        Some(i) => format!("{}{}{}", &html[..i], section, &html[i..]),
        None => format!("{html}{section}"),
    };
    rendered.charts.extend(charts);
    Ok(rendered)
}
