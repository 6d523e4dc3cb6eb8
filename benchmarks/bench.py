"""Benchmark: the pipeline against spaCy's floor and a naive alternative, in one run.

    .venv/bin/python benchmarks/bench.py [--n 2000] [--memory-n 2000 20000]

Prints documents/second for (1) bare spacy.blank("en") + sentencizer, (2) the pipeline end
to end (text in, JSONL out) in one process and in two, (3) the naive alternative
(dateparser.search_dates over each article + a gazetteer keyword scan), (4) cold start of
`extract corpus/article.txt` against importing spaCy, (5) peak memory of a batch of N
articles; then the ratios. Figures from one run on a shared machine: compare ratios.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def corpus(n: int) -> list[str]:
    """N texts cycled from corpus/ (a counter line keeps them distinct)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    return [f"{texts[i % len(texts)]}\n\nUpdate {i}.\n" for i in range(n)]


def rate(label: str, n: int, work: Callable[[], object]) -> float:
    """Documents per second of `work`; set-up (imports, building pipelines) is done before."""
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    print(f"{label:52} {n / seconds:10.1f} docs/s  ({seconds:.2f} s for {n})")
    return n / seconds


def make_floor() -> Callable[[list[str]], None]:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")

    def floor(texts: list[str]) -> None:
        for _ in nlp.pipe(texts, batch_size=64):
            pass

    return floor


def make_pipeline() -> Callable[[list[str]], None]:
    from pipeline import Extractor
    from pipeline.records import to_jsonl

    extractor = Extractor.load(ROOT / "gazetteer")

    def pipeline_one(texts: list[str]) -> None:
        for n, text in enumerate(texts):
            to_jsonl(extractor.extract_text(text, doc_id=f"d{n}", published=None))

    return pipeline_one


def _chunk(texts: list[str]) -> int:
    run = make_pipeline()
    run(texts[:20])  # warm, as in the single-process figure
    run(texts)
    return len(texts)


def pipeline_two(texts: list[str]) -> None:
    chunks = [texts[i::2] for i in range(2)]
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(_chunk, chunks))


def make_naive() -> Callable[[list[str]], None]:
    import json

    from dateparser.search import search_dates

    names = []
    for line in (ROOT / "gazetteer" / "af.jsonl").read_text().splitlines():
        entry = json.loads(line)
        names += [entry["capital"], *entry["capital_aliases"]]
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)), re.I)

    def naive(texts: list[str]) -> None:
        for text in texts:
            pattern.findall(text)
            search_dates(text, languages=["en"])

    return naive


def wall(args: list[str], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, cwd=ROOT, check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def peak_memory(n: int) -> float:
    """Peak RSS (MiB) of `extract DIR` over n article files, one process."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for i, text in enumerate(corpus(n)):
            (folder / f"a{i:06}.txt").write_text(text, encoding="utf-8")
        code = (
            "import resource, sys; from pipeline.cli import app\n"
            "try:\n    app([sys.argv[1], '--output', sys.argv[2], '--jobs', '1', '--quiet'])\n"
            "except SystemExit:\n    pass\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code, str(folder), str(Path(tmp) / "out")],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        return int(out.stdout.split()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--naive-n", type=int, default=100, help="the naive way is slow: fewer docs")
    parser.add_argument("--memory-n", type=int, nargs="*", default=[2000, 20000])
    args = parser.parse_args()
    texts = corpus(args.n)
    print(f"{args.n} articles from corpus/, {sum(map(len, texts)) / args.n:.0f} characters each on average\n")
    floor, pipeline, naive = make_floor(), make_pipeline(), make_naive()
    for warm in (floor, pipeline, naive):  # caches and vocabularies warm for all three
        warm(texts[:20])
    base = rate("1. floor: spacy.blank('en') + sentencizer", args.n, lambda: floor(texts))
    one = rate("2. pipeline, 1 process (text -> JSONL)", args.n, lambda: pipeline(texts))
    two = rate("2. pipeline, 2 processes (incl. worker start-up)", args.n, lambda: pipeline_two(texts))
    slow = rate("3. naive: search_dates + keyword scan", args.naive_n, lambda: naive(texts[: args.naive_n]))
    extract = [str(ROOT / ".venv" / "bin" / "extract"), "corpus/article.txt", "--output", "-"]
    cold = wall(extract)
    imports = wall([sys.executable, "-c", "import spacy; spacy.blank('en')"])
    print(f"{'4. cold start: extract corpus/article.txt':52} {cold:10.2f} s")
    print(f"{'4. import floor: import spacy; spacy.blank(en)':52} {imports:10.2f} s")
    for n in args.memory_n:
        print(f"{f'5. peak memory, batch of {n}':52} {peak_memory(n):10.0f} MiB")
    print("\nratios")
    print(f"  pipeline / floor         {one / base:6.2f}   (target >= 0.50)")
    print(f"  2 processes / 1 process  {two / one:6.2f}")
    print(f"  pipeline / naive         {one / slow:6.1f}   (target >= 20)")
    print(f"  cold start / import      {cold / imports:6.2f}   (target <= 1.5)")


if __name__ == "__main__":
    main()
