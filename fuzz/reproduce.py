"""Re-run one fuzzer input: ``python fuzz/reproduce.py evidence crash-1a2b...`` (or ``pack``)."""

import sys
from pathlib import Path

from harness import check_evidence, check_pack

if __name__ == "__main__":
    kind, path = sys.argv[1], Path(sys.argv[2])
    {"evidence": check_evidence, "pack": check_pack}[kind](path.read_bytes())
    print("no failure")
