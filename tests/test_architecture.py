"""The layers of README's 目录 hold: each app imports only the ones below it
(``.importlinter``), and a back-edge is caught."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("config", "core", "members", "workrooms", "assessment", "archives")
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"], cwd=cwd, capture_output=True, text=True, env={"PYTHONPATH": str(cwd)}, timeout=120
    )


def copy_of_the_project(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "migrations"))
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    return tmp_path


def test_the_import_contracts_are_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout
    assert "BROKEN" not in result.stdout and "Contracts: 4 kept, 0 broken." in result.stdout


def test_a_people_module_importing_the_documents_layer_breaks_the_layers(tmp_path):
    project = copy_of_the_project(tmp_path)
    roles = project / "members" / "roles.py"
    roles.write_text(roles.read_text(encoding="utf-8") + "\n\ndef _late():\n    from archives import models  # noqa\n", encoding="utf-8")
    result = lint_imports(project)
    assert result.returncode != 0
    assert "members.roles -> archives.models" in result.stdout


def test_a_scoring_rule_reading_a_model_breaks_the_pure_rules(tmp_path):
    project = copy_of_the_project(tmp_path)
    rule = project / "assessment" / "rules" / "monthly.py"
    rule.write_text("from assessment.models import Period  # noqa\n" + rule.read_text(encoding="utf-8"), encoding="utf-8")
    result = lint_imports(project)
    assert result.returncode != 0
    assert "-   assessment.rules.monthly -> assessment.models" in result.stdout
