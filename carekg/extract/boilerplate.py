"""Lines of web-page furniture that are not part of the debate.

Blog comment forms, share buttons, browser warnings and advertising labels
recur across saved web pages whatever the site; an organisation named only
there (WordPress, Twitter, Facebook) is no actor of the debate.
"""

from __future__ import annotations

import re

# Each entry is a general piece of web furniture, matched on a whole line
# (case-insensitive). Anchored so that a sentence merely containing "reply"
# or "share" is never dropped.
_PATTERNS = [
    r"leave a (reply|comment)( cancel reply)?",
    r"(no|\d+) (comments?|responses?|replies)",
    r"comments?( \(\d+\))?",
    r"you are commenting using your .{0,40} account\..*",
    r"log ?(out|in)( / change \))?.*",
    r"(change|cancel|reply)\s*\)?",
    r"fill in your details below or click an icon to log in:?",
    r"connecting to %s",
    r"advertisements?|sponsored( content)?",
    r"(wordpress\.com|twitter|facebook|google\+?|linkedin|instagram|email|gravatar)( logo| picture| photo| account)?",
    r"(share|like|tweet|print|email) (this|on \w+)(:|!)?",
    r"like loading\.*|loading\.*",
    r"please (log ?in|sign ?in|login) to comment\.?",
    r"your browser is (no longer|not) supported.*",
    r"please (upgrade|update) your browser.*",
    r"skip to (main )?content|back to top|read more|click here|subscribe( now)?|related( posts| articles)?",
    r"notes? to editors?:?|ends|-?\s*ends\s*-?|###",
    r"(notify me of (new|follow-up) (comments|posts).*)",
    r"(save my name, email.*)|(post comment)|(submit)",
    r"(this site uses (akismet|cookies).*)|(we use cookies.*)|(accept( all)? cookies)",
    r"(previous|next) (post|article)(:.*)?",
    r"(tags?|categories|filed under|posted in):.*",
    r"(copyright|©|\(c\)) .{0,80}",
    r"all rights reserved\.?",
    r"cookie (policy|settings)|privacy policy|terms (and|&) conditions",
    # consent banners: "We value your privacy", "… use cookies … accept …"
    r"we (value|respect|care about) your privacy.*",
    r".{0,120}\bcookies?\b.{0,200}\b(accept|consent|agree|preferences|browse|browsing|personalise|analyse)\b.*",
    r"(accept|reject|manage|allow)( all)?( cookies| preferences)?( \| (accept|reject|manage|allow)( all)?"
    r"( cookies| preferences)?)+",
    # related links, reading lists and breadcrumbs: "› Headline", "Related articles"
    r"[›»→].*",
    r"(related|recommended|more|further|also)( articles| reading| stories| content| news| links| on this)?\s*:.*",
    r"(related|recommended|more|further) (articles|reading|stories|content|news|links)",
    r"most (read|popular|viewed|shared)|trending( now)?|you may also like",
    # captions and image placeholders: "[Image: …]", "… Photo: Name/Agency"
    r"\[(image|photo|picture|video|graphic)\b.*\]",
    r".{0,200}\b(photo|photograph|picture|image|credit)s?( credit)?:\s*[^.]{0,80}",
    # share bars and navigation: "Share: Facebook | X | Email", "Home | About | News"
    r"share( this( article| page| post| story)?)?(\s*:.{0,80})?",
    r"[^|.!?]{1,40}(\s\|\s[^|.!?]{1,40}){2,}",
]
_BOILERPLATE = re.compile(r"^\s*(?:" + "|".join(_PATTERNS) + r")\s*$", re.IGNORECASE)


def is_boilerplate(line: str) -> bool:
    """Whether a whole line is web furniture rather than discourse."""
    if len(line) > 300:
        return False
    return _BOILERPLATE.match(line) is not None
