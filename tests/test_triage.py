"""The 识别助手: the JSON built from data/, and the page's own ranking function run with node on hand-made data."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess

import pytest

from kb.model import SIGNAL_GROUPS, SIGNAL_KEYS
from kb.pages import entry_url
from kb.triage import triage_data

SCRIPT = "docs/assets/triage.js"


@pytest.fixture(scope="module")
def data(kb):
    return triage_data(kb)


def test_every_signal_has_its_own_key_in_page_order(data, kb):
    keys = [s["key"] for s in data["signals"]]
    assert keys == list(SIGNAL_KEYS[:len(keys)]), "1–9 then a–z, no gaps"
    assert len(data["signals"]) == len(kb.of_kind("signals"))
    groups = [s["group"] for s in data["signals"]]
    assert groups == sorted(groups, key=list(SIGNAL_GROUPS).index), "grouped as on the page"
    assert set(groups) == set(SIGNAL_GROUPS), "every group has signals"


def test_types_carry_their_signals_from_the_data(data, kb):
    by_id = {t["id"]: t for t in data["types"]}
    assert set(by_id) == {r.id for r in kb.of_kind("types")}
    for r in kb.of_kind("types"):
        t = by_id[r.id]
        assert t["signals"] == list(dict.fromkeys(s.signal for s in r.entry.signals)), "each signal once, in order"
        assert t["url"] == entry_url(r) and t["first_move"] == r.entry.first_move and t["family"] == r.entry.family
        assert 1 <= len(t["say"]) <= 3


def test_things_to_say_are_the_types_own_phrases(data, kb):
    grenade = next(t for t in data["types"] if t["id"] == "grenade")
    first = kb.get(kb.get("grenade").entry.phrases[0])
    assert grenade["say"][0] == (first.entry.say[0] if first.kind == "swaps" else first.entry.text)
    sayable = {r.entry.text for r in kb.of_kind("phrases")} | {s for r in kb.of_kind("swaps") for s in r.entry.say}
    assert all(s in sayable for t in data["types"] for s in t["say"])


def test_signals_about_money_law_media_and_regulator_open_legal_notes_and_escalation(data):
    by_id = {s["id"]: s for s in data["signals"]}
    assert "compensation-basics" in by_id["only-compensation"]["legal"]
    assert "standard-terms" in by_id["cites-law"]["legal"]
    assert by_id["mentions-media"]["legal"] == ["apology-iou-media"] and "media-exposure" in by_id["mentions-media"]["escalation"]
    assert "regulator-appeal" in by_id["appeal-threat"]["escalation"]
    for s in data["signals"]:  # whatever a signal points to is in the file, with its address
        assert all(i in data["legal"] for i in s["legal"]) and all(i in data["escalation"] for i in s["escalation"])
    assert data["escalation"]["media-exposure"]["url"] == "escalation/#media-exposure"
    assert data["legal"]["apology-iou-media"]["url"] == "legal/apology-iou-media/"


def test_legal_notes_waiting_for_review_say_so(data, kb):
    for note_id, note in data["legal"].items():
        status = kb.get(note_id).entry.review.status
        assert (note["review"] is None) == (status == "verified")


def test_text_stays_text_in_the_json(data, kb):
    """The script sets every value with textContent: the JSON holds the data as written, not HTML."""
    labels = {s["id"]: s["label"] for s in data["signals"]}
    assert all(labels[r.id] == r.entry.title for r in kb.of_kind("signals"))
    assert "&lt;" not in json.dumps(data, ensure_ascii=False)


def test_the_built_site_has_the_json_beside_the_page(site, data):
    assert json.loads((site / "triage.json").read_text(encoding="utf-8")) == data
    html = (site / "triage" / "index.html").read_text(encoding="utf-8")
    assert 'data-kb-triage="../triage.json"' in html
    for s in data["signals"]:
        assert f'value="{s["id"]}" data-key="{s["key"]}"' in html


def test_script_is_small(project_root):
    size = len(gzip.compress((project_root / SCRIPT).read_bytes(), 9))
    assert size < 10 * 1024, f"triage.js is {size} bytes gzipped"


def test_script_never_writes_html(project_root):
    source = (project_root / SCRIPT).read_text(encoding="utf-8")
    assert "innerHTML" not in source and "insertAdjacentHTML" not in source and "document.write" not in source


# ---------------------------------------------------------------- the ranking, as the page runs it

HAND_MADE = {
    "groups": ["语气与情绪", "要求"], "families": ["性格类型", "投诉性质"],
    "signals": [
        {"id": "loud", "key": "1", "label": "大声", "group": "语气与情绪", "weight": 1, "legal": [], "escalation": []},
        {"id": "swears", "key": "2", "label": "骂人", "group": "语气与情绪", "weight": 3, "legal": [], "escalation": []},
        {"id": "money", "key": "3", "label": "要钱", "group": "要求", "weight": 2, "legal": [], "escalation": []},
        {"id": "calm", "key": "4", "label": "平静", "group": "语气与情绪", "weight": 2, "legal": [], "escalation": []},
    ],
    "types": [
        {"id": "a", "family": "性格类型", "signals": ["loud", "money"]},
        {"id": "b", "family": "性格类型", "signals": ["loud", "swears"]},
        {"id": "c", "family": "性格类型", "signals": ["loud", "money", "calm"]},
        {"id": "n", "family": "投诉性质", "signals": ["calm"]},
    ],
}


def run_rank(project_root, data: dict, ticked: list[str]) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("!!! node not installed: the ranking of docs/assets/triage.js is not tested !!!")
    program = (f"const {{rank}} = require({json.dumps(str(project_root / SCRIPT))});"
               f"const out = rank({json.dumps(data)}, {json.dumps(ticked)});"
               "for (const f in out) out[f] = out[f].map(r => ({id: r.type.id, score: r.score, hits: r.hits}));"
               "process.stdout.write(JSON.stringify(out));")
    result = subprocess.run([node, "-e", program], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("ticked, temperament, nature", [
    ([], [], []),
    (["loud"], [("a", 1), ("b", 1), ("c", 1)], []),  # a tie: a has 1 of 3, b 1 of 4, c 1 of 5 of its weight
    (["loud", "swears"], [("b", 4), ("a", 1), ("c", 1)], []),  # the weightier signal wins
    (["money"], [("a", 2), ("c", 2)], []),  # b does not list it: not shown
    (["money", "calm"], [("c", 4), ("a", 2)], [("n", 2)]),  # families ranked apart
])
def test_ranking_on_hand_made_cases(project_root, ticked, temperament, nature):
    out = run_rank(project_root, HAND_MADE, ticked)
    assert [(r["id"], r["score"]) for r in out["性格类型"]] == temperament
    assert [(r["id"], r["score"]) for r in out["投诉性质"]] == nature


def test_reasons_are_the_ticked_signals_of_the_type(project_root):
    out = run_rank(project_root, HAND_MADE, ["calm", "swears", "loud"])
    assert {r["id"]: r["hits"] for r in out["性格类型"]} == {"b": ["loud", "swears"], "c": ["loud", "calm"], "a": ["loud"]}


def test_a_signal_named_like_an_object_property_is_ticked_only_when_ticked(project_root):
    """'constructor' is a valid id, and every plain JavaScript object has it: the ticked set is a Set."""
    data = {**HAND_MADE, "signals": [*HAND_MADE["signals"], {
        "id": "constructor", "key": "5", "label": "施工", "group": "要求", "weight": 3, "legal": [], "escalation": []}],
        "types": [*HAND_MADE["types"], {"id": "builder", "family": "投诉性质", "signals": ["constructor"]}]}
    assert run_rank(project_root, data, ["loud"])["投诉性质"] == []
    assert run_rank(project_root, data, ["constructor"])["投诉性质"] == [{"id": "builder", "score": 3, "hits": ["constructor"]}]


def test_ranking_on_the_real_data(project_root, data):
    """What the seeds teach: 理由充分 + 愤怒中带有理智 is a complaint to solve; shouting and our mistake, a grenade."""
    out = run_rank(project_root, data, ["well-reasoned", "angry-but-reasoned", "shouting", "our-fault"])
    assert out["投诉性质"][0]["id"] == "problem-solver"
    assert out["性格类型"][0]["id"] == "grenade"
    out = run_rank(project_root, data, ["only-compensation", "dialect"])
    assert out["性格类型"][0]["id"] == "villager"


def test_type_pages_keep_showing_their_signals(site, kb):
    """Each type page lists its signals in its own words, each linked to the signal in the list on /types/."""
    import html as htmllib
    import re

    for r in kb.of_kind("types"):
        page = htmllib.unescape(re.sub(r"<[^>]+>", "", (site / "types" / r.id / "index.html").read_text(encoding="utf-8")))
        for s in r.entry.signals:
            assert (s.note or kb.get(s.signal).entry.title) in page, (r.id, s)
    listing = (site / "types" / "index.html").read_text(encoding="utf-8")
    for s in kb.of_kind("signals"):
        assert f'id="{s.id}"' in listing, f"signal {s.id} has no anchor on /types/"
    assert 'href="../index.html#shouting"' in (site / "types" / "grenade" / "index.html").read_text(encoding="utf-8") or \
        'href="../#shouting"' in (site / "types" / "grenade" / "index.html").read_text(encoding="utf-8")
