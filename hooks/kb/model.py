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

# Chinese names shown on the site
ZH = {
    "principles": "原则", "swaps": "话术替换", "phrases": "话术", "techniques": "流程与技巧",
    "types": "客户类型", "scenarios": "场景", "legal": "法律", "escalation": "升级",
    "categories": "投诉分类", "roles": "岗位", "topics": "专题",
    "signals": "识别信号", "course": "培训课程",
}

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]
Text = Annotated[str, StringConstraints(min_length=1), Field(json_schema_extra={"x-format": "text"})]
# a title is a heading and a link text on every page that refers to it: the longest real one is 37 characters
MAX_TITLE = 80
Title = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TITLE), Field(json_schema_extra={"x-format": "text"})]
Prose = Annotated[str, StringConstraints(min_length=1), Field(json_schema_extra={"x-format": "prose"})]
# one moment of a call, as an agent would describe it (客户说着说着哭起来): short, so it stays a line to
# search by and not a second explanation
Moment = Annotated[str, StringConstraints(min_length=2, max_length=20), Field(json_schema_extra={"x-format": "text"})]
MOMENTS_MAX = 6
MOMENTS_HELP = ("什么时候用：通话中用得上它的时刻，照坐席自己描述当时情况的口头说法写"
                "（如 客户说着说着哭起来、客户半天不说话、客户不接受方案），一行一个时刻，"
                f"每行 4–15 字为宜（2–20 字），写 2–5 行（最多 {MOMENTS_MAX} 行）；显示在页面上，也用于搜索")


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
            description="引用：" + "、".join(ZH[k] for k in kinds) + "条目的 id 列表",
        ),
    ]


def ref_one(*kinds: str):
    """A single id pointing at an entry of ``kinds``."""
    return Annotated[Id, RefTo(kinds), Field(json_schema_extra={"x-refers-to": list(kinds)})]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Review(Strict):
    """When an entry was last reviewed, by whom, and when it is due again (any kind may carry one)."""

    reviewed_on: dt.date = Field(description="上次复核的日期（YYYY-MM-DD）")
    owner: Text = Field(description="谁复核的，或谁负责下次复核")
    interval_days: int | None = Field(default=None, ge=1, le=3650, description="`reviewed_on` 之后多少天再复核；不写（也不写 `due`）时用 mkdocs.yml `extra.kb.review.intervals` 里该种类的默认值")
    due: dt.date | None = Field(default=None, description="固定的下次复核日期（YYYY-MM-DD），优先于 `interval_days`")


class Entry(Strict):
    """Fields every entry has."""

    id: Id = Field(description="ASCII 小写字母、数字和连字符（如 double-refund），全库唯一，就是条目的网址（页面或 #锚点）。不要重复使用；改名时把旧 id 写进 `aliases`。")
    title: Title = Field(description=f"标题（简体中文，最多 {MAX_TITLE} 字）")
    tags: list[Text] = Field(default_factory=list, description="标签：显示在页面上，也进入标签索引")
    keywords: list[Text] = Field(default_factory=list, description="口语说法：坐席或客户自己怎么说这件事；用于搜索")
    sources: list[Text] = Field(min_length=1, description="出处：data/sources.yaml 里的 key；编写组自己写的内容写 `authored`（并填 `authored_basis`）")
    authored_basis: Prose | None = Field(default=None, description="`sources` 含 `authored` 时必填：依据什么写的（法律、规章、原文中的原则）")
    aliases: list[Id] = Field(default_factory=list, description="本条目用过的旧 id；旧网址继续有效")
    review: Review | None = Field(default=None, description="复核：谁、何时核对过本条，何时再复核")


# ---------------------------------------------------------------- collections (anchored entries)

# group → its anchor on /principles/
PRINCIPLE_GROUPS = {
    "总原则": "top", "对投诉的认识": "beliefs", "态度": "attitude", "承诺": "commitments",
    "有理与无理": "reason", "自身失误": "own-mistakes",
}


class Principle(Entry):
    """投诉处理原则。"""

    group: Literal[tuple(PRINCIPLE_GROUPS)] = Field(description="原则分组")  # type: ignore[valid-type]
    body: Prose = Field(description="原则内容")
    why: Prose | None = Field(default=None, description="为什么")
    points: list[Text] = Field(default_factory=list, description="要点")


class Swap(Entry):
    """话术替换：别说什么，改说什么。"""

    avoid: Text = Field(description="别说：要避免的说法，照坐席的原话写")
    say: list[Text] = Field(min_length=1, description="改说：一句或几句替代说法（每句可一键复制）")
    why: Prose = Field(description="为什么")
    types: ref("types") = Field(description="最需要这条替换的客户类型（id）")
    techniques: ref("techniques")
    moments: list[Moment] = Field(default_factory=list, max_length=MOMENTS_MAX, description=MOMENTS_HELP)


# category → its anchor on /phrases/ (anchors are ASCII, never slugified Chinese)
PHRASE_CATEGORIES = {
    "感同身受型": "empathy", "被重视型": "valued", "站在客户的角度": "customer-view", "哄客户": "coax",
    "表扬客户": "praise", "万能语": "universal", "感谢客户": "thanks", "其他类型": "other",
}


class Phrase(Entry):
    """推荐话术。"""

    category: Literal[tuple(PHRASE_CATEGORIES)] = Field(description="话术类别")  # type: ignore[valid-type]
    text: Text = Field(description="话术原文（可一键复制）；需要坐席填名字或数字处写 `XX`")
    moments: list[Moment] = Field(min_length=1, max_length=MOMENTS_MAX, description=MOMENTS_HELP)
    when: Prose = Field(description="怎么用：什么情况下说、说的时候注意什么（成段说明，显示在「什么时候用」的几行之下）")
    types: ref("types")


# group → its anchor on /process/
TECHNIQUE_GROUPS = {
    "五步法": "five-steps", "四个阶段": "four-stages", "处理套路": "routine", "听·说·问": "listen-speak-ask",
    "应对技巧": "coping", "安抚情绪四法": "calming", "语调与身体语言": "tone-and-body-language",
    "记录整理": "records", "时间期望管理": "time-expectations", "特殊客户技巧": "special-customers",
}


class Technique(Entry):
    """流程与技巧：处理流程中的一步或一个技巧。"""

    group: Literal[tuple(TECHNIQUE_GROUPS)] = Field(description="所属分组")  # type: ignore[valid-type]
    order: int = Field(ge=1, description="在分组内的顺序，从 1 开始")
    summary: Prose = Field(description="一句话说明")
    points: list[Text] = Field(min_length=1, description="要点（按顺序）")
    example: Prose | None = Field(default=None, description="例子")
    moments: list[Moment] = Field(min_length=1, max_length=MOMENTS_MAX, description=MOMENTS_HELP)
    phrases: ref("phrases", "swaps")


class Escalation(Entry):
    """升级投诉的级别与渠道。"""

    level: int = Field(ge=1, description="级别：1 最轻，用于排序")
    scope: Literal["内部", "外部"] = Field(description="内部升级或外部升级")
    channel: Text = Field(description="渠道（如 越级投诉、12300 申诉、12315、媒体、法院）")
    summary: Prose = Field(description="说明")
    triggers: list[Text] = Field(min_length=1, description="触发情形 / 诱因")
    deadline: Text | None = Field(default=None, description="时限（来自法规时，在 `legal` 里引用该法律说明）")
    handler: Text = Field(description="谁负责处理")
    steps: list[Text] = Field(min_length=1, description="控制与处理流程")
    prevention: list[Text] = Field(default_factory=list, description="预防与改进")
    legal: ref("legal")


class Category(Entry):
    """投诉分类。"""

    order: int = Field(ge=1, description="显示顺序，从 1 开始")
    summary: Prose = Field(description="这一类投诉是什么")
    examples: list[Text] = Field(default_factory=list, description="典型投诉")
    behaviour: list[Text] = Field(min_length=1, description="这类投诉客户的行为特点")
    legal: ref("legal")


class Role(Entry):
    """岗位：谁为谁服务。"""

    order: int = Field(ge=1, description="显示顺序，从 1 开始")
    serves: Text = Field(description="服务对象")
    service: Literal["全面服务", "协助服务", "—"] = Field(description="服务方式")
    duties: list[Text] = Field(min_length=1, description="岗位职责")
    complaints: Prose = Field(description="大客户投诉时该岗位做什么、投诉转到哪里")


class Topic(Entry):
    """专题：背景与概览（趋势、焦点难点 …）。"""

    order: int = Field(ge=1, description="显示顺序，从 1 开始")
    summary: Prose = Field(description="摘要")
    body: Prose = Field(description="正文")
    points: list[Text] = Field(default_factory=list, description="要点")


# ---------------------------------------------------------------- kinds with their own pages

# group → its anchor in the signal list on /types/ (the order agents tick them in on /triage/)
SIGNAL_GROUPS = {"语气与情绪": "tone", "要求": "demands", "说法": "sayings", "历史": "history"}
# each signal's key on /triage/, in that order: so there can be at most this many signals
SIGNAL_KEYS = "123456789abcdefghijklmnopqrstuvwxyz"


class Signal(Entry):
    """识别信号：坐席在通话中注意到的表现；客户类型列出指向自己的信号。"""

    title: Annotated[str, StringConstraints(min_length=1, max_length=16), Field(json_schema_extra={"x-format": "text"})] = Field(
        description="短标签（简体中文，最多 16 字）：坐席在识别助手 /triage/ 上勾选的文字")
    group: Literal[tuple(SIGNAL_GROUPS)] = Field(description="信号分组")  # type: ignore[valid-type]
    weight: int = Field(ge=1, le=3, description="分量：1 = 很多类客户都会这样，2 = 一般，3 = 基本只见于一两类客户；"
                        "识别助手里一个类型的得分是它被勾选信号的分量之和")
    description: Prose | None = Field(default=None, description="说明：短标签不够时，具体听什么")
    legal: ref("legal") = Field(description="听到它时要打开的法律说明（赔偿、法律、媒体 …）")
    escalation: ref("escalation") = Field(description="可能导致的升级级别（找领导、工信部、媒体 …）")


class TypeSignal(Strict):
    signal: ref_one("signals") = Field(description="识别信号的 id（data/signals/）")
    note: Text | None = Field(default=None, description="这一类型的具体表现：客户说什么、做什么（比短标签更具体时写）")


# family → its anchor on /types/ and /triage/ (types are listed and ranked per family, in this order)
TYPE_FAMILIES = {"性格类型": "temperament", "投诉性质": "nature"}


class CustomerType(Entry):
    """客户类型：性格类型或投诉性质。"""

    family: Literal[tuple(TYPE_FAMILIES)] = Field(  # type: ignore[valid-type]
        description="性格类型（变色龙型 …）或投诉性质（纯粹为了发泄 …）")
    order: int = Field(ge=1, description="显示顺序，从 1 开始")
    summary: Prose = Field(description="一句话画像")
    first_move: Text = Field(description="第一步怎么做（显示在对比表里）")
    signals: list[TypeSignal] = Field(min_length=1, description="识别信号：指向这一类型的信号，每个附上这一类型的具体表现（同一信号可以出现多次，表现不同）")
    traits: list[Text] = Field(default_factory=list, description="行为特点")
    causes: list[Text] = Field(default_factory=list, description="可能原因")
    handling: list[Text] = Field(min_length=1, description="应对步骤（按顺序）")
    donts: list[Text] = Field(min_length=1, description="千万不要")
    phrases: ref("phrases", "swaps")
    techniques: ref("techniques")
    legal: ref("legal")
    principles: ref("principles")


class DialogueLine(Strict):
    who: Literal["客户", "坐席"] = Field(description="谁说的")
    line: Text = Field(description="原话")
    note: Text | None = Field(default=None, description="旁注：坐席为什么这样说")


class RolePlay(Strict):
    """角色扮演卡: what the customer's and the agent's cards of a drill say (the observer's card is the
    drill's 措施, 易犯错误 and 案例分析). Taken from the drill's own setting (情景), never new facts."""

    customer: list[Text] = Field(min_length=1, description="客户卡：客户是谁、发生了什么、想要什么、会怎么说怎么做。只写客户知道的；不写坐席该怎么答，不写点评要点")
    agent: list[Text] = Field(min_length=1, description="坐席卡：电话接起时坐席能看到、知道的（系统记录、历史工单）。不写客户心里怎么想")


class Scenario(Entry):
    """投诉场景（含培训演练）。"""

    category: ref_one("categories") = Field(description="投诉分类的 id")
    drill: bool = Field(default=False, description="是否为培训演练（案例演练/角色扮演）；演练必须有 `roleplay`")
    roleplay: RolePlay | None = Field(default=None, description="角色扮演卡（只用于演练）：打印出来一人一张")
    situation: Prose = Field(description="情景")
    types: ref("types")
    measures: list[Text] = Field(min_length=1, description="措施（按步骤）")
    dialogue: list[DialogueLine] = Field(default_factory=list, description="示例对话")
    dialogue_note: Prose | None = Field(default=None, description="对话说明（如原文在哪里中断、编写组补全了哪些）")
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
    law: Text = Field(description="法律法规全称，如 中华人民共和国消费者权益保护法")
    article: Text = Field(description="条款，如 第五十五条第一款；只有 confidence 为 low 时才可写 条款号待核")
    wording: Text = Field(description="条文原文（一字不差）；合同条款写公布的原文")
    version: Text = Field(description="现行版本，如 2013年修正，2014-03-15 起施行")
    confidence: Literal[tuple(CONFIDENCE)] = Field(  # type: ignore[valid-type]
        description="high：读过全文；medium：二手来源；low：未经确认")
    source: Text = Field(description="在哪里核对的原文")
    nature: Literal["法律", "行政法规", "部门规章", "规范性文件", "司法解释", "合同条款", "企业承诺"] = Field(description="效力层级：不要把企业承诺写成法律")


class LegalReview(Review):
    """A legal note's review: the general review plus whether its wording was checked."""

    status: Literal[tuple(REVIEW_STATUS)] = Field(  # type: ignore[valid-type]
        description="verified：已对照全文核对；needs-review：页面显示 待法务复核")
    note: Text | None = Field(default=None, description="还有什么要核对")


class CompanyField(Strict):
    label: Text = Field(description="需要本单位填写的事项，如 一线赔偿审批权限")
    key: Id = Field(description="ASCII 小写连字符 key，在本条法律说明内唯一：分公司用 `legal` + `key` 填写这一项（见 company.yaml）。不要改名")
    value: Text | None = Field(default=None, description="本单位决定之前留空；不要编数字")
    decided_by: Text = Field(description="由谁决定")


class CompanyValue(Strict):
    """本单位规定：分公司为法律说明的一个 `company` 项填写的值（branches/<分公司>/data/company.yaml）。"""

    legal: Id = Field(description="法律说明的 id")
    key: Id = Field(description="该法律说明 company 项的 `key`")
    value: Text = Field(description="规定：本单位的决定，照文件原文写；不要猜")
    effective_on: dt.date = Field(description="生效日期（YYYY-MM-DD）")
    decided_by: Text = Field(description="由谁决定：决定机构，有文件的写文件名")
    review_due: dt.date | None = Field(default=None, description="复核日期（YYYY-MM-DD）：何时再核对")


class LegalNote(Entry):
    """法律与赔偿说明。"""

    question: Text = Field(description="坐席面对的问题，如 该不该赔？赔多少？")
    answer: Prose = Field(description="简短答案（最先显示）")
    basis: list[Basis] = Field(min_length=1, description="依据：法律、条款、原文、版本")
    apply: list[Text] = Field(min_length=1, description="通话中怎么用")
    mistakes: list[Text] = Field(default_factory=list, description="常见错误")
    company: list[CompanyField] = Field(default_factory=list, description="本单位规定：只有本单位能定的数字或权限")
    review: LegalReview = Field(description="复核：法律说明必须有（status、日期、负责人）")


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

# how a kind is named in a message ("没有客户类型 'y'")
LABEL = {
    "principles": "原则", "swaps": "话术替换", "phrases": "话术", "techniques": "技巧",
    "types": "客户类型", "scenarios": "场景", "legal": "法律说明", "escalation": "升级级别",
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
    words: list[Text] = Field(min_length=2, description="坐席可能输入的同义说法；第一个是首选说法")
