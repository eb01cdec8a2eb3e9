"""Cheap guards on the shape of the code: layering and lazy heavy imports."""

from __future__ import annotations

import ast
import subprocess
import sys
from importlib import resources
from pathlib import Path

import egov_audit

PACKAGE = Path(egov_audit.__file__).parent


def test_importing_the_engine_loads_neither_sslyze_nor_nmap() -> None:
    code = (
        "import sys, egov_audit, egov_audit.cli, egov_audit.runner, egov_audit.registry;"
        "egov_audit.registry.load_catalogue();"
        "heavy = [m for m in ('sslyze', 'nassl', 'nmap', 'openpyxl', 'pypdf', 'docx') "
        "if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "", f"imported eagerly: {out}"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative: resolve against the file's package
                parts = path.relative_to(PACKAGE.parent).with_suffix("").parts[: -node.level]
                module = ".".join([*parts, module]) if module else ".".join(parts)
            found.add(module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_engine_never_imports_checks_or_reports() -> None:
    # The CLI and the dashboard are composition roots and may know the renderers
    # (the dashboard reuses the report's catalogues); the engine may not.
    engine = [p for p in PACKAGE.rglob("*.py")
              if not {"cli", "dashboard"} & set(p.relative_to(PACKAGE).parts)]
    offenders = {
        str(p.relative_to(PACKAGE)): sorted(
            m for m in _imports(p)
            if m.startswith(("egov_audit.checks", "egov_audit.reports"))
        )
        for p in engine
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_data_files_ship_with_the_package() -> None:
    schema = resources.files("egov_audit.schema").joinpath("result.schema.json")
    assert schema.is_file()


def test_every_check_module_defines_the_check_named_after_it() -> None:
    # One name everywhere: checks/<family>/<name>.py defines <family>.<name>.
    from egov_audit.registry import load_catalogue

    catalogue = load_catalogue()
    for check_id, reg in catalogue.checks.items():
        module = sys.modules[reg.check.func.__module__]
        family, name = check_id.split(".", 1)
        file = Path(module.__file__ or "")
        if file.stem.startswith("_") or file.parent.name.startswith("_"):
            # Made by a factory: a family's own helper, or the shared path-rule
            # engine, whose rule file then carries the name.
            rule = resources.files(f"egov_audit.checks.{family}").joinpath("rules", f"{name}.toml")
            assert file.parent.name == family or rule.is_file(), check_id
            continue
        assert (file.parent.name, file.stem) == (family, name), check_id


def test_every_package_directory_is_listed_in_pyproject() -> None:
    # setuptools only ships listed packages (package-dir remaps checks/ and friends);
    # a forgotten sub-package works in the source tree and breaks in the wheel.
    import tomllib

    root = PACKAGE.parent
    config = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    mapping = {v: k for k, v in config["package-dir"].items()}
    present = set()
    for top, dotted in mapping.items():
        for init in (root / top).rglob("__init__.py"):
            rel = init.parent.relative_to(root / top).parts
            present.add(".".join([dotted, *rel]))
    assert present - listed == set(), "add these to [tool.setuptools] packages"


def _module_imports(path: Path, package: str) -> set[str]:
    """Absolute names of what ``path`` (module ``package.<stem>``) imports."""
    tree = ast.parse(path.read_text())
    parts = package.split(".")
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = parts[: len(parts) - node.level + 1]
                found.add(".".join([*base, *([node.module] if node.module else [])]))
            else:
                found.add(node.module or "")
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_a_check_family_imports_only_itself_and_the_shared_helpers() -> None:
    # Families stay independent plugins: each may use the engine, its own
    # modules, and the two shared libraries (_web, _pathrules), by relative
    # import, so that mypy follows every one of them.
    checks = PACKAGE.parent / "checks"
    offenders: dict[str, list[str]] = {}
    for path in checks.rglob("*.py"):
        family = path.relative_to(checks).parts[0]
        if family.endswith(".py"):
            continue
        package = ".".join(["checks", *path.relative_to(checks).parent.parts])
        allowed = (f"checks.{family}", "checks._web", "checks._pathrules")
        wrong = sorted(m for m in _module_imports(path, package)
                       if (m.startswith("checks") and not m.startswith(allowed))
                       or m.startswith("egov_audit.checks") or m.startswith("egov_audit.reports"))
        if wrong:
            offenders[str(path.relative_to(checks))] = wrong
    assert offenders == {}


def test_the_model_depends_on_the_standard_library_only() -> None:
    # The public contract's types must load anywhere, without the engine's
    # dependencies (a dashboard, a worker, a consumer of result.json).
    imported = _module_imports(PACKAGE / "model.py", "egov_audit")
    outside = {m for m in imported
               if m.split(".")[0] not in sys.stdlib_module_names and m != "__future__"}
    assert outside == set()


def test_the_lower_layers_never_import_the_probes() -> None:
    # The personal-data readers (pii/) and the parsed-page model (page/) sit below
    # the probes: probes and checks use them, never the other way round, so they
    # can be read, tested and reused (a worker, a notebook) without the network
    # stack. pii/web.py used to reach up into probes/html_links.py.
    lower = ("pii", "page")
    offenders = {
        str(p.relative_to(PACKAGE)): sorted(
            m for m in _imports(p)
            if m.startswith(("egov_audit.probes", "egov_audit.checks", "egov_audit.reports"))
        )
        for sub in lower for p in (PACKAGE / sub).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_page_model_depends_on_the_standard_library_only() -> None:
    # Hostile HTML is read by one parser whose every dependency is known: the
    # standard library's tolerant HTMLParser, behind the linear defuse pass.
    outside = {
        str(p.relative_to(PACKAGE)): sorted(
            m for m in _imports(p)
            if m.split(".")[0] not in sys.stdlib_module_names and m != "__future__"
            and not m.startswith("egov_audit.page")
        )
        for p in (PACKAGE / "page").rglob("*.py")
    }
    assert {k: v for k, v in outside.items() if v} == {}
