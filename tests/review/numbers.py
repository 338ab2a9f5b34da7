"""Every number with a unit in sections 1 to 6 of the review, as plain text.

Run as a script to (re)write `numbers.tsv` from the review text in ../shared/seeds; the tests read the
TSV, so they run without the review, and check it against the text when the text is present.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REVIEW = HERE.parents[2] / "shared" / "seeds" / "000_eca856980fa1e83b.txt"
NUMBERS = HERE / "numbers.tsv"
EXCLUDED = HERE / "numbers-excluded.tsv"

UNIT = (r"(mA h g-1|mA h cm-2|μA h cm-2|mA cm-2|mg cm-2|W h kg-1|kJ mol-1|mV|eV|V|h|min|nm|Å|°C|°|%|cycles|C)")
NUMBER = r"-?\s?\d+(?:\.\d+)?"
# a number, or several joined as the review joins them ("-3.66 vs. -2.37 eV", "from 18 to 12.5 mV", "0.6-0.7 nm")
CHAIN = re.compile(r"(?<![\w.])(" + NUMBER + r"(?:\s*(?:vs\.|to|and|-|,|or)\s*" + NUMBER + r")*)\s*" + UNIT + r"(?![\w-])")
SEPARATOR = re.compile(r"\s*(?:vs\.|to|and|,|or)\s*|(?<=\d)-(?=\d)")
HEADING = re.compile(r"#+\s*(\d(?:\.\d)?)[. ]")
CAPTION = re.compile(r"^(?:\*\*)?Fig\. (\d+)(?:\*\*)? \(?[A-Z]")


def plain(line: str) -> str:
    """The review's Markdown and LaTeX as plain text: exponents kept, citations dropped."""
    s = re.sub(r"<sup>\s*([−\-–]\s*\d)\s*</sup>", r"\1", line)
    s = re.sub(r"<sup>[^<]*</sup>", "", s)
    s = re.sub(r"<sub>([^<]*)</sub>", r"\1", s)
    s = re.sub(r"\\(?:text|mathrm|mathbf|rm)\s*\{([^{}]*)\}", r"\1", s)
    s = s.replace("^\\circ", "°").replace("^{\\circ}", "°")
    s = re.sub(r"\^\{([^{}]*)\}", r"\1", s)
    s = re.sub(r"_\{([^{}]*)\}", r"\1", s)
    s = s.replace("\\mu ", "μ").replace("\\mu", "μ").replace("\\%", "%").replace("$", "")
    s = s.replace("\\sim", "~").replace("\\approx", "~").replace("\\", "")
    s = s.replace("−", "-").replace("–", "-").replace("μ A", "μA")
    return re.sub(r"[ \t]+", " ", s)


def extract(text: str) -> list[dict]:
    rows, section = [], None
    for number, line in enumerate(text.splitlines(), 1):
        heading = HEADING.match(line)
        if heading:
            section = heading.group(1)
        if line.startswith("## Data availability"):
            break
        if section is None:
            continue
        caption = CAPTION.search(line)
        p = plain(line)
        for match in CHAIN.finditer(p):
            unit = match.group(2)
            if unit == "C" and re.search(r"Fig\.?\s*$", p[max(0, match.start() - 5):match.start()]):
                continue  # a figure panel such as "Fig. 1C"
            context = p[max(0, match.start() - 40):match.end() + 5].strip()
            for value in (v.replace(" ", "") for v in SEPARATOR.split(match.group(1)) if v.strip()):
                rows.append({"line": str(number), "section": section, "figure": caption.group(1) if caption else "",
                             "value": value, "unit": unit, "context": context})
    return rows


def read(path: Path = NUMBERS) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def write(rows: list[dict], path: Path = NUMBERS) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, ["line", "section", "figure", "value", "unit", "context"], delimiter="\t",
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    write(extract(REVIEW.read_text(encoding="utf-8")))
    print(f"{len(read())} numbers written to {NUMBERS}", file=sys.stderr)
