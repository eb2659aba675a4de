"""Evidence is read from its source once: a pipe (``<(...)``, ``/dev/stdin``, a FIFO) can only be
read once, so a bundle the person-at-a-time path does not accept must be judged from the bytes
already read, never by reading the source again (which waited for ever on a FIFO)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from safeguard_std.evidence import load_evidence
from safeguard_std.exceptions import EvidenceError

ROOT = Path(__file__).resolve().parents[1]


def _through_a_pipe(tmp_path: Path, data: bytes) -> Path:
    fifo = tmp_path / "bundle.json"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as out:
            out.write(data)

    threading.Thread(target=write, daemon=True).start()
    return fifo


def test_an_invalid_bundle_from_a_pipe_is_reported_not_waited_for(tmp_path: Path) -> None:
    text = (ROOT / "examples" / "dorset-youth-charity.json").read_text(encoding="utf-8")
    bad = text.replace('"schema_version": 1', '"schema_version": 1, "bogus": 1', 1)
    assert bad != text
    fifo = _through_a_pipe(tmp_path, bad.encode())
    result: list[object] = []

    def load() -> None:
        try:
            result.append(load_evidence(fifo))
        except EvidenceError as exc:
            result.append(exc)

    reader = threading.Thread(target=load, daemon=True)
    reader.start()
    reader.join(timeout=20)
    assert not reader.is_alive(), "load_evidence read the pipe a second time and waited"
    assert isinstance(result[0], EvidenceError)
    assert "bogus" in str(result[0])


def test_a_valid_bundle_from_a_pipe_loads(tmp_path: Path) -> None:
    data = (ROOT / "examples" / "dorset-youth-charity.json").read_bytes()
    fifo = _through_a_pipe(tmp_path, data)
    assert load_evidence(fifo) == load_evidence(data, name="bundle.json")


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_a_file_is_read_once(tmp_path: Path, suffix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / f"bundle{suffix}"
    path.write_text('{"schema_version": 1, "bogus": 1}', encoding="utf-8")
    opened: list[str] = []
    original_open = open

    def counting_open(file: object, *args: object, **kwargs: object) -> object:
        if str(file) == str(path):
            opened.append(str(file))
        return original_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", counting_open)
    with pytest.raises(EvidenceError):
        load_evidence(path)
    assert len(opened) <= 1
