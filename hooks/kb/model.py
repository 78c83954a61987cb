"""The entry kinds and their fields: the single source of truth.

Validation (pydantic), the editor JSON Schemas in ``schema/`` and the data-format reference page
are all derived from the classes below. A field's ``description`` is what authors read.

Conventions
- ``Text`` is plain text: shown exactly as written, never interpreted.
- ``Prose`` accepts a little Markdown (bold, italics, lists, http(s) links) and inline references
  ``[[kind:id]]``; raw HTML is always shown as text.
- ``ref(...)`` marks a field whose values are ids of entries of the given kinds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]
Text = Annotated[str, StringConstraints(min_length=1), Field(json_schema_extra={"x-format": "text"})]
Prose = Annotated[str, StringConstraints(min_length=1), Field(json_schema_extra={"x-format": "prose"})]


@dataclass(frozen=True)
class RefTo:
    """Field metadata: the value(s) are ids of entries of these kinds."""

    kinds: tuple[str, ...]


def ref(*kinds: str):
    """A list of ids pointing at entries of ``kinds``."""
    return Annotated[
        list[Id],
        RefTo(kinds),
        Field(
            default_factory=list,
            json_schema_extra={"x-refers-to": list(kinds)},
            description="ids of " + " / ".join(kinds) + " entries",
        ),
    ]


def ref_one(*kinds: str):
    """A single id pointing at an entry of ``kinds``."""
    return Annotated[Id, RefTo(kinds), Field(json_schema_extra={"x-refers-to": list(kinds)})]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Review(Strict):
    """When an entry was last reviewed, by whom, and when it is due again (any kind may carry one)."""

    reviewed_on: dt.date = Field(description="date of the last review (YYYY-MM-DD)")
    owner: Text = Field(description="who reviewed / who owns the next review")
    interval_days: int | None = Field(default=None, ge=1, le=3650, description="review again this many days after `reviewed_on`; without it (and without `due`) the kind's default from mkdocs.yml `extra.kb.review.intervals` applies")
    due: dt.date | None = Field(default=None, description="the next review date, when it is fixed rather than an interval (YYYY-MM-DD); wins over `interval_days`")


class Entry(Strict):
    """Fields every entry has."""

    id: Id = Field(description="ASCII kebab-case id, unique across the knowledge base; it is the entry's address (URL or #anchor). Never reuse; to rename, keep the old id in `aliases`.")
    title: Text = Field(description="标题 (简体中文)")
    tags: list[Text] = Field(default_factory=list, description="标签, shown on the page and used by the tags index")
    keywords: list[Text] = Field(default_factory=list, description="口语说法: how agents or customers describe this situation in their own words; they are indexed for search")
    sources: list[Text] = Field(min_length=1, description="keys of data/sources.yaml this entry came from; add `authored` when the team wrote it where a source only names the topic")
    authored_basis: Prose | None = Field(default=None, description="required when `sources` contains `authored`: what the entry was written from (law, regulation, the seeds' principles)")
    aliases: list[Id] = Field(default_factory=list, description="former ids of this entry; their old addresses keep working")
    review: Review | None = Field(default=None, description="复核: who checked this entry, when, and when it is due again")


# ---------------------------------------------------------------- collections (anchored entries)

# group → its anchor on /principles/
PRINCIPLE_GROUPS = {
    "总原则": "top", "对投诉的认识": "beliefs", "态度": "attitude", "承诺": "commitments",
    "有理与无理": "reason", "自身失误": "own-mistakes",
}


class Principle(Entry):
    """投诉处理原则: a rule of handling."""

    group: Literal[tuple(PRINCIPLE_GROUPS)] = Field(description="原则分组")  # type: ignore[valid-type]
    body: Prose = Field(description="原则内容")
    why: Prose | None = Field(default=None, description="为什么")
    points: list[Text] = Field(default_factory=list, description="要点")


class Swap(Entry):
    """话术替换: a sentence to avoid and what to say instead."""

    avoid: Text = Field(description="别说: the sentence to avoid, as agents say it")
    say: list[Text] = Field(min_length=1, description="改说: one or more sentences to say instead (each copyable)")
    why: Prose = Field(description="为什么")
    types: ref("types") = Field(description="customer types for whom this swap matters most")
    techniques: ref("techniques")


# category → its anchor on /phrases/ (anchors are ASCII, never slugified Chinese)
PHRASE_CATEGORIES = {
    "感同身受型": "empathy", "被重视型": "valued", "站在客户的角度": "customer-view", "哄客户": "coax",
    "表扬客户": "praise", "万能语": "universal", "感谢客户": "thanks", "其他类型": "other",
}


class Phrase(Entry):
    """推荐话术: a sentence to say."""

    category: Literal[tuple(PHRASE_CATEGORIES)] = Field(description="话术类别")  # type: ignore[valid-type]
    text: Text = Field(description="话术原文 (copyable); keep `XX` where the agent fills in a name or number")
    when: Prose = Field(description="什么时候用")
    types: ref("types")


# group → its anchor on /process/
TECHNIQUE_GROUPS = {
    "五步法": "five-steps", "四个阶段": "four-stages", "处理套路": "routine", "听·说·问": "listen-speak-ask",
    "应对技巧": "coping", "安抚情绪四法": "calming", "语调与身体语言": "tone-and-body-language",
    "记录整理": "records", "时间期望管理": "time-expectations", "特殊客户技巧": "special-customers",
}


class Technique(Entry):
    """处理流程中的一步或一个技巧."""

    group: Literal[tuple(TECHNIQUE_GROUPS)] = Field(description="所属分组")  # type: ignore[valid-type]
    order: int = Field(ge=1, description="position within its group, from 1")
    summary: Prose = Field(description="一句话说明")
    points: list[Text] = Field(min_length=1, description="要点, in order")
    example: Prose | None = Field(default=None, description="例子")
    phrases: ref("phrases", "swaps")


class Escalation(Entry):
    """升级投诉的级别与渠道."""

    level: int = Field(ge=1, description="1 = least severe; used for ordering")
    scope: Literal["内部", "外部"] = Field(description="内部升级 or 外部升级")
    channel: Text = Field(description="渠道 (e.g. 越级投诉, 12300 申诉, 12315, 媒体, 法院)")
    summary: Prose = Field(description="说明")
    triggers: list[Text] = Field(min_length=1, description="触发情形 / 诱因")
    deadline: Text | None = Field(default=None, description="时限 (cite the rule in `legal` when it comes from one)")
    handler: Text = Field(description="谁负责处理")
    steps: list[Text] = Field(min_length=1, description="控制与处理流程")
    prevention: list[Text] = Field(default_factory=list, description="预防与改进")
    legal: ref("legal")


class Category(Entry):
    """投诉分类."""

    order: int = Field(ge=1)
    summary: Prose = Field(description="这一类投诉是什么")
    examples: list[Text] = Field(default_factory=list, description="典型投诉")
    behaviour: list[Text] = Field(min_length=1, description="这类投诉客户的行为特点")
    legal: ref("legal")


class Role(Entry):
    """岗位: who serves whom."""

    order: int = Field(ge=1)
    serves: Text = Field(description="服务对象")
    service: Literal["全面服务", "协助服务", "—"] = Field(description="服务方式")
    duties: list[Text] = Field(min_length=1, description="岗位职责")
    complaints: Prose = Field(description="大客户投诉时该岗位做什么、投诉转到哪里")


class Topic(Entry):
    """专题: background and overview pages (trends, what makes a complaint 焦点难点, …)."""

    order: int = Field(ge=1)
    summary: Prose = Field(description="摘要")
    body: Prose = Field(description="正文")
    points: list[Text] = Field(default_factory=list, description="要点")


# ---------------------------------------------------------------- kinds with their own pages

# group → its anchor in the signal list on /types/ (the order agents tick them in on /triage/)
SIGNAL_GROUPS = {"语气与情绪": "tone", "要求": "demands", "说法": "sayings", "历史": "history"}
# each signal's key on /triage/, in that order: so there can be at most this many signals
SIGNAL_KEYS = "123456789abcdefghijklmnopqrstuvwxyz"


class Signal(Entry):
    """识别信号: something the agent notices during a call; customer types list the signals that point to them."""

    title: Annotated[str, StringConstraints(min_length=1, max_length=16), Field(json_schema_extra={"x-format": "text"})] = Field(
        description="短标签 (简体中文, at most 16 characters): what the agent ticks on /triage/")
    group: Literal[tuple(SIGNAL_GROUPS)] = Field(description="信号分组")  # type: ignore[valid-type]
    weight: int = Field(ge=1, le=3, description="how much hearing it says: 1 = many kinds of customer do this, "
                        "2 = usual, 3 = it marks one or two types; a type's triage score is the sum of the weights of its ticked signals")
    description: Prose | None = Field(default=None, description="说明: what to listen for, when the label needs it")
    legal: ref("legal") = Field(description="legal notes to open when the agent hears it (赔偿, 法律, 媒体 …)")
    escalation: ref("escalation") = Field(description="escalation levels it may lead to (找领导, 工信部, 媒体 …)")


class TypeSignal(Strict):
    signal: ref_one("signals") = Field(description="id of the signal (data/signals/)")
    note: Text | None = Field(default=None, description="this type's own wording: what the customer says or does, when it says more than the label")


# family → its anchor on /types/ and /triage/ (types are listed and ranked per family, in this order)
TYPE_FAMILIES = {"性格类型": "temperament", "投诉性质": "nature"}


class CustomerType(Entry):
    """客户类型: a temperament type or a complaint nature."""

    family: Literal[tuple(TYPE_FAMILIES)] = Field(  # type: ignore[valid-type]
        description="性格类型 (变色龙型 …) or 投诉性质 (纯粹为了发泄 …)")
    order: int = Field(ge=1)
    summary: Prose = Field(description="一句话画像")
    first_move: Text = Field(description="第一步怎么做 (shown in the comparison table)")
    signals: list[TypeSignal] = Field(min_length=1, description="识别信号: the signals that point to this type, each with this type's wording (a signal may appear more than once, with different wording)")
    traits: list[Text] = Field(default_factory=list, description="行为特点")
    causes: list[Text] = Field(default_factory=list, description="可能原因")
    handling: list[Text] = Field(min_length=1, description="应对步骤, in order")
    donts: list[Text] = Field(min_length=1, description="千万不要")
    phrases: ref("phrases", "swaps")
    techniques: ref("techniques")
    legal: ref("legal")
    principles: ref("principles")


class DialogueLine(Strict):
    who: Literal["客户", "坐席"] = Field(description="谁说的")
    line: Text = Field(description="原话")
    note: Text | None = Field(default=None, description="旁注: why the agent says this")


class RolePlay(Strict):
    """角色扮演卡: what the customer's and the agent's cards of a drill say (the observer's card is the
    drill's 措施, 易犯错误 and 案例分析). Taken from the drill's own setting (情景), never new facts."""

    customer: list[Text] = Field(min_length=1, description="客户卡：客户是谁、发生了什么、想要什么、会怎么说怎么做。只写客户知道的；不写坐席该怎么答，不写点评要点")
    agent: list[Text] = Field(min_length=1, description="坐席卡：电话接起时坐席能看到、知道的（系统记录、历史工单）。不写客户心里怎么想")


class Scenario(Entry):
    """投诉场景 (including the training drills)."""

    category: ref_one("categories") = Field(description="complaint category id")
    drill: bool = Field(default=False, description="是否为培训演练 (案例演练/角色扮演)；演练必须有 `roleplay`")
    roleplay: RolePlay | None = Field(default=None, description="角色扮演卡（只用于演练）：打印出来一人一张")
    situation: Prose = Field(description="情景")
    types: ref("types")
    measures: list[Text] = Field(min_length=1, description="措施, step by step")
    dialogue: list[DialogueLine] = Field(default_factory=list, description="示例对话")
    dialogue_note: Prose | None = Field(default=None, description="对话说明 (e.g. where the source was cut off and the team completed it)")
    lesson: Prose | None = Field(default=None, description="案例分析 / 启示")
    pitfalls: list[Text] = Field(default_factory=list, description="易犯错误")
    legal: ref("legal")
    principles: ref("principles")
    phrases: ref("phrases", "swaps")
    techniques: ref("techniques")


# how a page says a basis's confidence and a note's review status (the YAML values are the keys)
CONFIDENCE = {"high": "高：已读全文", "medium": "中：二手来源", "low": "低：未经确认"}
REVIEW_STATUS = {"verified": "条文已核对", "needs-review": "待法务复核"}


class Basis(Strict):
    law: Text = Field(description="法律法规全称, e.g. 中华人民共和国消费者权益保护法")
    article: Text = Field(description="条款, e.g. 第五十五条第一款; write 条款号待核 only with confidence low")
    wording: Text = Field(description="条文原文 (quoted exactly) or, for a contract term, the clause as published")
    version: Text = Field(description="version in force, e.g. 2013年修正，2014-03-15 起施行")
    confidence: Literal[tuple(CONFIDENCE)] = Field(  # type: ignore[valid-type]
        description="high: read in a full text; medium: secondary source; low: not confirmed")
    source: Text = Field(description="where the wording was checked")
    nature: Literal["法律", "行政法规", "部门规章", "规范性文件", "司法解释", "合同条款", "企业承诺"] = Field(description="效力层级: never present a company commitment as law")


class LegalReview(Review):
    """A legal note's review: the general review plus whether its wording was checked."""

    status: Literal[tuple(REVIEW_STATUS)] = Field(  # type: ignore[valid-type]
        description="verified: wording checked against a full text; needs-review: shown as 待法务复核")
    note: Text | None = Field(default=None, description="what remains to be checked")


class CompanyField(Strict):
    label: Text = Field(description="what the organisation must fill in, e.g. 一线赔偿审批权限")
    key: Id = Field(description="ASCII kebab-case key, unique within the note: a branch fills this field by `legal` + `key` (see CompanyValue). Never rename")
    value: Text | None = Field(default=None, description="leave empty until the organisation decides; never invent a figure")
    decided_by: Text = Field(description="who decides it")


class CompanyValue(Strict):
    """本单位规定: a branch's value for one `company` field of a legal note (branches/<name>/data/company.yaml)."""

    legal: Id = Field(description="id of the legal note")
    key: Id = Field(description="`key` of the note's company field")
    value: Text = Field(description="规定: what the branch decided, as its document says it; never a guess")
    effective_on: dt.date = Field(description="生效日期 (YYYY-MM-DD): from when the value applies")
    decided_by: Text = Field(description="由谁决定: the body and, where there is one, the document that decided it")
    review_due: dt.date | None = Field(default=None, description="复核日期 (YYYY-MM-DD): when the value must be checked again")


class LegalNote(Entry):
    """法律与赔偿说明."""

    question: Text = Field(description="坐席面对的问题, e.g. 该不该赔？赔多少？")
    answer: Prose = Field(description="简短答案 (shown first)")
    basis: list[Basis] = Field(min_length=1, description="依据: law, article, wording, version")
    apply: list[Text] = Field(min_length=1, description="通话中怎么用")
    mistakes: list[Text] = Field(default_factory=list, description="常见错误")
    company: list[CompanyField] = Field(default_factory=list, description="本单位规定: figures only the organisation can set")
    review: LegalReview = Field(description="复核: legal notes must carry one (status, date, owner)")


# every kind a course sub-topic may be taught by (all but courses themselves)
TEACHING_KINDS = ("principles", "swaps", "phrases", "techniques", "types", "scenarios", "legal", "escalation",
                  "categories", "roles", "topics", "signals")
TIME_BLOCK = r"^([01]?[0-9]|2[0-3]):[0-5][0-9]-([01]?[0-9]|2[0-3]):[0-5][0-9]$"


class CourseTopic(Strict):
    """课程大纲里的一个子题，和讲授它的条目."""

    level: int = Field(default=1, ge=1, le=3, description="层级：1 = 直接在这一部分下面，2 = 在上一个 1 级子题下面，3 = 在上一个 2 级子题下面（只能逐级加深）")
    label: Text | None = Field(default=None, description="编号，照原文写（1. / 1) / A.），原文编号重复的也照抄")
    title: Text = Field(description="子题，照原文写")
    entries: ref(*TEACHING_KINDS) = Field(description="讲授这个子题的条目 id；一个也没有时，页面写明“暂无条目”")


class CoursePart(Strict):
    """大纲的一部分（一、二、…）."""

    number: Text = Field(description="编号，照原文写（一 / 二 …）")
    title: Text = Field(description="这一部分的题目，照原文写")
    topics: list[CourseTopic] = Field(min_length=1, description="子题，按原文顺序")


class CourseSession(Strict):
    """一个时段：哪一天、几点到几点、讲哪几部分、怎么讲."""

    day: int = Field(ge=1, le=10, description="第几天（1 = 第一天）")
    time: Annotated[str, StringConstraints(pattern=TIME_BLOCK)] = Field(description="时间段，如 9:00-12:00")
    parts: list[CoursePart] = Field(min_length=1, description="这个时段讲的部分，按原文顺序")
    methods: list[Text] = Field(min_length=1, description="授课方式（讲师讲演、案例分析、互动交流、分组讨论 …）")
    benefits: list[Text] = Field(default_factory=list, description="培训效益，照原文写")


class Course(Entry):
    """培训课程：照课程大纲排（天、时段、部分、子题、授课方式），每个子题连到讲授它的条目."""

    order: int = Field(ge=1, description="在 /training/ 上的顺序")
    background: list[Text] = Field(default_factory=list, description="课程背景，照原文写，一段一项")
    methods: list[Text] = Field(min_length=1, description="培训方式，照原文写")
    audience: Text = Field(description="课程对象")
    sessions: list[CourseSession] = Field(min_length=1, description="日程：各个时段，按时间顺序")


KINDS: dict[str, type[Entry]] = {
    "principles": Principle,
    "swaps": Swap,
    "phrases": Phrase,
    "techniques": Technique,
    "types": CustomerType,
    "scenarios": Scenario,
    "legal": LegalNote,
    "escalation": Escalation,
    "categories": Category,
    "roles": Role,
    "topics": Topic,
    "signals": Signal,
    "course": Course,
}

# singular, as used in error messages and inline references ([[type:chameleon]])
SINGULAR = {
    "principles": "principle", "swaps": "swap", "phrases": "phrase", "techniques": "technique",
    "types": "type", "scenarios": "scenario", "legal": "legal", "escalation": "escalation",
    "categories": "category", "roles": "role", "topics": "topic",
    "signals": "signal", "course": "course",
}
PLURAL = {v: k for k, v in SINGULAR.items()}

# how a kind is named in a message ("unknown customer type 'y'")
LABEL = {
    "principles": "principle", "swaps": "phrase swap", "phrases": "phrase", "techniques": "technique",
    "types": "customer type", "scenarios": "scenario", "legal": "legal note", "escalation": "escalation level",
    "categories": "complaint category", "roles": "role", "topics": "topic",
    "signals": "signal", "course": "training course",
}

# Chinese names shown on the site
ZH = {
    "principles": "原则", "swaps": "话术替换", "phrases": "话术", "techniques": "流程与技巧",
    "types": "客户类型", "scenarios": "场景", "legal": "法律", "escalation": "升级",
    "categories": "投诉分类", "roles": "岗位", "topics": "专题",
    "signals": "识别信号", "course": "培训课程",
}

AUTHORED = "authored"


class SourceSection(Strict):
    key: Id
    seed: Text
    section: Text
    from_: Literal["text", "outline"] = Field(alias="from")
    what: Text


class SynonymGroup(Strict):
    words: list[Text] = Field(min_length=2, description="words an agent may type for the same thing; the first is the preferred term")
