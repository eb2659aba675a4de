"""atheris fuzzer for NDJSON portfolios: ``python fuzz/fuzz_ndjson.py fuzz/corpus/ndjson``.

See fuzz/README.md.
"""

import sys

import atheris

with atheris.instrument_imports(include=["safeguard_std"]):
    from harness import check_ndjson


def test_one_input(data: bytes) -> None:
    check_ndjson(data)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
