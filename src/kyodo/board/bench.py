"""``make board-bench N=300``: how long the board takes to read and count a room of N learners.

Writes N progress files into a temporary folder, in the format
:class:`kyodo.storage.Store` writes: every choice exercise answered at random (so nearly every
learner's state is one of its own), the flow maps and the network with
random arrows and ties drawn through the tasks, a reflection note (half of
them shared), the design sheet of one of the samples, and the board's
record of opening and checking. Then it times, three times each, reading
the folder (:func:`kyodo.board.collect.folder_files`) and counting it
(:func:`kyodo.board.aggregate.aggregate`) with a fresh memo, as the first
refresh after a server start does, and reports the figures.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ..data import Course, default_data_dir
from ..exercises.choice import ChoiceTask
from ..storage import FORMAT, VERSION, atomic_write_text, file_stem
from .aggregate import Counting, aggregate
from .collect import folder_files
from .server import counting_for, lesson_titles
from .tally import TaskTallier


def _choice_state(task: ChoiceTask, rng: random.Random) -> dict[str, Any]:
    task.reset()
    ids = [o.id for o in task.options]
    for item in task.items:
        if rng.random() < 0.1:
            continue  # left unanswered
        if task.mode in ("one", "order"):
            task.choose(item.id, rng.choice(ids))
        elif task.mode == "many":
            for option in rng.sample(ids, rng.randint(1, min(3, len(ids)))):
                task.tick(item.id, option, True)
        else:
            for slot, option in enumerate(rng.sample(ids, task.pick)):
                task.choose_slot(item.id, slot, option)
    return task.to_state()


def _edges_state(task: Any, rng: random.Random) -> dict[str, Any] | None:
    """Random arrows (a flow map) or ties (the network) added through the task, as a learner adds them."""
    task.reset()
    if hasattr(task, "actors"):  # a flow map
        actors = [org for _, org in task.actors]
        for _ in range(rng.randint(1, 6)):
            source, target = rng.sample(actors, 2)
            task.add(source, target, rng.choice(task.items))
        return dict(task.to_state())
    if hasattr(task, "people"):  # the network
        people = [p.id for p in task.people]
        occasions = [o.id for o in task.occasions]
        for _ in range(rng.randint(1, 4)):
            a, b = rng.sample(people, 2)
            task.add(a, b, rng.choice(occasions))
        return dict(task.to_state())
    return None


def make_room(folder: Path, learners: int, counting: Counting, seed: int = 1) -> None:
    """``learners`` progress files in ``folder``."""
    from ..design.export import read_export

    rng = random.Random(seed)
    course: Course = counting.course
    samples = sorted((default_data_dir() / "samples" / "designs").glob("group*.html"))
    designs = [read_export(p, course).to_states() for p in samples]
    talliers = counting.memo.talliers
    for n in range(learners):
        name = f"learner{n:03d}"
        states: dict[str, Any] = {}
        for exercise_id, tallier in talliers.items():
            task = tallier.task if isinstance(tallier, TaskTallier) else None
            if isinstance(task, ChoiceTask):
                states[exercise_id] = _choice_state(task, rng)
            elif task is not None:
                state = _edges_state(task, rng)
                if state is not None:
                    states[exercise_id] = state
        states["notes/case3/reflection"] = {"text": f"学習者 {n} のふりかえり", "share": n % 2 == 0,
                                            "prompt": "振り返りメモ"}
        if designs:
            states.update({f"design/{step}": value for step, value in designs[n % len(designs)].items()})
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
        activity = {e: {"opened": stamp, **({"checked": stamp, "checks": 1} if rng.random() < 0.7 else {})}
                    for e in talliers}
        doc = {"format": FORMAT, "version": VERSION, "saved_at": stamp, "learner": name, "exercises": states,
               "activity": activity}
        atomic_write_text(folder / f"{file_stem(name)}.json", json.dumps(doc, ensure_ascii=False))


def measure(folder: Path, rounds: int = 3) -> dict[str, float]:
    """Seconds: building the talliers; reading the folder; counting it (each the median of ``rounds``)."""
    started = time.perf_counter()
    counting = counting_for()
    build = time.perf_counter() - started
    lessons = lesson_titles()
    reads, counts, again = [], [], []
    for _ in range(rounds):
        started = time.perf_counter()
        gathered = folder_files(folder)
        reads.append(time.perf_counter() - started)
        fresh = Counting(counting.registry, counting.course)  # an empty memo: every state tallied again
        started = time.perf_counter()
        board = aggregate(fresh, gathered.works, lessons, gathered.skipped)
        counts.append(time.perf_counter() - started)
        started = time.perf_counter()  # a refresh: the memo knows every state
        aggregate(fresh, gathered.works, lessons, gathered.skipped)
        again.append(time.perf_counter() - started)
    return {"talliers": build, "read": statistics.median(reads), "count": statistics.median(counts),
            "recount": statistics.median(again), "learners": float(board.learners),
            "exercises": float(len(board.exercises))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kyodo.board.bench")
    parser.add_argument("--learners", type=int, default=300)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        make_room(folder, args.learners, counting_for())
        made = time.perf_counter() - started
        figures = measure(folder)
    total = figures["read"] + figures["count"]
    print(f"{int(figures['learners'])} learners, {int(figures['exercises'])} exercises "
          f"(files made in {made:.1f} s)")
    print(f"talliers built once: {figures['talliers'] * 1000:.0f} ms")
    print(f"read the folder: {figures['read'] * 1000:.0f} ms; count: {figures['count'] * 1000:.0f} ms; "
          f"together {total * 1000:.0f} ms (median of 3)")
    print(f"a refresh with nothing changed counts in {figures['recount'] * 1000:.0f} ms (the memo)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
