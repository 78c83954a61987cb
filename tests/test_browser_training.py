"""Training in Chromium: each self-check drill driven by the keyboard alone, progress kept in localStorage
only and cleared by its button, nothing sent anywhere; the role-play cards print one role per A4 page and
the course prints as a handout; the drills' answered states pass axe."""

from __future__ import annotations

import io
import json
import unicodedata

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from browser import axe_report, axe_violations, drill_loaded, open_in
from kb.pages import roleplay_src, roleplays
from kb.practice import drill_data

pytestmark = pytest.mark.browser

TYPED = "我来帮您查一下，今天下午三点前回复您"  # what the trainee types: it must never leave the page


def stored(page) -> dict:
    return json.loads(page.evaluate("() => localStorage.getItem('kb-practice') || '{}'"))


def focused(page, selector: str) -> bool:
    return page.evaluate("s => document.activeElement.matches(s)", selector)


def nothing_sent(served: list[str], traffic) -> None:
    """Only files of the site were asked for: no search log, no query, nothing the trainee typed."""
    assert all("?" not in path and not path.endswith(".gif") for path in served), served
    assert not any(TYPED in u or "%E6%88%91%E6%9D%A5" in u for u in traffic.requests)


def test_swaps_drill_by_keyboard_keeps_progress_in_the_browser_and_clears_it(page, kb, served, traffic):
    items = drill_data(kb, "swaps")["items"]
    page.goto("practice/swaps/")
    drill_loaded(page)
    assert focused(page, "textarea.kb-drill__own")  # the page opens ready to type
    expect(page.locator(".kb-avoid__text")).to_have_text(items[0]["avoid"])
    page.keyboard.type(TYPED)
    page.keyboard.press("Control+Enter")
    answer = page.locator(".kb-drill__answer")
    expect(answer).to_be_visible()
    for sentence in items[0]["say"]:
        expect(answer).to_contain_text(sentence)
    expect(answer).to_contain_text("为什么")
    assert focused(page, '[data-kb-drill-go="next"]')
    assert stored(page) == {"swaps": {items[0]["id"]: {"ok": None}}}
    page.keyboard.press("Enter")  # 下一题
    expect(page.locator(".kb-avoid__text")).to_have_text(items[1]["avoid"])
    assert focused(page, "textarea.kb-drill__own")
    expect(page.locator(".kb-drill__progress")).to_contain_text("第 2 / %d 题 · 已做 1 题" % len(items))

    page.reload()  # progress survives: the drill opens on the first question not done
    drill_loaded(page)
    expect(page.locator(".kb-avoid__text")).to_have_text(items[1]["avoid"])
    clear = page.locator('[data-kb-practice-clear="swaps"]')
    clear.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".kb-drill__progress")).to_contain_text("已做 0 题")
    assert stored(page) == {}
    nothing_sent(served, traffic)


def test_identify_drill_by_keyboard_says_right_or_wrong_and_where_the_signals_point(page, kb, served, traffic):
    data = drill_data(kb, "identify")
    page.goto("practice/identify/")
    drill_loaded(page)
    first = data["items"][0]
    expect(page.locator(".kb-drill__says li")).to_have_count(len(first["says"]))
    assert focused(page, "input[type=radio]")
    (family, right), = first["answer"].items()
    # arrow keys move through the group and choose; stop on the right type
    page.keyboard.press("Space")
    while page.evaluate("() => document.activeElement.value") not in right:
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    verdicts = page.locator(".kb-drill__verdict")
    expect(verdicts).to_have_text([f"{family}：✓ 对了，是{data['types'][right[0]]['title']}"])
    signals = page.locator(".kb-drill__signals li")
    expect(signals).to_have_count(len(first["says"]))
    expect(signals.first).to_contain_text("指向")
    expect(signals.first).to_contain_text(data["types"][right[0]]["title"])
    assert stored(page)["identify"] == {first["id"]: {"ok": True}}

    # a scenario: two groups; checking with one empty says so, a wrong choice is shown with the right one
    index = next(i for i, item in enumerate(data["items"]) if len(item["answer"]) == 2)
    page.evaluate("n => { for (let i = 0; i < n; i++) document.querySelector('[data-kb-drill-go=next]').click(); }", index)
    expect(page.locator(".kb-drill__says li").first).to_have_text(data["items"][index]["says"][0]["text"])
    item = data["items"][index]
    page.locator("fieldset.kb-drill__choices").first.locator("input").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".kb-drill__progress")).to_contain_text("先在")
    wrong = {}
    for family, right in item["answer"].items():
        wrong[family] = next(t for t in data["families"][family] if t not in right)
        group = page.locator("fieldset.kb-drill__choices").filter(has=page.locator("legend", has_text=family))
        group.locator(f'input[value="{data["families"][family][0]}"]').focus()
        page.keyboard.press("Space")
        while page.evaluate("() => document.activeElement.value") != wrong[family]:
            page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(verdicts).to_have_count(2)
    for family in item["answer"]:
        expect(verdicts.filter(has_text=family)).to_contain_text("✗ 你选了" + data["types"][wrong[family]]["title"])
    expect(page.locator(".kb-drill__answer")).to_contain_text("你选的")
    assert stored(page)["identify"][item["id"]] == {"ok": False}
    expect(page.locator(".kb-drill__progress")).to_contain_text("已做 2 题，答对 1 题")
    nothing_sent(served, traffic)


def test_legal_drill_by_keyboard_shows_the_short_answer_and_basis(page, kb, served, traffic):
    items = drill_data(kb, "legal")["items"]
    page.goto("practice/legal/")
    drill_loaded(page)
    expect(page.locator("#drill-question")).to_have_text(items[0]["question"])
    page.keyboard.type(TYPED)
    page.keyboard.press("Control+Enter")
    answer = page.locator(".kb-drill__answer")
    expect(answer).to_contain_text("简短答案")
    for b in items[0]["basis"]:
        expect(answer).to_contain_text(b["law"] + " " + b["article"])
    if items[0]["review"]:
        expect(answer.locator(".kb-review")).to_have_text(items[0]["review"])
    # what a prose answer links to is a link, and its text is text
    link = answer.locator("a").first
    expect(link).to_have_attribute("href", __import__("re").compile(r"^http://127\.0\.0\.1:\d+/"))
    page.keyboard.press("Enter")
    expect(page.locator("#drill-question")).to_have_text(items[1]["question"])
    nothing_sent(served, traffic)


def test_the_practice_page_counts_and_clears_every_drill(page):
    page.goto("practice/legal/")
    drill_loaded(page)
    page.keyboard.press("Control+Enter")
    page.goto("practice/")
    expect(page.locator('[data-kb-practice-done="legal"]')).to_have_text("，已做 1 题")
    page.get_by_role("button", name="清除全部练习进度").click()
    expect(page.locator('[data-kb-practice-done="legal"]')).to_have_text("，已做 0 题")
    expect(page.locator(".kb-practice__status")).to_have_text("全部练习进度已清除。")
    assert stored(page) == {}


def pdf_texts(page) -> list[str]:
    """Each printed page's text, without spaces; NFKC, as the PDF names some CJK glyphs by their radicals."""
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    width, height = (float(x) for x in pdf.pages[0].mediabox[2:])
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2, f"A4 is 595×842 points, got {width}×{height}"
    return [unicodedata.normalize("NFKC", "".join(p.extract_text().split())) for p in pdf.pages]


def _longest_observer_card(r) -> int:
    e = r.entry
    return sum(map(len, [*e.measures, *e.pitfalls, e.lesson or ""]))


def test_role_play_cards_print_one_role_per_a4_page(page, kb):
    # the drill with the most on its observer card, the card likeliest to run onto a second sheet, and the
    # one with the least (printing every drill's cards took 40 s on the shared test machine)
    drills = sorted(roleplays(kb), key=_longest_observer_card)
    for r in {drills[0].id: drills[0], drills[-1].id: drills[-1]}.values():
        page.goto(roleplay_src(r).removesuffix(".md") + "/")
        texts = pdf_texts(page)
        assert len(texts) == 3, f"{r.id}: customer, agent and observer, one sheet each; got {len(texts)} pages"
        assert "坐席卡" not in texts[0] and "观察员卡" not in texts[0], r.id
        assert texts[1].startswith("坐席卡") and "观察员卡" not in texts[1], r.id
        assert texts[2].startswith("观察员卡"), r.id
        assert "<http" not in "".join(texts), "no link addresses on a card"


def test_the_course_prints_as_an_a4_handout(page, kb):
    page.goto("training/")
    page.emulate_media(media="print")
    assert page.locator(".md-sidebar--primary").evaluate("e => getComputedStyle(e).display") == "none"
    text = "".join(pdf_texts(page))
    course = kb.of_kind("course")[0].entry
    assert all(f"天{s.time}" in text for s in course.sessions)
    assert "暂无条目" in text and "<http" not in text  # no link addresses on the handout


@pytest.mark.parametrize(("drill", "scheme", "device"), [("identify", "dark", "phone"), ("legal", "light", "page")])
def test_an_answered_drill_is_accessible(request, drill, scheme, device):
    page = request.getfixturevalue(device)
    open_in(page, f"practice/{drill}/", scheme)
    if drill == "identify":
        for group in page.locator("fieldset.kb-drill__choices").all():
            group.locator("input").first.check()
    page.locator(".kb-drill__check").click()
    expect(page.locator(".kb-drill__answer")).to_be_visible()
    violations = axe_violations(page)
    assert not violations, axe_report(violations)
