"""Re-run one fuzzer input: ``python fuzz/reproduce.py evidence crash-1a2b...`` (or ``pack``,
``scr``, ``ndjson``)."""

import sys
from pathlib import Path

from harness import check_evidence, check_ndjson, check_pack, check_scr

if __name__ == "__main__":
    kind, path = sys.argv[1], Path(sys.argv[2])
    checks = {"evidence": check_evidence, "pack": check_pack, "scr": check_scr}
    {**checks, "ndjson": check_ndjson}[kind](path.read_bytes())
    print("no failure")
