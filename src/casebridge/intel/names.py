"""Person-name matching across scripts and transliterations: blocking keys and scored comparison.

A person is a `PersonName`: the names known for them (full names in any order and any script,
aliases, the name in its original script), and optionally the date of birth, possibly partial,
and nationalities. `compare(query, candidate)` answers a `NameMatch` whose `score` is read
against `Thresholds` (`match`, `possible`), with one human-readable reason per factor.
`blocking_keys(person)` answers the few short strings that a database indexes, so that a query
fetches only the candidates worth comparing.

    >>> compare(PersonName(("Иванов Сергей",)), PersonName(("Sergey Ivanov",))).score
    1.0
    >>> latin_tokens("Hans Müller")
    ('hans', 'muller')

The method, step by step:

1. **Transliteration.** Honorifics ("Mr", "Dr") are dropped with rigour's person prefixes. Text
   goes to ASCII through `rigour.text.ascii_text`: rigour's own tables for Latin, Cyrillic,
   Greek, Armenian, Georgian and Hangul (`Иванов` -> `ivanov`), ICU's Any-Latin via normality
   for the rest (Arabic and Hebrew give consonant skeletons such as `mhmd`; Han gives pinyin).
   A name written in Han or Hangul without spaces is split the way such names are: the first
   character (or a known two-character surname such as 欧阳) is the family name and the rest is
   one given name, so `王小明` gives `wang xiaoming` as it is written in Latin. The Arabic
   article (ال, "al-", "el-") and the connectors bin/ibn are dropped. `latin_tokens` answers
   this stage's tokens.
2. **Variant form.** Each token is rewritten so that common transliteration variants coincide:
   digraphs fold (`kh`->`h`, `shch`/`sch`/`sh`->`s`, `zh`->`j`, `ph`->`f`, `x`->`ks`, `w`->`v`,
   `ou`->`u`, `ue`->`u`, `y`->`i`, `ei`->`i`), doubled letters collapse. Sergei, Sergey and
   Serguei all become `sergi`; Müller, Mueller and Muller become `muler`; Iwanow becomes
   `ivanov`.
3. **Skeleton.** The variant form keeps its first letter (any vowel counts as `a`) and drops
   the later vowels: `mohamed`, `muhamad` and the Arabic `mhmd` share `mhmd`; Yusuf, Youssef
   and the Arabic `ywsf` share `asf` (in abjad-script tokens, where vowels are not written, a
   medial `w`/`y` is read as a vowel).
4. **Token similarity** starts from the Indel similarity `v` (rapidfuzz) of the variant forms.
   When the skeletons are equal (and longer than one letter: Li/Lu are two names), only vowels
   differ, which is what transliterations vary: `(1 + v) / 2` (Muhammad/Mohammed 0.86), and at
   least 0.95 when one token came from an abjad script, whose vowels were never written.
   Otherwise a differing consonant is taken as another name: `2v - 1`, floored at 0
   (Zhang/Wang 0.5, John/Jane 0). An initial agrees with any token of the same first letter.
5. **Name similarity** aligns tokens regardless of order (greedy best pairs; pairs under 0.6
   are not aligned): the mean similarity over the shorter name, minus a little for each extra
   token on the longer side
   (a missing middle name or patronymic costs 0.04). Initials cap it at 0.76 and a single-token
   name at 0.65, so that "S. Ivanov" or "Ivanov" alone stays a possible match at best, even
   with every other piece of evidence agreeing. Tokens written together on one side and apart
   on the other ("Xiao Ming" vs "Xiaoming", "Abd al-Rahman" vs "Abdulrahman") are caught by
   also comparing the concatenated forms in every rotation of the token order. Every name and
   alias of one person is compared with every one of the other; the best pair wins.
6. **Supporting evidence** is added to the best name similarity. Birth dates: same full date
   +0.05, same year and month +0.03, same year +0.02; years one apart -0.15, further apart
   -0.30; same year but another month -0.25 (-0.05 if day and month are merely swapped), same
   month but another day -0.20. Nationalities: one in common +0.02, none in common -0.05.
   Anything unknown on either side is neutral. So a namesake (same family name, another given
   name, another birth date) stays below `possible`, while a perfect name match with a
   contradicting birth date falls from match to possible at best.

Blocking keys. A key is `<skeleton of a token>|<initial of another token of the same name>`,
for every ordered pair of tokens among the first two and the last token of each name (a name of
one token gives `<skeleton>|`), plus one key of the whole name, `=<skeletons, sorted>`. "Sergei
Ivanov" gives `srg|a`, `avnv|s` and `=avnv.srg`. The whole-name key finds nobody the others do
not (it implies them); a store ranks candidates by the keys they share, so the same name written
in any script or spelling comes first when a common name brings thousands. Why this shape:

- Recall. The skeleton is the coarsest form that still agrees across the scripts and variants
  above, and an initial is all that a query like "S. Ivanov" knows of the other token; a true
  match needs one token whose skeleton agrees plus one more token whose first letter agrees,
  in either order. The birth year is deliberately not part of any key: missing data must stay
  neutral, and a query without a year (or a record without one) would otherwise miss.
- Selectivity. One skeleton alone ("Ivanov", "Muhammad", "Wang") would return tens of
  thousands of rows out of a million; pairing it with the initial of another token divides
  that by the number of initials in use (about 15-20), and the query's keys are then unioned.
  In a synthetic million (seven naming traditions, Zipf-distributed given and family names) a
  query fetched 0.35% on average (median 0.2%); the worst were the commonest names ("Mohammed
  Ali", 1.8%) and names whose other token starts with a vowel, since every initial vowel is
  one class (Yevgeny/Evgeny, Omar/'Umar). A caller that knows the query's birth year can cut
  that twentyfold in SQL with `AND (birth_year IS NULL OR birth_year BETWEEN y - 1 AND y + 1)`,
  giving up only candidates that a contradicting year would hold below `match` anyway.
- Size. At most 6 keys per name (3 tokens, ordered pairs), usually 2; the aliases of one
  person mostly share their keys, since transliterations of one name produce the same
  skeletons. Skeletons are cut at 8 characters to keep keys short.
- What blocking gives up, knowingly: a one-token name meets only one-token names (a full name
  would have to carry a key per bare token, which every full-name query would then fetch by);
  such a pair can reach `possible` only with agreeing evidence. Names of four or more tokens
  whose agreement lies only in the middle tokens, and names that agree only when written
  together ("Wangxiaoming"), are found by `compare` but not by the keys.

Speed. Everything derived from a name string is cached (`functools.lru_cache`), and so is each
word's transliteration: rigour caches whole strings, and a word it has not seen costs it tens of
microseconds a letter, whereas a population's names are made of recurring words. Comparing
two one-name persons takes 10-25 microseconds once both names have been seen and 40-90 when
the candidate's name is new (its words known); the caches hold at most about 40 MB.

Known limits: Japanese names in kanji are read with Chinese readings; Korean romanisations that
differ in consonants (Kim/Gim, Lee/I, Park/Bak) agree only partly; Hebrew vav read as `w` does not
meet Latin `v` (David); translations rather than transliterations (Joseph/Yusuf, Peter/Pyotr)
are different names here.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz.distance import Indel
from rigour.names import remove_person_prefixes, tokenize_name
from rigour.text import ascii_text
from rigour.text.scripts import text_scripts

__all__ = [
    "DEFAULT",
    "NameMatch",
    "PersonName",
    "Thresholds",
    "blocking_keys",
    "compare",
    "latin_tokens",
]

# -- the public types -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonName:
    """What is known of a person, for matching.

    `names` holds full names as written ("family given" or "given family"), aliases and the
    name in its original script. The date of birth may be partial (year, or year and month).
    `nationalities` are ISO 3166 alpha-2 codes.
    """

    names: tuple[str, ...]
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    nationalities: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.birth_month is not None and not 1 <= self.birth_month <= _MONTHS:
            raise ValueError(f"birth month {self.birth_month} is not 1-12")
        if self.birth_day is not None and not 1 <= self.birth_day <= _DAYS:
            raise ValueError(f"birth day {self.birth_day} is not 1-31")


@dataclass(frozen=True, slots=True)
class NameMatch:
    """How far two persons match: `score` is final, `name_score` the names alone."""

    score: float
    name_score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Thresholds:
    """Where a score becomes a match (`match`) or worth a look (`possible`); 0 < possible <= match.

    The defaults are tuned so that a full name agreeing across scripts is a match, an initial
    for a given name or a contradicting birth date is possible, and a namesake is neither.
    """

    match: float = 0.85
    possible: float = 0.7

    def __post_init__(self) -> None:
        if not 0 < self.possible <= self.match <= 1:
            raise ValueError("thresholds need 0 < possible <= match <= 1")

    def classify(self, score: float) -> Literal["match", "possible", "none"]:
        """`"match"`, `"possible"` or `"none"` for `score`."""
        if score >= self.match:
            return "match"
        if score >= self.possible:
            return "possible"
        return "none"


DEFAULT = Thresholds()

# -- tuning ---------------------------------------------------------------------------------------

_MONTHS = 12
_DAYS = 31
_INITIALS_CAP = 0.76  # a name matched through an initial stays "possible" whatever else agrees
_MONONYM_CAP = 0.65  # one token alone ("Ivanov") is weaker still
_EXTRA_TOKEN = 0.04  # a token on the longer name with no counterpart (middle name, patronymic)
_EXTRA_INITIAL = 0.02  # the same, for an initial
_MIN_PAIR = 0.6  # token pairs less similar than this are not aligned at all
_JOINED_MIN = 0.9  # a concatenated comparison counts only when it is this close
_ABJAD_SKELETON = 0.95  # same skeleton, one token from an abjad: its vowels were never written
_MIN_SKELETON = 2  # a one-letter skeleton (Li, Wu) says too little to forgive vowels
_SHORT = 2  # tokens this short keep their final h
_KEY_TOKENS = 3  # tokens of a name used for keys: the first two and the last
_KEY_LENGTH = 8  # skeletons in keys are cut to this many characters

_FULL_DATE = 0.05
_YEAR_MONTH = 0.03
_YEAR = 0.02
_DAY_MONTH_SWAP = -0.05
_OTHER_DAY = -0.20
_OTHER_MONTH = -0.25
_YEAR_NEAR = -0.15
_OTHER_YEAR = -0.30
_SAME_NATIONALITY = 0.02
_OTHER_NATIONALITY = -0.05

# -- transliteration ------------------------------------------------------------------------------

_ABJADS = frozenset({"Arabic", "Hebrew", "Syriac", "Thaana"})
_DENSE = frozenset({"Han", "Hangul"})
_COMPOUND_SURNAMES = frozenset(
    {
        "欧阳", "歐陽", "司马", "司馬", "诸葛", "諸葛", "上官", "司徒", "东方", "東方", "皇甫",
        "尉迟", "尉遲", "公孙", "公孫", "慕容", "夏侯", "令狐", "长孙", "長孫", "宇文", "南宫",
        "南宮", "西门", "西門",
    }
)  # fmt: skip
_DENSE_SEPARATORS = re.compile(r"[\s·・.\-]+")
_ARABIC_ARTICLE = re.compile(r"(?<!\S)ال(?=\S{3})")
_LATIN_ARTICLE = re.compile(r"\b(?:al|el|ul|ad|ar|as|ash|at|ath|az|ud|ur|us)-")
# Arabic ta marbuta is read as the final h it is in Latin spellings (Fatima, Hamza); Serbian đ
# as the dj of Cyrillic ђ.
_PRE_ASCII = str.maketrans({"\u0629": "\u0647", "đ": "dj", "Đ": "Dj"})
_ABD = frozenset({"abd", "abdu", "abdul", "abdel", "abdal", "abdol", "abdur", "abdus"})
_PARTICLES = frozenset({"al", "el", "bin", "ibn", "bint", "binti", "bn", "bnt"})


def latin_tokens(name: str) -> tuple[str, ...]:
    """The tokens of `name` in ASCII Latin, lower case, punctuation removed, in written order.

    Order is kept for display (comparison ignores it). Honorifics, the Arabic article and the
    connectors bin/ibn are dropped; a Han or Hangul name without spaces is split into family
    name and given name. `"Иванов Сергей"` -> `("ivanov", "sergei")`; `"王小明"` ->
    `("wang", "xiaoming")`; `"Mr. O'Brien-Smith"` -> `("obrien", "smith")`.
    """
    return _latin(name)[0]


@lru_cache(maxsize=4096)
def _latin(name: str) -> tuple[tuple[str, ...], bool]:
    """The tokens of `name`, and whether it was written in an abjad (vowels not written)."""
    text = name.strip()
    if _is_prefix(text.split(maxsplit=1)[0] if text else ""):
        text = remove_person_prefixes(text)
    scripts = text_scripts(text)
    abjad = bool(scripts & _ABJADS)
    if scripts & _DENSE and scripts <= _DENSE:
        return _dense_tokens(text), False
    if abjad:
        text = _ARABIC_ARTICLE.sub("", text)
    text = " ".join(_ascii_word(word) for word in text.translate(_PRE_ASCII).lower().split())
    if abjad:
        text = text.replace("?", "a")  # ayin and hamza, which ICU cannot spell in ASCII
    text = _LATIN_ARTICLE.sub("", text).replace(".", " ")  # "S.P." is two initials
    tokens = tuple(
        token
        for token in tokenize_name(text)
        if token.isalnum() and token.isascii() and not token.isdigit() and token not in _PARTICLES
    )
    return _join_abd(tokens), abjad


def _join_abd(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Join "abd" ("servant of") to the name after it: Abd al-Rahman is Abdulrahman."""
    if not any(token in _ABD for token in tokens[:-1]):
        return tokens
    joined: list[str] = []
    for token in tokens:
        if joined and joined[-1] in _ABD:
            joined[-1] += token
        else:
            joined.append(token)
    return tuple(joined)


@lru_cache(maxsize=4096)
def _is_prefix(word: str) -> bool:
    """Whether rigour reads `word` as an honorific ("Mr", "Dr."): a cheap guard for its regex."""
    return remove_person_prefixes(f"{word} x") == "x"


@lru_cache(maxsize=32768)
def _ascii_word(word: str) -> str:
    """One word in ASCII. Cached per word: rigour caches whole strings, and a word it has not
    seen costs it tens of microseconds a letter, while names are made of recurring words."""
    return ascii_text(word)


def _dense_tokens(text: str) -> tuple[str, ...]:
    """Han or Hangul: each written segment is one token; one unbroken name is family + given."""
    segments = [segment for segment in _DENSE_SEPARATORS.split(text) if segment]
    if len(segments) == 1 and len(text) > 1:
        cut = 2 if text[:2] in _COMPOUND_SURNAMES else 1
        segments = [text[:cut], text[cut:]]
    tokens = ("".join(ch for ch in ascii_text(s).lower() if ch.isalnum()) for s in segments)
    return tuple(token for token in tokens if token)


# -- variant forms and skeletons -----------------------------------------------------------------

_VOWELS = frozenset("aeiouy")
_NO_VOWELS = str.maketrans("", "", "aeiouy")
_REWRITES = (
    ("shch", "s"),
    ("tsch", "c"),
    ("sch", "s"),
    ("tch", "c"),
    ("ch", "c"),
    ("sh", "s"),
    ("dzh", "j"),
    ("zh", "j"),
    ("dj", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("ck", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("w", "v"),
    ("ou", "u"),
    ("oo", "u"),
    ("ue", "u"),
    ("oe", "o"),
    ("ae", "a"),
    ("ee", "i"),
    ("y", "i"),
    ("gui", "gi"),
    ("ei", "i"),
)
_DOUBLES = re.compile(r"(.)\1+")
_ABD_ARTICLE = re.compile(r"^abd[aeiou][lr]")
_MEDIAL_J = re.compile(r"(?<=[aeiou])j(?=[aeiou])")
_DIGRAPH_HEADS = frozenset("kgsdtc")  # kh, gh, sh, dh, th, ch: that h is no vowel sign


@dataclass(frozen=True, slots=True)
class _Token:
    text: str  # as in latin_tokens
    variant: str  # transliteration variants folded together
    skeleton: str  # first letter (vowels as "a") and the later consonants
    initial: bool  # a single letter, standing for a longer token
    abjad: bool  # transliterated from a script that does not write vowels

    @property
    def head(self) -> str:
        return self.skeleton[:1]


@lru_cache(maxsize=16384)
def _token(text: str, abjad: bool) -> _Token:
    variant = _variant(text, abjad)
    return _Token(text, variant, _skeleton(variant), len(text) == 1, abjad)


def _variant(token: str, abjad: bool) -> str:
    if abjad:  # a medial w or y is a long vowel, a final h mostly unwritten in Latin
        token = token[:1] + token[1:].replace("w", "u").replace("y", "i")
        if len(token) > _SHORT and token[-1] == "h" and token[-2] not in _DIGRAPH_HEADS:
            token = token[:-1]
    elif len(token) > _SHORT and token[-1] == "h" and token[-2] in _VOWELS:
        token = token[:-1]  # Abdullah/Abdulla, Fatemeh/Fatima
    if token.startswith("abd"):
        token = _ABD_ARTICLE.sub("abd", token)  # Abdullah/Abdallah/Abd Allah, Abdel/Abd al-
    if token.endswith("ej"):
        token = token[:-1] + "i"  # Sergej, Andrej
    token = _MEDIAL_J.sub("i", token)  # Tatjana, Maja
    for old, new in _REWRITES:
        token = token.replace(old, new)
    if token.endswith("ij"):
        token = token[:-1]  # Dmitrij, Jurij
    if token.startswith("ie"):
        token = token[1:]  # Yelena/Elena, Yevgeny/Evgeny
    return _DOUBLES.sub(r"\1", token)


def _skeleton(variant: str) -> str:
    if not variant:
        return ""
    head = "a" if variant[0] in _VOWELS else variant[0]
    return _DOUBLES.sub(r"\1", head + variant[1:].translate(_NO_VOWELS))


# -- one name, prepared once ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Name:
    written: str
    tokens: tuple[_Token, ...]
    transliterated: bool
    has_initial: bool
    abjad: bool
    bag: tuple[str, ...]  # the variant forms, sorted: equal bags are equal names


@lru_cache(maxsize=16384)
def _prepare(written: str) -> _Name | None:
    texts, abjad = _latin(written)
    if not texts:
        return None
    tokens = tuple(_token(text, abjad) for text in texts)
    initial = any(token.initial for token in tokens)
    bag = tuple(sorted(token.variant for token in tokens))
    return _Name(written.strip(), tokens, not written.isascii(), initial, abjad, bag)


@lru_cache(maxsize=16384)
def _rotations(tokens: tuple[_Token, ...]) -> tuple[tuple[str, str], ...]:
    """(variant, skeleton) of the tokens written together, in each rotation of their order."""
    found = []
    for i in range(len(tokens)):
        variant = _DOUBLES.sub(r"\1", "".join(t.variant for t in tokens[i:] + tokens[:i]))
        found.append((variant, _skeleton(variant)))
    return tuple(found)


@lru_cache(maxsize=16384)
def _prepared(names: tuple[str, ...]) -> tuple[_Name, ...]:
    """The prepared names, one per distinct token sequence (aliases often coincide)."""
    seen: dict[tuple[str, ...], _Name] = {}
    for written in names:
        name = _prepare(written)
        if name is not None:
            seen.setdefault(name.bag, name)
    return tuple(seen.values())


# -- blocking keys -------------------------------------------------------------------------------


def blocking_keys(person: PersonName) -> frozenset[str]:
    """Short strings to index `person` by; a true match shares at least one with the query.

    See the module docstring for the design. Typically 2-4 keys, at most 6 per distinct name.
    """
    keys: set[str] = set()
    for name in _prepared(tuple(person.names)):
        keys.update(_name_keys(name.tokens))
    return frozenset(keys)


def _name_keys(tokens: tuple[_Token, ...]) -> set[str]:
    if len(tokens) > _KEY_TOKENS:
        tokens = (*tokens[: _KEY_TOKENS - 1], tokens[-1])
    if len(tokens) == 1:
        return set() if tokens[0].initial else {f"{tokens[0].skeleton[:_KEY_LENGTH]}|"}
    keys = {
        f"{token.skeleton[:_KEY_LENGTH]}|{other.head}"
        for i, token in enumerate(tokens)
        if not token.initial
        for j, other in enumerate(tokens)
        if i != j
    }
    whole = sorted(t.skeleton[:_KEY_LENGTH] for t in tokens if not t.initial)
    if len(whole) > 1:  # the whole name: ranks the same name first among many sharing a key
        keys.add("=" + ".".join(whole))
    return keys


# -- comparison ----------------------------------------------------------------------------------


def compare(
    query: PersonName, candidate: PersonName, thresholds: Thresholds = DEFAULT
) -> NameMatch:
    """How far `candidate` is the person described by `query`, with the reasons.

    The best pair among the names and aliases of each gives `name_score`; birth dates and
    nationalities then raise or lower it (see the module docstring). `thresholds` only words
    the verdict, which is the last reason.
    """
    best = _best_names(_prepared(tuple(query.names)), _prepared(tuple(candidate.names)))
    reasons: list[str] = []
    name_score = 0.0
    if best is None:
        reasons.append("no comparable name on one side")
    else:
        name_score = best.score
        reasons.extend(best.reasons())
    score = name_score
    evidence = (_birth_evidence(query, candidate), _nationality_evidence(query, candidate))
    for delta, reason in evidence:
        score += delta
        reasons.append(reason)
    score = round(min(1.0, max(0.0, score)), 4)
    reasons.append(_verdict(score, thresholds))
    return NameMatch(score=score, name_score=round(name_score, 4), reasons=tuple(reasons))


@dataclass(slots=True)
class _Alignment:
    query: _Name
    candidate: _Name
    score: float
    initials: tuple[tuple[str, str], ...]  # (initial, the token it stands for)
    extras: tuple[str, ...]  # tokens of the longer name left without a counterpart
    joined: bool  # decided by comparing the concatenated names

    def reasons(self) -> list[str]:
        foreign = self.query.transliterated or self.candidate.transliterated
        how = " after transliteration" if foreign else ""
        how += " written together" if self.joined else ""
        pair = f"'{self.query.written}' and '{self.candidate.written}'"
        found = [f"names {pair} agree {self.score:.2f}{how}"]
        found.extend(
            f"initial '{initial}' read as '{token}': a possible match at most"
            for initial, token in self.initials
        )
        found.extend(f"'{token}' has no counterpart in the other name" for token in self.extras)
        if self.joined or self.initials:
            return found
        if min(len(self.query.tokens), len(self.candidate.tokens)) == 1:
            found.append("a single-token name: a possible match at most")
        return found


def _best_names(queries: tuple[_Name, ...], candidates: tuple[_Name, ...]) -> _Alignment | None:
    best: _Alignment | None = None
    for query in queries:
        for candidate in candidates:
            found = _align(query, candidate)
            if best is None or found.score > best.score:
                best = found
    return best


def _align(query: _Name, candidate: _Name) -> _Alignment:
    """Order-free token alignment, then the concatenated forms for split or joined tokens."""
    if query.bag == candidate.bag and not query.has_initial and len(query.tokens) > 1:
        return _Alignment(query, candidate, 1.0, (), (), joined=False)
    pairs = [
        (_token_similarity(q, c), i, j)
        for i, q in enumerate(query.tokens)
        for j, c in enumerate(candidate.tokens)
    ]
    pairs.sort(reverse=True)
    used_q: set[int] = set()
    used_c: set[int] = set()
    total = 0.0
    initials: list[tuple[str, str]] = []
    for similarity, i, j in pairs:
        if similarity < _MIN_PAIR or i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        q, c = query.tokens[i], candidate.tokens[j]
        if q.initial or c.initial:
            initials.append((q.text, c.text) if q.initial else (c.text, q.text))
        total += similarity
    shorter = min(len(query.tokens), len(candidate.tokens))
    longer = query if len(query.tokens) > len(candidate.tokens) else candidate
    used = used_q if longer is query else used_c
    extras = tuple(t for k, t in enumerate(longer.tokens) if k not in used)
    extras = extras if shorter < len(longer.tokens) else ()
    score = total / shorter - sum(_EXTRA_INITIAL if t.initial else _EXTRA_TOKEN for t in extras)
    if initials:
        score = min(score, _INITIALS_CAP)
    elif shorter == 1:
        score = min(score, _MONONYM_CAP)
    joined = 0.0 if initials or score >= 1 else _joined_similarity(query, candidate)
    if joined >= _JOINED_MIN and joined > score:
        return _Alignment(query, candidate, joined, (), (), joined=True)
    return _Alignment(
        query,
        candidate,
        max(0.0, score),
        tuple(initials),
        tuple(t.text for t in extras),
        joined=False,
    )


def _token_similarity(q: _Token, c: _Token) -> float:
    if q.initial or c.initial:
        return 1.0 if q.head == c.head else 0.0  # capped later: an initial is never sure
    if q.variant == c.variant:
        return 1.0
    by_variant = Indel.normalized_similarity(q.variant, c.variant)
    if q.skeleton == c.skeleton and len(q.skeleton) >= _MIN_SKELETON:
        same = (1 + by_variant) / 2
        return max(same, _ABJAD_SKELETON) if q.abjad or c.abjad else same  # vowels vary
    return max(0.0, 2 * by_variant - 1)  # one letter in four differing is another name


def _joined_similarity(query: _Name, candidate: _Name) -> float:
    """The names written together, in every rotation of the candidate's tokens.

    Only for names split into a different number of tokens ("Xiao Ming" and "Xiaoming"); a
    result under `_JOINED_MIN` is 0, so that rapidfuzz can stop early.
    """
    if query.has_initial or candidate.has_initial or len(query.tokens) == len(candidate.tokens):
        return 0.0
    q_variant, q_skeleton = _rotations(query.tokens)[0]
    best = 0.0
    for c_variant, c_skeleton in _rotations(candidate.tokens):
        best = max(
            best, Indel.normalized_similarity(q_variant, c_variant, score_cutoff=_JOINED_MIN)
        )
        if query.abjad or candidate.abjad:
            by_skeleton = Indel.normalized_similarity(
                q_skeleton, c_skeleton, score_cutoff=_JOINED_MIN
            )
            best = max(best, _ABJAD_SKELETON * by_skeleton)
    return best


# -- supporting evidence -------------------------------------------------------------------------


def _date(year: int, month: int | None = None, day: int | None = None) -> str:
    text = f"{year:04d}"
    if month is not None:
        text += f"-{month:02d}"
        if day is not None:
            text += f"-{day:02d}"
    return text


def _signed(delta: float) -> str:
    return f"({delta:+.2f})"


def _birth_evidence(q: PersonName, c: PersonName) -> tuple[float, str]:
    if q.birth_year is None or c.birth_year is None:
        side = "both sides" if q.birth_year is None and c.birth_year is None else "one side"
        return 0.0, f"birth date unknown on {side} (neutral)"
    if q.birth_year != c.birth_year:
        near = abs(q.birth_year - c.birth_year) == 1
        delta = _YEAR_NEAR if near else _OTHER_YEAR
        what = "differ by one" if near else "differ"
        return delta, f"birth years {what}: {q.birth_year} vs {c.birth_year} {_signed(delta)}"
    if q.birth_month is None or c.birth_month is None:
        return _YEAR, f"born {q.birth_year} on both {_signed(_YEAR)}"
    return _same_year_evidence(
        q.birth_year, (q.birth_month, q.birth_day), (c.birth_month, c.birth_day)
    )


def _same_year_evidence(
    year: int, q: tuple[int, int | None], c: tuple[int, int | None]
) -> tuple[float, str]:
    """Both born in `year`, in months known on both sides; `q` and `c` are (month, day)."""
    q_date, c_date = _date(year, *q), _date(year, *c)
    if q[0] != c[0]:
        if q == (c[1], c[0]):
            swapped = f"born {q_date} vs {c_date}: day and month may be swapped"
            return _DAY_MONTH_SWAP, f"{swapped} {_signed(_DAY_MONTH_SWAP)}"
        return _OTHER_MONTH, f"birth dates differ: {q_date} vs {c_date} {_signed(_OTHER_MONTH)}"
    if q[1] is None or c[1] is None:
        month = _date(year, q[0])
        return _YEAR_MONTH, f"born {month} on both {_signed(_YEAR_MONTH)}"
    if q[1] != c[1]:
        return _OTHER_DAY, f"birth dates differ: {q_date} vs {c_date} {_signed(_OTHER_DAY)}"
    return _FULL_DATE, f"born {q_date} on both {_signed(_FULL_DATE)}"


def _nationality_evidence(q: PersonName, c: PersonName) -> tuple[float, str]:
    mine = {code.upper() for code in q.nationalities}
    theirs = {code.upper() for code in c.nationalities}
    if not mine or not theirs:
        side = "both sides" if not mine and not theirs else "one side"
        return 0.0, f"nationality unknown on {side} (neutral)"
    if common := sorted(mine & theirs):
        label = "nationality" if len(common) == 1 else "nationalities"
        both = f"{label} {', '.join(common)} on both"
        return _SAME_NATIONALITY, f"{both} {_signed(_SAME_NATIONALITY)}"
    listed = f"{', '.join(sorted(mine))} vs {', '.join(sorted(theirs))}"
    return _OTHER_NATIONALITY, f"nationalities differ: {listed} {_signed(_OTHER_NATIONALITY)}"


def _verdict(score: float, thresholds: Thresholds) -> str:
    verdict = thresholds.classify(score)
    if verdict == "match":
        return f"match: {score:.2f} >= {thresholds.match:.2f}"
    if verdict == "possible":
        return f"possible match: {thresholds.possible:.2f} <= {score:.2f} < {thresholds.match:.2f}"
    return f"no match: {score:.2f} < {thresholds.possible:.2f}"
