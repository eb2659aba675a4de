"""The pytest plugin: a council's pack cases collected as pytest tests in its own repository."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import FIXTURES

pytest_plugins = ["pytester"]


@pytest.fixture
def council_repo(pytester: pytest.Pytester) -> pytest.Pytester:
    """A repository holding the two-edition harbour pack under packs/ and its base evidence."""
    shutil.copytree(FIXTURES / "packs" / "harbour", pytester.path / "packs" / "harbour")
    shutil.copy(FIXTURES / "bundle-small.json", pytester.path / "bundle-small.json")
    return pytester


def test_inert_without_the_option(council_repo: pytest.Pytester) -> None:
    result = council_repo.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    result.assert_outcomes()


def test_option_collects_one_test_per_case(council_repo: pytest.Pytester) -> None:
    result = council_repo.runpytest("--safeguard-packs", "packs", "-v")
    result.assert_outcomes(passed=10)
    result.stdout.fnmatch_lines(
        [
            "packs/harbour/2023/tests/harbour.yaml::lead and deputy named, policy in date PASSED*",
            "packs/harbour/2024/tests/harbour.yaml::references are now a must PASSED*",
        ]
    )


def test_ini_setting_adds_the_folder_to_testpaths(council_repo: pytest.Pytester) -> None:
    council_repo.makepyprojecttoml(
        '[tool.pytest.ini_options]\ntestpaths = ["tests"]\nsafeguard_packs = ["packs"]\n'
    )
    council_repo.mkdir("tests")
    (council_repo.path / "tests" / "test_own.py").write_text("def test_own():\n    pass\n")
    result = council_repo.runpytest("-m", "safeguard_pack")
    result.assert_outcomes(passed=10, deselected=1)


def test_named_tests_are_not_widened(council_repo: pytest.Pytester) -> None:
    council_repo.mkdir("tests")
    (council_repo.path / "tests" / "test_own.py").write_text("def test_own():\n    pass\n")
    result = council_repo.runpytest("--safeguard-packs", "packs", "tests")
    result.assert_outcomes(passed=1)


def test_keyword_selects_cases(council_repo: pytest.Pytester) -> None:
    result = council_repo.runpytest("--safeguard-packs", "packs", "-k", "references")
    result.assert_outcomes(passed=1, deselected=9)


def test_failure_shows_expected_and_actual_side_by_side(council_repo: pytest.Pytester) -> None:
    path = council_repo.path / "packs" / "harbour" / "2023" / "tests" / "harbour.yaml"
    path.write_text(path.read_text().replace("status: insufficient_evidence", "status: met"))
    result = council_repo.runpytest("--safeguard-packs", "packs")
    result.assert_outcomes(passed=9, failed=1)
    result.stdout.fnmatch_lines(
        [
            "FAIL harbour@2023 harbour.yaml::reporting to the DSL needs the topic or an "
            "attestation (as of 2024-06-01)",
            "  expected * | actual",
            "  HAR-3 every subject met * | HAR-3 provider:prov-1 insufficient_evidence (no",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_broken_test_file_is_a_located_collection_error(council_repo: pytest.Pytester) -> None:
    path = council_repo.path / "packs" / "harbour" / "2024" / "tests" / "harbour.yaml"
    path.write_text(path.read_text().replace("as_of: 2026-03-01", "as_of: 2026-02-30"))
    result = council_repo.runpytest("--safeguard-packs", "packs")
    result.assert_outcomes(errors=1)
    assert (
        "not a calendar date: expected a date YYYY-MM-DD, got '2026-02-30' @ "
        f"{path} $.cases[1].as_of (line 9, column 5)"
    ) in result.stdout.str()


def test_a_missing_folder_is_a_usage_error(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--safeguard-packs", "nowhere")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*safeguard_packs: '*nowhere' is not a folder"])


def test_folder_in_testpaths_is_collected_once(council_repo: pytest.Pytester) -> None:
    council_repo.makepyprojecttoml(
        '[tool.pytest.ini_options]\ntestpaths = ["packs"]\nsafeguard_packs = ["packs"]\n'
    )
    result = council_repo.runpytest()
    result.assert_outcomes(passed=10)


def test_broken_pack_file_is_a_located_collection_error(council_repo: pytest.Pytester) -> None:
    path = council_repo.path / "packs" / "harbour" / "2023" / "pack.yaml"
    path.write_text(path.read_text().replace("modality: should", "modality: shoud", 1))
    result = council_repo.runpytest("--safeguard-packs", "packs")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    assert (
        "value not allowed: expected one of 'must', 'should', 'recommended', got 'shoud' @ "
        f"{path} $.requirements[5].modality"
    ) in result.stdout.str()
    assert "Traceback" not in result.stdout.str()
