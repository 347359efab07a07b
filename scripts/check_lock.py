"""Checks that the lock files agree with pyproject.toml (`make test`), or stamps them (`make lock`).

requirements.lock holds the runtime dependencies, requirements-dev.lock those and the dev
extras; both list every package, direct and transitive, with the hashes of its files. A lock
agrees when its header records the fingerprint of pyproject's dependency lists as they are,
every direct pin appears with the same version, and every entry has hashes.

    python scripts/check_lock.py          # exit 1 with one sentence when they disagree
    python scripts/check_lock.py --stamp  # write the fingerprint after `uv pip compile`
"""

import hashlib
import json
import re
import sys
import tomllib
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LOCKS = {"requirements.lock": ("dependencies",), "requirements-dev.lock": ("dependencies", "dev")}
HEADER = "# pyproject.toml dependencies sha256: "
ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;]+)$")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def dependency_lists() -> dict[str, list[str]]:
    project = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]
    return {
        "dependencies": project.get("dependencies", []),
        "dev": project.get("optional-dependencies", {}).get("dev", []),
    }


def fingerprint(lists: dict[str, list[str]]) -> str:
    """The same for the same requirements, whatever their order or comments."""
    requirements = {key: sorted(items) for key, items in lists.items()}
    return hashlib.sha256(json.dumps(requirements, sort_keys=True).encode()).hexdigest()


def parse_lock(text: str) -> dict[str, tuple[str, int]]:
    """{canonical name: (version, number of hashes)} of a requirements file from uv."""
    entries: dict[str, tuple[str, int]] = {}
    current = None
    for line in text.splitlines():
        match = ENTRY.match(line)
        if match:
            current = canonical(match.group(1))
            entries[current] = (match.group(2), line.count("--hash="))
        elif current and line.startswith(" ") and "--hash=" in line:
            version, hashes = entries[current]
            entries[current] = (version, hashes + line.count("--hash="))
        elif line.strip() and not line.lstrip().startswith("#") and not line.startswith(" "):
            entries[f"unparsed line: {line.strip()}"] = ("", 0)
    return entries


def problems(lock: str, lists: dict[str, list[str]]) -> list[str]:
    path = BASE_DIR / lock
    if not path.exists():
        return [f"{lock} is missing"]
    text = path.read_text()
    found = []
    if f"{HEADER}{fingerprint(lists)}" not in text.splitlines():
        found.append("its header records other dependency lists")
    entries = parse_lock(text)
    for key in LOCKS[lock]:
        for requirement in lists[key]:
            pin = PIN.match(requirement.replace(" ", ""))
            if not pin:
                found.append(f"{requirement!r} in pyproject.toml is not pinned with ==")
                continue
            name, version = canonical(pin.group(1)), pin.group(2)
            if name not in entries:
                found.append(f"{name} is not in it")
            elif entries[name][0] != version:
                found.append(f"it has {name}=={entries[name][0]}, pyproject.toml {version}")
    found += [f"{name} has no hash" for name, (_v, hashes) in entries.items() if not hashes]
    return found


def stamp(lists: dict[str, list[str]]) -> None:
    for lock in LOCKS:
        path = BASE_DIR / lock
        lines = [line for line in path.read_text().splitlines() if not line.startswith(HEADER)]
        path.write_text("\n".join([f"{HEADER}{fingerprint(lists)}", *lines]) + "\n")


def main(argv: list[str]) -> int:
    lists = dependency_lists()
    if argv[1:] == ["--stamp"]:
        stamp(lists)
    failures = [(lock, found) for lock in LOCKS if (found := problems(lock, lists))]
    for lock, found in failures:
        print(
            f"{lock} does not match pyproject.toml ({'; '.join(found[:3])}"
            f"{'; …' if len(found) > 3 else ''}): run `make lock` to regenerate it.",
            file=sys.stderr,
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
