"""clout.learn and clout.validate against the command line on the shipped synthetic log, and
their errors."""

import csv
import json

import pytest

import clout
from conftest import DATASETS

SYNTHETIC = DATASETS / "synthetic-cascades"


def test_learn_equals_clout_learn(tmp_path, cli):
    learned = clout.learn(SYNTHETIC, prior=0)
    out = tmp_path / "learned.csv"
    cli("learn", SYNTHETIC, "--prior", "0", "-o", out)
    with open(out) as f:
        rows = {(r["source"], r["target"]): float(r["probability"]) for r in csv.DictReader(f)}
    arcs = learned.arcs
    assert len(arcs) == len(rows) > 0
    mine = {(s, t): p for s, t, p in zip(arcs["source"], arcs["target"], arcs["probability"])}
    assert mine == rows
    # The raw estimate is successes / trials.
    assert (abs(arcs["probability"] - arcs["successes"] / arcs["trials"]) < 1e-12).all()
    summary = json.loads(cli("learn", SYNTHETIC, "--prior", "0", "-o", tmp_path / "x.clout", "--json"))
    assert learned.summary == summary
    assert learned.graph.edge_count == len(rows)


def test_the_learned_graph_simulates_with_its_probabilities():
    learned = clout.learn(SYNTHETIC)
    g = learned.graph
    root = learned.arcs["source"].value_counts().index[0]
    seeds = [int(root)] if all(i.isdigit() for i in learned.arcs["source"]) else [root]
    weight = g.simulate(seeds, prob="weight", trials=2000).mean()
    wc = g.simulate(seeds, prob="wc", trials=2000).mean()
    assert weight >= 1.0
    assert weight != wc


def test_validate_equals_clout_validate(tmp_path, cli):
    html = tmp_path / "v.html"
    v = clout.validate(SYNTHETIC, trials=200, bootstrap=100, html=html)
    out = tmp_path / "v.json"
    cli("validate", SYNTHETIC, "--trials", "200", "--bootstrap", "100", "-o", out)
    with open(out) as f:
        raw = json.load(f)
    assert v.raw == raw
    assert list(v.models.index) == ["learned", "uniform", "wc", "trivalency"]
    assert v.models.loc["learned", "auc"] == raw["models"][0]["pooled"]["auc"]
    assert list(v.differences.index) == ["uniform", "wc", "trivalency"]
    # Size scores over the cascades whose seeds the training graph holds, and their intervals.
    assert v.models.loc["learned", "size_spearman_seen"] == raw["models"][0]["size_seen"]["spearman"]
    assert v.differences.loc["wc", "spearman_seen"] == raw["differences"][1]["spearman_seen"]["estimate"]
    assert len(v.per_cascade) == len(raw["per_cascade"])
    assert (v.per_cascade["predicted_learned"] >= v.per_cascade["predicted_in_graph_learned"] - 1e-9).all()
    page = html.read_text()
    assert page.startswith("<!DOCTYPE html>") and "reliability" in page


def test_validate_does_not_depend_on_threads():
    one = clout.validate(SYNTHETIC, trials=100, bootstrap=50, threads=1)
    two = clout.validate(SYNTHETIC, trials=100, bootstrap=50, threads=2)
    assert one.raw == two.raw


def test_bad_learning_arguments_raise_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="prior `strong` is neither"):
        clout.learn(SYNTHETIC, prior="strong")
    with pytest.raises(ValueError, match="isotonic"):
        clout.learn(SYNTHETIC, prior=3, isotonic=True)
    with pytest.raises(ValueError, match="log_format"):
        clout.learn(SYNTHETIC, log_format="json")
    with pytest.raises(ValueError, match="estimator"):
        clout.learn(SYNTHETIC, estimator="magic")
    with pytest.raises(ValueError, match="interaction kind `XX`"):
        clout.learn(SYNTHETIC, log_format="higgs", kinds="RT,XX")
    with pytest.raises(clout.ReadError):
        clout.learn(tmp_path / "missing")
    bad = tmp_path / "log.csv"
    bad.write_text("a,k,0\nb,k,soon\n")
    with pytest.raises(clout.ReadError, match="log.csv:2"):
        clout.learn(bad, log_format="csv")
    with pytest.raises(ValueError, match="1 folds"):
        clout.validate(SYNTHETIC, folds=1)
