"""The course outline on /training/: its sub-topics nested as the syllabus indents them."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import CourseTopic

DAY_NAMES = "一二三四五六七八九十"  # the model allows days 1–10


@dataclass
class TopicNode:
    topic: CourseTopic
    children: list["TopicNode"] = field(default_factory=list)


def topic_tree(topics: list[CourseTopic]) -> list[TopicNode]:
    """The flat list of a part's sub-topics as a tree: each one under the last shallower one before it
    (the checker makes sure a level never goes more than one deeper)."""
    roots: list[TopicNode] = []
    stack: list[TopicNode] = []
    for topic in topics:
        node = TopicNode(topic)
        del stack[topic.level - 1:]
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def day_name(day: int) -> str:
    return f"第{DAY_NAMES[day - 1]}天"
