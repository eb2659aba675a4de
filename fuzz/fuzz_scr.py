"""atheris fuzzer for the SCR importer (CSV and .xlsx): ``python fuzz/fuzz_scr.py fuzz/corpus/scr``.

See fuzz/README.md.
"""

import sys

import atheris

with atheris.instrument_imports(include=["safeguard_std"]):
    from harness import check_scr


def test_one_input(data: bytes) -> None:
    check_scr(data)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
