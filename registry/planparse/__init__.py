"""Plan text → candidate projects, the chain taxonomy and the curated seeds.

Public API: parse_plan, build_seeds, write_seeds, Candidate.
"""
from registry.planparse.candidate import Candidate, Source
from registry.planparse.plan import parse_plan
from registry.planparse.seeds import build_seeds, check_seeds, write_seeds

__all__ = ["Candidate", "Source", "build_seeds", "check_seeds", "parse_plan", "write_seeds"]
