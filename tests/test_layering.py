"""The core never imports Flask: registry/ works in scripts, notebooks and the CLI without the web layer."""
import subprocess
import sys
from pathlib import Path

import registry

MODULES = sorted(
    "registry." + ".".join(p.relative_to(Path(registry.__file__).parent).with_suffix("").parts)
    for p in Path(registry.__file__).parent.rglob("*.py") if p.name != "__init__.py"
)


def test_importing_every_core_module_never_loads_flask() -> None:
    code = "import importlib, sys\n" + "".join(f"importlib.import_module({m!r})\n" for m in MODULES) + \
        "print('flask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stdout + out.stderr
    assert len(MODULES) > 10
