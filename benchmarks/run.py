"""safeguard_std benchmarks: one command, figures as a table and as JSON.

    python benchmarks/run.py                         # 1k, 10k, 100k people; CLI on 100k
    python benchmarks/run.py --quick                 # smoke run: 1k and 10k, one repeat
    python benchmarks/run.py --million               # also 1M people, and a 1M-person portfolio
    python benchmarks/run.py --pack dorset           # the real pack's person-level requirements
    python benchmarks/run.py --million --write-docs  # regenerate docs/performance.md's figures

Run it with the interpreter that has safeguard_std installed (``.venv/bin/python``). What it
measures, and how, is in docs/performance.md. Every measurement runs in a fresh child process
(a new interpreter, its own memory), so one size cannot tax the next; the parent only collects
JSON. Results go to benchmarks/results/latest.json (or ``--json FILE``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import AS_OF  # noqa: E402  (stdlib only: importing it costs nothing)

FIXTURE_PACK = ROOT / "benchmarks" / "packs" / "dorset-person-rules" / "1" / "pack.yaml"
DEFAULT_PACK = "dorset"
RESULTS = ROOT / "benchmarks" / "results" / "latest.json"
DOCS = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- benchmark-figures:begin -->", "<!-- benchmark-figures:end -->"
IMPORT_BUDGET_MS = 300
PACKAGE_IMPORT_BUDGET_MS = 150
PACKS_COMMAND_BUDGET_MS = 300
STREAM_BUDGET_MB = 300
SINGLE_BUNDLE_BUDGET_MB = 1024
SINGLE_BUNDLE_CPU_S_PER_100K = 15.0
PORTFOLIO_PEOPLE_PER_CPU_S = 5000
RATIO_TARGET = 2.0
PEOPLE_PER_BUNDLE = 100


# -- helpers --------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = None
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "nproc": usable,
        "cpu_model": model,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "memory_gb": _memory_gb(),
        "load_average_1min_at_start": load,
        "commit": commit or None,
    }


def _memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def timed(fn: Callable[[], Any]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) for one call; the result is dropped."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    del result
    return wall, cpu


def best(runs: list[tuple[float, float]]) -> dict[str, float]:
    """The least-disturbed run: minimum wall and CPU seconds (each may come from another run)."""
    return {"wall_s": min(w for w, _c in runs), "cpu_s": min(c for _w, c in runs)}


def child(task: str, **options: Any) -> dict[str, Any]:
    """Run ``task`` in a fresh interpreter; its JSON answer, plus its peak RSS."""
    argv = [sys.executable, str(Path(__file__).resolve()), "--task", task]
    for key, value in options.items():
        argv += [f"--{key.replace('_', '-')}", str(value)]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE)
    assert proc.stdout is not None
    out = proc.stdout.read().decode()
    _pid, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage: its peak RSS
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark task {task} failed (exit {proc.returncode})")
    answer: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    answer["task_peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
    return answer


def resolve_pack(spec: str, as_of: dt.date) -> Any:
    """The pack named by ``--pack``: a path, or a reference in the bundled catalog."""
    from safeguard_std.packs import bundled_catalog, load_pack

    catalog = bundled_catalog(entry_points_too=False)
    catalog = catalog.with_folder(ROOT / "benchmarks" / "packs")
    return load_pack(spec, as_of=as_of, catalog=catalog), catalog


def person_pack(pack: Any) -> Any:
    """The pack cut down to its person-level requirements."""
    import attrs

    from safeguard_std.domain.pack import SubjectType

    keep = tuple(
        r for r in pack.requirements if r.subject is SubjectType.PERSON and not r.withdrawn
    )
    return attrs.evolve(pack, requirements=keep)


def baseline_map(pack: Any) -> dict[str, str]:
    """The pack's requirements the hand-written loop implements (its rule id -> requirement id):
    Dorset's nine, by id, where the pack has them."""
    from benchmarks.baseline import RULES

    ids = {r.id for r in pack.requirements}
    return {rule: rule for rule in RULES if rule in ids}


# -- tasks (each runs in its own child process) ---------------------------------------------------


def task_import(args: argparse.Namespace) -> dict[str, Any]:
    """Import the library, then load, validate and compile every bundled pack (and --pack)."""
    start, start_cpu = time.perf_counter(), time.process_time()
    import safeguard_std  # noqa: F401

    package, package_cpu = time.perf_counter(), time.process_time()
    from safeguard_std.evaluate import compile_pack
    from safeguard_std.packs import bundled_catalog, load_pack

    imported, imported_cpu = time.perf_counter(), time.process_time()
    catalog = bundled_catalog(entry_points_too=False)
    # Each bundled pack as a user gets it: the edition in force on the day, with its base
    # editions and included baselines resolved, validated and compiled.
    packs = [
        catalog.resolve(pack_id, as_of=AS_OF) for pack_id in sorted({r.id for r in catalog.refs})
    ]
    if Path(args.pack).exists():  # a pack file outside the catalog: load it too
        packs.append(load_pack(args.pack, catalog=catalog))
    plans = [compile_pack(pack, kinds=catalog.kinds) for pack in packs]
    names = [f"{p.id}@{p.edition}" for p in packs]
    done, done_cpu = time.perf_counter(), time.process_time()
    return {
        "package_ms": (package - start) * 1000,
        "package_cpu_ms": (package_cpu - start_cpu) * 1000,
        "import_ms": (imported - start) * 1000,
        "packs_ms": (done - imported) * 1000,
        "total_ms": (done - start) * 1000,
        "import_cpu_ms": (imported_cpu - start_cpu) * 1000,
        "packs_cpu_ms": (done_cpu - imported_cpu) * 1000,
        "total_cpu_ms": (done_cpu - start_cpu) * 1000,
        "packs": names,
        "requirements": sum(len(p.steps) for p in plans),
    }


#: Above this many people a bundle is measured more sparingly: a 1,000,000-person bundle is
#: gigabytes in every form, and a minute or more per measurement. Skipped: loading with the
#: collector untouched, the untouched and all-requirements evaluations, the digest and writing
#: the assessment (the figures at 100,000 people say how those scale).
LARGE = 100_000
NAN = {"wall_s": float("nan"), "cpu_s": float("nan")}


def task_size(args: argparse.Namespace) -> dict[str, Any]:
    """Loading and evaluation of one bundle of ``--people`` people, against the baseline."""
    from benchmarks.baseline import evaluate_bundle
    from benchmarks.generate import BundleGenerator
    from safeguard_std.cli._common import batch_collector
    from safeguard_std.evaluate import compile_pack
    from safeguard_std.evidence import load_evidence
    from safeguard_std.io.documents import Limits
    from safeguard_std.serialization import assessment_to_json, evidence_digest

    people, repeat, large = args.people, args.repeat, args.people > LARGE
    # Generated bundles take about 1.35 kB a person, so from about 100,000 people one is beyond
    # the default limits on one document (128 MiB, five million lists and mappings): raise them
    # as a caller with such a bundle does (docs/limits.md).
    limits = Limits(max_bytes=4 * 1024**3, max_nodes=100_000_000)
    raw = json.dumps(BundleGenerator(args.seed).bundle(people), separators=(",", ":")).encode()
    size = len(raw)
    pack, catalog = resolve_pack(args.pack, AS_OF)
    persons = person_pack(pack)
    mapping = baseline_map(persons)
    plans = {
        "person": compile_pack(persons, kinds=catalog.kinds),
        "same": compile_pack(_only(persons, set(mapping.values())), kinds=catalog.kinds),
    }

    loads, paused = [], []
    for _ in range(repeat):
        if not large:
            loads.append(timed(lambda: load_evidence(raw, name="bundle.json", limits=limits)))
        gc.disable()  # as the command line loads (see batch_collector)
        paused.append(timed(lambda: load_evidence(raw, name="bundle.json", limits=limits)))
        gc.enable()
    gc.disable()
    bundle = load_evidence(raw, name="bundle.json", limits=limits)
    # A bundle never evaluated yet, for the first-evaluation figure.
    fresh = None if large else load_evidence(raw, name="bundle.json", limits=limits)
    data = json.loads(raw)  # what the hand-written loop works on: the bundle as JSON gives it
    raw = b""  # a large bundle's bytes need not outlive this
    gc.enable()
    current = len([p for p in bundle.people if p.active_engagements(AS_OF)])

    agreement = _agreement(plans["same"], bundle, data, mapping)
    modes = {}
    defaults = gc.get_threshold()
    for mode in ("gc_untouched", "gc_batch", "gc_disabled"):
        if mode == "gc_untouched" and large:
            modes[mode] = {"ratio_cpu": float("nan"), "ratio_wall": float("nan")}
            continue
        if mode == "gc_batch":
            batch_collector()  # exactly what the command line does once a bundle is loaded
            if fresh is not None:  # the first evaluation of a bundle also reads all its dates
                first = timed(lambda: plans["same"].evaluate(fresh, as_of=AS_OF))
        if mode == "gc_disabled":
            gc.unfreeze()
            gc.set_threshold(*defaults)
            gc.disable()  # as timeit measures
        base_runs, same_runs, person_runs = [], [], []
        for _ in range(repeat):  # interleaved, so a disturbance hits both sides alike
            base_runs.append(timed(lambda: evaluate_bundle(data, AS_OF)))
            same_runs.append(timed(lambda: plans["same"].evaluate(bundle, as_of=AS_OF)))
            if not large:
                person_runs.append(timed(lambda: plans["person"].evaluate(bundle, as_of=AS_OF)))
        base, same = best(base_runs), best(same_runs)
        modes[mode] = {
            "baseline": base,
            "evaluate": same,
            "evaluate_all_person_requirements": best(person_runs) if person_runs else NAN,
            "ratio_cpu": same["cpu_s"] / base["cpu_s"],
            "ratio_wall": same["wall_s"] / base["wall_s"],
        }
    gc.enable()
    if fresh is None:
        first = (float("nan"), float("nan"))
    digest = to_json = NAN
    findings = len(plans["same"].evaluate(bundle, as_of=AS_OF).findings)
    loop_judgements = len(evaluate_bundle(data, AS_OF))
    if not large:
        assessment = plans["person"].evaluate(bundle, as_of=AS_OF)
        findings = len(assessment.findings)
        digest = dict(zip(("wall_s", "cpu_s"), timed(lambda: evidence_digest(bundle)), strict=True))
        written = timed(lambda: assessment_to_json(assessment))
        to_json = dict(zip(("wall_s", "cpu_s"), written, strict=True))
    return {
        "people": people,
        "current_people": current,
        "bytes": size,
        "requirements": len(plans["same"].steps),
        "person_requirements": len(plans["person"].steps),
        "findings": findings,
        "loop_judgements": loop_judgements,
        "load": best(loads) if loads else NAN,
        "load_collector_paused": best(paused),
        "first_evaluation": dict(zip(("wall_s", "cpu_s"), first, strict=True)),
        "modes": modes,
        "evidence_digest": digest,
        "assessment_to_json": to_json,
        "agreement": agreement,
        "baseline_map": mapping,
    }


def task_write(args: argparse.Namespace) -> dict[str, Any]:
    """Write a generated bundle (.json) or portfolio (.ndjson), in its own process, so the
    benchmark's own process stays small: a child started from it inherits its peak memory in
    the kernel's accounting."""
    from benchmarks.generate import write_bundle, write_portfolio

    out = Path(args.out)
    if out.suffix == ".ndjson":
        write_portfolio(out, args.people, PEOPLE_PER_BUNDLE, seed=args.seed)
    else:
        write_bundle(out, args.people, seed=args.seed)
    return {"bytes": out.stat().st_size}


def _only(pack: Any, ids: set[str]) -> Any:
    import attrs

    return attrs.evolve(pack, requirements=tuple(r for r in pack.requirements if r.id in ids))


def _agreement(plan: Any, bundle: Any, data: Any, mapping: dict[str, str]) -> dict[str, Any]:
    from benchmarks.baseline import evaluate_bundle

    ours = {
        (f.requirement_id, f.subject.id): f.status.value
        for f in plan.evaluate(bundle, as_of=AS_OF).findings
    }
    theirs = {
        (mapping[r], p): s for (r, p), s in evaluate_bundle(data, AS_OF).items() if r in mapping
    }
    keys = set(ours) | set(theirs)
    differ = Counter(k[0] for k in keys if ours.get(k) != theirs.get(k))
    return {
        "compared": len(keys),
        "agree": len(keys) - sum(differ.values()),
        "differ_by_requirement": dict(sorted(differ.items())),
    }


def task_bundles(args: argparse.Namespace) -> dict[str, Any]:
    """Whole bundles (every requirement of the pack), ``--people`` people each."""
    from benchmarks.generate import portfolio
    from safeguard_std.evaluate import compile_pack
    from safeguard_std.evidence import load_evidence
    from safeguard_std.serialization import assessment_to_data, canonical_json

    pack, catalog = resolve_pack(args.pack, AS_OF)
    plan = compile_pack(pack, kinds=catalog.kinds)
    total = args.bundles * args.people
    raws = [json.dumps(b).encode() for b in portfolio(total, args.people, seed=args.seed)]
    bundles = [load_evidence(r, name="b.json") for r in raws]
    runs = [
        timed(lambda: [plan.evaluate(b, as_of=AS_OF) for b in bundles]) for _ in range(args.repeat)
    ]

    def whole_line() -> None:
        for raw in raws:
            a = plan.evaluate(load_evidence(raw, name="b.json"), as_of=AS_OF)
            canonical_json(assessment_to_data(a))

    lines = [timed(whole_line) for _ in range(args.repeat)]
    return {
        "bundles": args.bundles,
        "people_per_bundle": args.people,
        "requirements": len(plan.steps),
        "evaluate": best(runs),
        "load_evaluate_write": best(lines),
    }


# -- the command line, end to end ----------------------------------------------------------------


class TreeMemory:
    """Samples the resident memory of a process and its children (Linux /proc), every 50 ms."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_kb, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _pids(self) -> Iterator[int]:
        yield self.pid
        try:
            for task in Path(f"/proc/{self.pid}/task").iterdir():
                for child in (task / "children").read_text().split():
                    yield int(child)
        except OSError:
            return

    @staticmethod
    def _rss_kb(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak_kb = max(self.peak_kb, sum(self._rss_kb(p) for p in self._pids()))

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return round(self.peak_kb / 1024, 1)


def run_cli(argv: list[str]) -> dict[str, Any]:
    """Run ``safeguard-std`` as a child: wall time, CPU, peak RSS (largest single process, from
    the kernel's accounting via wait4) and sampled peak of the whole process tree."""
    wall = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "safeguard_std", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    tree = TreeMemory(proc.pid)
    assert proc.stdout is not None
    lines = size = 0
    for chunk in iter(lambda: proc.stdout.read(1 << 20), b""):  # type: ignore[union-attr]
        lines += chunk.count(b"\n")
        size += len(chunk)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - wall
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "exit": proc.returncode,
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "peak_tree_rss_mb": tree.stop(),
        "stdout_lines": lines,
        "stdout_bytes": size,
        "stderr": err.decode(errors="replace")[-500:],
    }


def end_to_end(
    pack: str, people: int, seed: int, folder: Path, formats: tuple[str, ...] = ("json",)
) -> list[dict[str, Any]]:
    """``safeguard-std evaluate`` on one bundle of ``people`` people, once per output format
    (the JSON assessment and report, and the compact ``ndjson-findings``)."""
    source = folder / f"bundle-{people}.json"
    size = child("write", people=people, seed=seed, out=source)["bytes"]
    results = []
    for form in formats:
        out = folder / f"assessment-{people}.{form}"
        argv = ["evaluate", "--pack", pack, "--evidence", str(source)]
        argv += ["--as-of", AS_OF.isoformat(), "--format", form]
        argv += ["--max-document-mib", str(max(128, size // 2**20 + 1))]  # see task_size
        result = run_cli([*argv, "--output", str(out)])
        result.update(people=people, input_bytes=size, output_bytes=out.stat().st_size, format=form)
        out.unlink()
        results.append(result)
    source.unlink()
    return results


def packs_command(runs: int) -> dict[str, Any]:
    """``safeguard-std packs`` as a user runs it, a fresh interpreter each time: median wall
    and CPU milliseconds (the kernel's accounting of the child)."""
    walls, cpus = [], []
    for _ in range(runs):
        result = run_cli(["packs"])
        if result["exit"] != 0:
            raise SystemExit(f"safeguard-std packs failed: {result['stderr']}")
        walls.append(result["wall_s"] * 1000)
        cpus.append(result["cpu_s"] * 1000)
    return {"wall_ms": statistics.median(walls), "cpu_ms": statistics.median(cpus), "runs": runs}


def streaming(pack: str, people: int, jobs: int, seed: int, folder: Path) -> dict[str, Any]:
    """``safeguard-std evaluate`` on a portfolio (bundles of 100 people, one a line)."""
    source = folder / f"portfolio-{people}.ndjson"
    if not source.exists():
        child("write", people=people, seed=seed, out=source)
    argv = ["evaluate", "--pack", pack, "--evidence", str(source), "--as-of", AS_OF.isoformat()]
    result = run_cli([*argv, "--jobs", str(jobs)])
    result.update(
        people=people,
        bundles=-(-people // PEOPLE_PER_BUNDLE),
        jobs=jobs,
        input_bytes=source.stat().st_size,
    )
    return result


# -- report ---------------------------------------------------------------------------------------


def _num(value: float) -> str:
    return "-" if value != value else f"{value:.2f}"  # NaN: not measured at this size


def _micro(size: dict[str, Any], key: str) -> str:
    seconds = size[key]["cpu_s"]
    return "-" if seconds != seconds else f"{seconds / size['people'] * 1e6:.1f}"  # NaN: skipped


def _rate(count: float, seconds: float) -> str:
    return f"{count / seconds:,.0f}" if seconds > 0 else "-"


def _import_paragraph(results: dict[str, Any]) -> list[str]:
    """The cold-start figures, as a paragraph."""
    imp = results["import"]
    verdict = "met" if imp["total_ms"] < IMPORT_BUDGET_MS else "NOT met"
    cmd = results.get("packs_command")
    packs_line = (
        f" `safeguard-std packs` (a fresh interpreter, as a user runs it; median of "
        f"{cmd['runs']}): {cmd['cpu_ms']:.0f} ms CPU, {cmd['wall_ms']:.0f} ms wall."
        if cmd
        else ""
    )
    return [
        "**Import and packs** (a fresh interpreter each run, bytecode compiled as pip installs "
        f"it; median of {imp['runs']} runs): `import safeguard_std` "
        f"{imp.get('package_ms', float('nan')):.1f} ms (each public name loads its module when "
        "first used); importing the evaluator and pack loader as well "
        f"{imp['import_ms']:.0f} ms; loading, validating and compiling "
        f"{', '.join(imp['packs'])} ({imp['requirements']} requirements) "
        f"{imp['packs_ms']:.0f} ms; **total {imp['total_ms']:.0f} ms wall** "
        f"({imp['total_cpu_ms']:.0f} ms CPU); budget {IMPORT_BUDGET_MS} ms: {verdict}."
        + packs_line,
        "",
    ]


def _judgement_table(sizes: list[dict[str, Any]]) -> list[str]:
    """Every person-level requirement against the loop, per judgement, as a table."""
    out: list[str] = []
    judged = [s for s in sizes if per_judgement(s) == per_judgement(s)]  # NaN: not measured
    if judged:
        out += [
            "",
            "**Every person-level requirement of the pack**, per judgement (one finding: a "
            "requirement judged for a person), against the loop's cost per judgement "
            "(collector as in batch):",
            "",
            "| people | **ratio per judgement** | requirements | library judgements/s "
            "| loop judgements/s |",
            "| ---: | ---: | ---: | ---: | ---: |",
        ]
        for s in judged:
            fr = s["modes"]["gc_batch"]
            out.append(
                f"| {s['people']:,} | **{per_judgement(s):.2f}** "
                f"| {s['person_requirements']} "
                f"| {_rate(s['findings'], fr['evaluate_all_person_requirements']['cpu_s'])} "
                f"| {_rate(s['loop_judgements'], fr['baseline']['cpu_s'])} |"
            )
    return out


def tables(results: dict[str, Any]) -> str:
    """The figures as Markdown tables (printed, and written into docs/performance.md)."""
    out: list[str] = []
    m = results["machine"]
    load = m["load_average_1min_at_start"]
    out += [
        f"Measured {results['date']} on {m['cpu_model']} ({m['nproc']} processors, "
        f"{m['memory_gb']} GB), Python {m['python']}, {m['platform']}; commit `{m['commit']}`; "
        f"1-minute load average when the run began: {load:.2f}. Command: "
        f"`{results['command']}`. Times are CPU seconds of the measuring process unless "
        "marked wall; each is the best of the repeats.",
        "",
    ]
    out += _import_paragraph(results)
    sizes = results["sizes"]
    if sizes:
        first = sizes[0]
        out += [
            f"**Evaluation** of the {first['requirements']} Dorset person-level requirements the "
            "hand-written loop also implements (one bundle of that many people), and the loop "
            "itself, interleaved in one process; ratios first (library time over loop time), "
            "absolute figures after. *Batch*: Python's garbage collector set as the "
            "command line sets it once a bundle is loaded (`gc.freeze()`, then "
            "`gc.set_threshold(50_000, 20, 100)`; see below); *untouched*: the collector as "
            "Python starts; *off*: `gc.disable()`, as `timeit` measures. The ratios are of the "
            "best of the repeats; *first time* is one evaluation of a bundle never evaluated "
            "before, which also works out each person's latest event date (remembered for the "
            "bundle: see below).",
            "",
            "| people | **ratio, batch** | ratio, untouched | ratio, off | first time, batch "
            "| evaluate people/s | loop people/s | µs/person | statuses agree |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for s in sizes:
            fr, un, off = (s["modes"][k] for k in ("gc_batch", "gc_untouched", "gc_disabled"))
            agree = s["agreement"]
            out.append(
                f"| {s['people']:,} | **{fr['ratio_cpu']:.2f}** | {_num(un['ratio_cpu'])} "
                f"| {off['ratio_cpu']:.2f} "
                f"| {_num(s['first_evaluation']['cpu_s'] / fr['baseline']['cpu_s'])} "
                f"| {_rate(s['people'], fr['evaluate']['cpu_s'])} "
                f"| {_rate(s['people'], fr['baseline']['cpu_s'])} "
                f"| {fr['evaluate']['cpu_s'] / s['people'] * 1e6:.2f} "
                f"| {agree['agree']:,} of {agree['compared']:,} |"
            )
        out += _judgement_table(sizes)
        out += [
            "",
            "**Scaling**: microseconds per person at each size (collector as in batch), and each "
            "relative to the smallest size (1.00: time grows exactly linearly with people). "
            "*Load* is JSON bytes to typed entities with the collector paused, as the command "
            "line loads (*untouched*: as Python starts); *all person-level* is every "
            "person-level requirement of the pack; *digest* the evidence digest; *write* the "
            "assessment as indented canonical JSON.",
            "",
            "| people | load | × | evaluate | × | all person-level | × | load, untouched "
            "| digest | write |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]

        def per(s: dict[str, Any], value: float) -> float:
            return value / s["people"] * 1e6

        def batch(s: dict[str, Any], key: str) -> float:
            return float(s["modes"]["gc_batch"][key]["cpu_s"])

        base = (
            per(first, first["load_collector_paused"]["cpu_s"]),
            per(first, batch(first, "evaluate")),
            per(first, batch(first, "evaluate_all_person_requirements")),
        )
        for s in sizes:
            now = (
                per(s, s["load_collector_paused"]["cpu_s"]),
                per(s, batch(s, "evaluate")),
                per(s, batch(s, "evaluate_all_person_requirements")),
            )
            cells = " | ".join(f"{_num(v)} | {_num(v / b)}" for v, b in zip(now, base, strict=True))
            out.append(
                f"| {s['people']:,} | {cells} | {_num(per(s, s['load']['cpu_s']))} "
                f"| {_micro(s, 'evidence_digest')} | {_micro(s, 'assessment_to_json')} |"
            )
        out.append("")
    b = results.get("bundles")
    if b:
        lines = _rate(b["bundles"], b["load_evaluate_write"]["cpu_s"])
        out += [
            f"**Whole bundles** ({b['bundles']} bundles of {b['people_per_bundle']} people, "
            f"every requirement of the pack: {b['requirements']}): evaluate "
            f"**{_rate(b['bundles'], b['evaluate']['cpu_s'])} bundles/s**; load, evaluate and "
            f"write each as a line of canonical JSON {lines} bundles/s.",
            "",
        ]
    runs = [(f"one bundle, {e.get('format', 'json')}", e) for e in results["end_to_end"]]
    runs += [("portfolio", p) for p in results["streaming"]]
    if runs:
        out += [
            "**Command line**, end to end (`safeguard-std evaluate` as a child process, wall "
            "time; *peak RSS* is the kernel's figure for the largest single process, *tree* the "
            "sampled peak of the process and its workers together):",
            "",
            "| run | people | input | jobs | wall s | CPU s | people/CPU-s | peak RSS MB "
            "| tree MB | output |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, r in runs:
            many = "bundles" in r
            what = f"{r['bundles']:,} bundles, .ndjson" if many else "1 bundle, .json"
            size = f"{r['input_bytes'] / 1e6:,.0f} MB {what}"
            output = (
                f"{r['stdout_lines']:,} assessments"
                if many
                else f"{r['output_bytes'] / 1e6:,.0f} MB"
            )
            out.append(
                f"| {name} | {r['people']:,} | {size} | {r.get('jobs', 1)} | {r['wall_s']:.1f} "
                f"| {r['cpu_s']:.1f} | {_rate(r['people'], r['cpu_s'])} "
                f"| {r['peak_rss_mb']:.0f} | {r['peak_tree_rss_mb']:.0f} | {output} |"
            )
        out.append("")
    t = results["targets"]
    out.append(
        "**Targets**: "
        + "; ".join(f"{k}: {'met' if ok else 'NOT met'}" for k, ok in t.items())
        + "."
    )
    return "\n".join(out) + "\n"


def per_judgement(size: dict[str, Any]) -> float:
    """The library's CPU time per finding over all person-level requirements, over the loop's
    per judgement (NaN where the all-requirements evaluation was not measured)."""
    batch = size["modes"]["gc_batch"]
    ours = batch["evaluate_all_person_requirements"]["cpu_s"] / max(size.get("findings", 0), 1)
    theirs = batch["baseline"]["cpu_s"] / max(size.get("loop_judgements", 0), 1)
    return float(ours / theirs) if theirs > 0 else float("nan")


def targets(results: dict[str, Any]) -> dict[str, bool]:
    """Each target of the issue, met or not, from the figures."""
    imp = results["import"]
    out = {"import and packs under 300 ms": imp["total_ms"] < IMPORT_BUDGET_MS}
    if "package_ms" in imp:
        out[f"import safeguard_std under {PACKAGE_IMPORT_BUDGET_MS} ms"] = (
            imp["package_ms"] < PACKAGE_IMPORT_BUDGET_MS
        )
    if results.get("packs_command"):
        out[f"safeguard-std packs under {PACKS_COMMAND_BUDGET_MS} ms CPU"] = (
            results["packs_command"]["cpu_ms"] < PACKS_COMMAND_BUDGET_MS
        )
    if results["sizes"]:
        batch = max(s["modes"]["gc_batch"]["ratio_cpu"] for s in results["sizes"])
        untouched = max(
            r for s in results["sizes"] if (r := s["modes"]["gc_untouched"]["ratio_cpu"]) == r
        )
        out["person-level evaluation within 2x of the loop (collector as in batch)"] = (
            batch <= RATIO_TARGET
        )
        out["the same with the collector untouched"] = untouched <= RATIO_TARGET
        out["the loop agrees on every status"] = all(
            s["agreement"]["agree"] == s["agreement"]["compared"] for s in results["sizes"]
        )
        judged = [r for s in results["sizes"] if (r := per_judgement(s)) == r]
        if judged:
            out["every person-level requirement within 2x of the loop per judgement"] = (
                max(judged) <= RATIO_TARGET
            )
    for run in results["end_to_end"]:
        form = run.get("format", "json")
        people = run["people"]
        out[f"{people:,}-person bundle, {form}, under 1 GB"] = (
            run["peak_rss_mb"] < SINGLE_BUNDLE_BUDGET_MB and run["exit"] == 0
        )
        if people >= 100_000:  # below that, starting the interpreter is most of it
            budget = SINGLE_BUNDLE_CPU_S_PER_100K * people / 100_000
            out[f"{people:,}-person bundle, {form}, under {budget:g} CPU-s"] = run["cpu_s"] < budget
    for run in results["streaming"]:
        peak = max(run["peak_rss_mb"], run["peak_tree_rss_mb"])
        key = f"{run['people']:,}-person portfolio, --jobs {run['jobs']}, under 300 MB"
        out[key] = peak < STREAM_BUDGET_MB and run["exit"] == 0
        if run["jobs"] == 1:
            rate = run["people"] / run["cpu_s"] if run["cpu_s"] > 0 else 0.0
            key = (
                f"{run['people']:,}-person portfolio, at least {PORTFOLIO_PEOPLE_PER_CPU_S:,} "
                "people per CPU-second"
            )
            out[key] = rate >= PORTFOLIO_PEOPLE_PER_CPU_S
    return out


def _plain(value: Any) -> Any:
    """The figures as strict JSON: a measurement not taken (NaN) is null."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return None if isinstance(value, float) and value != value else value


def write_docs(text: str) -> None:
    page = DOCS.read_text(encoding="utf-8")
    if BEGIN not in page or END not in page:
        raise SystemExit(f"{DOCS} has no {BEGIN} ... {END} section to rewrite")
    head, rest = page.split(BEGIN, 1)
    _old, tail = rest.split(END, 1)
    note = "<!-- Generated by benchmarks/run.py --write-docs; do not edit by hand. -->"
    DOCS.write_text(f"{head}{BEGIN}\n{note}\n\n{text}\n{END}{tail}", encoding="utf-8")


# -- main -----------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="people per bundle to measure, e.g. 1000,10000,100000")
    parser.add_argument("--quick", action="store_true", help="1k and 10k, one repeat, small runs")
    parser.add_argument(
        "--million", action="store_true", help="add 1,000,000 people, and a 1M-person portfolio"
    )
    parser.add_argument(
        "--pack",
        default=DEFAULT_PACK,
        help="pack reference or path whose person-level requirements are measured (default: "
        f"the bundled {DEFAULT_PACK!r} pack, edition in force on the benchmark date; "
        "benchmarks/packs/dorset-person-rules/1/pack.yaml is the extract of its nine rules)",
    )
    parser.add_argument(
        "--e2e-people", type=int, help="people in the command line's single bundle (100,000)"
    )
    parser.add_argument(
        "--portfolio-people", type=int, help="people in the portfolio run (100,000)"
    )
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--repeat", type=int, help="runs per measurement (best is kept)")
    parser.add_argument("--jobs", type=int, default=0, help="portfolio --jobs (0: all processors)")
    parser.add_argument("--json", type=Path, default=RESULTS, help="write the figures here")
    parser.add_argument("--write-docs", action="store_true", help="rewrite docs/performance.md")
    parser.add_argument("--task", help=argparse.SUPPRESS)
    parser.add_argument("--people", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--bundles", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def cold_start(pack: str, count: int) -> dict[str, Any]:
    """Importing the library and compiling every bundled pack (``import``), and ``safeguard-std
    packs`` (``packs_command``), each in fresh interpreters, ``count`` times: medians."""
    runs = [child("import", pack=pack) for _ in range(count)]
    keys = ("package_ms", "package_cpu_ms", "import_ms", "packs_ms", "total_ms")
    keys += ("import_cpu_ms", "packs_cpu_ms", "total_cpu_ms")
    figures = {key: statistics.median(r[key] for r in runs) for key in keys}
    figures |= {"packs": runs[0]["packs"], "requirements": runs[0]["requirements"]}
    figures["runs"] = len(runs)
    print(f"  import and packs: {figures['total_ms']:.0f} ms")
    command = packs_command(count)
    print(f"  safeguard-std packs: {command['cpu_ms']:.0f} ms CPU")
    return {"import": figures, "packs_command": command}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.task:
        tasks = {
            "import": task_import,
            "size": task_size,
            "bundles": task_bundles,
            "write": task_write,
        }
        task = tasks[args.task]
        print(json.dumps(task(args)))
        return 0
    if args.sizes:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]
    else:
        sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    if args.million and 1_000_000 not in sizes:
        sizes.append(1_000_000)
    repeat = args.repeat or (1 if args.quick else 3)
    pack = args.pack
    command = "python benchmarks/run.py" + "".join(
        f" {a}" for a in (argv if argv is not None else sys.argv[1:])
    )
    results: dict[str, Any] = {
        "date": dt.date.today().isoformat(),  # noqa: DTZ011 - when the figures were measured
        "command": command.strip(),
        "machine": machine(),
        "settings": {"seed": args.seed, "as_of": AS_OF.isoformat(), "pack": pack},
    }
    print(
        f"safeguard_std benchmarks: {results['machine']['cpu_model']}, "
        f"{results['machine']['nproc']} processors, Python {results['machine']['python']}"
    )
    subprocess.run(  # what an installed wheel has: bytecode compiled ahead of time
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "src")],
        check=False,
        stdout=subprocess.DEVNULL,
    )
    results.update(cold_start(pack, 3 if args.quick else 7))

    results["sizes"] = []
    for people in sizes:
        rep = 1 if people >= 1_000_000 else repeat
        print(f"  evaluation at {people:,} people ({rep} repeat(s)) ...", flush=True)
        results["sizes"].append(child("size", people=people, pack=pack, seed=args.seed, repeat=rep))
    print("  whole bundles ...", flush=True)
    results["bundles"] = child(
        "bundles",
        people=PEOPLE_PER_BUNDLE,
        bundles=50 if args.quick else 200,
        pack=pack,
        seed=args.seed,
        repeat=repeat,
    )
    jobs = args.jobs or len(os.sched_getaffinity(0))
    e2e_people = args.e2e_people or (10_000 if args.quick else 100_000)
    portfolio_sizes = [args.portfolio_people or (10_000 if args.quick else 100_000)]
    if args.million:
        portfolio_sizes.append(1_000_000)
    with tempfile.TemporaryDirectory(prefix="safeguard-bench-") as tmp:
        folder = Path(tmp)
        print(f"  command line on a {e2e_people:,}-person bundle ...", flush=True)
        formats = ("json", "ndjson-findings")
        results["end_to_end"] = end_to_end(pack, e2e_people, args.seed, folder, formats)
        results["streaming"] = []
        for people in portfolio_sizes:
            for j in sorted({1, jobs}):
                print(f"  portfolio of {people:,} people, --jobs {j} ...", flush=True)
                results["streaming"].append(streaming(pack, people, j, args.seed, folder))
    results["targets"] = targets(results)
    text = tables(results)
    print()
    print(text)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(_plain(results), indent=2) + "\n", encoding="utf-8")
    print(f"figures written to {args.json}")
    if args.write_docs:
        write_docs(text)
        print(f"figures section of {DOCS} rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
