"""Prompt tokens per report: grounded extraction (narrative chunks) versus the whole report in one call.

    .venv/bin/python evals/bench_tokens.py                      # seed, fixtures, ../shared/corpus texts
    .venv/bin/python evals/bench_tokens.py --model gpt-4o       # exact, if an o200k_base file is offline

No network: both sides go through the adapter's dry run (``LLMConfig(dry_run=True)``), which renders the
prompts, counts the messages plus the response schema exactly as a real call would send them, records
the call and sends nothing.

- **extraction**: ``nianbao.extract`` with the real prompt (prompts/extract_narrative.jinja), summed over
  its chunks: only narrative, only the sentences a model can add to (see nianbao.extract.chunks).
- **whole report**: the same prompt and schema once, with the report's whole text (tables included, as
  the file holds them) in place of the chunk text: one call, one prompt.

Counts are exact only with tiktoken and an OpenAI model whose vocabulary file is available offline
(``NIANBAO_TIKTOKEN_FILE`` or ``TIKTOKEN_CACHE_DIR``); otherwise the adapter's labelled conservative
estimate (CJK × 1 + other ÷ 3), the same on both sides, so the ratio stays meaningful.

Target (issue 4): extraction at most half of the whole report.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nianbao
from nianbao.extract import extract_with
from nianbao.extract.extractor import PROMPT, RESPONSE
from nianbao.llm import LLM, DryRunCall, LLMConfig
from nianbao.read import read_document

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
FIXTURES = ROOT / "fixtures"
SEED = FIXTURES / "lushan-2024.txt"
TARGET = 0.5


def _files() -> list[Path]:
    files = [SEED, *sorted(p for p in FIXTURES.iterdir() if p.suffix in (".txt", ".md") and p != SEED)]
    if CORPUS.is_dir():
        files.extend(
            sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".md") and p.name != "INDEX.md")
        )
    return files


def _whole_text(path: Path) -> str:
    """The report as one would paste it: a text file as it is; any other format as the reader's text."""
    if path.suffix in (".txt", ".md"):
        return path.read_text(encoding="utf-8", errors="replace")
    return read_document(path).text()


def measure(path: Path, config: LLMConfig) -> tuple[int, int, int, str]:
    """(extraction prompt tokens, whole-report prompt tokens, calls, token method) for one report."""
    report = nianbao.read(path)
    with LLM(config) as llm:
        result = extract_with(llm, report)
        chunked = sum(c.estimated_tokens or 0 for c in result.calls)
        method = llm.planned[0].token_method if llm.planned else "-"
        try:
            llm.structured(PROMPT, {"text": _whole_text(path)}, RESPONSE)
        except DryRunCall as planned:
            whole = planned.planned.estimated_prompt_tokens
    return chunked, whole, len(result.calls), method


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--model", default="qwen-plus", help="model name for the token count (default qwen-plus)"
    )
    args = parser.parse_args(argv)
    config = LLMConfig.from_env(dry_run=True, model=args.model, cache_dir="", log_path="")
    rows = []
    for path in _files():
        chunked, whole, calls, method = measure(path, config)
        rows.append((path, chunked, whole, calls, method))
    name_width = max(len(p.name) for p, *_ in rows)
    print(f"Prompt tokens per report, model {args.model} (extraction vs the whole report in one call)")
    print(f"{'report':<{name_width}}  calls  extraction  whole  ratio  count")
    for path, chunked, whole, calls, method in rows:
        flag = "" if chunked <= TARGET * whole else "  > target"
        label = "exact" if method.startswith("tiktoken") else "estimate"
        print(
            f"{path.name:<{name_width}}  {calls:>5}  {chunked:>10}  {whole:>5}  {chunked / whole:5.2f}  {label}{flag}"
        )
    total_chunked = sum(r[1] for r in rows)
    total_whole = sum(r[2] for r in rows)
    print(
        f"{'total':<{name_width}}  {sum(r[3] for r in rows):>5}  {total_chunked:>10}  {total_whole:>5}  "
        f"{total_chunked / total_whole:5.2f}"
    )
    methods = sorted({r[4] for r in rows})
    print(f"token count: {', '.join(methods)}; target: extraction ≤ {TARGET:.0%} of the whole report")
    return 0


if __name__ == "__main__":
    sys.exit(main())
