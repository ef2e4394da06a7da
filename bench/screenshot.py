"""Screenshot a kg page with headless Chromium (the browser test's flags).

    python bench/screenshot.py outputs/graph.html docs/screenshot.png [WIDTH HEIGHT]
"""

import sys

from kg.viz import screenshot


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 4):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    size = {"width": int(argv[2]), "height": int(argv[3])} if len(argv) == 4 else {}
    print(screenshot(argv[0], argv[1], **size))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
