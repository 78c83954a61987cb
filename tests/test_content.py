"""The content is complete: every source section covered, every type, scenario and legal note whole."""

from __future__ import annotations

import re

import pytest

from kb.model import AUTHORED

# What the content issue names, by the ids the knowledge base gives them.
TEMPERAMENT_TYPES = ["rational", "chameleon", "grenade", "villager", "know-it-all", "professional-complainer", "emotional"]
COMPLAINT_NATURES = ["problem-solver", "venting", "expectant"]
LEGAL_TOPICS = [
    "should-compensate", "contract-custody", "claim-time-limits", "public-commitment", "double-refund",
    "complaint-appeal-lawsuit", "sp-charges", "refund-outside-scope-law", "multiple-compensation",
    "reasonable-claim", "network-coverage-law", "service-interruption", "suspension-notice",
    "forced-activation-law", "contract-recording-retention", "civil-liability", "settlement-effect",
    "standard-terms", "apology-iou-media",
]
DRILLS = ["overcharge-roleplay", "flip-flop", "our-mistake", "villager-compensation", "know-it-all-demands",
          "repeat-complainer-wang", "blind-spot"]
SEED_002_AVOID = ["你可能不明白", "你肯定弄混了", "你应该", "我们不会", "你弄错了", "这不可能", "你别激动", "你不要叫", "你平静一点"]
SEED_000_SWAPS = ["您把我搞糊涂了", "您搞错了", "我已经说得很清楚了", "您听明白了吗", "你说什么", "我也没办法", "向上投诉也一样", "请您等一下"]
STATUTE = {"法律", "行政法规", "部门规章", "司法解释", "规范性文件"}
ARTICLE = re.compile(r"^第[一二三四五六七八九十百千零〇]+条")
ROLES = ["group-account-manager", "vip-account-manager", "vip-zone"]


def test_every_source_key_is_covered(kb):
    uncovered = [s.key for s in kb.sources if not kb.from_source(s.key)]
    assert not uncovered, f"source sections with no entry: {uncovered}"


def test_outline_sections_are_marked_authored(kb):
    """Seed 003 only names its topics: what came from it says it was authored, and on what basis."""
    outline = {s.key for s in kb.sources if s.from_ == "outline"}
    for r in kb.records:
        if set(r.entry.sources) & outline:
            assert AUTHORED in r.entry.sources and r.entry.authored_basis, f"{r.subject}: outline-only source, not marked authored"


@pytest.mark.parametrize("type_id", TEMPERAMENT_TYPES + COMPLAINT_NATURES)
def test_customer_type_is_complete(kb, type_id):
    r = kb.by_id.get(type_id)
    assert r is not None and r.kind == "types", f"missing customer type {type_id}"
    e = r.entry
    assert len(e.signals) >= 3, "at least three signals"
    assert len(e.handling) >= 3, "at least three handling steps"
    assert len(e.donts) >= 2, "at least two don'ts"
    assert e.phrases, "linked phrases or swaps"
    scenarios = [b for b in kb.backlinks(type_id) if b.kind == "scenarios"]
    assert scenarios, "at least one scenario involves this type"


def test_complaint_natures_are_from_seed_002(kb):
    for type_id in COMPLAINT_NATURES:
        r = kb.by_id[type_id]
        assert r.entry.family == "投诉性质" and "s002-nature" in r.entry.sources


def test_enough_scenarios_and_every_drill(kb):
    scenarios = kb.of_kind("scenarios")
    assert len(scenarios) >= 15
    for drill in DRILLS:
        r = kb.by_id.get(drill)
        assert r is not None and r.kind == "scenarios" and r.entry.drill, f"drill {drill} missing or not marked"


@pytest.mark.parametrize("scenario", ["all"])
def test_every_scenario_is_complete(kb, scenario):
    for r in kb.of_kind("scenarios"):
        e = r.entry
        assert e.types, f"{r.subject}: no customer type"
        assert len(e.measures) >= 3, f"{r.subject}: measures step by step"
        whos = {d.who for d in e.dialogue}
        assert whos == {"客户", "坐席"} and len(e.dialogue) >= 6, f"{r.subject}: dialogue with both sides"
        assert e.pitfalls or e.lesson, f"{r.subject}: pitfalls or a lesson"


@pytest.mark.parametrize("legal_id", LEGAL_TOPICS)
def test_legal_topic_has_a_complete_note(kb, legal_id):
    r = kb.by_id.get(legal_id)
    assert r is not None and r.kind == "legal", f"missing legal note {legal_id}"
    e = r.entry
    assert e.question and e.answer and e.apply
    assert any(b.nature in STATUTE and ARTICLE.match(b.article) for b in e.basis), \
        f"{legal_id}: no basis names a law and its numbered article"
    for b in e.basis:
        assert b.law and b.article and b.wording and b.version, f"{legal_id}: basis without law, article, wording, version"
        if not ARTICLE.match(b.article):  # a contract clause, a commitment, or a number not yet confirmed
            assert b.confidence != "high" and e.review.status == "needs-review", \
                f"{legal_id}: '{b.article}' is not a numbered article, so the note waits for legal review"
    assert e.review.reviewed_on and e.review.owner


def test_legal_notes_never_present_company_practice_as_law(kb):
    for r in kb.of_kind("legal"):
        for b in r.entry.basis:
            if "双倍返还" in b.wording and "计费" in b.wording:
                assert b.nature in ("企业承诺", "合同条款"), f"{r.subject}: 双倍返还 is a company commitment, not law"
    refund = kb.by_id["double-refund"].entry
    assert any("第五十五条" in b.article for b in refund.basis), "the statutory multiple is 消法第五十五条"


def test_not_high_confidence_means_needs_review(kb):
    for r in kb.of_kind("legal"):
        if any(b.confidence != "high" for b in r.entry.basis):
            assert r.entry.review.status == "needs-review", r.subject


def test_telecom_regulation_cites_the_2016_numbering(kb):
    for r in kb.of_kind("legal"):
        for b in r.entry.basis:
            if "电信条例" in b.law:
                assert "2016" in b.version, f"{r.subject}: 电信条例 without its 2016 version"


@pytest.mark.parametrize("sentence", SEED_002_AVOID + SEED_000_SWAPS)
def test_every_sentence_to_avoid_has_a_swap(kb, sentence):
    swaps = [r for r in kb.of_kind("swaps") if sentence in r.entry.avoid]
    assert swaps, f"no swap for 「{sentence}」"
    assert all(r.entry.say and r.entry.why for r in swaps)


def test_every_recommended_phrase_of_seed_000(kb):
    texts = " ".join(r.entry.text for r in kb.of_kind("phrases"))
    for needle in ["换成是我也会跟您一样的感受", "长期支持我们的老客户", "凭身份证办理", "非常感谢您这么好的建议",
                   "非常有素质的客户", "请您别着急", "感谢您的批评与指正", "48小时", "不是我们的服务范围"]:
        assert needle in texts, f"phrase with 「{needle}」 missing"


def test_escalation_levels_and_roles(kb):
    escalation = kb.of_kind("escalation")
    assert {e.entry.scope for e in escalation} == {"内部", "外部"}
    assert len(escalation) >= 6
    for role in ROLES:
        assert kb.by_id[role].kind == "roles"


def test_the_legal_research_record_is_published_with_every_section_cited(project_root):
    """Legal notes say where a fact was checked ("legal-sources.md 第N节"): that record is a page of the
    site, and every section cited is in it."""
    record = (project_root / "docs" / "authoring" / "legal-sources.md").read_text(encoding="utf-8")
    sections = set(re.findall(r"\{#section-(\d+)\}", record))
    data = " ".join(p.read_text(encoding="utf-8") for p in (project_root / "data").rglob("*.yaml"))
    cited = set(re.findall(r"legal-sources\.md\s*第(\d+)节", data))
    assert cited, "no legal note cites the record"
    assert cited <= sections, f"sections cited but not in the record: {sorted(cited - sections)}"
