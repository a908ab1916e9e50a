"""Compiled templates kept for the whole process: every app made by create_app (gunicorn's workers make one
each, the tests make hundreds) compiles a template once instead of once per app."""
from __future__ import annotations

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class ProcessTemplateCode(BytecodeCache):
    """Jinja's bytecode cache in memory. A bucket's checksum is the template's source, so an edited template
    compiles again; the key is its name and file. Shared only by apps whose Jinja environments are configured
    alike, which create_app guarantees (the same options and extensions for every app)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()  # one dict store: safe between threads


TEMPLATE_CODE = ProcessTemplateCode()
