from __future__ import annotations

from sourcetrace.ingest.dedup import DuplicateIndex, from_bytes, signature, to_bytes

WIRE = ("The council of Eastholm voted on Thursday to build a new sea wall along the harbor front, after two "
        "winters of floods damaged dozens of homes and shops near the water. The project will take three "
        "years and will be paid for by the region and the town together, the mayor told reporters after "
        "the vote, adding that work would begin in the autumn if the contracts were signed in time.")


def test_relay_with_changed_dateline_and_credit_is_found() -> None:
    index = DuplicateIndex()
    index.add(1, signature(WIRE))
    index.add(2, signature("A bakery in the old town won a prize for its rye bread, the baker said, and "
                           "queues formed outside the shop early on Saturday morning for the first loaves."))
    relay = "EASTHOLM (Nordwire) - " + WIRE.replace("on Thursday", "late on Thursday") + " (Reporting by staff.)"
    match = index.best_match(signature(relay))
    assert match is not None and match[0] == 1 and match[1] >= 0.7


def test_different_story_is_not_a_duplicate() -> None:
    index = DuplicateIndex()
    index.add(1, signature(WIRE))
    other = WIRE.replace("sea wall", "school").split(",")[0] + ", a decision welcomed by parents and teachers."
    assert index.best_match(signature(other)) is None


def test_signatures_round_trip_through_bytes() -> None:
    sig = signature(WIRE)
    assert from_bytes(to_bytes(sig)).jaccard(sig) == 1.0
