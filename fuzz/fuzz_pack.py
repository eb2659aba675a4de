"""atheris fuzzer for the pack loader: ``python fuzz/fuzz_pack.py fuzz/corpus/pack``.

See fuzz/README.md.
"""

import sys

import atheris

with atheris.instrument_imports(include=["safeguard_std"]):
    from harness import check_pack


def test_one_input(data: bytes) -> None:
    check_pack(data)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
