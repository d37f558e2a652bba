//! IMM against CELF (lazy greedy on Monte Carlo) on real graphs shipped in `datasets/`:
//! the two choices must reach the same expected spread within Monte Carlo error (plus IMM's
//! allowed slack), judged by one independent paired Monte Carlo evaluation.

mod selection_on_real_graphs {
    use std::path::PathBuf;

    use clout_graph::{BuildConfig, EdgeList, Graph, GraphInfo, NodeId};
    use clout_reach::select::{SelectConfig, celf, imm};
    use clout_reach::{EdgeProbs, ProbSpec, SimConfig, simulate};

    /// An undirected whitespace-separated edge list from `datasets/` (`#` comments), dense ids
    /// in ascending order of the original integer ids.
    fn undirected(rel: &str) -> Graph {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../datasets").join(rel);
        let text = std::fs::read_to_string(path).expect("read dataset");
        let pairs: Vec<(u64, u64)> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| {
                let mut f = l.split_whitespace().map(|x| x.parse::<u64>().unwrap());
                (f.next().unwrap(), f.next().unwrap())
            })
            .collect();
        let mut ids: Vec<u64> = pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
        ids.sort_unstable();
        ids.dedup();
        let dense = |x: u64| ids.binary_search(&x).unwrap() as NodeId;
        let pairs: Vec<(NodeId, NodeId)> =
            pairs.iter().map(|&(a, b)| (dense(a), dense(b))).collect();
        let edges = EdgeList::from_pairs(ids.len() as u32, &pairs);
        let cfg = BuildConfig { directed: false, ..BuildConfig::default() };
        clout_graph::build(edges, &cfg, GraphInfo::default()).unwrap()
    }

    /// Spreads of two seed sets on the same trials, and the standard error of their paired
    /// difference.
    fn paired(
        g: &Graph,
        p: &EdgeProbs,
        a: &[NodeId],
        b: &[NodeId],
        trials: usize,
    ) -> (f64, f64, f64) {
        let cfg = SimConfig { trials, seed: 987_654, ..SimConfig::default() };
        let (x, y) = (simulate(g, p, a, &cfg).unwrap(), simulate(g, p, b, &cfg).unwrap());
        let d: Vec<f64> = x
            .trial_totals
            .iter()
            .zip(&y.trial_totals)
            .map(|(&u, &v)| u as f64 - v as f64)
            .collect();
        let mean = d.iter().sum::<f64>() / d.len() as f64;
        let var = d.iter().map(|z| (z - mean).powi(2)).sum::<f64>() / (d.len() - 1) as f64;
        (x.results[0].total.mean, y.results[0].total.mean, (var / d.len() as f64).sqrt())
    }

    fn agree(g: &Graph, p: &EdgeProbs, k: usize, celf_trials: usize, eval_trials: usize) {
        let cfg = SelectConfig { k, epsilon: 0.1, seed: 17, ..SelectConfig::default() };
        let by_imm = imm(g, p, &cfg).unwrap();
        let by_celf = celf(g, p, &SelectConfig { celf_trials, ..cfg.clone() }).unwrap();
        let (a, b, se) = paired(g, p, &by_imm.seeds, &by_celf.seeds, eval_trials);
        // Either may be slightly better: IMM's sample and CELF's trials both carry noise. Allow
        // 3% of the spread (IMM promises 1 - 1/e - 0.1 of optimal, but on these graphs both
        // land within a few tenths of a percent of each other) plus 4 paired standard errors.
        assert!(
            (a - b).abs() <= 0.03 * a.max(b) + 4.0 * se,
            "imm {:?} reaches {a}, celf {:?} reaches {b} (paired se {se})",
            by_imm.seeds,
            by_celf.seeds
        );
    }

    #[test]
    fn imm_and_celf_agree_on_karate() {
        let g = undirected("karate/karate.edges");
        assert_eq!((g.node_count(), g.edge_count()), (34, 78));
        let p = EdgeProbs::new(&g, ProbSpec::Uniform(0.1)).unwrap();
        agree(&g, &p, 3, 2000, 20_000);
    }

    #[test]
    fn imm_and_celf_agree_on_ego_facebook() {
        // CELF's first round simulates every one of the 4,039 accounts; p = 0.005 keeps the
        // cascades small (at p = 0.01 the best three seeds already reach ~230 accounts and
        // CELF alone takes ~18 s at opt-level 1).
        let g = undirected("ego-facebook/facebook_combined.txt");
        assert_eq!((g.node_count(), g.edge_count()), (4039, 88234));
        let p = EdgeProbs::new(&g, ProbSpec::Uniform(0.005)).unwrap();
        agree(&g, &p, 3, 300, 20_000);
    }
}
