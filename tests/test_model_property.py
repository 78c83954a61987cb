"""Whatever a data file holds, loading either succeeds or raises DataError: never another exception."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb import DataError, KnowledgeBase, load_knowledge
from kb.model import KINDS

GRAPH = Path(__file__).resolve().parent / "good" / "graph"  # a small valid project
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# field names the models know, so generated entries get past "unknown field" and into the values
FIELDS = sorted({name for model in KINDS.values() for name in model.model_fields}
                | {"who", "line", "law", "confidence", "status", "reviewed_on", "label"})

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
                    st.sampled_from(["intro", "calm", "rational", "authored", "s-intro", "2024-02-30", "high"]))
# prose full of the syntax the checker looks into: inline references and link targets
prose = st.lists(st.sampled_from(["[[", "]]", "|", ":", "(", ")", "](", "[x]", " ", "\n", "中文", "type", "foo",
                                  "rational", "calm", "[[type:rational]]", "javascript:", "https://a.b/"]),
                 max_size=12).map("".join)
values = st.recursive(st.one_of(scalars, prose), lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)), inner, max_size=6),
), max_leaves=30)
entries = st.lists(st.dictionaries(st.sampled_from(FIELDS), values, max_size=12), max_size=3)


def dump(value) -> bytes:
    return yaml.safe_dump(value, allow_unicode=True).encode("utf-8")


documents = st.one_of(
    st.text(max_size=300).map(lambda s: s.encode("utf-8")),  # anything typed into the file
    st.binary(max_size=200),  # any bytes, UTF-8 or not
    values.map(dump),  # any YAML structure
    entries.map(dump),  # entry-like lists
)


def loads_or_raises_data_error(root: Path) -> None:
    try:
        kb = load_knowledge(root)
    except DataError as err:
        assert err.problems, "a DataError names at least one mistake"
        for p in err.problems:  # located, and one line each
            assert p.path.startswith("data/") and p.line >= 1 and p.column >= 1, p
            assert len(str(p).splitlines()) == 1, str(p)
    else:
        assert isinstance(kb, KnowledgeBase)


@SETTINGS
@given(kind=st.sampled_from(sorted(KINDS)), content=documents)
def test_any_document_loads_or_raises_data_error(kind, content):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "data" / kind).mkdir(parents=True)
        shutil.copy(GRAPH / "data" / "sources.yaml", root / "data" / "sources.yaml")
        (root / "data" / kind / "x.yaml").write_bytes(content)
        loads_or_raises_data_error(root)


@SETTINGS
@given(data=st.data())
def test_any_change_to_a_valid_entry_loads_or_raises_data_error(data):
    """Changed entries among valid ones also reach the cross-entry checks (references, prose, sources)."""
    file = data.draw(st.sampled_from(sorted(GRAPH.glob("data/*/*.yaml"))), label="file")
    own_fields = st.sampled_from(sorted(KINDS[file.parent.name].model_fields))
    changes = data.draw(st.dictionaries(own_fields, st.one_of(prose, st.lists(prose, max_size=3), values),
                                        min_size=1, max_size=3), label="changes")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(shutil.copytree(GRAPH, Path(tmp) / "project"))
        entries = yaml.safe_load(file.read_text(encoding="utf-8"))
        entries[0].update(changes)
        (root / file.relative_to(GRAPH)).write_bytes(dump(entries))
        loads_or_raises_data_error(root)
