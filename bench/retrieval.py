"""Retrieval benchmark: our hybrid, access-filtered search vs the stock LangChain + Chroma recipe.

Usage: python bench/retrieval.py [--json] [--chunks 10000] [--queries 200]
Prints ingestion throughput, query latency (p50/p95), re-ingest time and hit@5 on the
labeled questions, for both, measured in the same run with the same embedder.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import synthetic_notes, synthetic_queries
from eval_retrieval import load_questions
from langchain_chroma import Chroma
from langchain_core.documents import Document
from report import show

from assistant.access import Viewer, note_where
from assistant.core import Assistant
from assistant.documents import chunk_document, find_documents, load_document
from assistant.index import search_text
from assistant.ingest import index_notes
from assistant.retrieval import search
from assistant.settings import Settings


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) in milliseconds, rounded."""
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))] * 1000, 2)


def timed(fn, items):  # type: ignore[no-untyped-def]
    """Seconds taken by fn(item) for each item."""
    out = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    """Run both recipes and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    notes = synthetic_notes(args.chunks)
    queries = synthetic_queries(args.queries * 2)
    ours_q, stock_q = queries[: args.queries], queries[args.queries :]
    labeled = load_questions()
    viewer = Viewer("mentor-03", "mentor", frozenset({"pair-03"}))
    result: dict[str, float | int | str] = {"chunks": args.chunks}

    with tempfile.TemporaryDirectory() as home:
        assistant = Assistant(Settings(home=Path(home)))
        assistant.ingest([assistant.default_guidelines])
        index = assistant.index
        index.embed(["warm up"])
        start = time.perf_counter()
        report = index_notes(index, notes, assistant.settings.chunk_chars)
        elapsed = time.perf_counter() - start
        assert report.embedded == args.chunks, report
        result["ingest_chunks_per_s"] = round(args.chunks / elapsed, 1)
        start = time.perf_counter()
        again = index_notes(index, notes, assistant.settings.chunk_chars)
        result["reingest_unchanged_s"] = round(time.perf_counter() - start, 3)
        result["reingest_embedded"] = again.embedded
        result["reingest_speedup"] = round(elapsed / max(result["reingest_unchanged_s"], 1e-6), 1)  # type: ignore[arg-type]
        search(index, "warm up the keyword index", 5, viewer)
        latencies = timed(lambda q: search(index, q, 5, viewer), ours_q)
        result["query_p50_ms"] = percentile(latencies, 50)
        result["query_p95_ms"] = percentile(latencies, 95)
        result["hit_at_5"] = round(
            sum(
                any(h.meta.get("source") == item["source"] for h in assistant.search(item["question"], k=5))
                for item in labeled
            )
            / len(labeled),
            3,
        )
        result["rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        embedder = index.embedder

        # The stock recipe a user would otherwise write, with the same embedder.
        documents = [
            Document(
                page_content=n.text,
                metadata={
                    "pair_id": n.pair_id,
                    "author_id": n.author_id,
                    "visibility": n.visibility,
                    "kind": "note",
                },
            )
            for n in notes
        ]
        start = time.perf_counter()
        stock = Chroma.from_documents(
            documents, embedder, persist_directory=str(Path(home) / "stock"), collection_name="stock_notes"
        )
        result["stock_ingest_chunks_per_s"] = round(args.chunks / (time.perf_counter() - start), 1)
        retriever = stock.as_retriever(search_kwargs={"k": 5})
        retriever.invoke("warm up")
        stock_latencies = timed(retriever.invoke, stock_q)
        result["stock_query_p50_ms"] = percentile(stock_latencies, 50)
        result["stock_query_p95_ms"] = percentile(stock_latencies, 95)
        filtered = stock.as_retriever(search_kwargs={"k": 5, "filter": note_where(viewer)})
        result["stock_filtered_query_p50_ms"] = percentile(
            timed(filtered.invoke, [q + "!" for q in stock_q]), 50
        )
        guideline_chunks = []
        for path, root in find_documents([assistant.default_guidelines]):
            document = load_document(path, root)
            for chunk in chunk_document(document, assistant.settings.chunk_chars):
                meta = {"source": document.source, "title": chunk.title, "section": chunk.section or ""}
                guideline_chunks.append(Document(page_content=search_text(chunk.text, meta), metadata=meta))
        stock_guidelines = Chroma.from_documents(
            guideline_chunks, embedder, collection_name="stock_guidelines"
        )
        stock_retriever = stock_guidelines.as_retriever(search_kwargs={"k": 5})
        result["stock_hit_at_5"] = round(
            sum(
                any(d.metadata["source"] == item["source"] for d in stock_retriever.invoke(item["question"]))
                for item in labeled
            )
            / len(labeled),
            3,
        )
    # The stock recipe applies no access filter; with the same filter it is the figure below.
    result["query_vs_stock_filtered"] = round(
        result["query_p50_ms"] / result["stock_filtered_query_p50_ms"],
        2,  # type: ignore[operator]
    )
    result["query_vs_stock"] = round(result["query_p50_ms"] / result["stock_query_p50_ms"], 2)  # type: ignore[operator]
    result["ingest_vs_stock"] = round(
        result["ingest_chunks_per_s"] / result["stock_ingest_chunks_per_s"],
        2,  # type: ignore[operator]
    )
    show(result, args.json)


if __name__ == "__main__":
    main()
