#!/usr/bin/env python3
"""gen2.py: held-out record shapes for `iom conflate`, written independently of the project's
generator (tests/support/synth) and of bench/foreign_shapes/gen.py.  Standard library only,
fixed seeds.

usage: gen2.py SHAPE OUTDIR [N_PEOPLE] [SEED]

Writes OUTDIR/{a,b[,c]}.csv, OUTDIR/truth.csv (record_id,person_id) and, for shapes with hard
negatives, OUTDIR/hard.csv (record_id_a,record_id_b,kind): record pairs of two different people
that a linker must keep apart (twins, father/son, spouse).  OUTDIR/meta.txt says what is in the
files (the column names and what a user would map).

Shapes
  celtic      Welsh / Irish / Scottish names: Mc/Mac, O', ap, hyphens, accents (UTF-8), curly
              apostrophes, one old system stripping accents or writing mojibake; Welsh surnames
              very concentrated (Jones ~14%).
  surfirst    source B gives one column NAME, all upper case, surname first: "SMITH JOHN PAUL".
  alias       10% of people have a record under an alias surname (maiden/married), same DOB and
              address; half of those women have a husband in the data at the same address.
  partialdob  source B gives the date of birth as the year only ("1985"); source B also has an
              `age` column (unmapped).
  homesplit   source A postcode only (no address/town); source B address in 3 lines
              (address_line_1..3, a flat or house name pushes the street to line 2); source C
              one address string "23 Stanley Road, Headingley, Leeds".
  twins       15% of people have a twin: same surname, DOB, address, postcode, other first name.
  fatherson   12% of people have a child of the same full name at the same address, born 25-35
              years later (father/son, mother/daughter).
  ocr         source B keyed from scanned forms: OCR confusions (rn/m, l/1, O/0, I/l, S/5, B/8,
              cl/d, e/c, h/b) in 45% of surnames, 15% of first names, 6% of dates.
  phones      phone as the main identifier: 30% no first name, 20% no surname, 60% no DOB, 60% no
              address; 20% of people share a landline with a housemate.
  tiny        a file of 5,000 people (3% duplicates) against a file of 60 records (50 of people
              in the big file, 10 not), in other formats.
"""
import csv, datetime, os, random, sys, unicodedata

# ----------------------------------------------------------------------------- name pools
ENG_M = ("James John David Michael Paul Mark Andrew Richard Peter Robert Christopher Stephen Daniel "
         "Thomas Matthew Steven Gary Anthony Lee Craig Ian Simon Kevin Jason Darren Wayne Dean Carl "
         "Martin Neil Jamie Ryan Liam Adam Scott Ben Joshua Jack Callum Kieran Luke Nathan Jordan "
         "Connor Jake Brandon Tyler Harry Alfie Charlie George Oliver Kyle Reece Shane Brian Keith Alan").split()
ENG_F = ("Sarah Emma Claire Nicola Lisa Michelle Rachel Laura Louise Kelly Joanne Amanda Helen Victoria "
         "Rebecca Gemma Stacey Leanne Kirsty Jade Hayley Natalie Samantha Donna Karen Tracey Dawn Julie "
         "Amy Chloe Jessica Lauren Megan Hannah Sophie Charlotte Holly Shannon Jodie Danielle Kayleigh "
         "Courtney Bethany Ellie Paige Zoe Susan Margaret Linda Jennifer Elaine Angela Deborah Sharon").split()
ENG_S = ("Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson "
         "Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Jackson Wood Turner Martin "
         "Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips "
         "Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey "
         "Collins Bell Shaw Murphy Miller Cox Richards Marshall Anderson Simpson Ellis Adams Wilkinson "
         "Foster Chapman Powell Webb Rogers Gray Mason Hunt Holmes Mills Barnes Knight Lloyd Butler "
         "Russell Barker Fisher Stevens Jenkins Dixon Fletcher Pearson Walsh Hudson Kaur Patel Khan "
         "Ahmed Hussain Ali Singh Begum Shah Nowak Kowalski").split()

# Celtic pools: each entry a list: [canonical, anglicised-or-alternate spellings...]
WEL_M = [["Dafydd", "David"], ["Gareth"], ["Rhys", "Rees"], ["Dylan"], ["Iwan"], ["Gethin"], ["Huw", "Hugh"],
         ["Owain", "Owen"], ["Llŷr", "Llyr"], ["Aled"], ["Ieuan", "Evan"], ["Gruffydd", "Griffith"], ["Geraint"],
         ["Rhodri"], ["Siôn", "Sion"], ["Tomos", "Thomas"], ["Bryn"], ["Glyn"], ["Ioan"], ["Emyr"], ["Gwilym"]]
WEL_F = [["Siân", "Sian"], ["Catrin"], ["Ffion"], ["Rhian"], ["Eleri"], ["Angharad"], ["Bethan"], ["Nia"],
         ["Lowri"], ["Gwen"], ["Seren"], ["Elin"], ["Heledd"], ["Manon"], ["Carys"], ["Gwenllïan", "Gwenllian"],
         ["Alaw"], ["Megan"], ["Mererid"], ["Cerys"]]
IRL_M = [["Seán", "Sean", "Shaun"], ["Eoin", "Owen"], ["Ciarán", "Ciaran", "Kieran"], ["Pádraig", "Padraig", "Patrick"],
         ["Diarmuid", "Dermot"], ["Oisín", "Oisin"], ["Colm"], ["Cathal"], ["Darragh"], ["Niall"],
         ["Ruairí", "Ruairi", "Rory"], ["Tadhg"], ["Conor", "Connor"], ["Declan"], ["Cormac"], ["Séamus", "Seamus"]]
IRL_F = [["Siobhán", "Siobhan"], ["Niamh"], ["Aoife"], ["Órla", "Orla"], ["Caoimhe"], ["Saoirse"], ["Róisín", "Roisin"],
         ["Máire", "Maire", "Maura"], ["Gráinne", "Grainne"], ["Bríd", "Brid", "Bridget"], ["Clodagh"], ["Aisling"],
         ["Sinéad", "Sinead"], ["Éabha", "Eabha", "Eva"]]
SCO_M = [["Hamish"], ["Angus"], ["Alasdair", "Alistair", "Alastair"], ["Callum", "Calum"], ["Fraser"], ["Euan", "Ewan"],
         ["Iain", "Ian"], ["Lachlan"], ["Ruaridh", "Rory"], ["Murdo"], ["Fergus"], ["Craig"], ["Gordon"]]
SCO_F = [["Morag"], ["Kirsty", "Kirstie"], ["Mhairi", "Mhari"], ["Eilidh"], ["Isla"], ["Catriona", "Catrina"],
         ["Ailsa"], ["Fiona"], ["Iona"], ["Shona"], ["Kirsteen"]]
# surnames: (canonical, kind) kind: mac, o, hyph, ap, plain
WEL_S = [("Jones", "plain"), ("Davies", "plain"), ("Williams", "plain"), ("Evans", "plain"), ("Thomas", "plain"),
         ("Roberts", "plain"), ("Hughes", "plain"), ("Lewis", "plain"), ("Morgan", "plain"), ("Griffiths", "plain"),
         ("Price", "plain"), ("Rees", "plain"), ("Owen", "plain"), ("Lloyd", "plain"), ("Pritchard", "plain"),
         ("Parry", "plain"), ("Pugh", "plain"), ("Powell", "plain"), ("Bowen", "plain"), ("Vaughan", "plain"),
         ("Llewellyn", "plain"), ("Lloyd-Jones", "hyph"), ("Wynne-Jones", "hyph"), ("Pryce-Jones", "hyph"),
         ("Vaughan-Thomas", "hyph"), ("ap Rhys", "ap"), ("ap Gwilym", "ap"), ("ap Dafydd", "ap")]
IRL_S = [("Murphy", "plain"), ("Kelly", "plain"), ("O'Sullivan", "o"), ("Walsh", "plain"), ("O'Brien", "o"),
         ("Byrne", "plain"), ("Ryan", "plain"), ("O'Connor", "o"), ("O'Neill", "o"), ("O'Reilly", "o"),
         ("Doyle", "plain"), ("McCarthy", "mac"), ("Gallagher", "plain"), ("O'Donnell", "o"), ("McGuinness", "mac"),
         ("O'Shea", "o"), ("McLaughlin", "mac"), ("Ní Bhriain", "plain"), ("Ó Súilleabháin", "plain")]
SCO_S = [("MacDonald", "mac"), ("MacLeod", "mac"), ("MacKenzie", "mac"), ("McLean", "mac"), ("Campbell", "plain"),
         ("Stewart", "plain"), ("MacGregor", "mac"), ("McIntyre", "mac"), ("Robertson", "plain"), ("Fraser", "plain"),
         ("Murray", "plain"), ("Ross", "plain"), ("McKay", "mac"), ("MacPherson", "mac"), ("Grant", "plain"),
         ("Smith-Cameron", "hyph")]

# ----------------------------------------------------------------------------- places
# (town, postcode area, district lo, hi, localities)
TOWNS = [("Cardiff", "CF", 3, 24, ["Canton", "Splott", "Roath", "Ely"]),
         ("Swansea", "SA", 1, 9, ["Sketty", "Morriston", "Townhill"]),
         ("Newport", "NP", 10, 20, ["Maindee", "Pillgwenlly"]),
         ("Wrexham", "LL", 11, 14, ["Acton", "Rhosddu"]),
         ("Leeds", "LS", 1, 29, ["Headingley", "Harehills", "Armley", "Beeston"]),
         ("Manchester", "M", 1, 40, ["Moss Side", "Gorton", "Levenshulme"]),
         ("Liverpool", "L", 1, 37, ["Anfield", "Toxteth", "Walton"]),
         ("Glasgow", "G", 1, 53, ["Govan", "Partick", "Possilpark", "Easterhouse"]),
         ("Birmingham", "B", 1, 45, ["Aston", "Handsworth", "Erdington"]),
         ("London", "SE", 1, 28, ["Peckham", "Lewisham", "Deptford"]),
         ("Bristol", "BS", 1, 16, ["Bedminster", "Easton", "Southmead"]),
         ("Belfast", "BT", 1, 17, ["Falls", "Shankill", "Ardoyne"])]
STREETS = ("High Church Station Victoria Mill School Park Queens Kings Manor Grange Chapel Albert "
           "Stanley Windsor Oxford Springfield Heol-y-Deri Ffordd-Las Bryn Maes Glan-yr-Afon Coed "
           "Castle Bridge Market North Elm Oak Ash Cedar Hawthorn Meadow").split()
STYPES = [("Road", "Rd"), ("Street", "St"), ("Lane", "Ln"), ("Avenue", "Ave"), ("Close", "Cl"),
          ("Drive", "Dr"), ("Crescent", "Cres"), ("Gardens", "Gdns"), ("Terrace", "Terr"), ("Court", "Ct")]
HOUSE_NAMES = ["Rose Cottage", "Ty Gwyn", "The Bungalow", "Bryn Awel", "Hillside", "The Willows"]
UNIT = "ABDEFGHJLNPQRSTUWXYZ"
MON = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def zipf(rng, lst, k=6):
    return rng.choices(lst, [1.0 / (i + k) for i in range(len(lst))])[0]


def make_home(rng, towns=TOWNS):
    t = zipf(rng, towns, 4)
    town, area, lo, hi, locs = t
    h = {"town": town, "locality": rng.choice(locs), "flat": None, "house_name": None}
    if rng.random() < .10:
        h["flat"] = "Flat %d" % rng.randint(1, 24)
    elif rng.random() < .04:
        h["house_name"] = rng.choice(HOUSE_NAMES)
    h["num"] = min(rng.randint(1, 180), rng.randint(1, 180))
    h["street"] = zipf(rng, STREETS, 8)
    h["stype"] = rng.choice(STYPES)
    h["postcode"] = "%s%d %d%s%s" % (area, rng.randint(lo, hi), rng.randrange(10), rng.choice(UNIT), rng.choice(UNIT))
    return h


def mobile(rng):
    return "07" + rng.choice("3456789") + "".join(str(rng.randrange(10)) for _ in range(8))


def landline(rng):
    return "0" + rng.choice(["29", "113", "161", "151", "141", "121", "20", "117", "1792"]) + "".join(
        str(rng.randrange(10)) for _ in range(7))


class P:
    pass


def rand_dob(rng, lo=1940, hi=2007):
    y = rng.randint(1975, min(hi, 2006)) if rng.random() < .7 else rng.randint(lo, 1974)
    return datetime.date(y, 1, 1) + datetime.timedelta(days=rng.randrange(365))


def make_person(rng, pid, origin="eng", sex=None):
    p = P()
    p.pid = pid
    p.origin = origin
    p.sex = sex or rng.choice("MF")
    if origin == "eng":
        p.first = [zipf(rng, ENG_M if p.sex == "M" else ENG_F, 8)]
        p.middle = [zipf(rng, ENG_M if p.sex == "M" else ENG_F, 8)] if rng.random() < .5 else None
        p.sur = (zipf(rng, ENG_S, 10), "plain")
    else:
        fm, ff, ss = {"wel": (WEL_M, WEL_F, WEL_S), "irl": (IRL_M, IRL_F, IRL_S), "sco": (SCO_M, SCO_F, SCO_S)}[origin]
        p.first = zipf(rng, fm if p.sex == "M" else ff, 3)
        p.middle = zipf(rng, fm if p.sex == "M" else ff, 3) if rng.random() < .5 else None
        if p.middle and p.middle[0] == p.first[0]:
            p.middle = None
        p.sur = zipf(rng, ss, 2 if origin == "wel" else 4)
        if p.sur[0] == "Ní Bhriain" and p.sex == "M":
            p.sur = ("Ó Briain", "plain")
    if p.middle and p.middle[0] == p.first[0]:
        p.middle = None
    p.dob = rand_dob(rng)
    p.home = make_home(rng)
    p.home2 = make_home(rng)
    p.phone = mobile(rng)
    p.phone2 = mobile(rng)
    p.landline = None
    return p


# ----------------------------------------------------------------------------- corruption
def typo(rng, s):
    idx = [i for i, c in enumerate(s) if c.isascii() and c.isalnum()]
    if not idx:
        return s
    i = rng.choice(idx)
    op = rng.random()
    if op < .4:
        c = s[i]
        r = rng.choice("abcdefghijklmnopqrstuvwxyz") if c.isalpha() else str(rng.randrange(10))
        return s[:i] + (r.upper() if c.isupper() else r) + s[i + 1:]
    if op < .65 and len(s) > 2:
        return s[:i] + s[i + 1:]
    if op < .85:
        return s[:i + 1] + s[i] + s[i + 1:]
    if i + 1 < len(s):
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s


OCR = [("rn", "m"), ("m", "rn"), ("l", "1"), ("I", "l"), ("O", "0"), ("o", "0"), ("S", "5"), ("B", "8"),
       ("cl", "d"), ("d", "cl"), ("e", "c"), ("h", "b"), ("i", "l"), ("u", "ii"), ("w", "vv"), ("n", "ri")]


def ocr(rng, s, k=None):
    k = k or (1 if rng.random() < .7 else 2)
    for _ in range(k):
        cands = [(a, b) for a, b in OCR if a in s]
        if not cands:
            return s
        a, b = rng.choice(cands)
        pos = [i for i in range(len(s)) if s.startswith(a, i)]
        i = rng.choice(pos)
        s = s[:i] + b + s[i + len(a):]
    return s


def ocr_date(rng, s):
    conf = {"1": "7", "7": "1", "0": "8", "8": "0", "5": "6", "6": "5", "3": "8", "9": "4"}
    idx = [i for i, c in enumerate(s) if c in conf]
    if not idx:
        return s
    i = rng.choice(idx)
    return s[:i] + conf[s[i]] + s[i + 1:]


def strip_acc(s):
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def mojibake(s):
    try:
        return s.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:
        return s


def surname_variant(rng, sur, kind):
    """a spelling of the surname as a clerk may key it"""
    r = rng.random()
    if kind == "mac":
        body = sur[3:] if sur.startswith("Mac") else sur[2:]
        pre = "Mac" if sur.startswith("Mac") else "Mc"
        if r < .55: return sur
        if r < .70: return pre + body.lower()                 # Macdonald
        if r < .80: return pre + " " + body                   # Mac Donald
        if r < .92: return ("Mc" if pre == "Mac" else "Mac") + body  # Mc <-> Mac
        return "M'" + body                                    # old form
    if kind == "o":
        body = sur[2:]
        if r < .55: return sur
        if r < .68: return "O" + body                         # OBrien
        if r < .80: return "O " + body                        # O Brien
        if r < .92: return "O\u2019" + body                   # curly apostrophe
        return "O'" + body.lower()
    if kind == "hyph":
        a, b = sur.split("-")
        if r < .60: return sur
        if r < .85: return a + " " + b
        if r < .93: return b                                  # second half only
        return a + b
    if kind == "ap":
        body = sur[3:]
        if r < .50: return sur
        if r < .70: return "Ap " + body
        if r < .85: return "ap" + body.lower()
        return "Ap-" + body
    return sur


def name_variant(rng, names, palt=.07):
    if len(names) > 1 and rng.random() < palt:
        return rng.choice(names[1:])
    return names[0]


def fmt_date(d, style):
    if d is None:
        return ""
    return {"uk": d.strftime("%d/%m/%Y"), "iso": d.isoformat(),
            "mon": "%02d-%s-%d" % (d.day, MON[d.month - 1].upper(), d.year),
            "compact": d.strftime("%d%m%Y"), "year": str(d.year)}[style]


def fmt_phone(rng, ph, style=None):
    if not ph:
        return ""
    style = rng.randrange(5) if style is None else style
    n = ph[1:]
    if style == 0: return ph
    if style == 1: return ph[:5] + " " + ph[5:]
    if style == 2: return "+44 " + n[:4] + " " + n[4:]
    if style == 3: return "+44" + n
    return "(" + ph[:5] + ") " + ph[5:8] + " " + ph[8:]


def addr_line(h, short=False):
    st = "%d %s %s" % (h["num"], h["street"], h["stype"][1] if short else h["stype"][0])
    if h["flat"]:
        return h["flat"] + ", " + st
    if h["house_name"]:
        return h["house_name"] + ", " + st
    return st


def rec(rng, p, moved=.15, newphone=.2, miss=.05, typo_rate=.06, dob_typo=.04, alt=.07):
    """one recorded view of person p (values still unformatted)"""
    r = {"pid": p.pid}
    r["first"] = name_variant(rng, p.first, alt)
    r["middle"] = name_variant(rng, p.middle, alt) if p.middle else ""
    r["sur"] = surname_variant(rng, *p.sur)
    r["dob"] = p.dob
    r["sex"] = p.sex
    r["home"] = p.home2 if rng.random() < moved else p.home
    r["phone"] = p.phone2 if rng.random() < newphone else p.phone
    if p.landline and rng.random() < .5:
        r["phone"] = p.landline
    r["dob_str_typo"] = rng.random() < dob_typo
    r["address"] = r["town"] = r["postcode"] = True  # present unless marked missing
    for k in ("first", "sur", "middle"):
        if r[k] and rng.random() < typo_rate:
            r[k] = typo(rng, r[k])
    for k in ("first", "middle", "sur", "dob", "phone", "postcode", "address", "town"):
        if rng.random() < miss:
            r["miss_" + k] = True
    return r


def g(r, k):
    """value of field k unless marked missing"""
    return None if r.get("miss_" + k) else r.get(k)


def date_str(rng, r, style):
    d = g(r, "dob")
    if d is None:
        return ""
    s = fmt_date(d, style)
    if r.get("dob_str_typo") and style != "year":
        s = typo(rng, s) if style != "mon" else ocr_date(rng, s)
    return s


# ----------------------------------------------------------------------------- writing
def write(od, name, header, rows):
    with open(os.path.join(od, name), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def appear(rng, people, srcs, p_in, dup=.04):
    out = {s: [] for s in srcs}
    for p in people:
        got = [s for s in srcs if rng.random() < p_in[s]]
        if not got:
            got = [rng.choice(srcs)]
        for s in got:
            out[s].append(p)
            if rng.random() < dup:
                out[s].append(p)
    for s in srcs:
        rng.shuffle(out[s])
    return out


STD_HDR = ["id", "first_name", "middle_name", "surname", "dob", "sex", "address", "town", "postcode", "phone"]


def std_row(rng, rid, r, datestyle="uk", upper_sur=False, short=False, accents="keep"):
    def fix(s):
        if not s:
            return ""
        if accents == "strip":
            return strip_acc(s)
        if accents == "mixed":
            x = rng.random()
            return strip_acc(s) if x < .6 else (mojibake(s) if x < .75 else s)
        return s
    h = r["home"]
    sur = fix(g(r, "sur") or "")
    return [rid, fix(g(r, "first") or ""), fix(g(r, "middle") or ""), sur.upper() if upper_sur else sur,
            date_str(rng, r, datestyle), r["sex"], "" if g(r, "address") is None else addr_line(h, short),
            "" if g(r, "town") is None else h["town"], "" if g(r, "postcode") is None else h["postcode"],
            fmt_phone(rng, g(r, "phone"))]


def std_sources(od, rng, people, srcs="ABC", styles=None, p_in=None, dup=.04, recargs=None):
    styles = styles or {"A": dict(datestyle="uk"), "B": dict(datestyle="iso", upper_sur=True, short=True),
                        "C": dict(datestyle="mon")}
    p_in = p_in or {s: .7 for s in srcs}
    app = appear(rng, people, srcs, p_in, dup)
    truth = []
    rid_of = {}
    for s in srcs:
        rows = []
        for i, p in enumerate(app[s]):
            rid = "%s%06d" % (s, i + 1)
            r = rec(rng, p, **(recargs or {}))
            rows.append(std_row(rng, rid, r, **styles[s]))
            truth.append((rid, p.pid))
            rid_of.setdefault(p.pid, []).append(rid)
        write(od, s.lower() + ".csv", STD_HDR, rows)
    return truth, rid_of


# ----------------------------------------------------------------------------- shapes
def shape_celtic(od, n, rng):
    people = [make_person(rng, i + 1, rng.choices(["wel", "irl", "sco"], [.45, .30, .25])[0]) for i in range(n)]
    styles = {"A": dict(datestyle="uk"),
              "B": dict(datestyle="iso", upper_sur=True, short=True),
              "C": dict(datestyle="mon", accents="mixed")}
    truth, _ = std_sources(od, rng, people, "ABC", styles)
    return truth, [], "A Title Case; B surname UPPER, ISO dates; C accents stripped 60% / mojibake 15%"


def shape_surfirst(od, n, rng):
    people = [make_person(rng, i + 1, rng.choices(["eng", "wel", "irl", "sco"], [.7, .1, .1, .1])[0]) for i in range(n)]
    app = appear(rng, people, "AB", {"A": .75, "B": .75})
    truth = []
    rows = []
    for i, p in enumerate(app["A"]):
        rid = "A%06d" % (i + 1)
        r = rec(rng, p)
        rows.append(std_row(rng, rid, r))
        truth.append((rid, p.pid))
    write(od, "a.csv", STD_HDR, rows)
    rows = []
    for i, p in enumerate(app["B"]):
        rid = "B%06d" % (i + 1)
        r = rec(rng, p)
        parts = [g(r, "sur"), g(r, "first"), g(r, "middle")]
        name = " ".join(x for x in parts if x).upper()
        h = r["home"]
        rows.append([rid, name, date_str(rng, r, "uk"), r["sex"], "" if g(r, "address") is None else addr_line(h).upper(),
                     "" if g(r, "postcode") is None else h["postcode"]])
        truth.append((rid, p.pid))
    write(od, "b.csv", ["id", "name", "dob", "sex", "address", "postcode"], rows)
    return truth, [], "B: NAME = 'SMITH JOHN PAUL' (all caps, surname first, no comma)"


def shape_alias(od, n, rng):
    people = []
    hard = []
    husbands = []
    for i in range(n):
        p = make_person(rng, i + 1)
        p.alias = None
        people.append(p)
    pid = n
    for p in people:
        if rng.random() < .10:
            if rng.random() < .8:
                p.sex = "F"
                p.first = [zipf(rng, ENG_F, 8)]
                p.middle = [zipf(rng, ENG_F, 8)] if p.middle else None
                if p.middle and p.middle[0] == p.first[0]:
                    p.middle = None
            other = zipf(rng, ENG_S, 10)
            while other == p.sur[0]:
                other = zipf(rng, ENG_S, 10)
            p.alias = (other, "plain")
            if p.sex == "F" and rng.random() < .5:
                pid += 1
                hsb = make_person(rng, pid, sex="M")
                hsb.sur = (other, "plain")
                hsb.home = p.home
                hsb.dob = p.dob + datetime.timedelta(days=rng.randint(-6 * 365, 6 * 365))
                hsb.alias = None
                hsb.wife = p
                husbands.append(hsb)
    allp = people + husbands
    app = appear(rng, allp, "ABC", {s: .65 for s in "ABC"})
    # the alias record: one extra record in a random source, same DOB and current address
    extra = {s: [] for s in "ABC"}
    for p in people:
        if p.alias:
            extra[rng.choice("ABC")].append(p)
    styles = {"A": dict(datestyle="uk"), "B": dict(datestyle="iso", upper_sur=True, short=True), "C": dict(datestyle="mon")}
    truth = []
    rid_of = {}
    for s in "ABC":
        items = [(p, False) for p in app[s]] + [(p, True) for p in extra[s]]
        rng.shuffle(items)
        rows = []
        for i, (p, is_alias) in enumerate(items):
            rid = "%s%06d" % (s, i + 1)
            if is_alias:
                r = rec(rng, p, moved=0, miss=.02)
                r["sur"] = p.alias[0]
                r.pop("miss_dob", None); r.pop("miss_address", None); r.pop("miss_postcode", None)
                r["dob_str_typo"] = False
                rid_of.setdefault(("alias", p.pid), []).append(rid)
            else:
                r = rec(rng, p)
            rows.append(std_row(rng, rid, r, **styles[s]))
            truth.append((rid, p.pid))
            rid_of.setdefault(p.pid, []).append(rid)
        write(od, s.lower() + ".csv", STD_HDR, rows)
    for h in husbands:
        for a in rid_of.get(h.pid, []):
            for b in rid_of.get(("alias", h.wife.pid), []):
                hard.append((a, b, "husband-wife(alias)"))
    alias_pairs = []
    for p in people:
        if p.alias:
            for a in rid_of.get(("alias", p.pid), []):
                for b in rid_of[p.pid]:
                    if a != b:
                        alias_pairs.append((a, b, "alias-same-person"))
    write(od, "alias_pairs.csv", ["record_id_a", "record_id_b", "kind"], alias_pairs)
    return truth, hard, "10% of people have an extra record under an alias surname (same dob, address)"


def shape_partialdob(od, n, rng):
    people = [make_person(rng, i + 1) for i in range(n)]
    app = appear(rng, people, "ABC", {s: .7 for s in "ABC"})
    truth = []
    for s in "ABC":
        rows = []
        for i, p in enumerate(app[s]):
            rid = "%s%06d" % (s, i + 1)
            r = rec(rng, p)
            if s == "B":
                row = std_row(rng, rid, r, datestyle="year", upper_sur=True, short=True)
                age = 2024 - p.dob.year - (1 if rng.random() < .5 else 0)
                row.append(str(age) if rng.random() < .9 else "")
            else:
                row = std_row(rng, rid, r, datestyle="uk" if s == "A" else "iso")
            rows.append(row)
            truth.append((rid, p.pid))
        write(od, s.lower() + ".csv", STD_HDR + (["age"] if s == "B" else []), rows)
    return truth, [], "B: dob = year only ('1985'), plus an unmapped age column"


def shape_homesplit(od, n, rng):
    people = [make_person(rng, i + 1) for i in range(n)]
    app = appear(rng, people, "ABC", {s: .7 for s in "ABC"})
    truth = []
    # A: postcode only
    rows = []
    for i, p in enumerate(app["A"]):
        rid = "A%06d" % (i + 1)
        r = rec(rng, p)
        row = std_row(rng, rid, r)
        rows.append(row[:6] + [row[8], row[9]])
        truth.append((rid, p.pid))
    write(od, "a.csv", ["id", "first_name", "middle_name", "surname", "dob", "sex", "postcode", "phone"], rows)
    # B: three address lines
    rows = []
    for i, p in enumerate(app["B"]):
        rid = "B%06d" % (i + 1)
        r = rec(rng, p)
        row = std_row(rng, rid, r, datestyle="iso", upper_sur=True)
        h = r["home"]
        st = "%d %s %s" % (h["num"], h["street"], h["stype"][0])
        if g(r, "address") is None:
            l1 = l2 = l3 = ""
        elif h["flat"] or h["house_name"]:
            l1, l2, l3 = (h["flat"] or h["house_name"]), st, h["locality"]
        else:
            l1, l2, l3 = st, h["locality"], h["town"]
        if h["flat"] or h["house_name"]:
            l3 = l3 if rng.random() < .5 else h["town"]
        rows.append(row[:6] + [l1, l2, l3, row[8], row[9]])
        truth.append((rid, p.pid))
    write(od, "b.csv", ["id", "first_name", "middle_name", "surname", "dob", "sex", "address_line_1",
                        "address_line_2", "address_line_3", "postcode", "phone"], rows)
    # C: one address string with locality and town, commas
    rows = []
    for i, p in enumerate(app["C"]):
        rid = "C%06d" % (i + 1)
        r = rec(rng, p)
        row = std_row(rng, rid, r, datestyle="mon")
        h = r["home"]
        addr = "" if g(r, "address") is None else "%s, %s, %s" % (addr_line(h, rng.random() < .5), h["locality"], h["town"])
        rows.append(row[:6] + [addr, row[8], row[9]])
        truth.append((rid, p.pid))
    write(od, "c.csv", ["id", "first_name", "middle_name", "surname", "dob", "sex", "address", "postcode", "phone"], rows)
    return truth, [], "A postcode only; B address_line_1..3; C one address string with locality, town"


def _families(rng, n, kind):
    people = []
    pairs = []
    pid = 0
    while len(people) < n:
        pid += 1
        p = make_person(rng, pid)
        people.append(p)
        if kind == "twins" and rng.random() < float(os.environ.get("TWIN_Q", ".081")):  # 2q/(1+q) = 15% of people are a twin
            pid += 1
            t = make_person(rng, pid, sex=p.sex if rng.random() < .6 else None)
            while t.first[0] == p.first[0]:
                t.first = make_person(rng, 0, sex=t.sex).first
            t.sur, t.dob, t.home, t.home2 = p.sur, p.dob, p.home, (p.home2 if rng.random() < .3 else t.home2)
            if rng.random() < .3:
                t.landline = p.landline = landline(rng)
            people.append(t)
            pairs.append((p.pid, t.pid, "twins"))
        if kind == "fatherson" and rng.random() < float(os.environ.get("FS_Q", ".25")) and p.dob.year < 1982:
            pid += 1
            c = make_person(rng, pid, sex=p.sex)
            c.first, c.sur, c.home = p.first, p.sur, p.home
            c.middle = p.middle if rng.random() < .5 else c.middle
            y = p.dob.year + rng.randint(25, 35)
            c.dob = datetime.date(min(y, 2008), 1, 1) + datetime.timedelta(days=rng.randrange(365))
            c.home2 = p.home2 if rng.random() < .2 else c.home2
            if rng.random() < .3:
                c.landline = p.landline = landline(rng)
            people.append(c)
            pairs.append((p.pid, c.pid, "parent-child"))
    return people, pairs


def _hard_records(rid_of, pairs):
    hard = []
    for a, b, k in pairs:
        for x in rid_of.get(a, []):
            for y in rid_of.get(b, []):
                hard.append((x, y, k))
    return hard


def shape_twins(od, n, rng):
    people, pairs = _families(rng, n, "twins")
    truth, rid_of = std_sources(od, rng, people)
    return truth, _hard_records(rid_of, pairs), "twins: same surname, dob, address; other first name"


def shape_fatherson(od, n, rng):
    people, pairs = _families(rng, n, "fatherson")
    truth, rid_of = std_sources(od, rng, people, recargs=dict(miss=.08))
    return truth, _hard_records(rid_of, pairs), "parent/child of the same full name and address, 25-35 years apart"


def shape_ocr(od, n, rng):
    people = [make_person(rng, i + 1, rng.choices(["eng", "wel", "irl", "sco"], [.7, .1, .1, .1])[0]) for i in range(n)]
    app = appear(rng, people, "AB", {"A": .75, "B": .75})
    truth = []
    for s in "AB":
        rows = []
        for i, p in enumerate(app[s]):
            rid = "%s%06d" % (s, i + 1)
            r = rec(rng, p)
            if s == "B":
                if r["sur"] and rng.random() < .45:
                    r["sur"] = ocr(rng, r["sur"].upper() if rng.random() < .5 else r["sur"])
                if r["first"] and rng.random() < .15:
                    r["first"] = ocr(rng, r["first"])
                row = std_row(rng, rid, r, datestyle="uk")
                if row[4] and rng.random() < .06:
                    row[4] = ocr_date(rng, row[4])
            else:
                row = std_row(rng, rid, r, datestyle="iso")
            rows.append(row)
            truth.append((rid, p.pid))
        write(od, s.lower() + ".csv", STD_HDR, rows)
    return truth, [], "B: OCR confusions in 45% of surnames, 15% of first names, 6% of dates"


def shape_phones(od, n, rng):
    people = [make_person(rng, i + 1) for i in range(n)]
    hard = []
    pairs = []
    extra = []
    for p in list(people):
        if rng.random() < .20:
            q = make_person(rng, len(people) + len(extra) + 1)
            q.home = p.home
            q.landline = p.landline = landline(rng)
            if rng.random() < .5:
                q.sur = p.sur
            extra.append(q)
            pairs.append((p.pid, q.pid, "housemate-shared-landline"))
    people += extra
    app = appear(rng, people, "AB", {"A": .75, "B": .75}, dup=.08)
    truth = []
    rid_of = {}
    for s in "AB":
        rows = []
        for i, p in enumerate(app[s]):
            rid = "%s%06d" % (s, i + 1)
            r = rec(rng, p, newphone=.15, miss=0)
            for k, m in (("first", .30), ("sur", .20), ("middle", .5), ("dob", .60), ("address", .60),
                         ("town", .60), ("postcode", .50), ("phone", .05)):
                if rng.random() < m:
                    r["miss_" + k] = True
            row = std_row(rng, rid, r, datestyle="uk" if s == "A" else "iso")
            rows.append([row[0], row[1], row[3], row[4], row[6], row[8], row[9]])
            truth.append((rid, p.pid))
            rid_of.setdefault(p.pid, []).append(rid)
        write(od, s.lower() + ".csv", ["id", "forename", "surname", "date_of_birth", "address", "postcode", "tel_no"], rows)
    return truth, _hard_records(rid_of, pairs), "phones main identifier; names/dob/address often missing; shared landlines"


def shape_tiny(od, n, rng):
    n = max(n, 5000)
    people = [make_person(rng, i + 1, rng.choices(["eng", "wel", "irl", "sco"], [.8, .1, .05, .05])[0]) for i in range(n)]
    order = []
    for p in people:
        order.append(p)
        if rng.random() < .03:
            order.append(p)
    rng.shuffle(order)
    truth = []
    rows = []
    for i, p in enumerate(order):
        rid = "A%06d" % (i + 1)
        rows.append(std_row(rng, rid, rec(rng, p)))
        truth.append((rid, p.pid))
    write(od, "a.csv", STD_HDR, rows)
    outsiders = [make_person(rng, n + 1 + i) for i in range(10)]
    sample = rng.sample(people, 50) + outsiders
    rng.shuffle(sample)
    rows = []
    for i, p in enumerate(sample):
        rid = "T%04d" % (i + 1)
        r = rec(rng, p, moved=.3)
        nm = " ".join(x for x in (g(r, "first"), g(r, "middle"), (g(r, "sur") or "").upper()) if x)
        h = r["home"]
        rows.append([rid, nm, date_str(rng, r, "mon"), {"M": "Male", "F": "Female"}[r["sex"]],
                     "" if g(r, "address") is None else addr_line(h, True).upper(),
                     "" if g(r, "postcode") is None else h["postcode"].replace(" ", ""),
                     fmt_phone(rng, g(r, "phone"), 2)])
        truth.append((rid, p.pid))
    write(od, "b.csv", ["Person Ref", "Full Name", "D.O.B.", "Gender", "Home Address", "Post Code", "Tel No"], rows)
    return truth, [], "A 5,000 people + 3% dups; B 60 records (50 in A), full name 'John Paul SMITH', DD-MON-YYYY"


SHAPES = {k[6:]: v for k, v in list(globals().items()) if k.startswith("shape_")}

if __name__ == "__main__":
    shape, od = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    os.makedirs(od, exist_ok=True)
    rng = random.Random(seed * 7919 + sum(ord(c) * 31 ** i for i, c in enumerate(shape)) % 100003)
    truth, hard, meta = SHAPES[shape](od, n, rng)
    write(od, "truth.csv", ["record_id", "person_id"], truth)
    if hard:
        write(od, "hard.csv", ["record_id_a", "record_id_b", "kind"], hard)
    with open(os.path.join(od, "meta.txt"), "w") as f:
        f.write(meta + "\n")
    print(shape, seed, len(truth), "records,", len(hard), "hard pairs")
