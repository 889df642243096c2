"""The import graph keeps the layers: ``bot → dialogs → scoring``, ``kernel`` below all three, no circles.

Read from the source (every ``import``, also inside functions), not from what happens to be loaded.
``python -m tests.test_layers`` prints one line per layer: what it imports.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("bot", "dialogs", "scoring", "kernel")  # each may import only those after it
FACADES = ("scoring.api", "scoring.cosell")  # the doors into scoring from dialogs and bot
SDK = ("botbuilder", "botframework", "aiohttp", "msrest")


def modules() -> dict[str, Path]:
    found = {}
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """(imported module, line) for every import in the module ``name`` at ``path``: ``from a import b``
    is the module ``a.b`` when that is one of the ``known`` modules, else ``a``."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                is_module = sub in known and alias.name not in bound(known.get(base))
                yield (sub if is_module else base), node.lineno


def bound(package: Path | None) -> set[str]:
    """The names a package's ``__init__`` binds itself (``scoring.cosell`` binds the function
    ``edition``, which hides its module of that name)."""
    if package is None or package.name != "__init__.py":
        return set()
    names: set[str] = set()
    own = ".".join(package.parent.relative_to(ROOT).parts)
    for node in ast.parse(package.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and (node.module == own or (node.level == 1 and not node.module)):
            continue  # "from <package> import words": its own submodules, still modules
        if isinstance(node, ast.ImportFrom | ast.Import):
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
    return names


def graph() -> dict[str, set[str]]:
    """Project module → the project modules it imports."""
    known = modules()
    return {name: {m for m, _ in imports(name, path, known) if m in known and m != name}
            for name, path in known.items()}


def layer(module: str) -> str:
    return module.split(".")[0]


def test_every_import_points_down_the_layers_and_into_scoring_only_through_its_doors() -> None:
    wrong = []
    known = modules()
    for name, path in known.items():
        own = LAYERS.index(layer(name))
        for imported, line in imports(name, path, known):
            where = f"{path.relative_to(ROOT)}:{line} imports {imported}"
            top = layer(imported)
            if top in LAYERS and LAYERS.index(top) < own:
                wrong.append(f"{where} (up a layer)")
            elif top == "scoring" and layer(name) in ("bot", "dialogs") and not imported.startswith(FACADES):
                wrong.append(f"{where} (around scoring.api / scoring.cosell)")
            elif top == "scoring" and layer(name) in ("bot", "dialogs") and imported.count(".") > 1:
                wrong.append(f"{where} (inside the scoring.cosell facade)")
            elif layer(name) in ("scoring", "kernel") and top in SDK:
                wrong.append(f"{where} (the SDK and aiohttp stay in bot and dialogs)")
    assert not wrong, "\n".join(wrong)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The import circles (strongly connected groups of more than one module), Tarjan's algorithm."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_through_others() -> None:
    edges = graph()
    # a package's __init__ that re-exports its own modules is not a circle of the design
    edges = {name: {t for t in targets if not t.startswith(f"{name}.")} for name, targets in edges.items()}
    assert cycles(edges) == []


def summary() -> list[str]:
    """One line per layer: the layers (and scoring's doors) its modules import."""
    edges = graph()
    lines = []
    for top in LAYERS:
        used: set[str] = set()
        for name, targets in edges.items():
            if layer(name) == top:
                for target in (t for t in targets if layer(t) != top):
                    door = layer(target) == "scoring" and top in ("bot", "dialogs")
                    used.add(target if door else layer(target))
        lines.append(f"{top:8} → {', '.join(sorted(used)) or '(nothing of the project)'}")
    return lines


if __name__ == "__main__":
    print("\n".join(summary()))
    print(f"circles: {cycles(graph()) or 'none'}")
