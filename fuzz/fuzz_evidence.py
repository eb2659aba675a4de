"""atheris fuzzer for the evidence loader: ``python fuzz/fuzz_evidence.py fuzz/corpus/evidence``.

See fuzz/README.md.
"""

import sys

import atheris

with atheris.instrument_imports(include=["safeguard_std"]):
    from harness import check_evidence


def test_one_input(data: bytes) -> None:
    check_evidence(data)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
