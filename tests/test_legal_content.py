"""Legal answers say exactly what their articles say, no more (issue 14, point 4).

ARTICLES holds the articles these answers rest on, as read in full in the public LawRefBook/Laws mirror
(commit 2f4c5c23716267af9dbebbbbd6cbbf732b101981, 2025-04-19; docs/authoring/legal-sources.md 第10节 lists
the files). A basis citing one of them must quote it exactly: every fragment between ellipses occurs in
the article. The other tests pin each correction of the review to the note it corrects.
"""

from __future__ import annotations

import re

import pytest

TELECOM = "中华人民共和国电信条例"
CIVIL = "中华人民共和国民法典"
CONSUMER = "中华人民共和国消费者权益保护法"
FOOD = "中华人民共和国食品安全法"
CONTRACT_INTERPRETATION = "最高人民法院关于适用《中华人民共和国民法典》合同编通则若干问题的解释"

# (law, article) -> the article's paragraphs (款), verbatim from the mirror
ARTICLES: dict[tuple[str, str], list[str]] = {
    (TELECOM, "第三十二条"): [
        "电信用户申告电信服务障碍的，电信业务经营者应当自接到申告之日起，城镇48小时、农村72小时内修复或者调通；"
        "不能按期修复或者调通的，应当及时通知电信用户，并免收障碍期间的月租费用。但是，属于电信终端设备的原因造成电信服务障碍的除外。",
    ],
    (CIVIL, "第一百四十七条"): ["基于重大误解实施的民事法律行为，行为人有权请求人民法院或者仲裁机构予以撤销。"],
    (CIVIL, "第一百四十八条"): [
        "一方以欺诈手段，使对方在违背真实意思的情况下实施的民事法律行为，受欺诈方有权请求人民法院或者仲裁机构予以撤销。",
    ],
    (CIVIL, "第一百五十二条"): [
        "有下列情形之一的，撤销权消灭：（一）当事人自知道或者应当知道撤销事由之日起一年内、重大误解的当事人自知道或者应当知道撤销事由之日起九十日内没有行使撤销权；"
        "（二）当事人受胁迫，自胁迫行为终止之日起一年内没有行使撤销权；（三）当事人知道撤销事由后明确表示或者以自己的行为表明放弃撤销权。",
        "当事人自民事法律行为发生之日起五年内没有行使撤销权的，撤销权消灭。",
    ],
    (CIVIL, "第四百六十五条"): [
        "依法成立的合同，受法律保护。",
        "依法成立的合同，仅对当事人具有法律约束力，但是法律另有规定的除外。",
    ],
    (CIVIL, "第四百八十三条"): ["承诺生效时合同成立，但是法律另有规定或者当事人另有约定的除外。"],
    (CIVIL, "第四百九十六条"): [
        "格式条款是当事人为了重复使用而预先拟定，并在订立合同时未与对方协商的条款。",
        "采用格式条款订立合同的，提供格式条款的一方应当遵循公平原则确定当事人之间的权利和义务，并采取合理的方式提示对方注意免除或者减轻其责任等与对方有重大利害关系的条款，"
        "按照对方的要求，对该条款予以说明。提供格式条款的一方未履行提示或者说明义务，致使对方没有注意或者理解与其有重大利害关系的条款的，对方可以主张该条款不成为合同的内容。",
    ],
    (CIVIL, "第五百零二条"): ["依法成立的合同，自成立时生效，但是法律另有规定或者当事人另有约定的除外。"],
    (CIVIL, "第五百八十四条"): [
        "当事人一方不履行合同义务或者履行合同义务不符合约定，造成对方损失的，损失赔偿额应当相当于因违约所造成的损失，包括合同履行后可以获得的利益；"
        "但是，不得超过违约一方订立合同时预见到或者应当预见到的因违约可能造成的损失。",
    ],
    (CIVIL, "第一千一百九十一条"): [
        "用人单位的工作人员因执行工作任务造成他人损害的，由用人单位承担侵权责任。用人单位承担侵权责任后，可以向有故意或者重大过失的工作人员追偿。",
        "劳务派遣期间，被派遣的工作人员因执行工作任务造成他人损害的，由接受劳务派遣的用工单位承担侵权责任；劳务派遣单位有过错的，承担相应的责任。",
    ],
    (CONSUMER, "第二十条"): [
        "经营者向消费者提供有关商品或者服务的质量、性能、用途、有效期限等信息，应当真实、全面，不得作虚假或者引人误解的宣传。",
        "经营者对消费者就其提供的商品或者服务的质量和使用方法等问题提出的询问，应当作出真实、明确的答复。",
        "经营者提供商品或者服务应当明码标价。",
    ],
    (CONSUMER, "第二十六条"): [
        "经营者在经营活动中使用格式条款的，应当以显著方式提请消费者注意商品或者服务的数量和质量、价款或者费用、履行期限和方式、安全注意事项和风险警示、售后服务、民事责任等与消费者有重大利害关系的内容，并按照消费者的要求予以说明。",
        "经营者不得以格式条款、通知、声明、店堂告示等方式，作出排除或者限制消费者权利、减轻或者免除经营者责任、加重消费者责任等对消费者不公平、不合理的规定，不得利用格式条款并借助技术手段强制交易。",
        "格式条款、通知、声明、店堂告示等含有前款所列内容的，其内容无效。",
    ],
    (CONSUMER, "第四十五条"): [
        "消费者因经营者利用虚假广告或者其他虚假宣传方式提供商品或者服务，其合法权益受到损害的，可以向经营者要求赔偿。广告经营者、发布者发布虚假广告的，消费者可以请求行政主管部门予以惩处。"
        "广告经营者、发布者不能提供经营者的真实名称、地址和有效联系方式的，应当承担赔偿责任。",
    ],
    (FOOD, "第一百四十八条"): [
        "消费者因不符合食品安全标准的食品受到损害的，可以向经营者要求赔偿损失，也可以向生产者要求赔偿损失。接到消费者赔偿要求的生产经营者，应当实行首负责任制，先行赔付，不得推诿；"
        "属于生产者责任的，经营者赔偿后有权向生产者追偿；属于经营者责任的，生产者赔偿后有权向经营者追偿。",
        "生产不符合食品安全标准的食品或者经营明知是不符合食品安全标准的食品，消费者除要求赔偿损失外，还可以向生产者或者经营者要求支付价款十倍或者损失三倍的赔偿金；"
        "增加赔偿的金额不足一千元的，为一千元。但是，食品的标签、说明书存在不影响食品安全且不会对消费者造成误导的瑕疵的除外。",
    ],
    (CONTRACT_INTERPRETATION, "第十条"): [
        "提供格式条款的一方在合同订立时采用通常足以引起对方注意的文字、符号、字体等明显标识，提示对方注意免除或者减轻其责任、排除或者限制对方权利等与对方有重大利害关系的异常条款的，"
        "人民法院可以认定其已经履行民法典第四百九十六条第二款规定的提示义务。",
        "提供格式条款的一方按照对方的要求，就与对方有重大利害关系的异常条款的概念、内容及其法律后果以书面或者口头形式向对方作出通常能够理解的解释说明的，"
        "人民法院可以认定其已经履行民法典第四百九十六条第二款规定的说明义务。",
        "提供格式条款的一方对其已经尽到提示义务或者说明义务承担举证责任。对于通过互联网等信息网络订立的电子合同，"
        "提供格式条款的一方仅以采取了设置勾选、弹窗等方式为由主张其已经履行提示义务或者说明义务的，人民法院不予支持，但是其举证符合前两款规定的除外。",
    ],
}

NUMERAL = "一二三四五六七八九"
ARTICLE_PARTS = re.compile(r"^(第[一二三四五六七八九十百千零]+条)(?:第([一二三四五六七八九])款)?")
ELLIPSIS = re.compile(r"…+")


def _plain(text: str) -> str:
    """Compare quotes whatever the bracket width: the data writes (一), the mirror （一）."""
    return text.replace("（", "(").replace("）", ")").strip()


def article_text(law: str, article: str) -> str | None:
    """The text a basis cites: the whole article, or the one paragraph it names; None if not read here."""
    m = ARTICLE_PARTS.match(article)
    if not m or (law, m.group(1)) not in ARTICLES:
        return None
    paragraphs = ARTICLES[(law, m.group(1))]
    if m.group(2):
        return paragraphs[NUMERAL.index(m.group(2))]
    return "".join(paragraphs)


def basis(kb, note_id: str, law: str, article: str):
    found = [b for b in kb.by_id[note_id].entry.basis if b.law == law and b.article == article]
    assert found, f"{note_id}: no basis {law} {article}"
    return found[0]


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"[。\n]", text) if s.strip()]


def _bases(kb):
    for r in kb.of_kind("legal"):
        for b in r.entry.basis:
            yield r.id, b


def test_every_basis_quoting_an_article_read_here_quotes_it_exactly(kb):
    checked = 0
    for note_id, b in _bases(kb):
        text = article_text(b.law, b.article)
        if text is None:
            continue
        checked += 1
        for fragment in ELLIPSIS.split(_plain(b.wording)):
            fragment = fragment.strip()
            assert fragment in _plain(text), f"{note_id}: {b.law}{b.article} does not say 「{fragment}」"
    assert checked >= 15, "the articles read in full are cited"


def test_high_confidence_names_the_mirror_file_and_commit(kb):
    for note_id, b in _bases(kb):
        if b.confidence == "high" and "LawRefBook" in b.source:
            assert "commit 2f4c5c2" in b.source and ".md" in b.source, f"{note_id}: {b.law}{b.article}: which file, which commit"


@pytest.mark.parametrize("note_id", ["compensation-basics", "service-interruption"])
def test_repair_period_runs_from_the_fault_report(kb, note_id):
    b = basis(kb, note_id, TELECOM, "第三十二条")
    assert b.wording == ARTICLES[(TELECOM, "第三十二条")][0], "第三十二条 quoted whole"
    repair = [s for s in sentences(kb.by_id[note_id].entry.answer) if "48小时" in s]
    assert repair and all("自接到申告之日起" in s for s in repair), "the 48/72 hours run from the customer's fault report"


@pytest.mark.parametrize("note_id", ["standard-terms", "contract-custody"])
def test_a_term_drops_out_only_if_the_customer_missed_it(kb, note_id):
    b = basis(kb, note_id, CIVIL, "第四百九十六条第二款")
    assert b.wording == ARTICLES[(CIVIL, "第四百九十六条")][1]
    claims = [s for s in sentences(kb.by_id[note_id].entry.answer) if "不成为合同的内容" in s]
    assert claims
    for s in claims:
        assert "致使" in s and "没有注意或者理解" in s, f"{note_id}: the condition of 第四百九十六条第二款 is missing: {s}"
        assert "第四百九十六条第二款" in s and "第二十六条" not in s, f"{note_id}: only 民法典第四百九十六条第二款 has this consequence: {s}"


def test_consumer_law_26_imposes_the_duty_not_the_consequence(kb):
    answer = kb.by_id["standard-terms"].entry.answer
    duty = [s for s in sentences(answer) if "第二十六条第一款" in s]
    assert duty and all("不成为合同的内容" not in s for s in duty)
    b = basis(kb, "standard-terms", CONSUMER, "第二十六条第一款")
    assert b.wording == ARTICLES[(CONSUMER, "第二十六条")][0]


@pytest.mark.parametrize("note_id", ["standard-terms", "contract-custody"])
def test_the_checkbox_rule_is_for_contracts_made_online(kb, note_id):
    b = basis(kb, note_id, CONTRACT_INTERPRETATION, "第十条")
    assert "对于通过互联网等信息网络订立的电子合同" in b.wording
    for s in sentences(kb.by_id[note_id].entry.answer):
        if "勾选" in s or "弹窗" in s:
            assert "信息网络" in s, f"{note_id}: 第十条 speaks of contracts made over information networks: {s}"


def test_an_accepted_settlement_binds_by_the_articles_that_say_so(kb):
    note = kb.by_id["settlement-effect"].entry
    cited = {b.article for b in note.basis if b.law == CIVIL}
    assert {"第四百八十三条", "第四百六十五条第二款", "第五百零二条第一款", "第一百四十七条", "第一百五十二条"} <= cited
    assert "第四百七十二条" not in cited and "第四百七十二条" not in note.answer, "第四百七十二条 only defines an offer"
    for number in ["第四百八十三条", "第四百六十五条", "第五百零二条", "第一百四十七条", "第一百五十二条"]:
        assert number in note.answer, f"the answer cites {number}"
    mistake = [s for s in sentences(note.answer) if "重大误解" in s]
    assert mistake and any("九十日" in s for s in mistake), "the 90-day limit for 重大误解"
    for article in ["第一百四十七条", "第四百八十三条"]:
        assert basis(kb, "settlement-effect", CIVIL, article).wording == "".join(ARTICLES[(CIVIL, article)])


def test_tenfold_comes_from_the_food_safety_law(kb):
    b = basis(kb, "multiple-compensation", FOOD, "第一百四十八条第二款")
    assert b.wording == ARTICLES[(FOOD, "第一百四十八条")][1]
    answer = kb.by_id["multiple-compensation"].entry.answer
    tenfold = [s for s in sentences(answer) if "食品安全法第一百四十八条第二款" in s]
    assert tenfold and any("不符合食品安全标准的食品" in s for s in tenfold)
    scenario = kb.by_id["tenfold-compensation"].entry
    assert "食品安全法第一百四十八条第二款" in (scenario.lesson or ""), "the drill names where 「十倍」 comes from"


def test_a_clerks_wrong_explanation_is_consumer_law_20_2(kb):
    b = basis(kb, "forced-activation-law", CONSUMER, "第二十条第二款")
    assert b.wording == ARTICLES[(CONSUMER, "第二十条")][1]
    clerk = [s for s in sentences(kb.by_id["forced-activation-law"].entry.answer) if "营业员" in s]
    assert clerk
    for s in clerk:
        assert "第二十条第二款" in s and "第四十五条" not in s, f"not false advertising: {s}"


def test_the_employer_answers_for_its_staff(kb):
    b = basis(kb, "civil-liability", CIVIL, "第一千一百九十一条第一款")
    assert b.wording == ARTICLES[(CIVIL, "第一千一百九十一条")][0] and b.confidence == "high"
    assert "第一千一百九十一条" in kb.by_id["civil-liability"].entry.answer


def test_network_coverage_cites_the_service_standard_article_honestly(kb):
    standard = [b for b in kb.by_id["network-coverage-law"].entry.basis if b.law.startswith("电信服务规范")]
    assert standard and standard[0].article == "第三条第一款"
    assert standard[0].confidence != "high", "not read in a full text"
    assert "施行" in standard[0].version and "2005-04-20" in standard[0].version


# --- 12300: the number rests on 2006 and 2008 sources; nobody recites it as confirmed

OFFICIAL = "工业和信息化部"
HOTLINE = "12300"


def _legal_text(e) -> str:
    return " ".join([e.answer, *e.apply, *e.mistakes])


def test_legal_notes_giving_12300_wait_for_review_and_say_why(kb):
    notes = [r for r in kb.of_kind("legal") if HOTLINE in _legal_text(r.entry)]
    assert notes
    for r in notes:
        review = r.entry.review
        assert review.status == "needs-review", r.id
        assert HOTLINE in (review.note or "") and "2006" in review.note and "2008" in review.note, f"{r.id}: why"
        assert OFFICIAL in review.note and "电信用户申诉受理中心" in review.note, f"{r.id}: where to check"


def test_escalation_levels_giving_12300_say_so_on_the_page(kb):
    levels = [r for r in kb.of_kind("escalation") if HOTLINE in r.entry.summary + " ".join(r.entry.steps)]
    assert levels
    for r in levels:
        assert "待法务复核" in r.entry.summary and "2006" in r.entry.summary and OFFICIAL in r.entry.summary, r.id


def test_no_agent_line_recites_12300_unflagged(kb):
    for r in kb.of_kind("scenarios"):
        for line in r.entry.dialogue:
            if line.who == "坐席" and HOTLINE in line.line:
                assert line.note and "待法务复核" in line.note, f"{r.id}: the agent recites 12300 unflagged"


def test_no_replacement_hotline_is_invented(project_root):
    """Only the service numbers the record names occur in data (12300, 12315, 12321)."""
    data = " ".join(p.read_text(encoding="utf-8") for p in (project_root / "data").rglob("*.yaml"))
    assert set(re.findall(r"(?<!\d)123\d\d(?!\d)", data)) <= {"12300", "12315", "12321"}
