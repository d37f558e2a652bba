"""The Python API: values equal the CLI's for the same options, NetworkX's where it is the
reference, and every error path raises the documented exception with the CLI's message."""

import csv
import io
import json
import math
import pathlib

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import clout


@pytest.fixture(scope="module")
def wiki(wiki_vote_path):
    return clout.read(wiki_vote_path)


@pytest.fixture(scope="module")
def karate(karate_path):
    return clout.read(karate_path, undirected=True)


def test_read_gives_the_graph_and_its_original_ids(wiki):
    assert len(wiki) == 7115 and wiki.edge_count == 103689 and wiki.directed
    ids = np.asarray(wiki.ids)
    assert ids.dtype.kind == "u" and (np.diff(ids.astype(np.int64)) > 0).all()
    stats = wiki.stats()
    assert stats["nodes"] == 7115 and stats["reading"] == "follows"


def test_rank_equals_clout_rank(wiki, wiki_vote_path, cli):
    frame = wiki.rank(by=["pagerank", "betweenness", "coreness", "followers"], top=20)
    text = cli("rank", wiki_vote_path, "--by", "pagerank,betweenness,coreness,followers", "--top", "20")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(r["id"]) for r in rows] == list(frame.index)
    for r in rows:
        got = frame.loc[int(r["id"])]
        for col in ("pagerank", "betweenness", "coreness", "followers"):
            assert got[col] == float(r[col]), col
            assert got[f"{col}_rank"] == int(r[f"{col}_rank"]), col


def test_simulate_equals_clout_simulate(wiki, wiki_vote_path, cli):
    seeds = [4037, 15, 2625]
    sim = wiki.simulate(seeds, model="icn", quality=[0.5, 0.9], trials=500, seed=3)
    doc = json.loads(cli("simulate", wiki_vote_path, "--seeds", "4037,15,2625", "--model", "icn",
                         "--quality", "0.5,0.9", "--trials", "500", "--seed", "3", "--json"))
    assert sim.raw["results"] == doc["results"]
    assert sim.mean("negative", 0.5) > sim.mean("negative", 0.9)
    assert set(sim.estimates.index.get_level_values("metric")) >= {"positive", "negative", "total"}


def test_per_account_outcomes_add_up_to_the_totals(karate):
    sim = karate.simulate([1, 34], model="icn", quality=0.7, prob="uniform:0.2", trials=800,
                          per_account=True)
    acc = sim.per_account
    assert list(acc.index) == list(karate.ids)
    for metric in ("total", "positive", "negative"):
        column = "reached" if metric == "total" else metric
        assert math.isclose(acc[column].sum(), sim.mean(metric), rel_tol=1e-9)
    assert acc.loc[34, "reached"] == 1.0 and acc.loc[34, "mean_round"] == 0.0


def test_select_equals_clout_select(wiki, wiki_vote_path, cli):
    choice = wiki.select(k=4, model="icn", quality=0.8, trials=300, compare=True)
    got = choice.raw
    doc = json.loads(cli("select", wiki_vote_path, "-k", "4", "--model", "icn", "--quality", "0.8",
                         "--trials", "300", "--compare", "--json"))
    assert got["seeds"] == doc["seeds"] == choice.seeds
    assert got["rows"] == doc["rows"]
    assert [c["method"] for c in got["compare"]] == [c["method"] for c in doc["compare"]]
    assert [c["positive"] for c in got["compare"]] == [c["positive"] for c in doc["compare"]]
    # The tables: every prefix, and the chosen set against each baseline on the same trials.
    assert list(choice.prefixes.index) == [1, 2, 3, 4]
    assert choice.prefixes["id"].tolist() == choice.seeds
    assert list(choice.comparison.index) == ["opim"] + [c["method"] for c in doc["compare"]]
    assert choice.comparison.loc["opim", "positive"] == doc["rows"][-1]["evaluated"]["positive"]["mean"]
    assert choice.comparison.loc["pagerank", "positive"] == next(
        c["positive"]["mean"] for c in doc["compare"] if c["method"] == "pagerank")
    assert len(choice.gains) == 4 and "OPIM-C" in choice.guarantee


def test_scores_match_networkx(karate, karate_path):
    G = nx.read_edgelist(karate_path, nodetype=int)
    nodes = list(karate.ids)
    # The power method is NetworkX's iteration step for step; the default (Gauss-Seidel where it
    # applies) stops by the same rule, so it agrees within that rule's L1 tolerance n * tol.
    pr, auto = karate.pagerank(method="power"), karate.pagerank()
    bc, core = karate.betweenness(), karate.coreness()
    ref_pr, ref_bc, ref_core = nx.pagerank(G), nx.betweenness_centrality(G), nx.core_number(G)
    assert sum(abs(auto[i] - ref_pr[v]) for i, v in enumerate(nodes)) < 2 * len(nodes) * 1e-6
    for i, v in enumerate(nodes):
        assert abs(pr[i] - ref_pr[v]) < 1e-12
        assert abs(bc[i] - ref_bc[v]) < 1e-12
        assert core[i] == ref_core[v]


def test_from_edges_takes_pandas_columns_of_strings(tmp_path):
    df = pd.DataFrame({"follower": ["@b", "@c", "@c"], "followed": ["@a", "@a", "@b"]})
    g = clout.Graph.from_edges(df.follower, df.followed, edges="follows", nodes=["@z"])
    assert g.ids == ["@a", "@b", "@c", "@z"]
    assert list(g.degrees()["followers"]) == [2, 1, 0, 0]
    path = tmp_path / "g.clout"
    assert g.save(path) > 0
    again = clout.read(path)
    assert again.ids == g.ids and again.edge_count == 3


def test_report_writes_the_page_whole_or_not_at_all(karate, tmp_path):
    path = tmp_path / "r.html"
    karate.report(path, seeds=[1, 34], trials=100)
    page = path.read_text()
    assert 'id="clout-report-data"' in page
    assert "<title>clout report: " in page and "karate.edges" in page, "titled by the graph's source"
    missing = tmp_path / "no-such-dir" / "r.html"
    with pytest.raises(clout.CloutError, match="no-such-dir"):
        karate.report(missing, seeds=[1], trials=10)
    with pytest.raises(ValueError):
        karate.report(tmp_path / "bad.html", seeds=[999], trials=10)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"], "no partial or temporary files"


def test_bad_inputs_raise_read_errors_naming_file_and_line(tmp_path):
    with pytest.raises(clout.ReadError, match="missing.txt"):
        clout.read(tmp_path / "missing.txt")
    bad = tmp_path / "bad.txt"
    bad.write_text("1 2\n3\n")
    with pytest.raises(clout.ReadError, match=r"bad.txt:2"):
        clout.read(bad)
    snap = tmp_path / "broken.clout"
    clout.read(bad, skip_bad_lines=True).save(snap)
    data = bytearray(snap.read_bytes())
    snap.write_bytes(bytes(data[: len(data) // 2]))
    with pytest.raises(clout.SnapshotError):
        clout.read(snap)
    assert issubclass(clout.ReadError, clout.CloutError)


def test_bad_ids_and_arguments_raise_value_errors(karate):
    with pytest.raises(ValueError, match="seed account `999` is not in the graph"):
        karate.simulate([999])
    with pytest.raises(ValueError, match="model"):
        karate.simulate([1], model="sir")
    with pytest.raises(ValueError, match="not one of"):
        clout.read("x", edges="sideways")
    with pytest.raises(ValueError, match="quality"):
        karate.select(k=2, model="ic", quality=0.5)
    with pytest.raises(ValueError):
        karate.simulate([1], prob="uniform:2")
    with pytest.raises(ValueError, match="unknown score"):
        karate.rank(by=["fame"])


def test_threads_do_not_change_results(karate):
    one = karate.simulate([1], trials=300, threads=1).raw["results"]
    four = karate.simulate([1], trials=300, threads=4).raw["results"]
    assert one == four


def test_ctrl_c_interrupts_a_long_call(wiki_vote_path):
    """SIGINT during a long simulation raises KeyboardInterrupt at once, not when it ends: the
    run below takes minutes; the process must be gone within 20 s of the signal."""
    import signal
    import subprocess
    import sys
    import time

    code = (
        "import clout, sys\n"
        f"g = clout.read({str(wiki_vote_path)!r})\n"
        "print('ready', flush=True)\n"
        "try:\n"
        "    g.simulate([4037, 15], trials=20_000_000)\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted', flush=True)\n"
        "    sys.exit(3)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    try:
        out, _ = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 3 and "interrupted" in out


def _audience(root):
    path = root / "datasets" / "wiki-vote" / "audience.txt"
    return [int(line) for line in path.read_text().splitlines() if line and not line.startswith("#")]


def test_target_audience_equals_the_cli(wiki, wiki_vote_path, cli):
    root = pathlib.Path(wiki_vote_path).parents[2]
    audience = _audience(root)
    purchases = root / "datasets" / "wiki-vote" / "purchases.txt"
    conversion = {int(a): (float(p), float(v)) for a, p, v in
                  (line.split() for line in purchases.read_text().splitlines() if not line.startswith("#"))}
    sim = wiki.simulate([2470, 2625], trials=500, target=audience, conversion=conversion, per_account=True)
    doc = json.loads(cli("simulate", wiki_vote_path, "--seeds", "2470,2625", "--trials", "500",
                         "--target", root / "datasets" / "wiki-vote" / "audience.txt",
                         "--conversion", purchases, "--json"))
    assert sim.raw["results"] == doc["results"]
    assert sim.mean("target_total") == doc["results"][0]["target"]["total"]["mean"]
    assert "target_total" in set(sim.estimates.index.get_level_values("metric"))
    # Per-account rows carry the weights; weighted chances add up to the target reach.
    acc = sim.per_account
    assert acc.loc[audience[0], "target_weight"] == 1.0
    assert math.isclose((acc["reached"] * acc["target_weight"]).sum(), sim.mean("target_total"), rel_tol=1e-9)
    assert acc.loc[4, "sale_value"] == 120.0

    # A pandas Series works as a mapping; select maximizes target reach by default.
    choice = wiki.select(k=3, trials=300, target=pd.Series(1.0, index=audience))
    got = json.loads(cli("select", wiki_vote_path, "-k", "3", "--trials", "300", "--target",
                         root / "datasets" / "wiki-vote" / "audience.txt", "--json"))
    assert choice.seeds == got["seeds"] and choice.objective == "target"
    assert choice.prefixes["target_total"].iloc[-1] == got["rows"][-1]["evaluated"]["target"]["total"]["mean"]


def test_bad_audiences_raise_value_errors(karate):
    with pytest.raises(ValueError, match="target weight -1"):
        karate.simulate([1], trials=10, target={2: -1.0})
    with pytest.raises(ValueError, match="purchase probability 2"):
        karate.simulate([1], trials=10, conversion={2: 2.0})
    with pytest.raises(ValueError, match="every sale value or for none|for every account or for none"):
        karate.simulate([1], trials=10, conversion={2: (0.5, 3.0), 3: 0.5})
    with pytest.raises(ValueError):
        karate.select(k=2, trials=10, maximize="revenue")
