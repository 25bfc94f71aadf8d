"""The shape of `src/motcua`, read with `ast` (nothing of the project is imported): apps depend
one way down the layers with no cycle between them, and no module or function grows past its
bound. docs/architecture.md gives the layers; this test is what keeps them.
"""

import ast
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "motcua"
PACKAGE = "motcua"

# Pages and the API compose the domain apps; workdays and core serve them all. Any app not
# named here is a domain app (layer 2).
LAYERS = {"portal": 3, "backoffice": 3, "api": 3, "workdays": 1, "core": 0}
DOMAIN_LAYER = 2

MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
# "app/module.py:function" of data tables that may be longer than MAX_FUNCTION_LINES.
LONG_FUNCTIONS_ALLOWED: frozenset[str] = frozenset()


def layer(app: str) -> int:
    return LAYERS.get(app, DOMAIN_LAYER)


@dataclass
class Shape:
    # app -> app it imports -> where first ("dossiers/services.py:36")
    imports: dict[str, dict[str, str]] = field(default_factory=dict)
    long_modules: list[str] = field(default_factory=list)
    long_functions: list[str] = field(default_factory=list)


def _imported_modules(node: ast.AST, module: list[str]) -> list[str]:
    """Dotted names an import statement reads, relative ones resolved against `module`
    (the importing module's dotted path as a list, the file's own name last)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level == 0:
        return [node.module] if node.module else []
    base = module[: len(module) - node.level]
    if node.module:
        return [".".join([*base, node.module])]
    return [".".join([*base, alias.name]) for alias in node.names]


def _module_path(rel: Path) -> list[str]:
    parts = [PACKAGE, *rel.with_suffix("").parts]
    return parts[:-1] + ["__init__"] if parts[-1] == "__init__" else parts


def read_shape(root: Path) -> Shape:
    """The imports between the apps (packages directly under `root`) and the oversized
    modules and functions, migrations left out."""
    shape = Shape()
    apps = {path.name for path in root.iterdir() if path.is_dir()}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if len(rel.parts) < 2 or "migrations" in rel.parts:
            continue  # settings.py, urls.py … belong to no app
        app = rel.parts[0]
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > MAX_MODULE_LINES:
            shape.long_modules.append(f"{rel.as_posix()} {lines}")
        tree = ast.parse(text, filename=str(path))
        module = _module_path(rel)
        for node in ast.walk(tree):
            for name in _imported_modules(node, module):
                parts = name.split(".")
                if len(parts) > 1 and parts[0] == PACKAGE and parts[1] in apps and parts[1] != app:
                    where = f"{rel.as_posix()}:{node.lineno}"
                    shape.imports.setdefault(app, {}).setdefault(parts[1], where)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                name = f"{rel.as_posix()}:{node.name}"
                if length > MAX_FUNCTION_LINES and name not in LONG_FUNCTIONS_ALLOWED:
                    shape.long_functions.append(f"{name} {length}")
    return shape


def _strongly_connected(imports: dict[str, dict[str, str]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of apps that reach each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(app: str) -> None:
        index[app] = low[app] = len(index)
        stack.append(app)
        on_stack.add(app)
        for other in sorted(imports.get(app, {})):
            if other not in index:
                visit(other)
                low[app] = min(low[app], low[other])
            elif other in on_stack:
                low[app] = min(low[app], index[other])
        if low[app] == index[app]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == app:
                    break
            groups.append(sorted(group))

    nodes = set(imports) | {other for targets in imports.values() for other in targets}
    for app in sorted(nodes):
        if app not in index:
            visit(app)
    return groups


def _cycle_through(start: str, group: set[str], imports: dict[str, dict[str, str]]) -> list[str]:
    """One cycle from `start` back to it inside a strongly connected group (breadth first,
    so the shortest)."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        app = queue.pop(0)
        for other in sorted(imports.get(app, {})):
            if other == start:
                return [*paths[app], start]
            if other in group and other not in paths:
                paths[other] = [*paths[app], other]
                queue.append(other)
    raise AssertionError(f"{start} is in no cycle of {sorted(group)}")


def app_cycles(imports: dict[str, dict[str, str]]) -> list[str]:
    """Each group of apps that import each other, as one cycle through it with the import
    that makes each step: "a → b (a/x.py:3) → a (b/y.py:7)"."""
    found = []
    for group in _strongly_connected(imports):
        if len(group) < 2:
            continue
        covered: set[str] = set()
        for start in group:  # a cycle through each app of the group, until all are named
            if start in covered:
                continue
            cycle = _cycle_through(start, set(group), imports)
            covered.update(cycle)
            steps = [cycle[0]]
            for here, there in zip(cycle, cycle[1:], strict=False):
                steps.append(f"{there} ({imports[here][there]})")
            found.append(" → ".join(steps) + f"  [group: {', '.join(group)}]")
    return found


def upward_imports(imports: dict[str, dict[str, str]]) -> list[str]:
    return [
        f"{app} (layer {layer(app)}) → {other} (layer {layer(other)}) at {where}"
        for app, targets in sorted(imports.items())
        for other, where in sorted(targets.items())
        if layer(other) > layer(app)
    ]


# The real tree -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shape() -> Shape:
    return read_shape(SRC)


def test_no_cycle_between_apps(shape):
    cycles = app_cycles(shape.imports)
    assert not cycles, "Apps import each other:\n" + "\n".join(cycles)


def test_no_import_points_up_the_layers(shape):
    upward = upward_imports(shape.imports)
    assert not upward, "Imports up the layers:\n" + "\n".join(upward)


def test_no_module_over_the_bound(shape):
    assert not shape.long_modules, f"Modules over {MAX_MODULE_LINES} lines:\n" + "\n".join(
        shape.long_modules
    )


def test_no_function_over_the_bound(shape):
    assert not shape.long_functions, f"Functions over {MAX_FUNCTION_LINES} lines:\n" + "\n".join(
        shape.long_functions
    )


def test_the_real_tree_is_read():
    imports = read_shape(SRC).imports
    assert "core" in imports.get("api", {}), "the api app's imports of core were not found"


# The checker on small trees --------------------------------------------------------------------


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for app in {name.split("/")[0] for name in files if "/" in name}:
        (root / app / "__init__.py").touch()
    return root


def test_a_clean_tree_passes(tmp_path):
    root = _tree(
        tmp_path,
        {
            "core/errors.py": "class DomainError(Exception):\n    pass\n",
            "workdays/deadlines.py": "from motcua.core.errors import DomainError\n",
            "catalog/models.py": "from motcua.workdays import deadlines\nfrom . import codes\n",
            "catalog/codes.py": "import motcua.core.errors\n",
            "dossiers/services.py": "from motcua.catalog.models import *\nfrom ..core import errors\n",
            "portal/views.py": "from motcua.dossiers import services\nfrom motcua import settings\n",
            "settings.py": "from motcua.portal import views\n",
        },
    )
    shape = read_shape(root)
    assert shape.imports == {
        "workdays": {"core": "workdays/deadlines.py:1"},
        "catalog": {"workdays": "catalog/models.py:1", "core": "catalog/codes.py:1"},
        "dossiers": {"catalog": "dossiers/services.py:1", "core": "dossiers/services.py:2"},
        "portal": {"dossiers": "portal/views.py:1"},
    }
    assert app_cycles(shape.imports) == []
    assert upward_imports(shape.imports) == []
    assert shape.long_modules == [] and shape.long_functions == []


def test_a_cycle_of_two_apps_is_named(tmp_path):
    root = _tree(
        tmp_path,
        {
            "dossiers/services.py": "from motcua.payments import services\n",
            "payments/queries.py": "\n\nfrom motcua.dossiers.models import Dossier\n",
        },
    )
    assert app_cycles(read_shape(root).imports) == [
        "dossiers → payments (dossiers/services.py:1) → dossiers (payments/queries.py:3)"
        "  [group: dossiers, payments]"
    ]


def test_a_cycle_of_three_apps_is_named(tmp_path):
    root = _tree(
        tmp_path,
        {
            "accounts/services.py": "from motcua.integrations import sms\n",
            "integrations/models.py": "from motcua.dossiers.models import Dossier\n",
            "dossiers/identity.py": "def f():\n    from motcua.accounts import services\n",
            "catalog/models.py": "from motcua.core import ids\n",
            "core/ids.py": "",
        },
    )
    imports = read_shape(root).imports
    # No two of the three import each other: only a walk of any length finds it.
    assert not any(a in imports.get(b, {}) for a in imports for b in imports[a])
    assert app_cycles(imports) == [
        "accounts → integrations (accounts/services.py:1) → dossiers (integrations/models.py:1)"
        " → accounts (dossiers/identity.py:2)  [group: accounts, dossiers, integrations]"
    ]


def test_an_upward_import_is_named(tmp_path):
    root = _tree(
        tmp_path,
        {
            "workdays/api.py": "from motcua.catalog.models import Agency\n",
            "core/commands.py": "from motcua.api import api\n",
            "catalog/api.py": "from motcua.api.auth import api_auth\n",
            "api/api.py": "from motcua.catalog.api import router\n",
        },
    )
    shape = read_shape(root)
    assert upward_imports(shape.imports) == [
        "catalog (layer 2) → api (layer 3) at catalog/api.py:1",
        "core (layer 0) → api (layer 3) at core/commands.py:1",
        "workdays (layer 1) → catalog (layer 2) at workdays/api.py:1",
    ]
    assert app_cycles(shape.imports) == [
        "api → catalog (api/api.py:1) → api (catalog/api.py:1)  [group: api, catalog]"
    ]


def test_long_modules_and_functions_are_named_migrations_aside(tmp_path):
    body = "".join(f"    x = {n}\n" for n in range(MAX_FUNCTION_LINES))
    short = "".join(f"    x = {n}\n" for n in range(MAX_FUNCTION_LINES - 1))
    root = _tree(
        tmp_path,
        {
            "catalog/services.py": f"def clean():\n{body}\ndef fine():\n{short}",
            "catalog/big.py": "x = 1\n" * (MAX_MODULE_LINES + 1),
            "catalog/edge.py": "x = 1\n" * MAX_MODULE_LINES,
            "catalog/migrations/0001_initial.py": f"def forwards():\n{body}" + "x = 1\n" * 700,
        },
    )
    shape = read_shape(root)
    assert shape.long_functions == [f"catalog/services.py:clean {MAX_FUNCTION_LINES + 1}"]
    assert shape.long_modules == [f"catalog/big.py {MAX_MODULE_LINES + 1}"]
