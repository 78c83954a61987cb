"""The complaint-handling knowledge base: plain Python, testable without MkDocs."""

from .errors import DataError, Problem
from .knowledge import KnowledgeBase, load_knowledge

__all__ = ["DataError", "KnowledgeBase", "Problem", "load_knowledge"]
