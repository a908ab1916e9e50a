"""The importer's errors, defined in registry/errors.py with every other domain error; named here too so
existing imports keep working."""
from registry.errors import FileTooLarge, ImportRefused

__all__ = ["FileTooLarge", "ImportRefused"]
