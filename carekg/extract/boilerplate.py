"""Lines of web-page furniture that are not part of the debate.

Blog comment forms, share buttons, browser warnings and advertising labels
recur across saved web pages whatever the site; an organisation named only
there (WordPress, Twitter, Facebook) is no actor of the debate. The
patterns are a list of furniture in ``lexicon.yaml`` (segment.boilerplate_lines).
"""

from __future__ import annotations

import re

from carekg.extract import lexicon

# Each pattern is a general piece of web furniture, matched on a whole line
# (case-insensitive): lexicon.yaml, segment.boilerplate_lines.
_PATTERNS = lexicon.phrases("segment.boilerplate_lines")
_BOILERPLATE = re.compile(r"^\s*(?:" + "|".join(_PATTERNS) + r")\s*$", re.IGNORECASE)


def is_boilerplate(line: str) -> bool:
    """Whether a whole line is web furniture rather than discourse."""
    if len(line) > 300:
        return False
    return _BOILERPLATE.match(line) is not None
