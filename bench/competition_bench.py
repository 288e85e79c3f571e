"""Competition benchmark: judge assignment and the ranking export.

    .venv/bin/python bench/competition_bench.py [--entries 2000] [--judges 120] [--tracks 6]
        [--k 3] [--conflicts 0.05] [--seed 7]

No database: both measure the pure code the services call (competitions.assignment_solver and
competitions.ranking + the CSV writer with formula escaping); the services add one query each
for their input.

1. Assignment of --entries entries to --judges standing judges (each of one track) with k
   judges per entry and about --conflicts of the (entry, judge of its track) pairs in conflict:
   the minimum-cost flow (networkx network simplex, split by track), run twice to check that
   the result is identical; peer: a greedy assignment in the same run (each entry in turn takes
   the k least-loaded eligible judges), with its load spread — fast, but not balanced.
2. Ranking and CSV export of the entries with k scores each (weighted totals, normalisation,
   the tie rule, four-decimal Decimal figures); peer: the same ranking in floats with the
   statistics module (no Decimal rounding, so not exactly reproducible), in the same run.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import statistics
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from competitions.assignment_solver import Judge, solve  # noqa: E402
from competitions.ranking import JudgeScore, rank  # noqa: E402
from crm.services.exports import escape_formula  # noqa: E402


def problem(args):
    rng = random.Random(args.seed)
    entries = {e: e % args.tracks for e in range(args.entries)}
    judges = [Judge(j, frozenset({j % args.tracks})) for j in range(args.judges)]
    conflicts = {
        (e, j.id)
        for e in entries
        for j in judges
        if entries[e] in j.tracks and rng.random() < args.conflicts
    }
    return entries, judges, conflicts


def greedy(entries, judges, k, conflicts):
    load = defaultdict(int)
    by_track = defaultdict(list)
    for judge in judges:
        for track in judge.tracks:
            by_track[track].append(judge.id)
    pairs = []
    for e, track in sorted(entries.items()):
        options = [j for j in by_track[track] if (e, j) not in conflicts]
        options.sort(key=lambda j: (load[j], j))
        for j in options[:k]:
            load[j] += 1
            pairs.append((e, j))
    return pairs, load


def spread_per_track(loads, judges):
    spreads = []
    tracks = defaultdict(list)
    for judge in judges:
        tracks[min(judge.tracks)].append(loads.get(judge.id, 0))
    for values in tracks.values():
        spreads.append(max(values) - min(values))
    return max(spreads)


def bench_assignment(args):
    entries, judges, conflicts = problem(args)
    pairs_in_track = sum(1 for e in entries for j in judges if entries[e] in j.tracks)
    print(
        f"Assignment: {args.entries:,} entries, {args.judges} judges, {args.tracks} tracks, "
        f"k={args.k}, {len(conflicts):,} conflicts "
        f"({len(conflicts) / pairs_in_track:.1%} of same-track pairs)"
    )
    started = time.perf_counter()
    first = solve(entries, judges, args.k, conflicts)
    solver_time = time.perf_counter() - started
    second = solve(entries, judges, args.k, conflicts)
    assert first == second, "not deterministic"
    per_entry = defaultdict(int)
    for e, j in first.pairs:
        per_entry[e] += 1
        assert (e, j) not in conflicts
    assert all(per_entry[e] == args.k for e in entries)
    started = time.perf_counter()
    _greedy_pairs, greedy_loads = greedy(entries, judges, args.k, conflicts)
    greedy_time = time.perf_counter() - started
    print(
        f"  min-cost flow (networkx): {solver_time:.2f} s, load spread per track "
        f"{first.spread}, identical on a second run: yes"
    )
    print(
        f"  peer, greedy least-loaded: {greedy_time:.3f} s, load spread per track "
        f"{spread_per_track(greedy_loads, judges)}"
    )
    print(f"  ratio flow / greedy time: {solver_time / greedy_time:.0f}x")
    return first


def bench_ranking(args, solution):
    rng = random.Random(args.seed + 1)
    entries = {e: (e % args.tracks, e + 1) for e in range(args.entries)}
    scores = [JudgeScore(e, j, Decimal(rng.randint(0, 100)) / 10) for e, j in solution.pairs]
    print(f"Ranking export: {args.entries:,} entries x {args.k} scores = {len(scores):,} scores")
    started = time.perf_counter()
    ranked = rank(entries, scores, scale_max=10, min_count=5)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["rank", "track_rank", "entry_number", "raw_mean", "normalised_mean"])
    for r in ranked:
        row = [r.rank, r.track_rank, r.number, f"{r.raw:.4f}", f"{r.normalised:.4f}"]
        for judge_id, raw, norm in r.scores:
            row += [judge_id, f"{raw:.4f}", f"{norm:.4f}"]
        writer.writerow([escape_formula(v) for v in row])
    ours = time.perf_counter() - started

    started = time.perf_counter()
    values = [float(s.total) for s in scores]
    mean, sd = statistics.fmean(values), statistics.pstdev(values)
    by_judge = defaultdict(list)
    for s in scores:
        by_judge[s.judge_id].append(float(s.total))
    stats = {j: (statistics.fmean(v), statistics.pstdev(v)) for j, v in by_judge.items()}
    per_entry = defaultdict(list)
    for s in scores:
        jm, js = stats[s.judge_id]
        norm = mean + (float(s.total) - jm) / js * sd if js else mean
        per_entry[s.entry_id].append((float(s.total), min(max(norm, 0), 10)))
    rows = sorted(
        (
            -statistics.fmean(n for _r, n in v),
            -statistics.fmean(r for r, _n in v),
            entries[e][1],
        )
        for e, v in per_entry.items()
    )
    out2 = io.StringIO()
    csv.writer(out2).writerows(rows)
    peer = time.perf_counter() - started
    print(f"  Decimal ranking + CSV: {ours:.3f} s")
    print(f"  peer, float ranking with statistics + CSV: {peer:.3f} s")
    print(f"  ratio Decimal / float: {ours / peer:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--judges", type=int, default=120)
    parser.add_argument("--tracks", type=int, default=6)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--conflicts", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    solution = bench_assignment(args)
    bench_ranking(args, solution)


if __name__ == "__main__":
    main()
