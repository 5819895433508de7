"""Build dirty articles from clean ones, with the exact lines each defect occupies.

Every generator takes a clean article (title + paragraphs) and a seeded Random, and returns an
`Injected` case: the dirty text and the 1-based line numbers qc must flag. Cases are rendered
with a blank line between paragraphs or (at random) a single newline, as real copy has both.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TEST_NEWS = HERE / "data" / "news"
SHARED = HERE.parent.parent / "shared"
CORPUS_NEWS = SHARED / "corpus" / "news"


@dataclass(frozen=True)
class Article:
    name: str
    title: str
    paragraphs: list[str]


@dataclass(frozen=True)
class Injected:
    name: str
    text: str
    flagged: frozenset[int]  # lines the defect occupies
    lines: int


def load_articles(folder: Path) -> list[Article]:
    articles = []
    for path in sorted(folder.glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        body = [line for line in lines[1:] if line]
        articles.append(Article(path.name, lines[0], body))
    return articles


def render(title: str, parts: list[tuple[str, bool]], rng: random.Random) -> Injected:
    """Lay out (paragraph, is_defect) pairs; return the text and the defect's lines."""
    blank_between = rng.random() < 0.7
    lines = [title, ""]
    flagged = set()
    for number, (text, defect) in enumerate(parts):
        if number and blank_between:
            lines.append("")
        lines.append(text)
        if defect:
            flagged.add(len(lines))
    return Injected("", "\n".join(lines) + "\n", frozenset(flagged), len(lines))


_SENTENCE = re.compile(r"[^。！？]+[。！？]”?")


def split_sentences(text: str) -> list[str]:
    return _SENTENCE.findall(text) or [text]


def _long(article: Article, minimum: int = 60) -> list[int]:
    return [i for i, p in enumerate(article.paragraphs) if len(p) >= minimum]


def _perturb(text: str, rng: random.Random) -> str:
    """A few characters changed: one substitution, punctuation to half width, a stray space."""
    chars = list(text)
    spots = [i for i, ch in enumerate(chars) if "\u4e00" <= ch <= "\u9fff"]
    chars[rng.choice(spots)] = "的"
    out = "".join(chars).replace("，", ",", 1).replace("。", ".", 1)
    cut = rng.randrange(1, len(out))
    return out[:cut] + " " + out[cut:]


def exact(article: Article, rng: random.Random) -> list[tuple[str, bool]] | None:
    candidates = _long(article, 30)
    if not candidates:
        return None
    source = rng.choice(candidates)
    parts = [(p, False) for p in article.paragraphs]
    at = rng.randrange(source + 2, len(parts) + 1) if source + 2 <= len(parts) else len(parts)
    parts.insert(at, (article.paragraphs[source], True))
    return parts


def near(article: Article, rng: random.Random) -> list[tuple[str, bool]] | None:
    candidates = _long(article, 80)
    if not candidates:
        return None
    source = rng.choice(candidates)
    parts = [(p, False) for p in article.paragraphs]
    at = rng.randrange(source + 1, len(parts) + 1)
    parts.insert(at, (_perturb(article.paragraphs[source], rng), True))
    return parts


# Sentences a repeated lede may be extended with: new text, found nowhere else in the article.
ADDED_SENTENCES = (
    "相关工作将在年内全面完成，有关部门表示将持续跟进落实情况。",
    "据了解，这一做法已在多个地区推广，取得了良好的社会效果。",
    "记者从有关方面获悉，下一步还将出台配套措施，进一步细化责任分工。",
)


def extended(article: Article, rng: random.Random) -> list[tuple[str, bool]] | None:
    candidates = [i for i in _long(article, 40) if i + 1 < len(article.paragraphs)]
    if not candidates:
        return None
    source = rng.choice(candidates)
    extra = rng.choice(ADDED_SENTENCES)
    parts = [(p, False) for p in article.paragraphs]
    parts.insert(source + 1, (article.paragraphs[source] + extra, True))
    return parts


def completed(article: Article, rng: random.Random) -> list[tuple[str, bool]] | None:
    candidates = _long(article, 80)
    if not candidates:
        return None
    source = rng.choice(candidates)
    full = article.paragraphs[source]
    cut = rng.randrange(int(len(full) * 0.6), len(full) - 3)
    while full[cut - 1] in "。！？”":
        cut -= 1
    parts = [(p, False) for p in article.paragraphs]
    parts[source] = (full[:cut], False)
    parts.insert(source + 1, (full, True))
    return parts


def merged(article: Article, rng: random.Random) -> list[tuple[str, bool]] | None:
    if len(article.paragraphs) < 4:
        return None
    source = rng.randrange(0, len(article.paragraphs) - 2)
    count = rng.choice((2, 3))
    joined = "".join(article.paragraphs[source : source + count])
    parts = [(p, False) for p in article.paragraphs]
    at = rng.randrange(source + count, len(parts) + 1)
    parts.insert(at, (joined, True))
    return parts


def split(article: Article, rng: random.Random) -> list[tuple[str, bool]] | None:
    candidates = [i for i in _long(article, 80) if len(split_sentences(article.paragraphs[i])) >= 2]
    if not candidates:
        return None
    source = rng.choice(candidates)
    full = article.paragraphs[source]
    cut = rng.randrange(len(full) // 3, 2 * len(full) // 3)
    parts = [(p, False) for p in article.paragraphs]
    at = rng.randrange(source + 1, len(parts) + 1)
    parts[at:at] = [(full[:cut], True), (full[cut:], True)]
    return parts


def block(article: Article, rng: random.Random) -> list[tuple[str, bool]] | None:
    if len(article.paragraphs) < 4:
        return None
    size = rng.randint(2, min(4, len(article.paragraphs) - 1))
    source = rng.randrange(0, len(article.paragraphs) - size + 1)
    parts = [(p, False) for p in article.paragraphs]
    copy = [(p, True) for p in article.paragraphs[source : source + size]]
    at = rng.randrange(source + size, len(parts) + 1)
    parts[at:at] = copy
    return parts


Generator = Callable[[Article, random.Random], list[tuple[str, bool]] | None]

REPEAT_GENERATORS: dict[str, Generator] = {
    "exact": exact,
    "near": near,
    "extended": extended,
    "completed": completed,
    "merged": merged,
    "split": split,
    "block": block,
}


def make_cases(
    articles: list[Article], generator: Generator, seed: int = 7, per_article: int = 1
) -> list[Injected]:
    rng = random.Random(seed)
    cases = []
    for article in articles:
        for copy in range(per_article):
            parts = generator(article, rng)
            if parts is None:
                continue
            case = render(article.title, parts, rng)
            cases.append(Injected(f"{article.name}#{copy}", case.text, case.flagged, case.lines))
    return cases


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    cases: int


def category_scores(cases: list[Injected], category: str, config: Any) -> Scores:
    """Line-level scores of qc's findings of one category on the cases."""
    import qc

    def predict(case: Injected) -> set[int]:
        report = qc.check_text(case.text, config=config)
        return {
            n
            for f in report.findings
            if f.category == category
            for n in range(f.line, f.end_line + 1)
        }

    return line_scores(cases, predict)


def line_scores(cases: list[Injected], predict: Callable[[Injected], set[int]]) -> Scores:
    """Line-level precision and recall over non-empty lines, pooled across cases."""
    true_pos = false_pos = false_neg = 0
    for case in cases:
        lines = case.text.split("\n")
        content = {n for n, line in enumerate(lines, 1) if line.strip()}
        predicted = predict(case) & content
        true_pos += len(predicted & case.flagged)
        false_pos += len(predicted - case.flagged)
        false_neg += len(case.flagged - predicted)
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0
    recall = true_pos / (true_pos + false_neg) if true_pos + false_neg else 1.0
    return Scores(precision, recall, len(cases))


# ---- inserts: Weibo posts, fan prose, hot lists, ads --------------------------------------

INSERTS = HERE / "data" / "inserts"
CORPUS_WEIBO = SHARED / "corpus" / "weibo"


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def weibo_material() -> dict[str, list[str]]:
    """Posts (real ones when ../shared is present), hot topics, ads and comment-UI lines."""
    posts = _lines(INSERTS / "posts.txt")
    topics = _lines(INSERTS / "hot_topics.txt")
    if CORPUS_WEIBO.is_dir():
        posts = [p for p in _lines(CORPUS_WEIBO / "posts.txt") if len(p) >= 15]
        topics = _lines(CORPUS_WEIBO / "hot_topics.txt")
    return {
        "posts": posts,
        "topics": topics,
        "ads": _lines(INSERTS / "ads.txt"),
        "ui": _lines(INSERTS / "ui.txt"),
    }


def _poster_prose(post: str, rng: random.Random) -> list[str]:
    """A post broken into short lines, as fan posts are laid out."""
    pieces = [p for p in re.split(r"[，,。！!？?\s]+", post) if p]
    return pieces if len(pieces) >= 2 else [post]


def insert_block(material: dict[str, list[str]], rng: random.Random) -> list[str]:
    kind = rng.choice(["posts", "posts", "prose", "hot-list", "ad", "mixed"])
    if kind == "posts":
        return rng.sample(material["posts"], rng.randint(1, 3))
    if kind == "prose":
        return [*_poster_prose(rng.choice(material["posts"]), rng), rng.choice(material["posts"])]
    if kind == "hot-list":
        header = rng.choice(["热门推荐", "✋热门推荐", "热搜榜", "猜你喜欢"])
        items = rng.sample(material["topics"], rng.randint(4, 8))
        return [header, *(f"  • {'#' + t + '#' if rng.random() < 0.4 else t}" for t in items)]
    if kind == "ad":
        return [rng.choice(material["ads"]), rng.choice(material["ui"])]
    return [
        rng.choice(material["posts"]),
        rng.choice(material["ads"]),
        rng.choice(material["ui"]),
        "热门推荐",
        *(f"  • {t}" for t in rng.sample(material["topics"], 4)),
    ]


def make_insert_generator(material: dict[str, list[str]]) -> Generator:
    def generate(article: Article, rng: random.Random) -> list[tuple[str, bool]] | None:
        if len(article.paragraphs) < 3:
            return None
        parts = [(p, False) for p in article.paragraphs]
        at = len(parts) if rng.random() < 0.5 else rng.randrange(2, len(parts))
        parts[at:at] = [(line, True) for line in insert_block(material, rng)]
        return parts

    return generate


# ---- boilerplate: page chrome lines ---------------------------------------------------------

_NAMES = ["王晓明", "李静", "张伟", "刘洋", "陈晨", "赵敏"]
_SITES = ["城市新闻网", "晨报融媒", "都市频道", "新闻客户端"]
CHROME_TEMPLATES = [
    "扫一扫，用手机看新闻",
    "用手机看",
    "分享到：",
    "扫码关注{site}公众号",
    "打开{site}客户端，阅读更多精彩内容",
    "声明：本文仅代表作者观点，不代表本站立场。",
    "免责声明：本站部分内容转载自网络，如有侵权请联系删除。",
    "版权所有 © 2019 {site}",
    "责任编辑：{name}",
    "（责任编辑：{name}）",
    "编辑：{name} 校对：{name2}",
    "审核：{name} 责编：{name2}",
    "来源：{site}",
    "原标题：{title}",
    "发布时间：2019-05-08 10:21",
    "阅读量：12,345",
    "投稿邮箱：news{n}@example.com",
    "新闻热线：0731-2881{n}",
    "点击阅读全文",
    "阅读原文",
]


def chrome_line(rng: random.Random, title: str) -> str:
    name, name2 = rng.sample(_NAMES, 2)
    return rng.choice(CHROME_TEMPLATES).format(
        site=rng.choice(_SITES), name=name, name2=name2, title=title, n=rng.randint(1000, 9999)
    )


def boilerplate(article: Article, rng: random.Random) -> list[tuple[str, bool]] | None:
    parts = [(p, False) for p in article.paragraphs]
    head = [(chrome_line(rng, article.title), True) for _ in range(rng.randint(0, 3))]
    tail = [(chrome_line(rng, article.title), True) for _ in range(rng.randint(1, 3))]
    return head + parts + tail


# ---- layout: paragraphs broken, truncated, and orphaned tails -------------------------------

_HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")


def _cut_points(text: str, minimum: int = 40) -> list[int]:
    """Places to cut mid-sentence: between two Han characters, away from sentence ends."""
    return [
        i
        for i in range(minimum, len(text) - 6)
        if _HAN_CHAR.match(text[i - 1])
        and _HAN_CHAR.match(text[i])
        and not re.search(r"[。！？；]", text[i - 2 : i + 3])
    ]


def _body(article: Article) -> list[int]:
    return [i for i, p in enumerate(article.paragraphs) if len(p) >= 70 and _cut_points(p)]


def broken(article: Article, rng: random.Random) -> list[tuple[str, bool]] | None:
    candidates = _body(article)
    if not candidates:
        return None
    source = rng.choice(candidates)
    text = article.paragraphs[source]
    cut = rng.choice(_cut_points(text))
    parts = [(p, False) for p in article.paragraphs]
    parts[source : source + 1] = [(text[:cut], True), (text[cut:], True)]
    return parts


def truncated(article: Article, rng: random.Random) -> list[tuple[str, bool]] | None:
    candidates = [i for i in _body(article) if i + 1 < len(article.paragraphs)]
    if not candidates:
        return None
    source = rng.choice(candidates)
    text = article.paragraphs[source]
    parts = [(p, False) for p in article.paragraphs]
    parts[source] = (text[: rng.choice(_cut_points(text))], True)
    return parts


def orphan(article: Article, rng: random.Random) -> list[tuple[str, bool]] | None:
    """The tail of a sentence left on its own line: right after its head, or further down
    with the head's paragraph left truncated (as CMS pastes lose lines)."""
    candidates = [
        i
        for i, p in enumerate(article.paragraphs)
        if len(p) >= 70
        and p.endswith("。")
        and i + 2 < len(article.paragraphs)
        and _HAN_CHAR.match(p[-4])
        and _HAN_CHAR.match(p[-3])
    ]
    if not candidates:
        return None
    source = rng.choice(candidates)
    text = article.paragraphs[source]
    size = rng.randint(1, 4)
    while size > 1 and not (_HAN_CHAR.match(text[-size - 2]) and _HAN_CHAR.match(text[-size - 1])):
        size -= 1
    head, tail = text[: -size - 1], text[-size - 1 :]
    parts = [(p, False) for p in article.paragraphs]
    parts[source] = (head, True)
    at = source + 1 if rng.random() < 0.5 else rng.randint(source + 2, len(parts))
    parts.insert(at, (tail, True))
    return parts


LAYOUT_GENERATORS: dict[str, Generator] = {
    "broken": broken,
    "truncated": truncated,
    "orphan": orphan,
}
