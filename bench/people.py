# Names in Cyrillic and Greek are the point of this file:
# ruff: noqa: RUF001
"""A generated population of persons for bench/intel.py: names in five scripts, and labelled
queries (the same person written another way; another person with the same family name).

Nothing is downloaded: the vocabulary below is written out by hand, each name with its form in
its own script and the Latin spellings in use (Сергей: Sergey, Sergei, Serguei). Family names
are built from roots and suffixes (Иван+ов, Παπαδ+όπουλος) so that each culture has a few hundred
of them. Given and family names are drawn with a skew (weight 1/sqrt(rank)): common names are
common, as in a real population, and make blocking work for its keep.

Person `i` is a pure function of (seed, i), so that the process that queries can rebuild any
stored person, and the true answer, without reading it back.
"""

import random
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from casebridge.intel.names import PersonName

Spelled = tuple[str, tuple[str, ...]]  # (native form, Latin spellings, most usual first)

RU_GIVEN_M: list[Spelled] = [
    ("Сергей", ("Sergey", "Sergei", "Serguei")),
    ("Александр", ("Aleksandr", "Alexander", "Alexandr")),
    ("Дмитрий", ("Dmitry", "Dmitriy", "Dmitrii")),
    ("Андрей", ("Andrey", "Andrei")),
    ("Алексей", ("Aleksey", "Alexei", "Alexey")),
    ("Михаил", ("Mikhail", "Michail")),
    ("Иван", ("Ivan",)),
    ("Николай", ("Nikolay", "Nikolai")),
    ("Евгений", ("Evgeny", "Yevgeniy", "Evgenii")),
    ("Владимир", ("Vladimir",)),
    ("Юрий", ("Yuri", "Yuriy", "Iurii")),
    ("Павел", ("Pavel",)),
    ("Олег", ("Oleg",)),
    ("Максим", ("Maksim", "Maxim")),
    ("Артём", ("Artem", "Artyom")),
    ("Игорь", ("Igor",)),
    ("Виктор", ("Viktor", "Victor")),
    ("Роман", ("Roman",)),
    ("Антон", ("Anton",)),
    ("Денис", ("Denis",)),
    ("Григорий", ("Grigory", "Grigoriy")),
    ("Борис", ("Boris",)),
    ("Вадим", ("Vadim",)),
    ("Тимур", ("Timur",)),
]
RU_GIVEN_F: list[Spelled] = [
    ("Елена", ("Elena", "Yelena")),
    ("Ольга", ("Olga",)),
    ("Наталья", ("Natalya", "Natalia", "Natalja")),
    ("Татьяна", ("Tatyana", "Tatiana", "Tatjana")),
    ("Ирина", ("Irina",)),
    ("Анна", ("Anna",)),
    ("Мария", ("Maria", "Mariya")),
    ("Светлана", ("Svetlana",)),
    ("Екатерина", ("Ekaterina", "Yekaterina")),
    ("Юлия", ("Yulia", "Yuliya", "Iuliia")),
    ("Ксения", ("Ksenia", "Kseniya")),
    ("Дарья", ("Darya", "Daria")),
    ("Галина", ("Galina",)),
    ("Людмила", ("Lyudmila", "Ludmila")),
]
RU_ROOTS: list[tuple[str, str]] = [
    ("Иван", "Ivan"), ("Петр", "Petr"), ("Смирн", "Smirn"), ("Кузнецов", "Kuznetsov"),
    ("Поп", "Pop"), ("Васил", "Vasil"), ("Сокол", "Sokol"), ("Михайл", "Mikhayl"),
    ("Новик", "Novik"), ("Федор", "Fedor"), ("Мороз", "Moroz"), ("Волк", "Volk"),
    ("Алекс", "Aleks"), ("Лебед", "Lebed"), ("Семен", "Semen"), ("Егор", "Egor"),
    ("Павл", "Pavl"), ("Козл", "Kozl"), ("Степан", "Stepan"), ("Никол", "Nikol"),
    ("Орл", "Orl"), ("Андре", "Andre"), ("Макар", "Makar"), ("Захар", "Zakhar"),
    ("Зайц", "Zayts"), ("Борис", "Boris"), ("Яковл", "Yakovl"), ("Григор", "Grigor"),
    ("Роман", "Roman"), ("Воробь", "Vorob"), ("Серге", "Serge"), ("Кузьмин", "Kuzmin"),
    ("Фрол", "Frol"), ("Тарас", "Taras"), ("Белов", "Belov"), ("Комар", "Komar"),
    ("Жук", "Zhuk"), ("Щерб", "Shcherb"), ("Чернов", "Chernov"), ("Громов", "Gromov"),
]  # fmt: skip
RU_SUFFIXES: list[tuple[str, str, str, str]] = [  # masculine native, Latin; feminine native, Latin
    ("ов", "ov", "ова", "ova"),
    ("ин", "in", "ина", "ina"),
    ("енко", "enko", "енко", "enko"),
    ("ский", "sky", "ская", "skaya"),
]

EL_GIVEN_M: list[Spelled] = [
    ("Γιώργος", ("Giorgos", "Yiorgos", "Yorgos")),
    ("Νίκος", ("Nikos",)),
    ("Δημήτρης", ("Dimitris", "Dimitrys")),
    ("Κώστας", ("Kostas", "Costas")),
    ("Γιάννης", ("Giannis", "Yannis", "Yiannis")),
    ("Παναγιώτης", ("Panagiotis", "Panayiotis")),
    ("Βασίλης", ("Vasilis", "Vassilis")),
    ("Θανάσης", ("Thanasis", "Thanassis")),
    ("Χρήστος", ("Christos", "Hristos")),
    ("Ευάγγελος", ("Evangelos", "Evaggelos")),
    ("Σπύρος", ("Spyros", "Spiros")),
    ("Μιχάλης", ("Michalis", "Mihalis")),
    ("Στέλιος", ("Stelios",)),
    ("Θεόδωρος", ("Theodoros", "Theodoross")),
    ("Αντώνης", ("Antonis",)),
    ("Μανώλης", ("Manolis",)),
]
EL_GIVEN_F: list[Spelled] = [
    ("Ελένη", ("Eleni", "Eleny")),
    ("Μαρία", ("Maria",)),
    ("Αικατερίνη", ("Aikaterini", "Ekaterini")),
    ("Σοφία", ("Sofia", "Sophia")),
    ("Αναστασία", ("Anastasia",)),
    ("Ιωάννα", ("Ioanna",)),
    ("Δέσποινα", ("Despoina", "Despina")),
    ("Βασιλική", ("Vasiliki", "Vassiliki")),
    ("Γεωργία", ("Georgia",)),
    ("Ευαγγελία", ("Evangelia",)),
]
EL_ROOTS: list[tuple[str, str]] = [
    ("Γεωργ", "Georg"), ("Νικολ", "Nikol"), ("Δημητρ", "Dimitr"), ("Κωνσταντ", "Konstant"),
    ("Αντων", "Anton"), ("Ιωανν", "Ioann"), ("Μιχαλ", "Michal"), ("Παπαδ", "Papad"),
    ("Θεοδωρ", "Theodor"), ("Σταυρ", "Stavr"), ("Χριστ", "Christ"), ("Βασιλ", "Vasil"),
    ("Πετρ", "Petr"), ("Σπυρ", "Spyr"), ("Μανωλ", "Manol"), ("Λαμπρ", "Lampr"),
    ("Καραμαν", "Karaman"), ("Παναγιωτ", "Panagiot"), ("Ευαγγελ", "Evangel"),
    ("Αθανασ", "Athanas"), ("Κυριακ", "Kyriak"), ("Μαυρ", "Mavr"), ("Τσακαλ", "Tsakal"),
    ("Αλεξανδρ", "Alexandr"), ("Φωτ", "Fot"), ("Ζαχαρ", "Zachar"),
]  # fmt: skip
EL_SUFFIXES: list[tuple[str, str]] = [
    ("όπουλος", "opoulos"),
    ("ίδης", "idis"),
    ("άκης", "akis"),
    ("ίου", "iou"),
    ("άτος", "atos"),
    ("έας", "eas"),
]

AR_GIVEN_M: list[Spelled] = [
    ("محمد", ("Mohammed", "Muhammad", "Mohamed", "Mohammad")),
    ("أحمد", ("Ahmed", "Ahmad")),
    ("علي", ("Ali",)),
    ("حسن", ("Hassan", "Hasan")),
    ("حسين", ("Hussein", "Husain", "Hossein")),
    ("خالد", ("Khaled", "Khalid")),
    ("عمر", ("Omar", "Umar")),
    ("يوسف", ("Youssef", "Yusuf", "Yousef")),
    ("إبراهيم", ("Ibrahim", "Ebrahim")),
    ("مصطفى", ("Mustafa", "Moustafa", "Mostafa")),
    ("عبدالله", ("Abdullah", "Abdallah", "Abdulla")),
    ("عبد الرحمن", ("Abdulrahman", "Abdel Rahman", "Abd al-Rahman")),
    ("سعيد", ("Said", "Saeed")),
    ("كريم", ("Karim", "Kareem")),
    ("طارق", ("Tariq", "Tarek")),
    ("ياسين", ("Yassin", "Yasin")),
    ("سامي", ("Sami", "Samy")),
    ("رشيد", ("Rashid", "Rachid")),
    ("جمال", ("Jamal", "Gamal")),
    ("وليد", ("Walid", "Waleed")),
    ("نبيل", ("Nabil", "Nabeel")),
    ("ماجد", ("Majid", "Majed")),
]
AR_GIVEN_F: list[Spelled] = [
    ("فاطمة", ("Fatima", "Fatma", "Fatimah")),
    ("عائشة", ("Aisha", "Aicha")),
    ("مريم", ("Maryam", "Mariam")),
    ("ليلى", ("Layla", "Leila")),
    ("زينب", ("Zainab", "Zeinab")),
    ("نور", ("Nour", "Noor")),
    ("سلمى", ("Salma",)),
    ("هدى", ("Huda", "Hoda")),
    ("أمينة", ("Amina", "Aminah")),
    ("خديجة", ("Khadija", "Khadijah")),
]
AR_FAMILY: list[Spelled] = [
    ("منصور", ("Mansour", "Mansur")),
    ("حداد", ("Haddad",)),
    ("خوري", ("Khoury", "Khouri")),
    ("صالح", ("Saleh", "Salih")),
    ("عباس", ("Abbas",)),
    ("ناصر", ("Nasser", "Nasir")),
    ("قاسم", ("Qasim", "Kassem", "Qassem")),
    ("سليمان", ("Suleiman", "Sulaiman", "Soliman")),
    ("العلي", ("Al-Ali", "Alali")),
    ("الشامي", ("Al-Shami", "Alshami")),
    ("التميمي", ("Al-Tamimi", "Altamimi")),
    ("الزهراني", ("Al-Zahrani", "Alzahrani")),
    ("الحربي", ("Al-Harbi", "Alharbi")),
    ("عثمان", ("Othman", "Osman", "Uthman")),
    ("الخطيب", ("Al-Khatib", "Alkhatib")),
    ("المصري", ("Al-Masri", "Elmasry")),
    ("النجار", ("Al-Najjar", "Najjar")),
    ("الأحمد", ("Al-Ahmad", "Alahmad")),
    ("يوسف", ("Youssef", "Yusuf")),
    ("جابر", ("Jaber", "Jabir")),
    ("رحمن", ("Rahman",)),
    ("حمدان", ("Hamdan",)),
    ("درويش", ("Darwish", "Darwich")),
    ("سالم", ("Salem", "Salim")),
    ("بكري", ("Bakri", "Bakry")),
    ("زيدان", ("Zidane", "Zaidan")),
    ("فارس", ("Fares", "Faris")),
    ("عيسى", ("Issa", "Eissa")),
    ("مراد", ("Mourad", "Murad")),
    ("شريف", ("Sharif", "Cherif")),
]

ZH_FAMILY: list[Spelled] = [
    ("王", ("Wang",)), ("李", ("Li",)), ("张", ("Zhang",)), ("刘", ("Liu",)), ("陈", ("Chen",)),
    ("杨", ("Yang",)), ("黄", ("Huang",)), ("赵", ("Zhao",)), ("吴", ("Wu",)), ("周", ("Zhou",)),
    ("徐", ("Xu",)), ("孙", ("Sun",)), ("马", ("Ma",)), ("朱", ("Zhu",)), ("胡", ("Hu",)),
    ("郭", ("Guo",)), ("何", ("He",)), ("林", ("Lin",)), ("高", ("Gao",)), ("罗", ("Luo",)),
    ("郑", ("Zheng",)), ("梁", ("Liang",)), ("谢", ("Xie",)), ("宋", ("Song",)), ("唐", ("Tang",)),
    ("韩", ("Han",)), ("冯", ("Feng",)), ("邓", ("Deng",)), ("曹", ("Cao",)), ("彭", ("Peng",)),
    ("曾", ("Zeng",)), ("田", ("Tian",)), ("董", ("Dong",)), ("袁", ("Yuan",)), ("潘", ("Pan",)),
    ("蒋", ("Jiang",)), ("蔡", ("Cai",)), ("杜", ("Du",)), ("叶", ("Ye",)), ("程", ("Cheng",)),
    ("苏", ("Su",)), ("魏", ("Wei",)), ("丁", ("Ding",)), ("任", ("Ren",)), ("沈", ("Shen",)),
    ("欧阳", ("Ouyang",)), ("司马", ("Sima",)),
]  # fmt: skip
ZH_GIVEN_CHARS: list[tuple[str, str]] = [
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
    ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"),
    ("杰", "jie"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀", "xiu"), ("霞", "xia"),
    ("平", "ping"), ("刚", "gang"), ("英", "ying"), ("华", "hua"), ("文", "wen"), ("辉", "hui"),
    ("建", "jian"), ("国", "guo"), ("志", "zhi"), ("海", "hai"), ("小", "xiao"), ("红", "hong"),
    ("玉", "yu"), ("春", "chun"), ("浩", "hao"), ("鹏", "peng"), ("飞", "fei"), ("宁", "ning"),
]  # fmt: skip

EU_GIVEN_M: list[Spelled] = [
    ("José", ("Jose",)), ("François", ("Francois",)), ("Jürgen", ("Jurgen", "Juergen")),
    ("Łukasz", ("Lukasz",)), ("Wojciech", ("Wojciech",)), ("Jiří", ("Jiri",)),
    ("Tomáš", ("Tomas",)), ("Søren", ("Soren", "Soeren")), ("Björn", ("Bjorn", "Bjoern")),
    ("Ştefan", ("Stefan",)), ("Jérôme", ("Jerome",)), ("Andrés", ("Andres",)),
    ("João", ("Joao",)), ("Miklós", ("Miklos",)), ("Zoltán", ("Zoltan",)),
    ("Grzegorz", ("Grzegorz",)), ("Luís", ("Luis",)), ("Émile", ("Emile",)),
    ("Mário", ("Mario",)), ("Dušan", ("Dusan",)),
]  # fmt: skip
EU_GIVEN_F: list[Spelled] = [
    ("María", ("Maria",)), ("Hélène", ("Helene",)), ("Małgorzata", ("Malgorzata",)),
    ("Zoë", ("Zoe",)), ("Åsa", ("Asa", "Aasa")), ("Inês", ("Ines",)), ("Lucía", ("Lucia",)),
    ("Agnès", ("Agnes",)), ("Ágnes", ("Agnes",)), ("Anaïs", ("Anais",)),
    ("Bärbel", ("Barbel", "Baerbel")), ("Kateřina", ("Katerina",)),
]  # fmt: skip
EU_FAMILY: list[Spelled] = [
    ("García", ("Garcia",)), ("Martínez", ("Martinez",)), ("Rodríguez", ("Rodriguez",)),
    ("Fernández", ("Fernandez",)), ("López", ("Lopez",)), ("González", ("Gonzalez",)),
    ("Sánchez", ("Sanchez",)), ("Pérez", ("Perez",)), ("Gómez", ("Gomez",)),
    ("Muñoz", ("Munoz",)), ("Lefèvre", ("Lefevre",)), ("Moreau", ("Moreau",)),
    ("Girard", ("Girard",)), ("Bonnet", ("Bonnet",)), ("Müller", ("Muller", "Mueller")),
    ("Schröder", ("Schroder", "Schroeder")), ("Köhler", ("Kohler", "Koehler")),
    ("Wójcik", ("Wojcik",)), ("Kowalczyk", ("Kowalczyk",)), ("Wiśniewski", ("Wisniewski",)),
    ("Dvořák", ("Dvorak",)), ("Novák", ("Novak",)), ("Černý", ("Cerny",)),
    ("Nørgaard", ("Norgaard", "Noergaard")), ("Sørensen", ("Sorensen", "Soerensen")),
    ("Popescu", ("Popescu",)), ("Ştefănescu", ("Stefanescu",)), ("Nagy", ("Nagy",)),
    ("Horváth", ("Horvath",)), ("Kovács", ("Kovacs",)), ("Gonçalves", ("Goncalves",)),
    ("Luís", ("Luis",)), ("Ferreira", ("Ferreira",)), ("Brückner", ("Bruckner", "Brueckner")),
    ("Böhm", ("Bohm", "Boehm")), ("Jovanović", ("Jovanovic",)), ("Petrović", ("Petrovic",)),
    ("Kuča", ("Kuca",)), ("Østergaard", ("Ostergaard", "Oestergaard")), ("Roussel", ("Roussel",)),
    ("Chevalier", ("Chevalier",)), ("Dubois", ("Dubois",)), ("Lindqvist", ("Lindqvist",)),
    ("Åberg", ("Aberg", "Aaberg")), ("Zieliński", ("Zielinski",)), ("Szymańska", ("Szymanska",)),
]  # fmt: skip

CULTURES = ("ru", "el", "ar", "zh", "eu")
NATIONALITY = {"ru": "RU", "el": "GR", "ar": "EG", "zh": "CN", "eu": "ES"}
TRANSFORMS = ("script", "spelling", "order", "initial")


@dataclass(frozen=True, slots=True)
class Identity:
    """A person's name parts: each a native form and its Latin spellings."""

    culture: str
    female: bool
    given: Spelled
    family: Spelled


@dataclass(frozen=True, slots=True)
class Person:
    index: int
    identity: Identity
    name: PersonName  # as stored

    @property
    def id(self) -> uuid.UUID:
        return person_id(self.index)


def person_id(index: int) -> uuid.UUID:
    return uuid.UUID(int=(0xB0 << 120) | index)


def _skewed(items: Sequence[Spelled]) -> tuple[Sequence[Spelled], list[float]]:
    return items, list(accumulate(1 / (rank**0.5) for rank in range(1, len(items) + 1)))


def _zh_given() -> list[Spelled]:
    singles: list[Spelled] = [(native, (latin.capitalize(),)) for native, latin in ZH_GIVEN_CHARS]
    pairs: list[Spelled] = [
        (a + b, ((la + lb).capitalize(),))
        for a, la in ZH_GIVEN_CHARS
        for b, lb in ZH_GIVEN_CHARS
        if a != b
    ]
    return singles + pairs


def _families() -> dict[str, tuple[list[Spelled], list[Spelled]]]:
    """Per culture, (masculine family names, feminine family names), aligned by index."""
    ru_m: list[Spelled] = [
        (n + s, (lat + ls,)) for n, lat in RU_ROOTS for s, ls, _, _ in RU_SUFFIXES
    ]
    ru_f: list[Spelled] = [
        (n + s, (lat + ls,)) for n, lat in RU_ROOTS for _, _, s, ls in RU_SUFFIXES
    ]
    el: list[Spelled] = [(n + s, (lat + ls,)) for n, lat in EL_ROOTS for s, ls in EL_SUFFIXES]
    return {"ru": (ru_m, ru_f), "el": (el, el), "ar": (AR_FAMILY, AR_FAMILY),
            "zh": (ZH_FAMILY, ZH_FAMILY), "eu": (EU_FAMILY, EU_FAMILY)}  # fmt: skip


_GIVEN = {
    "ru": (RU_GIVEN_M, RU_GIVEN_F),
    "el": (EL_GIVEN_M, EL_GIVEN_F),
    "ar": (AR_GIVEN_M, AR_GIVEN_F),
    "zh": (_zh_given(), _zh_given()),
    "eu": (EU_GIVEN_M, EU_GIVEN_F),
}
_FAMILY = _families()
_CUM = {
    (culture, female, part): _skewed(
        (_GIVEN if part == "given" else _FAMILY)[culture][int(female)]
    )[1]
    for culture in CULTURES
    for female in (False, True)
    for part in ("given", "family")
}


def vocabulary() -> dict[str, tuple[int, int]]:
    """Per culture: (given names, family names), both sexes together."""
    return {
        c: (len(_GIVEN[c][0]) + len(_GIVEN[c][1]), len({n for n, _ in _FAMILY[c][0]}))
        for c in CULTURES
    }


def _pick(rng: random.Random, culture: str, female: bool, part: str) -> int:
    items = (_GIVEN if part == "given" else _FAMILY)[culture][int(female)]
    return rng.choices(range(len(items)), cum_weights=_CUM[culture, female, part])[0]


def native(identity: Identity) -> str:
    given, family = identity.given[0], identity.family[0]
    if identity.culture == "zh":
        return family + given  # written together, family name first
    return f"{given} {family}"


def latin(identity: Identity, variant: int = 0) -> str:
    given = identity.given[1][variant % len(identity.given[1])]
    family = identity.family[1][variant % len(identity.family[1])]
    return f"{given} {family}"


def person(seed: int, index: int) -> Person:
    rng = random.Random(seed * 1_000_003 + index)
    culture = CULTURES[index % len(CULTURES)]
    female = rng.random() < 0.4
    given = _GIVEN[culture][int(female)][_pick(rng, culture, female, "given")]
    family = _FAMILY[culture][int(female)][_pick(rng, culture, female, "family")]
    identity = Identity(culture, female, given, family)
    names = [native(identity)]
    if culture != "eu" and rng.random() < 0.5:
        names.append(latin(identity))  # the Latin spelling in the file, beside the original
    return Person(index, identity, _with_evidence(rng, tuple(names), culture))


def _with_evidence(rng: random.Random, names: tuple[str, ...], culture: str) -> PersonName:
    dated = rng.random() < 0.8
    return PersonName(
        names=names,
        birth_year=rng.randint(1950, 2005) if dated else None,
        birth_month=rng.randint(1, 12) if dated else None,
        birth_day=rng.randint(1, 28) if dated else None,
        nationalities=frozenset({NATIONALITY[culture]}) if rng.random() < 0.7 else frozenset(),
    )


def _fold(text: str) -> str:
    """ASCII as a clerk would type it without the accents."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def true_query(seed: int, stored: Person, transform: str) -> PersonName:
    """The same person written another way: in another script, another spelling, family name
    first, or with an initial; birth date kept (or unknown), nationality sometimes."""
    rng = random.Random(seed * 7_919 + stored.index)
    identity = stored.identity
    name = {
        "script": _other_script(identity, stored.name.names),
        "spelling": latin(identity, rng.randrange(1, 4)),
        "order": _family_first(identity, rng),
        "initial": f"{latin(identity)[0]}. {identity.family[1][0]}",
    }[transform]
    dated = rng.random() < 0.7
    s = stored.name
    return PersonName(
        names=(name,),
        birth_year=s.birth_year if dated else None,
        birth_month=s.birth_month if dated else None,
        birth_day=s.birth_day if dated else None,
        nationalities=s.nationalities if rng.random() < 0.5 else frozenset(),
    )


def _other_script(identity: Identity, stored: tuple[str, ...]) -> str:
    if identity.culture == "eu":
        return _fold(native(identity))
    spelled = latin(identity)
    return native(identity) if spelled in stored else spelled


def _family_first(identity: Identity, rng: random.Random) -> str:
    if identity.culture == "zh" and rng.random() < 0.5:
        return f"{identity.family[1][0]} {identity.given[1][0]}"
    family = identity.family[1][0].upper() if rng.random() < 0.5 else identity.family[1][0]
    return f"{family} {identity.given[1][0]}"


def false_query(seed: int, stored: Person) -> PersonName:
    """Another person with the same family name: another given name, own birth date."""
    rng = random.Random(seed * 104_729 + stored.index)
    identity = stored.identity
    choices = _GIVEN[identity.culture][int(identity.female)]
    given = identity.given
    while given[0] == identity.given[0] or set(given[1]) & set(identity.given[1]):
        given = rng.choice(choices)
    other = Identity(identity.culture, identity.female, given, identity.family)
    spelled = native(other) if rng.random() < 0.5 else latin(other)
    return _with_evidence(rng, (spelled,), identity.culture)


def namesakes(seed: int, n: int) -> None:
    """How often the generated population repeats a person's name as written (its first
    name): why a name-only query must return every namesake, not a page of them."""
    counts: dict[str, int] = {}
    for index in range(n):
        name = person(seed, index).name.names[0]
        counts[name] = counts.get(name, 0) + 1
    sizes = sorted(counts.values())
    crowded = sum(c for c in sizes if c > 50) / n
    print(
        f"{n:,} persons, {len(sizes):,} distinct names; namesakes per name: median "
        f"{sizes[len(sizes) // 2]}, p90 {sizes[int(len(sizes) * 0.9)]}, max {sizes[-1]}; "
        f"{crowded:.0%} of persons share their name with more than 50 others"
    )


if __name__ == "__main__":
    namesakes(20261128, 1_000_000)  # the seed and size of bench/intel.py's person benchmark
