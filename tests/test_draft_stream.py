"""The LLM drafter's streaming path (``LLMDrafter.stream_part``) and the notebook helper
(``notebook.stream_part``) against the loopback server streaming SSE chunks: the sentence lists grow as
the reply arrives, and the final part is checked exactly like ``draft_part``'s (an invented number
removed and reported), in tools and md_json modes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fake_openai import FakeOpenAI, completion, streamed
from llm_helpers import config, log_rows
from nianbao.draft import notebook
from nianbao.draft.llm_drafter import LLMDrafter
from nianbao.draft.model import DraftPart
from nianbao.draft.offline import OfflineDrafter
from nianbao.llm import LLM
from test_draft_llm import GOOD_OVERVIEW, INVENTED_NUMBER, NOTES, TABLES


def sanswer(mode: str, sentences: list[dict[str, Any]], chunks: int = 40) -> Any:
    text = json.dumps({"sentences": sentences}, ensure_ascii=False)
    if mode == "tools":
        return streamed(tool_args=text, tool_name="PartSentences", chunks=chunks)
    return streamed(f"```json\n{text}\n```", chunks=chunks)


def answer(mode: str, sentences: list[dict[str, Any]]) -> Any:
    text = json.dumps({"sentences": sentences}, ensure_ascii=False)
    if mode == "tools":
        return completion(tool_args=text, tool_name="PartSentences")
    return completion(f"```json\n{text}\n```")


def drain(gen: Any) -> tuple[list[list[str]], DraftPart]:
    seen: list[list[str]] = []
    while True:
        try:
            seen.append(next(gen))
        except StopIteration as stop:
            return seen, stop.value


def assert_growing(seen: list[list[str]], final: list[str]) -> None:
    assert len(seen) >= 5
    for before, after in zip(seen, seen[1:], strict=False):
        assert len(before) <= len(after)
        # every sentence but the one being written is complete and stays; the last one only grows
        assert before[:-1] == after[: len(before) - 1]
        if before:
            assert after[len(before) - 1].startswith(before[-1])
    assert seen[-1] == final


@pytest.mark.parametrize("mode", ["tools", "md_json"])
def test_streamed_sentences_grow_and_the_invented_number_is_removed(tmp_path: Path, mode: str) -> None:
    bad = [*GOOD_OVERVIEW, INVENTED_NUMBER]
    with FakeOpenAI([sanswer(mode, bad)]) as srv:
        with LLM(config(tmp_path, srv.base_url, mode=mode, cache_dir=None)) as llm:
            d = LLMDrafter(llm)
            seen, part = drain(d.stream_part("overview", NOTES, TABLES, None))
    assert len(srv.requests) == 1  # no re-ask when streaming
    assert_growing(seen, [s["text"] for s in bad])  # the unchecked reply, as it arrived
    assert [s.text for s in part.sentences] == [s["text"] for s in GOOD_OVERVIEW]
    assert all("12次" not in s.text for s in part.sentences)
    removed = d.take_removed("overview")
    assert [(r.text, r.note_ids) for r in removed] == [(INVENTED_NUMBER["text"], ["oversight-evaluation"])]
    assert removed[0].reason.startswith("number:")
    assert [(c.outcome, c.attempts, c.kept, c.removed) for c in d.calls] == [("re-read", 1, 7, 1)]
    assert [r["outcome"] for r in log_rows(tmp_path)] == ["invalid"]


@pytest.mark.parametrize("mode", ["tools", "md_json"])
def test_a_streamed_part_equals_the_unstreamed_part(tmp_path: Path, mode: str) -> None:
    with FakeOpenAI([sanswer(mode, GOOD_OVERVIEW), answer(mode, GOOD_OVERVIEW)]) as srv:
        with LLM(config(tmp_path, srv.base_url, mode=mode, cache_dir=None)) as llm:
            d = LLMDrafter(llm)
            seen, part = drain(d.stream_part("overview", NOTES, TABLES, None))
            plain = d.draft_part("overview", NOTES, TABLES, None)
    assert_growing(seen, [s["text"] for s in GOOD_OVERVIEW])
    assert part == plain and part.sentences[0].subheading == "（一）主动公开情况。"
    assert [c.outcome for c in d.calls] == ["ok", "ok"]
    assert [r["outcome"] for r in log_rows(tmp_path)] == ["ok", "ok"]


def test_a_dry_run_streams_nothing(tmp_path: Path) -> None:
    with FakeOpenAI([]) as srv:
        with LLM(config(tmp_path, srv.base_url, mode="tools", dry_run=True)) as llm:
            d = LLMDrafter(llm)
            seen, part = drain(d.stream_part("overview", NOTES, TABLES, None))
    assert seen == [] and part.sentences == [] and srv.requests == []
    assert [c.outcome for c in d.calls] == ["planned"]


class Handle:
    """Stands in for IPython's DisplayHandle: records every update."""

    def __init__(self) -> None:
        self.updates: list[str] = []

    def update(self, obj: Any) -> None:
        self.updates.append(obj._repr_html_())


def test_the_notebook_shows_the_part_growing_then_the_checked_part(tmp_path: Path) -> None:
    bad = [*GOOD_OVERVIEW, INVENTED_NUMBER]
    handle = Handle()
    with FakeOpenAI([sanswer("tools", bad)]) as srv:
        with LLM(config(tmp_path, srv.base_url, mode="tools", cache_dir=None)) as llm:
            d = LLMDrafter(llm)
            part = notebook.stream_part(d, "overview", NOTES, TABLES, None, handle=handle)
    assert len(handle.updates) >= 6
    writing, last = handle.updates[:-1], handle.updates[-1]
    assert all("生成中" in u for u in writing)
    assert "12次" in writing[-1]  # shown while it arrived …
    assert "12次" not in last and "生成中" not in last  # … and gone from the checked part
    assert "（一）主动公开情况。" in last and 'data-notes="active-portal"' in last
    assert [s.text for s in part.sentences] == [s["text"] for s in GOOD_OVERVIEW]


def test_without_ipython_the_part_is_just_returned(tmp_path: Path) -> None:
    with FakeOpenAI([sanswer("tools", GOOD_OVERVIEW)]) as srv:
        with LLM(config(tmp_path, srv.base_url, mode="tools", cache_dir=None)) as llm:
            part = notebook.stream_part(LLMDrafter(llm), "overview", NOTES, TABLES)
    assert [s.text for s in part.sentences] == [s["text"] for s in GOOD_OVERVIEW]


def test_a_drafter_that_cannot_stream_drafts_at_once() -> None:
    handle = Handle()
    offline = OfflineDrafter()
    part = notebook.stream_part(offline, "overview", NOTES, TABLES, handle=handle)
    assert part == offline.draft_part("overview", NOTES, TABLES, None)
    assert len(handle.updates) == 1 and "生成中" not in handle.updates[0]
