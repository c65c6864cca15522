"""Labelled claim pairs from PolNeAR train and dev, built reproducibly (no randomness without a seed).

    .venv/bin/python bench/claims_gold.py [--polnear DIR] [--out FILE]

Items are PolNeAR's gold attribution contents (one annotator file per article, as the
evaluation reads them) with at least 6 words, named ``<article>@<start>-<end>`` by the first
content span; each carries its publisher and date from ``metadata.tsv``. Pairs, each labelled
same claim (1) or not (0) with its kind:

* ``verbatim`` (1): two items of different publishers at most 7 days apart that share a run of
  8 words (lower-cased word tokens): the same quote or sentence reported twice;
* ``hand`` (1/0): 90 pairs labelled by reading them, listed in ``LABELS`` below by ids only (no
  text): a stratified sample (30 each at cosine 0.6–0.7, 0.7–0.8, ≥ 0.8 under
  all-MiniLM-L6-v2) of the 3,682 cross-publisher pairs at most 10 days apart with cosine ≥ 0.6,
  seed 4; "same claim" means the same proposition (or the same proposal referred to), not the
  same person or topic; contents that only name a person or campaign are 0;
* ``hand-group`` (1): items of different sampled pairs seen while labelling to state one
  claim (the Muslim-ban proposal, "founder of ISIS", "ISIS's best recruiter");
* ``same-speaker`` (0): hard negatives, the same named source (last word of the source
  span, capitalised, ≥ 4 letters) within 7 days at different publishers with no content word
  in common; 150 pairs sampled with seed 13;
* ``number`` (0): hard negatives, for every positive pair whose second text holds a number, a
  synthetic item (``<id>~x10``) equal to it with that first number multiplied by ten ("10,000
  refugees" → "100,000 refugees"): same topic, different number.

Labels by hand were made without looking at any system output beyond the candidate cosine.
Known limits: hand pairs come from a pool selected by the same embedding model (positives
below cosine 0.6 are only found by the verbatim rule), and items of different positive pairs
may state one claim without a label saying so.

Output: one JSON object per line, ``{"kind": "item", ...}`` then ``{"kind": "pair", ...}``,
written to bench/results/claims_gold.jsonl (git-ignored: it holds PolNeAR text).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import json
import logging
import random
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POLNEAR = REPO_ROOT.parent / "shared" / "data" / "polnear"
DEFAULT_OUT = REPO_ROOT / "bench" / "results" / "claims_gold.jsonl"
MIN_WORDS = 6
VERBATIM_N = 8
VERBATIM_DAYS = 7
SAME_SPEAKER_PAIRS = 150
SAME_SPEAKER_SEED = 13

_WORD = re.compile(r"[a-z0-9]+(?:[.,'][a-z0-9]+)*")
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_STOP = frozenset("""a an and are as at be been but by for from had has have he her his i in is it its
not of on or our said says she that the their they this to was we were will with would you""".split())

# (item, item, same claim?) — ids and offsets only; see the docstring.
LABELS: tuple[tuple[str, str, int], ...] = (
    ('breitbart_2016-03-15_the-latest-sanders-declares-revo@12537-12608',
     'wash-post_2016-03-22_presidential-candidates-promise-@5967-6010', 1),
    ('huff-post_2016-09-10_trump-s-east-european-achilles-h@1747-1860',
     'nyt_2016-09-19_old-hands-help-russia-navigate-u@1491-1636', 1),
    ('nyt_2015-12-22_trump-says-praise-from-putin-hel@688-734',
     'wash-post_2015-12-20_democratic-candidates-pivot-shar@1255-1294', 1),
    ('huff-post_2015-11-20_trump-may-not-have-suggested-a-m@155-225',
     'nyt_2015-11-24_world-war-ii-haunts-our-terror-d@3103-3189', 0),
    ('huff-post_2016-08-11_donald-trump-is-now-calling-obam@1944-1993',
     'politico_2016-08-11_pence-blames-media-for-trump-s-o@1448-1487', 1),
    ('nyt_2015-12-14_visa-screening-missed-attacker-s@5405-5460',
     'wash-post_2015-12-20_marco-rubio-s-strategic-stances@5196-5308', 1),
    ('breitbart_2015-12-10_millennial-democratics-prefer-be@1372-1418',
     'wash-post_2015-12-12_misinformation-enters-mainstream@3207-3254', 1),
    ('breitbart_2015-12-10_millennial-democratics-prefer-be@1372-1418',
     'huff-post_2015-12-20_hillary-clinton-s-claim-that-don@1406-1457', 1),
    ('breitbart_2016-03-15_the-latest-sanders-declares-revo@3864-3908',
     'west-journal_2016-03-19_revealed-here-are-the-conservati@226-275', 0),
    ('huff-post_2015-12-10_hillary-clinton-under-pressure-t@3452-3512',
     'wash-post_2015-12-10_netanyahu-rejects-trump-s-remark@1966-2029', 1),
    ('nyt_2016-09-19_obama-sees-personal-insult-if-bl@284-346',
     'west-journal_2016-09-28_clinton-campaign-reportedly-scra@2665-2727', 1),
    ('breitbart_2016-02-01_dr-ben-carson-hillary-clinton-no@583-731',
     'wash-post_2016-01-31_state-calls-emails-of-clinton-to@12-46', 1),
    ('nyt_2016-01-12_evangelical-iowans-flock-to-cruz@2002-2070',
     'usa-today_2016-01-15_republicans-pile-on-obama-clinto@3087-3158', 1),
    ('huff-post_2016-07-14_fdic-accused-of-covering-up-chin@4897-5080',
     'nyt_2016-07-15_latest-poll-has-trump-pulling-ev@135-242', 0),
    ('huff-post_2016-04-20_hillary-clinton-won-among-wall-s@512-553',
     'nyt_2016-04-21_crucial-wins-for-clinton-and-tru@6302-6361', 0),
    ('nyt_2016-09-06_u-s-presses-for-truce-in-syria-d@8593-8688',
     'west-journal_2016-09-12_obama-seeks-more-muslim-refugees@1003-1066', 1),
    ('politico_2016-10-04_trump-not-walking-the-walk-on-hi@1465-1585',
     'west-journal_2016-10-04_railing-against-trump-sanders-vo@1023-1150', 1),
    ('huff-post_2016-06-27_hillary-clinton-slams-donald-tru@988-1008',
     'wash-post_2016-06-28_ruling-solidifies-candidates-abo@1933-1969', 1),
    ('breitbart_2015-12-20_republican-donor-adelson-and-tru@4289-4348',
     'wash-post_2015-12-12_misinformation-enters-mainstream@3207-3254', 1),
    ('huff-post_2015-12-17_st-paul-votes-to-condemn-donald-@426-469',
     'wash-post_2015-12-10_netanyahu-rejects-trump-s-remark@1966-2029', 1),
    ('breitbart_2015-12-10_millennial-democratics-prefer-be@1372-1418',
     'wash-post_2015-12-20_democratic-candidates-pivot-shar@1403-1462', 1),
    ('usa-today_2016-06-03_calif-win-could-help-sanders-mak@1774-1828',
     'wash-post_2016-06-06_clinton-wins-puerto-rico-amid-ca@2675-2711', 0),
    ('huff-post_2015-12-17_st-paul-votes-to-condemn-donald-@126-227',
     'wash-post_2015-12-10_netanyahu-rejects-trump-s-remark@1966-2029', 1),
    ('nyt_2016-08-17_biden-calls-trump-risk-to-u-s-sa@1059-1120',
     'politico_2016-08-11_pence-blames-media-for-trump-s-o@1108-1137', 1),
    ('breitbart_2015-12-10_millennial-democratics-prefer-be@1372-1418',
     'huff-post_2015-12-10_hillary-clinton-under-pressure-t@1808-1845', 1),
    ('breitbart_2016-01-19_long-time-leaders-of-conservativ@290-332',
     'politico_2016-01-29_record-setting-spending-spree-re@2657-2691', 0),
    ('huff-post_2016-02-02_don-t-let-the-media-and-marco-ru@45-80',
     'usa-today_2016-02-09_new-hampshire-primary-game-on-wh@3422-3527', 1),
    ('politico_2016-04-11_clinton-and-sanders-trade-low-bl@3755-3847',
     'usa-today_2016-04-14_clinton-sharpens-focus-on-sander@1091-1165', 1),
    ('politico_2016-05-05_paul-ryan-says-he-s-not-ready-to@4691-4734',
     'west-journal_2016-05-06_republican-unity-meeting-schedul@184-277', 1),
    ('breitbart_2016-01-19_long-time-leaders-of-conservativ@493-530',
     'politico_2016-01-29_record-setting-spending-spree-re@2657-2691', 0),
    ('huff-post_2015-12-20_hillary-clinton-s-claim-that-don@350-389',
     'wash-post_2015-12-20_democratic-candidates-pivot-shar@1255-1294', 1),
    ('huff-post_2016-04-27_bernie-sanders-suffered-a-big-bl@3591-3624',
     'wash-post_2016-04-17_donald-trump-is-not-a-racist-guy@937-978', 0),
    ('politico_2016-07-06_lewandowski-fbi-director-acted-a@130-265',
     'wash-post_2016-07-13_after-review-clinton-s-emails-mi@3537-3728', 0),
    ('politico_2016-03-10_trump-s-rivals-pull-their-punche@4212-4288',
     'wash-post_2016-03-18_rabbis-vow-to-boycott-trump-spee@8019-8250', 0),
    ('nyt_2016-06-27_britain-s-exit-looms-over-clinto@1934-1966',
     'politico_2016-07-02_sanders-california-supporters-ca@3243-3346', 0),
    ('politico_2016-03-10_hillary-clinton-s-backseat-drive@2441-2537',
     'wash-post_2016-03-05_some-emails-to-powell-rice-s-aid@1359-1481', 0),
    ('breitbart_2016-04-14_the-latest-trump-delivers-defens@16943-17054',
     'nyt_2016-04-21_crucial-wins-for-clinton-and-tru@6896-6976', 1),
    ('breitbart_2016-06-05_elizabeth-warren-donald-trump-is@273-368',
     'wash-post_2016-05-29_internal-trump-university-record@4893-5069', 0),
    ('breitbart_2016-01-19_long-time-leaders-of-conservativ@290-332',
     'politico_2016-01-29_record-setting-spending-spree-re@1724-1769', 0),
    ('breitbart_2016-07-27_obama-to-frame-election-as-comma@2565-2673',
     'west-journal_2016-07-28_obama-claims-hillary-most-qualif@4615-4729', 1),
    ('nyt_2016-09-19_obama-sees-personal-insult-if-bl@110-218',
     'west-journal_2016-09-28_clinton-campaign-reportedly-scra@1376-1525', 0),
    ('breitbart_2016-01-19_long-time-leaders-of-conservativ@1808-1892',
     'west-journal_2016-01-25_rick-perry-just-announced-his-of@991-1234', 0),
    ('breitbart_2016-08-24_report-half-clinton-s-state-meet@1211-1348',
     'nyt_2016-08-22_foundation-and-donors-complicate@2990-3058', 0),
    ('huff-post_2015-12-20_hillary-clinton-s-claim-that-don@1406-1457',
     'usa-today_2015-12-14_on-the-islamic-state-a-split-mos@1995-2049', 1),
    ('breitbart_2016-03-15_the-latest-kasich-scores-all-del@12685-12797',
     'nyt_2016-03-05_polls-suggest-possibility-of-dea@1328-1478', 0),
    ('breitbart_2016-08-10_secret-service-stops-protester-a@1026-1071',
     'nyt_2016-08-18_trump-hires-conservative-website@5642-5708', 0),
    ('nyt_2016-07-15_latest-poll-has-trump-pulling-ev@1817-1860',
     'wash-post_2016-07-13_after-review-clinton-s-emails-mi@2128-2237', 0),
    ('breitbart_2016-09-20_poll-wealthy-voters-abandon-repu@239-286',
     'west-journal_2016-09-30_new-poll-shows-minor-post-debate@433-512', 0),
    ('breitbart_2016-04-14_the-latest-trump-delivers-defens@2867-2926',
     'wash-post_2016-04-20_beyond-victory-clinton-faces-dee@5107-5249', 0),
    ('nyt_2016-04-12_ryan-wages-campaign-to-counter-t@2466-2492',
     'wash-post_2016-04-09_trump-s-new-go-to-guy-no-strange@6636-6726', 0),
    ('huff-post_2016-08-03_francois-hollande-says-donald-tr@2140-2204',
     'usa-today_2016-08-09_khans-trump-stirs-ugliness-musli@1005-1046', 0),
    ('nyt_2015-11-17_terrorism-moves-to-fore-of-u-s-c@4551-4598',
     'politico_2015-11-19_trump-calls-for-bringing-back-su@637-679', 0),
    ('politico_2016-09-25_poll-clinton-and-trump-in-dead-h@1601-1661',
     'west-journal_2016-09-30_new-poll-shows-minor-post-debate@1399-1449', 0),
    ('huff-post_2016-02-29_joe-scarborough-donald-trump-pla@984-1078',
     'wash-post_2016-03-04_blistering-attacks-upend-trump-s@2828-2857', 1),
    ('politico_2016-01-19_clinton-super-pac-answers-rove-a@525-614',
     'wash-post_2016-01-18_a-sharper-tone-as-stakes-rise@478-559', 0),
    ('huff-post_2016-02-07_the-latest-gop-debate-kicked-off@20684-20769',
     'wash-post_2016-02-12_cruz-reboots-his-attacks-on-trum@583-625', 1),
    ('breitbart_2016-03-15_the-latest-kasich-scores-all-del@15285-15331',
     'usa-today_2016-03-17_voters-turned-out-in-droves-tues@359-437', 0),
    ('usa-today_2015-12-14_on-the-islamic-state-a-split-mos@1441-1475',
     'wash-post_2015-12-20_democratic-candidates-pivot-shar@1631-1769', 1),
    ('breitbart_2016-02-10_how-donald-trump-could-become-pr@3790-3862',
     'nyt_2016-02-18_trump-fires-up-g-o-p-base-by-pri@2456-2511', 0),
    ('huff-post_2015-12-03_cnn-president-on-trump-we-do-not@186-263',
     'west-journal_2015-12-03_cnn-just-responded-to-trump-s-ma@259-330', 1),
    ('nyt_2016-07-15_latest-poll-has-trump-pulling-ev@3178-3213',
     'wash-post_2016-07-13_after-review-clinton-s-emails-mi@416-493', 0),
    ('breitbart_2016-07-27_obama-to-frame-election-as-comma@2354-2398',
     'west-journal_2016-07-28_obama-claims-hillary-most-qualif@5193-5247', 0),
    ('nyt_2016-09-06_u-s-presses-for-truce-in-syria-d@8593-8688',
     'west-journal_2016-09-12_obama-seeks-more-muslim-refugees@1746-1946', 0),
    ('breitbart_2016-03-02_christie-s-shell-shocked-look-st@1586-1638',
     'nyt_2016-03-05_polls-suggest-possibility-of-dea@1328-1478', 0),
    ('nyt_2016-09-30_keep-the-returns-trump-just-give@5311-5392',
     'west-journal_2016-10-04_railing-against-trump-sanders-vo@460-661', 0),
    ('breitbart_2016-02-20_the-latest-hillary-clinton-tells@32809-32937',
     'west-journal_2016-03-01_right-after-this-big-name-senato@1367-1550', 0),
    ('politico_2016-09-01_debating-clinton-s-character@207-268',
     'wash-post_2016-08-26_a-shaky-balancing-act-for-kelly-@4902-5005', 0),
    ('usa-today_2016-06-03_calif-win-could-help-sanders-mak@1589-1715',
     'wash-post_2016-06-09_party-aims-to-heal-primary-wound@8895-9110', 0),
    ('huff-post_2016-02-02_don-t-let-the-media-and-marco-ru@45-80',
     'usa-today_2016-02-09_new-hampshire-primary-game-on-wh@3308-3312', 0),
    ('breitbart_2016-08-08_exclusive-roger-stone-don-t-trus@1542-1605',
     'usa-today_2016-08-16_millenials-aren-t-buying-trump-s@476-511', 1),
    ('breitbart_2016-05-12_trump-ryan-pledge-to-work-togeth@128-170',
     'politico_2016-05-12_the-trump-gop-feud-lives-on@5639-5707', 0),
    ('usa-today_2016-09-22_derelict-obama-and-clinton-trump@1009-1153',
     'west-journal_2016-09-29_gold-star-mom-corners-obama-on-h@747-1049', 0),
    ('breitbart_2015-11-17_wash-post-fact-check-if-obama-sa@1359-1390',
     'politico_2015-11-19_trump-calls-for-bringing-back-su@637-679', 0),
    ('breitbart_2016-08-24_report-half-clinton-s-state-meet@2109-2279',
     'nyt_2016-08-22_foundation-and-donors-complicate@1043-1124', 1),
    ('huff-post_2016-03-02_bernie-sanders-beats-hillary-cli@1416-1459',
     'wash-post_2016-03-04_blistering-attacks-upend-trump-s@3642-3705', 0),
    ('breitbart_2016-10-03_the-latest-trump-s-leaked-taxes-@2313-2429',
     'west-journal_2016-10-04_railing-against-trump-sanders-vo@2085-2124', 0),
    ('huff-post_2015-12-17_st-paul-votes-to-condemn-donald-@126-227',
     'wash-post_2015-12-12_misinformation-enters-mainstream@3207-3254', 1),
    ('huff-post_2016-08-03_francois-hollande-says-donald-tr@4968-5000',
     'nyt_2016-08-01_pressure-rises-on-trump-after-cr@7571-7615', 1),
    ('nyt_2016-10-04_in-avoiding-tax-trump-is-merely-@828-856',
     'west-journal_2016-10-04_railing-against-trump-sanders-vo@1616-1690', 0),
    ('breitbart_2016-04-12_bill-clinton-hillary-better-qual@14-93',
     'huff-post_2016-04-08_bernie-sanders-of-course-hillary@220-321', 0),
    ('usa-today_2016-09-22_derelict-obama-and-clinton-trump@1009-1153',
     'west-journal_2016-09-29_gold-star-mom-corners-obama-on-h@1060-1152', 0),
    ('nyt_2016-09-19_obama-sees-personal-insult-if-bl@5709-5830',
     'west-journal_2016-09-28_clinton-campaign-reportedly-scra@2932-2997', 0),
    ('politico_2016-02-29_democrats-draw-plan-to-shatter-t@2964-2984',
     'west-journal_2016-03-01_right-after-this-big-name-senato@345-355', 0),
    ('breitbart_2015-11-19_hillary-clinton-calls-on-u-s-to-@1898-1939',
     'nyt_2015-11-17_terrorism-moves-to-fore-of-u-s-c@4551-4598', 0),
    ('nyt_2016-02-25_rubio-has-the-praise-just-not-th@3151-3209',
     'politico_2016-02-17_bush-rubio-collide-in-scramble-f@2628-2634', 0),
    ('huff-post_2016-08-28_hillary-clinton-receives-first-n@178-219',
     'west-journal_2016-08-27_newspaper-says-clinton-needs-to-@285-344', 0),
    ('huff-post_2016-07-25_monday-s-morning-email-putin-s-p@166-206',
     'usa-today_2016-07-27_black-lives-matter-seeks-clinton@1976-2045', 0),
    ('politico_2016-03-10_trump-s-rivals-pull-their-punche@6744-6854',
     'west-journal_2016-03-10_look-shocking-photos-of-gop-cand@1861-1911', 0),
    ('huff-post_2016-09-27_hillary-clinton-goes-after-donal@3665-3734',
     'west-journal_2016-10-04_railing-against-trump-sanders-vo@460-661', 0),
    ('breitbart_2015-11-11_the-ninth-circle-the-hellish-vie@458-527',
     'wash-post_2015-11-13_cruz-rubio-take-off-the-kid-glov@354-415', 0),
    ('breitbart_2016-03-15_the-latest-sanders-declares-revo@12537-12608',
     'breitbart_2015-12-10_millennial-democratics-prefer-be@1372-1418', 1),
    ('breitbart_2016-03-15_the-latest-sanders-declares-revo@12537-12608',
     'huff-post_2015-12-10_hillary-clinton-under-pressure-t@3452-3512', 1),
    ('breitbart_2016-03-15_the-latest-sanders-declares-revo@12537-12608',
     'breitbart_2015-12-20_republican-donor-adelson-and-tru@4289-4348', 1),
    ('breitbart_2016-03-15_the-latest-sanders-declares-revo@12537-12608',
     'huff-post_2015-12-17_st-paul-votes-to-condemn-donald-@426-469', 1),
    ('breitbart_2016-03-15_the-latest-sanders-declares-revo@12537-12608',
     'huff-post_2015-12-17_st-paul-votes-to-condemn-donald-@126-227', 1),
    ('breitbart_2016-03-15_the-latest-sanders-declares-revo@12537-12608',
     'huff-post_2015-12-20_hillary-clinton-s-claim-that-don@1406-1457', 1),
    ('huff-post_2016-08-11_donald-trump-is-now-calling-obam@1944-1993',
     'nyt_2016-08-17_biden-calls-trump-risk-to-u-s-sa@1059-1120', 1),
    ('nyt_2015-12-22_trump-says-praise-from-putin-hel@688-734',
     'huff-post_2015-12-20_hillary-clinton-s-claim-that-don@350-389', 1),
)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def load_items(polnear: Path) -> dict[str, dict[str, Any]]:
    sys.path.insert(0, str(REPO_ROOT / "src"))
    from sourcetrace.eval.polnear import load_polnear
    from sourcetrace.records import spans_text

    logging.getLogger("sourcetrace.eval.polnear").setLevel(logging.ERROR)
    meta = {r["filename"]: r for r in csv.DictReader((polnear / "metadata.tsv").open(encoding="utf-8"),
                                                      delimiter="\t")}
    items: dict[str, dict[str, Any]] = {}
    for split in ("train", "dev"):
        for doc in load_polnear(polnear / split):
            row = meta.get(doc.id)
            if row is None:
                continue
            for gold in doc.attributions:
                text = spans_text(doc.text, gold.content, " ")
                if len(_words(text)) < MIN_WORDS:
                    continue
                start, end = gold.content[0]
                key = f"{doc.id}@{start}-{end}"
                items[key] = {"kind": "item", "id": key, "article": doc.id, "split": split,
                              "spans": [list(s) for s in gold.content], "publisher": row["publisher"],
                              "date": row["publication_date"], "text": text,
                              "source": spans_text(doc.text, gold.source, " ") if gold.source else None}
    return items


def _days(a: dict[str, Any], b: dict[str, Any]) -> int:
    return abs((dt.date.fromisoformat(a["date"]) - dt.date.fromisoformat(b["date"])).days)


def _apart(a: dict[str, Any], b: dict[str, Any], days: int) -> bool:
    return a["article"] != b["article"] and a["publisher"] != b["publisher"] and _days(a, b) <= days


def verbatim_pairs(items: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    index: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for key, it in items.items():
        w = _words(it["text"])
        for gram in {tuple(w[i:i + VERBATIM_N]) for i in range(len(w) - VERBATIM_N + 1)}:
            index[gram].append(key)
    pairs: set[tuple[str, str]] = set()
    for keys in index.values():
        if len(keys) > 30:  # boilerplate
            continue
        for a, b in itertools.combinations(sorted(set(keys)), 2):
            if _apart(items[a], items[b], VERBATIM_DAYS):
                pairs.add((a, b))
    return sorted(pairs)


def _speaker(it: dict[str, Any]) -> str | None:
    words = re.findall(r"[A-Za-z][A-Za-z'’-]+", it["source"] or "")
    last = words[-1].rstrip("'’s") if words else ""
    return last.lower() if len(last) >= 4 and last[:1].isupper() else None


def same_speaker_pairs(items: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    by_speaker: dict[str, list[str]] = defaultdict(list)
    for key, it in items.items():
        name = _speaker(it)
        if name:
            by_speaker[name].append(key)
    candidates = []
    for keys in by_speaker.values():
        for a, b in itertools.combinations(sorted(keys), 2):
            ia, ib = items[a], items[b]
            if not _apart(ia, ib, VERBATIM_DAYS):
                continue
            ca = set(_words(ia["text"])) - _STOP
            cb = set(_words(ib["text"])) - _STOP
            if ca and cb and not ca & cb:
                candidates.append((a, b))
    rng = random.Random(SAME_SPEAKER_SEED)
    return sorted(rng.sample(candidates, min(SAME_SPEAKER_PAIRS, len(candidates))))


def _times_ten(match: re.Match[str]) -> str:
    raw = match.group(0)
    value = float(raw.replace(",", "")) * 10
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    return f"{value:,.{decimals}f}" if "," in raw or value >= 10_000 else f"{value:.{decimals}f}"


def build(polnear: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    items = load_items(polnear)
    pairs: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()

    def add(a: str, b: str, same: int, kind: str) -> None:
        key = (min(a, b), max(a, b))
        if a == b or key in seen:
            return
        seen.add(key)
        pairs.append({"kind": "pair", "a": a, "b": b, "same": bool(same), "type": kind})

    for a, b, same in LABELS:
        if a in items and b in items:
            add(a, b, same, "hand" if (a, b, same) in _HAND else "hand-group")
    for a, b in verbatim_pairs(items):
        add(a, b, 1, "verbatim")
    for a, b in same_speaker_pairs(items):
        add(a, b, 0, "same-speaker")
    synthetic: dict[str, dict[str, Any]] = {}
    for p in [p for p in pairs if p["same"]]:
        it = items[p["b"]]
        if _NUMBER.search(it["text"]):
            variant = dict(it, id=f"{it['id']}~x10", text=_NUMBER.sub(_times_ten, it["text"], count=1),
                           synthetic=True)
            synthetic[variant["id"]] = variant
            add(p["a"], variant["id"], 0, "number")
    used = {k for p in pairs for k in (p["a"], p["b"])}
    all_items = {**items, **synthetic}
    return [all_items[k] for k in sorted(used)], pairs


_HAND = frozenset(LABELS[:90])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polnear", type=Path, default=DEFAULT_POLNEAR)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not (args.polnear / "metadata.tsv").exists():
        print(f"PolNeAR not found at {args.polnear}: nothing to build", file=sys.stderr)
        return 0
    items, pairs = build(args.polnear)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as out:
        for row in [*items, *pairs]:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for p in pairs:
        kinds[p["type"]][int(p["same"])] += 1
    print(f"{len(items)} items, {len(pairs)} pairs → {args.out}")
    for kind, (neg, pos) in sorted(kinds.items()):
        print(f"  {kind:13} {pos:4} same  {neg:4} different")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
