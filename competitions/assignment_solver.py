"""Who judges what: a pure, deterministic solver (no database) for the assignment of entries to
judges, as a minimum-cost flow (networkx's network simplex).

The network: source -> entry (capacity: judges still needed) -> judge (capacity 1; only for a
judge of the entry's track with no conflict of interest) -> sink. Each judge reaches the sink
by a free arc up to the floor of the average load, one arc of cost 1 for one entry more, and an
overflow arc of a prohibitive cost. A minimum-cost flow that carries every needed slot then
gives every entry its k judges and makes the loads as even as the tracks and conflicts allow:
they differ by at most one whenever such an assignment exists (each load below the floor forces
one more costly arc elsewhere, so the optimum has none). The problem splits into parts by
track (judges who cover several tracks join them); each part is solved on its own, which keeps
the network small, and "even" means even among the judges of one part: a judge of a track with
more entries per judge carries more than a judge of another track.

Same input, same output: nodes and arcs are added in sorted order and network simplex is
deterministic.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx


class AssignmentImpossibleError(Exception):
    """Some entries cannot get k judges (too few judges of their track without a conflict)."""

    def __init__(self, short: dict[int, int]):
        self.short = short  # entry id -> judges missing
        super().__init__(f"{len(short)} entries lack eligible judges")


@dataclass(frozen=True)
class Judge:
    id: int
    tracks: frozenset[int]


@dataclass
class Solution:
    pairs: list[tuple[int, int]]  # (entry id, judge id), new ones only, sorted
    loads: dict[int, int] = field(default_factory=dict)  # judge id -> total load
    parts: list[list[int]] = field(default_factory=list)  # judge ids sharing tracks
    short: dict[int, int] = field(default_factory=dict)  # entry id -> judges missing

    @property
    def spread(self) -> int:
        """The largest load difference between judges of one part."""
        spreads = [0]
        for part in self.parts:
            loads = [self.loads[j] for j in part]
            spreads.append(max(loads) - min(loads))
        return max(spreads)


def solve(
    entries: dict[int, int],
    judges: list[Judge],
    k: int,
    conflicts: set[tuple[int, int]] = frozenset(),
    fixed: set[tuple[int, int]] = frozenset(),
    *,
    strict: bool = True,
) -> Solution:
    """Assign judges so that each entry (id -> track id) has `k` of them.

    `conflicts` are (entry, judge) pairs never to assign; `fixed` are existing (entry, judge)
    assignments that stay (scored, or kept when another judge withdraws) and count towards
    both the entry's k and the judge's load. An entry with fewer than k eligible judges raises
    AssignmentImpossibleError, or with `strict=False` gets every eligible judge and is
    reported in `Solution.short` (entry id -> judges missing)."""
    judges = sorted(judges, key=lambda j: j.id)
    judge_ids = {j.id for j in judges}
    fixed = {(e, j) for e, j in fixed if e in entries and j in judge_ids}
    have: dict[int, int] = defaultdict(int)
    current: dict[int, int] = defaultdict(int)
    for e, j in fixed:
        have[e] += 1
        current[j] += 1
    need = {e: max(0, k - have[e]) for e in sorted(entries)}

    eligible: dict[int, list[int]] = {}
    short = {}
    by_track: dict[int, list[int]] = defaultdict(list)
    for judge in judges:
        for track in sorted(judge.tracks):
            by_track[track].append(judge.id)
    for e, n in need.items():
        if not n:
            continue
        options = [
            j
            for j in by_track.get(entries[e], [])
            if (e, j) not in conflicts and (e, j) not in fixed
        ]
        if len(options) < n:
            short[e] = n - len(options)
        eligible[e] = options
    if short and strict:
        raise AssignmentImpossibleError(short)
    for e, missing in short.items():
        need[e] -= missing  # each of its few eligible judges takes it

    # Split into independent parts: tracks joined by judges who cover several of them.
    parent = {t: t for t in set(entries.values()) | set(by_track)}

    def find(t):
        while parent[t] != t:
            parent[t] = parent[parent[t]]
            t = parent[t]
        return t

    for judge in judges:
        tracks = sorted(judge.tracks)
        for t in tracks[1:]:
            parent[find(t)] = find(tracks[0])
    parts: dict[int, list[int]] = defaultdict(list)
    part_total: dict[int, int] = defaultdict(int)
    for e in sorted(entries):
        part_total[find(entries[e])] += max(k, have[e])
        if e in eligible and need[e] > 0:
            parts[find(entries[e])].append(e)
    judges_of_part: dict[int, list[int]] = defaultdict(list)
    for judge in judges:
        if judge.tracks:
            judges_of_part[find(min(judge.tracks))].append(judge.id)

    pairs = []
    for root in sorted(parts):
        part_entries = parts[root]
        # The even share of this part's judges (entries of other tracks are not theirs).
        floor = part_total[root] // len(judges_of_part[root])
        overflow_cost = part_total[root] + 1
        graph = nx.DiGraph()
        demand = sum(need[e] for e in part_entries)
        graph.add_node("s", demand=-demand)
        graph.add_node("t", demand=demand)
        for e in part_entries:
            graph.add_edge("s", ("e", e), capacity=need[e], weight=0)
            for j in eligible[e]:
                graph.add_edge(("e", e), ("j", j), capacity=1, weight=0)
        for j in judges_of_part[root]:
            free = max(0, floor - current[j])
            # Three arcs per judge would need a multigraph: route them through helper nodes.
            graph.add_edge(("j", j), ("f", j), capacity=free, weight=0)
            graph.add_edge(("f", j), "t", capacity=free, weight=0)
            graph.add_edge(("j", j), ("x", j), capacity=1 if current[j] <= floor else 0, weight=1)
            graph.add_edge(("x", j), "t", capacity=1, weight=0)
            graph.add_edge(("j", j), ("o", j), capacity=demand, weight=overflow_cost)
            graph.add_edge(("o", j), "t", capacity=demand, weight=0)
        _cost, flow = nx.network_simplex(graph)
        for e in part_entries:
            for j in eligible[e]:
                if flow[("e", e)].get(("j", j)):
                    pairs.append((e, j))
                    current[j] += 1
    loads = {j.id: current[j.id] for j in judges}
    return Solution(
        pairs=sorted(pairs),
        loads=loads,
        parts=[judges_of_part[r] for r in sorted(judges_of_part)],
        short=short,
    )
