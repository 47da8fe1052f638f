"""Average-link clustering: no chaining, cannot-link caps, and order independence."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from polybius.link.agglomerative import average_link


def test_a_chain_of_similar_neighbours_does_not_merge_distant_ends() -> None:
    # a~b and b~c are strong, a~c was never scored: average link keeps c apart (connected
    # components would glue all three)
    sim = {("a", "b"): 0.9, ("b", "c"): 0.8}
    assert average_link("abc", sim, threshold=0.6) == [["a", "b"], ["c"]]


def test_a_cannot_link_pair_is_never_in_one_cluster() -> None:
    sim = {("a", "b"): 0.9, ("b", "c"): 0.9, ("a", "c"): 0.9}
    out = average_link("abc", sim, threshold=0.5, cannot_link=[("a", "c")])
    assert out == [["a", "b"], ["c"]]


def test_a_tight_group_merges_fully() -> None:
    sim = {(x, y): 0.9 for x in "abcd" for y in "abcd" if x < y}
    assert average_link("dcba", sim, threshold=0.5) == [["a", "b", "c", "d"]]


def test_pairs_given_in_both_orders_count_once() -> None:
    sim = {("a", "b"): 0.7, ("b", "a"): 0.7, ("b", "c"): 0.7, ("c", "b"): 0.7,
           ("a", "c"): 0.0, ("c", "a"): 0.0}
    # {a,b} + c averages (0 + 0.7) / 2 = 0.35 < 0.5
    assert average_link("abc", sim, threshold=0.5) == [["a", "b"], ["c"]]


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.tuples(st.integers(0, 9), st.integers(0, 9)),
                       st.sampled_from([0.0, 0.3, 0.55, 0.7, 0.9]), max_size=30),
       st.permutations(list(range(10))))
def test_the_clustering_does_not_depend_on_the_order_of_items(
        sim: dict[tuple[int, int], float], order: list[int]) -> None:
    sym = {}
    for (a, b), s in sim.items():
        if a != b:
            sym[(min(a, b), max(a, b))] = s
    shuffled = {p: sym[p] for p in sorted(sym, key=lambda p: (order.index(p[0]), p[1]))}
    flipped = {(b, a): s for (a, b), s in shuffled.items()}
    assert average_link(order, shuffled, 0.5) == average_link(range(10), sym, 0.5)
    assert average_link(order, flipped, 0.5) == average_link(range(10), sym, 0.5)


def test_a_merge_the_cap_refuses_is_skipped_and_the_next_best_is_taken() -> None:
    sim = {("a", "b"): 0.9, ("b", "c"): 0.8, ("a", "c"): 0.8}
    out = average_link("abc", sim, threshold=0.5, allowed=lambda m: len(m) <= 2)
    assert out == [["a", "b"], ["c"]]


def test_the_link_benchmark_runs_on_a_small_synthetic_store() -> None:
    from polybius.bench_link import run_link_bench, synthetic

    items, real = synthetic(300)
    assert len(items) == 300 and 0 < real <= 300
    report = run_link_bench(300, additions=20)
    assert report.n_clusters >= 1 and report.n_additions >= 1
    assert report.incremental_exact  # one article at a time ends where clustering all at once does
    assert "add one article" in report.render()
