"""The lock files agree with pyproject.toml, and scripts/check_lock.py (run by `make test`)
says in one sentence to run `make lock` as soon as they do not."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
FILES = ("pyproject.toml", "requirements.lock", "requirements-dev.lock", "scripts/check_lock.py")


def check(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(root / "scripts" / "check_lock.py")],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def checkout(tmp_path):
    """A copy of the files the check reads."""
    (tmp_path / "scripts").mkdir()
    for name in FILES:
        shutil.copy(BASE_DIR / name, tmp_path / name)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_the_committed_locks_agree_with_pyproject():
    result = check(BASE_DIR)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_every_locked_package_is_pinned_with_hashes():
    from scripts.check_lock import parse_lock

    for lock in ("requirements.lock", "requirements-dev.lock"):
        entries = parse_lock((BASE_DIR / lock).read_text())
        assert len(entries) > 20
        assert all(hashes >= 1 for _version, hashes in entries.values()), lock
    runtime = parse_lock((BASE_DIR / "requirements.lock").read_text())
    dev = parse_lock((BASE_DIR / "requirements-dev.lock").read_text())
    # the dev lock is the runtime lock plus the test tools, at the same versions
    assert {name: dev[name][0] for name in runtime} == {n: v for n, (v, _h) in runtime.items()}
    assert "pytest" in dev and "pytest" not in runtime


def test_a_dependency_added_without_locking_fails_with_one_sentence(checkout):
    edit(checkout / "pyproject.toml", '    "Django==', '    "six==1.17.0",\n    "Django==')
    result = check(checkout)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2  # one sentence per lock
    assert lines[0].startswith("requirements.lock does not match pyproject.toml (")
    assert all(line.endswith("run `make lock` to regenerate it.") for line in lines)


def test_a_pin_changed_without_locking_names_both_versions(checkout):
    edit(checkout / "pyproject.toml", '"Django==5.2.19"', '"Django==5.2.18"')
    # even with the fingerprint brought up to date by hand, the versions must agree
    subprocess.run([sys.executable, str(checkout / "scripts" / "check_lock.py"), "--stamp"])
    result = check(checkout)
    assert result.returncode == 1
    assert "it has django==5.2.19, pyproject.toml 5.2.18" in result.stderr


def test_a_lock_entry_without_hashes_fails(checkout):
    lock = checkout / "requirements.lock"
    lines = lock.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("sqlparse=="))
    end = start + 1
    while lines[end].lstrip().startswith("--hash="):
        end += 1
    lock.write_text("\n".join([*lines[:start], lines[start].split(" \\")[0], *lines[end:]]) + "\n")
    result = check(checkout)
    assert result.returncode == 1
    assert "sqlparse has no hash" in result.stderr
