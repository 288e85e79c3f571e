"""The matchmaking scheduler: place accepted meeting requests into time slots and tables with
Google OR-Tools' CP-SAT solver. A pure module (no database): expos.services build a `Problem`
from the expo's rows and store the `Result`.

Hard constraints (never broken, tests/unit/expos/test_scheduling.py checks them on random
instances):
- a request gets at most one slot and one table; a table holds one meeting per slot;
- both participants are available in the slot and in at most one meeting per slot;
- a meeting whose parties share no language gets an interpreter who speaks both languages, is
  available in the slot and interprets one meeting at a time;
- a participant never has two meetings in halls further apart (walking minutes) than the time
  between the two slots;
- locked meetings stay where they are (slot and table).

Priorities are weights on the objective (higher tiers, mutual must-meets; expos.matching computes
them); a meeting placed before (`previous`) earns a small bonus for keeping its slot and hall, so
rescheduling moves few meetings and new ones go into unbooked slots. The solver runs on one
worker with a fixed seed and a deterministic work limit, so the same input gives the same
schedule; tables and interpreters are then given in a fixed order. Requests left out are reported
with the reasons found for each slot they could have had.

The model decides (request, slot, hall); tables within a hall are interchangeable, so a capacity
per (slot, hall) is exact and keeps the model small. Interpreters are modelled per (slot,
language pair): each interpreter covers at most one pair per slot, and the meetings needing a
pair in a slot are at most the interpreters covering it then - an exact matching.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

_log = logging.getLogger(__name__)

# Reason codes for a request that could not be placed.
NO_COMMON_SLOT = "no_common_slot"  # the two are never available at the same time
NO_INTERPRETER = "no_interpreter"  # nobody interprets the pair when both are free
PARTICIPANT_BUSY = "participant_busy"  # a party has another meeting in each common slot
NO_TABLE = "no_table"  # every table is taken in the common slots
INTERPRETERS_BUSY = "interpreters_busy"  # the interpreters are taken in the common slots
WALKING_TIME = "walking_time"  # a party could not walk between halls in time
SAME_PARTICIPANT = "same_participant"  # a request with the same party on both sides
UNKNOWN_PARTICIPANT = "unknown_participant"

KEEP_BONUS = 2  # per meeting kept at its previous slot and hall (weights are >= 10)


@dataclass(frozen=True)
class Slot:
    id: int
    start: int  # minutes since any fixed origin
    end: int


@dataclass(frozen=True)
class Table:
    id: int
    hall: str


@dataclass(frozen=True)
class Participant:
    id: int
    available: frozenset[int] | None = None  # slot ids; None: every slot


@dataclass(frozen=True)
class Interpreter:
    id: int
    languages: frozenset[str]
    available: frozenset[int] | None = None


@dataclass(frozen=True)
class Request:
    id: int
    a: int  # participant ids
    b: int
    weight: int = 100
    interpret: tuple[str, str] | None = None  # language pair needing an interpreter
    locked: tuple[int, int] | None = None  # (slot id, table id)
    previous: tuple[int, int] | None = None  # (slot id, table id) of the last schedule


@dataclass
class Problem:
    slots: Sequence[Slot]
    tables: Sequence[Table]
    participants: dict[int, Participant]
    requests: Sequence[Request]
    interpreters: Sequence[Interpreter] = ()
    walking: dict[tuple[str, str], int] = field(default_factory=dict)  # minutes, both ways

    def walk(self, h1: str, h2: str) -> int:
        if h1 == h2:
            return 0
        return self.walking.get((h1, h2), self.walking.get((h2, h1), 0))


@dataclass(frozen=True)
class Placement:
    request: int
    slot: int
    table: int
    interpreter: int | None = None


@dataclass
class Result:
    placements: dict[int, Placement]
    unplaced: dict[int, list[str]]
    status: str  # "optimal", "feasible", "greedy" (the solver found nothing better in time)
    objective: int = 0


class LockedConflictError(ValueError):
    """Two locked meetings break a hard constraint together; the message names them."""


def pair(languages: Iterable[str]) -> tuple[str, str]:
    first, second = sorted(languages)
    return first, second


# --- what is possible at all -----------------------------------------------------------------
class _Index:
    def __init__(self, problem: Problem):
        self.problem = problem
        self.slots = sorted(problem.slots, key=lambda s: (s.start, s.id))
        self.slot_by_id = {s.id: s for s in self.slots}
        self.table_by_id = {t.id: t for t in problem.tables}
        self.halls = sorted({t.hall for t in problem.tables})
        self.tables_by_hall: dict[str, list[int]] = defaultdict(list)
        for table in sorted(problem.tables, key=lambda t: t.id):
            self.tables_by_hall[table.hall].append(table.id)
        # slot pairs a participant cannot span between halls h1 -> h2
        self.too_close: list[tuple[int, int, str, str]] = []
        for s1 in self.slots:
            for s2 in self.slots:
                if s2.start < s1.end or s1.id == s2.id:
                    continue
                gap = s2.start - s1.end
                for h1 in self.halls:
                    for h2 in self.halls:
                        if problem.walk(h1, h2) > gap:
                            self.too_close.append((s1.id, s2.id, h1, h2))

    def available(self, participant_id: int, slot_id: int) -> bool:
        participant = self.problem.participants.get(participant_id)
        if participant is None:
            return False
        return participant.available is None or slot_id in participant.available

    def interpreters_for(self, languages: tuple[str, str], slot_id: int) -> list[Interpreter]:
        return [
            i
            for i in sorted(self.problem.interpreters, key=lambda i: i.id)
            if set(languages) <= i.languages and (i.available is None or slot_id in i.available)
        ]

    def candidate_slots(self, request: Request) -> tuple[list[int], list[str]]:
        """Slots the request could have if nothing else were scheduled, or the reasons why
        there are none."""
        participants = self.problem.participants
        if request.a not in participants or request.b not in participants:
            return [], [UNKNOWN_PARTICIPANT]
        if request.a == request.b:
            return [], [SAME_PARTICIPANT]
        common = [
            s.id
            for s in self.slots
            if self.available(request.a, s.id) and self.available(request.b, s.id)
        ]
        if not common:
            return [], [NO_COMMON_SLOT]
        if request.interpret:
            common = [s for s in common if self.interpreters_for(request.interpret, s)]
            if not common:
                return [], [NO_INTERPRETER]
        return common, []


# --- the greedy placer (first come, first served; also the solver's starting point) ---------
class _Board:
    """Who and what is taken in each slot, for placing meetings one by one."""

    def __init__(self, index: _Index):
        self.index = index
        self.busy: dict[tuple[int, int], str] = {}  # (participant, slot) -> hall
        self.tables_used: dict[tuple[int, str], int] = defaultdict(int)
        self.interpreters_used: set[tuple[int, int]] = set()  # (interpreter, slot)

    def why_not(self, request: Request, slot_id: int, hall: str) -> str | None:
        index = self.index
        for person in (request.a, request.b):
            if (person, slot_id) in self.busy:
                return PARTICIPANT_BUSY
        if self.tables_used[(slot_id, hall)] >= len(index.tables_by_hall[hall]):
            return NO_TABLE
        if request.interpret and self.free_interpreter(request, slot_id) is None:
            return INTERPRETERS_BUSY
        slot = index.slot_by_id[slot_id]
        for person in (request.a, request.b):
            for (_other_person, other_slot), other_hall in self._meetings_of(person):
                other = index.slot_by_id[other_slot]
                if other.end <= slot.start:
                    gap, h1, h2 = slot.start - other.end, other_hall, hall
                elif slot.end <= other.start:
                    gap, h1, h2 = other.start - slot.end, hall, other_hall
                else:
                    continue
                if index.problem.walk(h1, h2) > gap:
                    return WALKING_TIME
        return None

    def _meetings_of(self, person: int):
        return [
            ((person, s.id), self.busy[(person, s.id)])
            for s in self.index.slots
            if (person, s.id) in self.busy
        ]

    def free_interpreter(self, request: Request, slot_id: int) -> int | None:
        for interpreter in self.index.interpreters_for(request.interpret, slot_id):
            if (interpreter.id, slot_id) not in self.interpreters_used:
                return interpreter.id
        return None

    def place(self, request: Request, slot_id: int, hall: str) -> int | None:
        self.busy[(request.a, slot_id)] = hall
        self.busy[(request.b, slot_id)] = hall
        self.tables_used[(slot_id, hall)] += 1
        interpreter = None
        if request.interpret:
            interpreter = self.free_interpreter(request, slot_id)
            self.interpreters_used.add((interpreter, slot_id))
        return interpreter


def _locked_first(problem: Problem, index: _Index, board: _Board) -> dict[int, tuple[int, str]]:
    placed = {}
    for request in sorted((r for r in problem.requests if r.locked), key=lambda r: r.id):
        slot_id, table_id = request.locked
        table = index.table_by_id.get(table_id)
        if table is None or slot_id not in index.slot_by_id:
            raise LockedConflictError(f"request {request.id}: locked to an unknown slot or table")
        reason = board.why_not(request, slot_id, table.hall)
        if reason is not None:
            raise LockedConflictError(f"request {request.id}: locked meeting conflicts ({reason})")
        board.place(request, slot_id, table.hall)
        placed[request.id] = (slot_id, table.hall)
    return placed


def greedy(problem: Problem, order: Sequence[Request] | None = None) -> Result:
    """First come, first served: each request in `order` (default: as given) takes the first
    slot and hall where every hard constraint holds. The benchmark's baseline."""
    index = _Index(problem)
    board = _Board(index)
    chosen = _locked_first(problem, index, board)
    for request in order if order is not None else problem.requests:
        if request.locked:
            continue
        slots, _reasons = index.candidate_slots(request)
        done = False
        for slot_id in slots:
            for hall in index.halls:
                if board.why_not(request, slot_id, hall) is None:
                    board.place(request, slot_id, hall)
                    chosen[request.id] = (slot_id, hall)
                    done = True
                    break
            if done:
                break
    return _result(problem, index, chosen, status="greedy")


# --- CP-SAT ----------------------------------------------------------------------------------
def schedule(
    problem: Problem,
    *,
    work_limit: float = 60.0,
    time_limit: float = 55.0,
) -> Result:
    """The best schedule CP-SAT finds within `work_limit` deterministic seconds (same input,
    same schedule) and `time_limit` wall-clock seconds from the call (a safety net on a slow or
    busy machine: hitting it may change the answer). The floor is a greedy schedule placing
    requests by priority, given to the solver as its starting point. Raises
    LockedConflictError when locked meetings clash."""
    import time

    from ortools.sat.python import cp_model

    started = time.monotonic()
    index = _Index(problem)
    # Locked meetings must fit together; the greedy schedule is also the solver's hint.
    hint = greedy(problem, sorted(problem.requests, key=lambda r: (-r.weight, r.id)))
    hint_chosen = {
        rid: (p.slot, index.table_by_id[p.table].hall) for rid, p in hint.placements.items()
    }

    requests_by_id = {r.id: r for r in problem.requests}
    hint_pairs: dict[tuple[int, tuple[str, str]], int] = defaultdict(int)
    for rid, (slot_id, _hall) in hint_chosen.items():
        if requests_by_id[rid].interpret:
            hint_pairs[(slot_id, pair(requests_by_id[rid].interpret))] += 1
    model = cp_model.CpModel()
    x: dict[tuple[int, int, str], cp_model.IntVar] = {}
    by_request: dict[int, list] = defaultdict(list)
    by_person_slot: dict[tuple[int, int], list] = defaultdict(list)
    by_person_slot_hall: dict[tuple[int, int, str], list] = defaultdict(list)
    by_slot_hall: dict[tuple[int, str], list] = defaultdict(list)
    by_slot_pair: dict[tuple[int, tuple[str, str]], list] = defaultdict(list)
    objective = []
    for request in sorted(problem.requests, key=lambda r: r.id):
        if request.locked:
            slot_id, table_id = request.locked
            options = [(slot_id, index.table_by_id[table_id].hall)]
        else:
            slots, _reasons = index.candidate_slots(request)
            options = [(s, h) for s in slots for h in index.halls]
        for slot_id, hall in options:
            var = model.new_bool_var(f"x{request.id}_{slot_id}_{hall}")
            x[(request.id, slot_id, hall)] = var
            by_request[request.id].append(var)
            for person in (request.a, request.b):
                by_person_slot[(person, slot_id)].append(var)
                by_person_slot_hall[(person, slot_id, hall)].append(var)
            by_slot_hall[(slot_id, hall)].append(var)
            if request.interpret:
                by_slot_pair[(slot_id, pair(request.interpret))].append(var)
            weight = request.weight
            if request.previous:
                prev_slot, prev_table = request.previous
                prev = index.table_by_id.get(prev_table)
                if prev is not None and (prev_slot, prev.hall) == (slot_id, hall):
                    weight += KEEP_BONUS
            objective.append(weight * var)
            model.add_hint(var, hint_chosen.get(request.id) == (slot_id, hall))
        if request.locked:
            model.add(sum(by_request[request.id]) == 1)
        elif by_request[request.id]:
            model.add_at_most_one(by_request[request.id])
    for variables in by_person_slot.values():
        model.add_at_most_one(variables)
    for (_slot_id, hall), variables in by_slot_hall.items():
        model.add(sum(variables) <= len(index.tables_by_hall[hall]))
    people = sorted({p for r in problem.requests for p in (r.a, r.b)})
    for s1, s2, h1, h2 in index.too_close:
        for person in people:
            first = by_person_slot_hall.get((person, s1, h1))
            second = by_person_slot_hall.get((person, s2, h2))
            if first and second:
                model.add(sum(first) + sum(second) <= 1)
    # Interpreters: w[i, s, pair] = interpreter i covers `pair` in slot s.
    pairs_by_slot: dict[int, set] = defaultdict(set)
    for slot_id, languages in by_slot_pair:
        pairs_by_slot[slot_id].add(languages)
    for slot_id, languages_set in sorted(pairs_by_slot.items()):
        cover: dict[tuple[str, str], list] = defaultdict(list)
        for interpreter in sorted(problem.interpreters, key=lambda i: i.id):
            if interpreter.available is not None and slot_id not in interpreter.available:
                continue
            mine = []
            for languages in sorted(languages_set):
                if set(languages) <= interpreter.languages:
                    var = model.new_bool_var(f"w{interpreter.id}_{slot_id}_{languages}")
                    cover[languages].append(var)
                    mine.append(var)
            if len(mine) > 1:
                model.add_at_most_one(mine)
        for languages in sorted(languages_set):
            model.add(sum(by_slot_pair[(slot_id, languages)]) <= sum(cover[languages]))
            # Hint: the hint's meetings needing the pair take the first interpreters.
            needed = hint_pairs.get((slot_id, languages), 0)
            for var in cover[languages]:
                model.add_hint(var, needed > 0)
                needed -= 1
    model.maximize(sum(objective))

    solver = cp_model.CpSolver()
    # Interleaved search: several strategies (including large-neighbourhood search from the
    # hint) in one thread, in a fixed order - deterministic, unlike parallel workers.
    solver.parameters.num_workers = 4
    solver.parameters.interleave_search = True
    # Probing and symmetry detection cost more than they give on this model.
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0
    solver.parameters.random_seed = 0
    solver.parameters.max_deterministic_time = work_limit
    # The wall-clock limit counts from the call (building the model takes seconds too).
    solver.parameters.max_time_in_seconds = max(1.0, time_limit - (time.monotonic() - started))
    solver.parameters.log_search_progress = _log.isEnabledFor(logging.DEBUG)
    code = solver.solve(model)
    _log.info(
        "cp-sat: %s, objective %s, bound %s, %.1f s, hint weight %s",
        solver.status_name(code),
        solver.objective_value if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None,
        solver.best_objective_bound,
        solver.wall_time,
        hint.objective,
    )
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return hint
    chosen = {rid: (s, h) for (rid, s, h), var in x.items() if solver.value(var)}
    status = "optimal" if code == cp_model.OPTIMAL else "feasible"
    result = _result(problem, index, chosen, status=status)
    if _weight(problem, result) < _weight(problem, hint):  # never worse than the hint
        return hint
    return result


def _weight(problem: Problem, result: Result) -> int:
    weights = {r.id: r.weight for r in problem.requests}
    return sum(weights[rid] for rid in result.placements)


# --- from (slot, hall) to tables and interpreters, and the reasons for the rest --------------
def _result(problem: Problem, index: _Index, chosen: dict[int, tuple[int, str]], *, status):
    requests = {r.id: r for r in problem.requests}
    interpreters = _interpreters_by_matching(index, requests, chosen)
    placements: dict[int, Placement] = {}
    free_tables = {
        (s.id, h): list(index.tables_by_hall[h]) for s in index.slots for h in index.halls
    }
    # Locked meetings keep their table; then previous tables where possible; then in order.
    order = sorted(
        chosen,
        key=lambda rid: (not requests[rid].locked, not requests[rid].previous, rid),
    )
    for rid in order:
        request = requests[rid]
        if request.interpret and rid not in interpreters:
            continue  # no interpreter could be matched (reported with the unplaced)
        slot_id, hall = chosen[rid]
        tables = free_tables[(slot_id, hall)]
        wanted = request.locked or request.previous
        table = wanted[1] if wanted and wanted[0] == slot_id and wanted[1] in tables else tables[0]
        tables.remove(table)
        placements[rid] = Placement(rid, slot_id, table, interpreters.get(rid))
    result = Result(placements, {}, status)
    result.objective = _weight(problem, result)
    result.unplaced = _reasons(problem, index, placements)
    return result


def _interpreters_by_matching(index: _Index, requests, chosen) -> dict[int, int]:
    """request id -> interpreter id, slot by slot, by augmenting paths (a maximum bipartite
    matching in a fixed order, so the same schedule gives the same interpreters)."""
    assigned: dict[int, int] = {}
    by_slot: dict[int, list[int]] = defaultdict(list)
    for rid, (slot_id, _hall) in chosen.items():
        if requests[rid].interpret:
            by_slot[slot_id].append(rid)
    for slot_id, rids in sorted(by_slot.items()):
        match: dict[int, int] = {}  # interpreter -> request

        def augment(rid, seen, slot_id=slot_id, match=match):
            for candidate in index.interpreters_for(requests[rid].interpret, slot_id):
                if candidate.id in seen:
                    continue
                seen.add(candidate.id)
                if candidate.id not in match or augment(match[candidate.id], seen):
                    match[candidate.id] = rid
                    return True
            return False

        # Locked meetings first, so an impossible rest never takes their interpreter.
        for rid in sorted(rids, key=lambda r: (not requests[r].locked, r)):
            augment(rid, set())
        assigned.update({rid: interpreter for interpreter, rid in match.items()})
    return assigned


def _reasons(problem: Problem, index: _Index, placements: dict[int, Placement]):
    board = _Board(index)
    requests = {r.id: r for r in problem.requests}
    for placement in placements.values():
        request = requests[placement.request]
        hall = index.table_by_id[placement.table].hall
        board.busy[(request.a, placement.slot)] = hall
        board.busy[(request.b, placement.slot)] = hall
        board.tables_used[(placement.slot, hall)] += 1
        if placement.interpreter is not None:
            board.interpreters_used.add((placement.interpreter, placement.slot))
    unplaced = {}
    for request in sorted(problem.requests, key=lambda r: r.id):
        if request.id in placements:
            continue
        slots, reasons = index.candidate_slots(request)
        found = set(reasons)
        for slot_id in slots:
            for hall in index.halls:
                reason = board.why_not(request, slot_id, hall)
                found.add(reason or "lower_priority")
        unplaced[request.id] = sorted(found)
    return unplaced


def check(problem: Problem, result: Result) -> list[str]:
    """Every broken hard constraint of `result`, as text (empty when the schedule is valid)."""
    index = _Index(problem)
    requests = {r.id: r for r in problem.requests}
    errors = []
    seen_table, seen_person, seen_interpreter = set(), {}, set()
    for placement in sorted(result.placements.values(), key=lambda p: p.request):
        request = requests[placement.request]
        slot, table = placement.slot, placement.table
        if (slot, table) in seen_table:
            errors.append(f"table {table} twice in slot {slot}")
        seen_table.add((slot, table))
        hall = index.table_by_id[table].hall
        for person in (request.a, request.b):
            if not index.available(person, slot):
                errors.append(f"participant {person} unavailable in slot {slot}")
            if (person, slot) in seen_person:
                errors.append(f"participant {person} twice in slot {slot}")
            seen_person[(person, slot)] = hall
        if request.locked and request.locked != (slot, table):
            errors.append(f"locked request {request.id} moved")
        if request.interpret:
            interpreter = next(
                (i for i in problem.interpreters if i.id == placement.interpreter), None
            )
            if interpreter is None or not set(request.interpret) <= interpreter.languages:
                errors.append(f"request {request.id} without a fitting interpreter")
            elif interpreter.available is not None and slot not in interpreter.available:
                errors.append(f"interpreter {interpreter.id} unavailable in slot {slot}")
            if (placement.interpreter, slot) in seen_interpreter:
                errors.append(f"interpreter {placement.interpreter} twice in slot {slot}")
            seen_interpreter.add((placement.interpreter, slot))
    for s1, s2, h1, h2 in index.too_close:
        for (person, slot), hall in seen_person.items():
            if slot == s1 and hall == h1 and seen_person.get((person, s2)) == h2:
                errors.append(f"participant {person} cannot walk {h1}->{h2} in time")
    return errors
