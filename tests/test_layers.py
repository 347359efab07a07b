"""The floors of the house (pyproject.toml's import-linter contract) hold, and the contract
really refuses an import from a lower floor to a higher one."""

import subprocess
import sys
import textwrap
from pathlib import Path

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
ROOT = Path(__file__).resolve().parent.parent


def lint_imports(config: Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(config)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
    )


def test_every_package_imports_only_the_floors_below_it():
    result = lint_imports(ROOT / "pyproject.toml", ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_import_from_a_lower_floor_to_a_higher_one_is_refused(tmp_path):
    # The project's own contract, applied to a two-floor copy: core importing an app.
    for package, source in {"core": "import cities.models\n", "cities": ""}.items():
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
        (tmp_path / package / "helpers.py").write_text(source)
    (tmp_path / "cities" / "models.py").write_text("")
    config = tmp_path / "setup.cfg"
    config.write_text(
        textwrap.dedent(
            """
            [importlinter]
            root_packages =
                core
                cities
            [importlinter:contract:floors]
            name = floors
            type = layers
            layers =
                cities
                core
            """
        )
    )
    result = lint_imports(config, tmp_path)
    assert result.returncode == 1
    assert "core.helpers -> cities.models" in result.stdout
