"""Usernames that cannot pass for someone else's.

A username is normalised to NFKC (Django's `UsernameField` does it), so letters
written with compatibility forms (full-width, ligatures, superscripts) become
the plain ones. Then, with nothing but the Unicode database:

- its letters must all come from one script, the first word of each letter's
  Unicode name (LATIN, CYRILLIC, GREEK, ARABIC…): `moderаtor` with a Cyrillic а
  mixes two and is refused, while `Zoë`, `Дмитрий` or `李华` are fine;
- its *skeleton* must differ from every existing account's: accents dropped
  (NFKD without combining marks), case folded, and 0/o, 1/l/i read as the same
  letter, so `Moderator`, `mödérator` and `m0derat0r` are all taken by `moderator`.

A name written entirely in another script whose letters happen to look Latin
(Cyrillic `сор` beside Latin `cop`) is not caught: that needs Unicode's
confusables table, which this rule does not carry.
"""

import unicodedata

_SAME_LOOK = str.maketrans({"0": "o", "1": "l", "i": "l"})


def scripts(username):
    """The scripts of the letters in `username`, by the first word of their Unicode names."""
    return {unicodedata.name(char, "UNKNOWN").split(" ", 1)[0] for char in username if char.isalpha()}


def skeleton(username):
    decomposed = unicodedata.normalize("NFKD", username)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return bare.casefold().translate(_SAME_LOOK)


def looks_like_an_existing_username(username, existing):
    """True if `username` has the skeleton of one of the `existing` usernames."""
    wanted = skeleton(username)
    return any(skeleton(other) == wanted for other in existing)
