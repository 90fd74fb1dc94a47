#!/usr/bin/env python3
"""gen3.py: a third set of held-out record shapes for `iom conflate` (README3.md), written
independently of the project's generator (tests/support/synth), of gen.py and of gen2.py: its own
name pools, homes and record views.  Standard library only, fixed seeds.

usage: gen3.py SHAPE OUTDIR [N_PEOPLE] [SEED]

Writes OUTDIR/{a,b[,c]}.csv, OUTDIR/truth.csv (record_id,person_id), OUTDIR/args.txt (the
`--field ROLE=COLUMN` and `--id` options a user would give `iom conflate` for these files, one
line) and OUTDIR/meta.txt (what the shape is).  Some shapes also write OUTDIR/hard.csv
(record_id_a,record_id_b,kind): pairs of two different people that a linker must keep apart.

Shapes (parameters in README3.md)
  marriage     surname changed between an old extract (maiden) and a new one (married), most
               with a new home and half with a new phone; husbands at the new home; some
               `TAYLOR (NEE SMITH)` surnames.
  initials     one source keeps whole names with the forename as initials only: `J SMITH`,
               `J.P. SMITH`, `SMITH, J.`, `SMITH J`; a quarter of its dates of birth missing.
  forenames    one source's forename column holds every given name (`Mary Jane`); compound given
               names (`Lily-Mae`) written four ways; people known by their middle name.
  agecol       a stop-and-search-like source records age at the encounter, converted by the
               analyst to a birth year (off by one for about half, self-stated age off by 1-3
               for 12%); half of them also wrote it as 01/01/YYYY.
  dupheavy     one custody-like source where 45% of people were re-keyed 2-6 times with tiny
               edits (case, blanks, a dropped middle name, a new phone or home, a typo).
  freeaddr     45% of people live in flats of named buildings; addresses are free text with the
               flat, building and street number in different orders; one source has no postcode.
  sexcodes     sex coded M/F in one source, 1/2/9 in another, Male/Female/Unknown/Not stated in a
               third; 2% miscoded, 15% missing in the third.
  doublebarrel 22% double surnames (British double-barrelled, Spanish/Portuguese two surnames,
               a couple's joined name), written whole, with a space, joined, or one part only.
  unbalanced3  a national-style source (20,000 people at N=3000, 2% duplicates, capitals, ISO
               dates, postcode only) beside a force source of N records and a 200-record local
               file (whole names, no postcode, 20% dates missing).
  siblings     families with 2-5 children born 10-40 months apart at one home, landline and
               (mostly) surname, 5% of families with twins; the parents too.
  fillers      placeholders beside real values: estimated dates 01/01/YYYY, 01/01/1900,
               `UNK`/`N.K.`/`XX`/`UNKNOWN MALE` names, `07000000000`-like phones, `Not recorded`.
  hostel       18% of people's homes are hostels, HMOs, prisons or a night shelter shared by
               dozens of unrelated people, and people pass through them between extracts.
"""
import csv, datetime, os, random, sys

# ----------------------------------------------------------------------------- name pools
ADULT_M = ("David Paul Mark Andrew Michael John Stephen Richard Robert Ian Peter Christopher Gary Darren "
           "Lee Anthony Simon Neil Martin Jason Craig Wayne Dean Carl Kevin Shaun Stuart Matthew Daniel "
           "James Thomas Ryan Adam Liam Jamie Scott Aaron Jonathan Nathan Ashley Karl Glen Gavin Barry "
           "Keith Trevor Colin Graham Philip Terence Raymond Kenneth Brian William Joseph Edward George "
           "Mohammed Imran Tariq Amir Piotr Tomasz Marius Andrei Kwame Emeka Tyrone Delroy Curtis").split()
ADULT_F = ("Sarah Lisa Claire Nicola Emma Joanne Michelle Louise Helen Rachel Kelly Amanda Donna Julie "
           "Karen Tracy Samantha Victoria Rebecca Laura Gemma Kirsty Stacey Leanne Hayley Natalie Danielle "
           "Jennifer Elizabeth Susan Deborah Angela Sharon Dawn Jacqueline Wendy Alison Catherine Caroline "
           "Sophie Charlotte Jessica Amy Lauren Chloe Megan Hannah Jade Zoe Carly Lindsey Kerry Vicky "
           "Fatima Aisha Nadia Agnieszka Katarzyna Ioana Grace Precious Shanice Tanya Marie Anne").split()
KID_M = ("Oliver Jack Harry Charlie George Jacob Noah Alfie Freddie Oscar Leo Archie Logan Riley Mason "
         "Tyler Kai Kayden Jayden Callum Ethan Lucas Finley Reggie Teddy Tommy Theo Ollie Jake Kian "
         "Kieran Brandon Bailey Connor Dylan Lewis Corey Jordan Reece Owen Luke Max Sonny Louie").split()
KID_F = ("Olivia Amelia Isla Ava Emily Lily Ella Mia Ellie Sophia Grace Evie Poppy Isabella Millie "
         "Ruby Daisy Freya Lola Rosie Erin Holly Phoebe Maisie Lacey Leah Summer Skye Harper Darcey "
         "Macy Tilly Lexi Libby Courtney Paige Bethany Kayla Kacey Abbie Caitlin Jasmine Keira").split()
SURN = ("Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker "
        "White Roberts Green Hall Wood Jackson Clarke Patel Khan Lewis James Phillips Mason Mitchell Rose "
        "Davis Rodgers Turner Harris Cooper Ward Morris Hughes Edwards Martin King Lee Moore Baker Hill "
        "Scott Allen Young Carter Parker Cook Bailey Bell Murphy Kelly Shaw Price Hussain Ali Ahmed Begum "
        "Singh Kaur Shah Akhtar Iqbal Nowak Kowalski Popescu Ionescu Okafor Mensah Campbell Stewart "
        "Anderson Murray Reid Ross Graham Hamilton Fletcher Barker Holmes Mills Dixon Fisher Gibson "
        "Pearson Hunt Webb Chapman Marshall Palmer Ellis Grant Burton Lloyd Hudson Atkinson Ball Kerr "
        "Dawson Wells Hart Reynolds Farrell Brennan Doyle Nolan Quinn Lynch Walsh Byrne Foster Lowe "
        "Barnes Cox Hayes Howard Butler Russell Knight Stone Gray Hunter Payne Armstrong Simpson").split()
NICK = {"David": ["Dave"], "Paul": [], "Andrew": ["Andy", "Drew"], "Michael": ["Mike", "Mick"],
        "Stephen": ["Steve"], "Richard": ["Rick", "Dick"], "Robert": ["Rob", "Bob", "Bobby"],
        "Christopher": ["Chris"], "Anthony": ["Tony"], "Matthew": ["Matt"], "Daniel": ["Dan", "Danny"],
        "James": ["Jim", "Jimmy"], "Thomas": ["Tom", "Tommy"], "Jonathan": ["Jon"], "Nathan": ["Nate"],
        "Philip": ["Phil"], "Terence": ["Terry"], "Raymond": ["Ray"], "Kenneth": ["Ken", "Kenny"],
        "William": ["Bill", "Billy", "Will"], "Joseph": ["Joe"], "Edward": ["Ed", "Eddie"],
        "Samantha": ["Sam"], "Victoria": ["Vicky", "Tori"], "Rebecca": ["Becky"], "Jennifer": ["Jen", "Jenny"],
        "Elizabeth": ["Liz", "Beth"], "Susan": ["Sue"], "Deborah": ["Debbie"], "Jacqueline": ["Jackie"],
        "Catherine": ["Cath", "Kate"], "Caroline": ["Caz"], "Jessica": ["Jess"], "Charlotte": ["Charlie"],
        "Oliver": ["Ollie"], "Alfie": [], "Freddie": ["Fred"], "Isabella": ["Bella"], "Abbie": ["Abigail"]}
COMPOUND_F = ["Lily-Mae", "Ella-Rose", "Lacey-Jane", "Mary-Jane", "Ruby-Leigh", "Amelia-Rose", "Evie-Mai",
              "Lilly-Ann", "Sophie-Louise", "Kelly-Ann"]
COMPOUND_M = ["Jean-Paul", "Tommy-Lee", "Lee-Roy", "Alfie-James", "Jay-Dee", "Billy-Joe", "Kai-Jordan"]

# ----------------------------------------------------------------------------- places
TOWNS = [("Leeds", "LS", 1, 28), ("Bradford", "BD", 1, 22), ("Wakefield", "WF", 1, 17),
         ("Sheffield", "S", 1, 36), ("Doncaster", "DN", 1, 12), ("Hull", "HU", 1, 12),
         ("Middlesbrough", "TS", 1, 10), ("Newcastle upon Tyne", "NE", 1, 15), ("Sunderland", "SR", 1, 7),
         ("Nottingham", "NG", 1, 22), ("Derby", "DE", 1, 24), ("Stoke-on-Trent", "ST", 1, 12),
         ("Wolverhampton", "WV", 1, 14), ("Coventry", "CV", 1, 8), ("Luton", "LU", 1, 7),
         ("Southampton", "SO", 14, 19), ("Plymouth", "PL", 1, 9), ("Blackpool", "FY", 1, 8)]
STREETS = ("Albert Alexandra Ash Beech Bridge Brook Castle Cemetery Chapel Church Clarence Commercial "
           "Cross Dale Elm Fern Garden George Grange Green Grove Hall Hawthorn Highfield Hill King "
           "Laburnum Lime Manor Maple Market Mill Moor New Oak Orchard Park Princess Queen Railway "
           "Regent Rosebery Sandringham School Spring Stanley Station Sycamore Thornhill Victoria "
           "Wellington Westfield Willow Windsor York").split()
STYPES = [("Road", "Rd"), ("Street", "St"), ("Lane", "Ln"), ("Avenue", "Ave"), ("Close", "Cl"),
          ("Drive", "Dr"), ("Crescent", "Cres"), ("Grove", "Gr"), ("Terrace", "Terr"), ("Way", "Way")]
BUILD_W = ("Lyndhurst Kingfisher Priory Victoria Jubilee Beacon Harbour Meridian Eden Falcon Chestnut "
           "Heron Kestrel Regency Albion Compass Wharf Tannery Foundry Mariners Cavendish Pembroke "
           "Sovereign Quayside Ravensworth Greenbank Millennium Coronation Belvedere Ashdown").split()
BUILD_T = ["Court", "House", "Tower", "Point", "Lodge", "Mews", "Heights", "Apartments"]
UNIT = "ABDEFGHJLNPQRSTUWXYZ"
MON = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()


def zipf(rng, lst, k=6):
    return rng.choices(lst, _W.setdefault((id(lst), k), [1.0 / (i + k) for i in range(len(lst))]))[0]


_W = {}


def postcode(rng, town):
    _, area, lo, hi = town
    return "%s%d %d%s%s" % (area, rng.randint(lo, hi), rng.randrange(10), rng.choice(UNIT), rng.choice(UNIT))


def make_home(rng, town=None):
    t = town or zipf(rng, TOWNS, 3)
    st = zipf(rng, STREETS, 10)
    return {"town": t[0], "num": min(rng.randint(1, 160), rng.randint(1, 160)), "suffix": "",
            "street": st, "stype": rng.choice(STYPES), "postcode": postcode(rng, t), "flat": None,
            "building": None, "kind": "house", "_t": t}


def mobile(rng):
    return "07" + rng.choice("3456789") + "".join(str(rng.randrange(10)) for _ in range(8))


def landline(rng):
    return "01" + rng.choice(["13", "14", "15", "16", "17", "24", "27", "32", "42", "52", "92"]) + "".join(
        str(rng.randrange(10)) for _ in range(7))


class Person:
    pass


def rand_date(rng, y0, y1):
    return datetime.date(y0, 1, 1) + datetime.timedelta(days=rng.randrange((datetime.date(y1 + 1, 1, 1) - datetime.date(y0, 1, 1)).days))


def make_person(rng, pid, sex=None, dob=None, kid=False, sur=None, home=None):
    p = Person()
    p.pid = pid
    p.sex = sex or rng.choice("MMF")  # police data: about two thirds male
    if dob is None:
        u = rng.random()
        dob = rand_date(rng, 1996, 2008) if u < .35 else rand_date(rng, 1980, 1995) if u < .75 else rand_date(rng, 1950, 1979)
    p.dob = dob
    young = kid or dob.year >= 2000
    pool = (KID_M if p.sex == "M" else KID_F) if young else (ADULT_M if p.sex == "M" else ADULT_F)
    p.first = zipf(rng, pool, 5)
    mpool = ADULT_M if p.sex == "M" else ADULT_F
    p.middle = None
    if rng.random() < .55:
        p.middle = zipf(rng, mpool, 8)
        if p.middle == p.first:
            p.middle = None
    p.sur = sur or zipf(rng, SURN, 8)
    p.home = home or make_home(rng)
    p.home2 = make_home(rng)
    p.phone = mobile(rng)
    p.phone2 = mobile(rng)
    p.landline = None
    return p


# ----------------------------------------------------------------------------- record views
def typo(rng, s):
    idx = [i for i, c in enumerate(s) if c.isalnum()]
    if not idx:
        return s
    i = rng.choice(idx)
    op = rng.random()
    if op < .4:
        c = s[i]
        r = rng.choice("abcdefghijklmnopqrstuvwxyz") if c.isalpha() else str(rng.randrange(10))
        return s[:i] + (r.upper() if c.isupper() else r) + s[i + 1:]
    if op < .65 and len(s) > 3:
        return s[:i] + s[i + 1:]
    if op < .85:
        return s[:i + 1] + s[i] + s[i + 1:]
    if i + 1 < len(s) and s[i + 1].isalnum():
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s


def dob_typo(rng, d):
    u = rng.random()
    try:
        if u < .35:
            return d.replace(day=min(28, max(1, d.day + rng.choice([-1, 1, 10, -10]))))
        if u < .55 and d.day <= 12:
            return d.replace(day=d.month, month=d.day)
        if u < .8:
            return d.replace(year=d.year + rng.choice([-1, 1, -10, 10]))
        return d.replace(month=min(12, max(1, d.month + rng.choice([-1, 1]))))
    except ValueError:
        return d


def view(rng, p, moved=.15, newphone=.2, miss=.04, typo_rate=.05, dobt=.03, nick=.05):
    """one recorded view of person p, values still unformatted (None = missing)"""
    r = {"pid": p.pid, "sex": p.sex}
    f = p.first
    if rng.random() < nick and NICK.get(f):
        f = rng.choice(NICK[f])
    r["first"] = f
    r["middle"] = p.middle
    r["sur"] = p.sur
    r["dob"] = dob_typo(rng, p.dob) if rng.random() < dobt else p.dob
    r["home"] = p.home2 if rng.random() < moved else p.home
    r["phone"] = p.phone2 if rng.random() < newphone else p.phone
    if p.landline and rng.random() < .4:
        r["phone"] = p.landline
    for k in ("first", "middle", "sur"):
        if r[k] and rng.random() < typo_rate:
            r[k] = typo(rng, r[k])
    for k in ("first", "middle", "sur", "dob", "phone", "home", "postcode", "sex"):
        if rng.random() < miss:
            r["no_" + k] = True
    return r


def gv(r, k):
    return None if r.get("no_" + k) else r.get(k)


def fmt_date(d, style="uk"):
    if d is None:
        return ""
    if style == "uk": return d.strftime("%d/%m/%Y")
    if style == "iso": return d.isoformat()
    if style == "mon": return "%02d-%s-%d" % (d.day, MON[d.month - 1], d.year)
    if style == "compact": return d.strftime("%Y%m%d")
    raise ValueError(style)


def fmt_phone(rng, ph):
    if not ph:
        return ""
    u = rng.random()
    if u < .5: return ph
    if u < .8: return ph[:5] + " " + ph[5:]
    return "+44 " + ph[1:5] + " " + ph[5:]


def street(h, short=False):
    return "%d%s %s %s" % (h["num"], h["suffix"], h["street"], h["stype"][1] if short else h["stype"][0])


def addr(h, short=False):
    """the plain address line of a home (no town)"""
    if h.get("kind") == "named":
        return h["line"]
    s = street(h, short)
    if h["flat"] and h["building"]:
        return "Flat %d, %s, %s" % (h["flat"], h["building"], s)
    if h["flat"]:
        return "Flat %d, %s" % (h["flat"], s)
    return s


def std_fields(rng, r, datestyle="uk", upper=False, short=False):
    h = gv(r, "home")
    sur = gv(r, "sur") or ""
    return {"first": gv(r, "first") or "", "middle": gv(r, "middle") or "",
            "sur": sur.upper() if upper else sur, "dob": fmt_date(gv(r, "dob"), datestyle),
            "sex": gv(r, "sex") or "", "address": addr(h, short) if h else "", "town": h["town"] if h else "",
            "postcode": h["postcode"] if h and not r.get("no_postcode") else "",
            "phone": fmt_phone(rng, gv(r, "phone"))}


STD_HDR = ["id", "forename", "middle_name", "surname", "dob", "sex", "address", "town", "postcode", "phone"]
STD_ARGS = ("--id id --field first_name=forename --field middle_name=middle_name --field surname=surname "
            "--field dob=dob --field sex=sex --field address=address --field town=town "
            "--field postcode=postcode --field phone=phone")


def std_row(rid, f):
    return [rid, f["first"], f["middle"], f["sur"], f["dob"], f["sex"], f["address"], f["town"], f["postcode"], f["phone"]]


def write(od, name, header, rows):
    with open(os.path.join(od, name), "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def appear(rng, people, srcs, p_in, dup=.03):
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


class Out:
    """collects truth and the record ids of each person"""

    def __init__(self):
        self.truth = []
        self.rids = {}

    def add(self, rid, pid):
        self.truth.append((rid, pid))
        self.rids.setdefault(pid, []).append(rid)

    def hard(self, pairs):
        return [(x, y, k) for a, b, k in pairs for x in self.rids.get(a, []) for y in self.rids.get(b, [])]


def std_source(od, rng, out, s, plist, datestyle="uk", upper=False, short=False, viewargs=None, edit=None):
    rows = []
    for i, p in enumerate(plist):
        rid = "%s%06d" % (s, i + 1)
        r = view(rng, p, **(viewargs or {}))
        if edit:
            edit(r, p)
        rows.append(std_row(rid, std_fields(rng, r, datestyle, upper, short)))
        out.add(rid, p.pid)
    write(od, s.lower() + ".csv", STD_HDR, rows)


# ----------------------------------------------------------------------------- shapes
def shape_marriage(od, n, rng):
    people = [make_person(rng, i + 1) for i in range(n)]
    pid = n
    husbands, pairs = [], []
    for p in people:
        p.new_sur = None
        adult = p.dob.year <= 1998
        if adult and rng.random() < (.16 if p.sex == "F" else .02):
            new = zipf(rng, SURN, 8)
            while new == p.sur:
                new = zipf(rng, SURN, 8)
            p.new_sur = new
            p.new_home = make_home(rng) if rng.random() < .7 else p.home
            p.new_phone = mobile(rng) if rng.random() < .5 else p.phone
            p.nee = p.sex == "F" and rng.random() < .15
            if p.sex == "F" and rng.random() < .5:
                pid += 1
                h = make_person(rng, pid, sex="M", dob=p.dob + datetime.timedelta(days=rng.randint(-2500, 2500)),
                                sur=new, home=p.new_home)
                h.new_sur = None
                husbands.append(h)
                pairs.append((p.pid, h.pid, "wife-husband"))
    allp = people + husbands
    app = appear(rng, allp, "ABC", {"A": .7, "B": .7, "C": .6})
    out = Out()

    def old(r, p):
        pass

    def new(r, p):
        if p.new_sur:
            r["sur"] = p.new_sur if not p.nee else "%s (nee %s)" % (p.new_sur, p.sur)
            r["home"] = p.new_home if rng.random() < .9 else p.home
            r["phone"] = p.new_phone
            if rng.random() < .05:
                r["sur"] = typo(rng, r["sur"])

    def mixed(r, p):
        if p.new_sur and rng.random() < .5:
            new(r, p)

    std_source(od, rng, out, "A", app["A"], "uk", edit=old)
    std_source(od, rng, out, "B", app["B"], "iso", upper=True, short=True, edit=new)
    std_source(od, rng, out, "C", app["C"], "mon", edit=mixed)
    return out.truth, out.hard(pairs), STD_ARGS, \
        "A old extract (maiden names); B new extract (married names, 70% new home, 50% new phone, 15% 'X (nee Y)'); C either"


def shape_initials(od, n, rng):
    people = [make_person(rng, i + 1) for i in range(n)]
    app = appear(rng, people, "AB", {"A": .8, "B": .75})
    out = Out()
    std_source(od, rng, out, "A", app["A"], "uk")
    rows = []
    for i, p in enumerate(app["B"]):
        rid = "B%06d" % (i + 1)
        r = view(rng, p, miss=.03)
        if rng.random() < .25:
            r["no_dob"] = True
        f = std_fields(rng, r, "uk", upper=True, short=True)
        fi = (gv(r, "first") or "")[:1].upper()
        mi = (gv(r, "middle") or "")[:1].upper()
        sur = f["sur"]
        u = rng.random()
        if u < .40:
            nm = "%s %s" % (fi, sur)
        elif u < .65:
            nm = ("%s.%s. %s" % (fi, mi, sur)) if mi else "%s. %s" % (fi, sur)
        elif u < .85:
            nm = "%s, %s." % (sur, fi)
        else:
            nm = "%s %s" % (sur, fi)
        rows.append([rid, nm.strip(" ,."), f["dob"], f["address"], f["postcode"]])
        out.add(rid, p.pid)
    write(od, "b.csv", ["id", "name", "dob", "address", "postcode"], rows)
    args = STD_ARGS + " --field full_name=name"
    return out.truth, [], args, "B: whole name with initials only (J SMITH 40%, J.P. SMITH 25%, SMITH, J. 20%, SMITH J 15%), 25% no dob"


def shape_forenames(od, n, rng):
    people = []
    for i in range(n):
        p = make_person(rng, i + 1)
        p.compound = None
        p.known_by_middle = False
        if p.dob.year >= 1990 and rng.random() < .20:
            p.compound = rng.choice(COMPOUND_F if p.sex == "F" else COMPOUND_M)
            p.first, p.middle = p.compound.split("-")[0], p.compound.split("-")[1]
        elif p.middle and rng.random() < .12:
            p.known_by_middle = True
        if p.middle and rng.random() < .25:
            p.middle2 = zipf(rng, ADULT_M if p.sex == "M" else ADULT_F, 8)
        else:
            p.middle2 = None
        people.append(p)
    app = appear(rng, people, "ABC", {"A": .7, "B": .7, "C": .6})
    out = Out()
    # A: PNC-like, every given name in one column `forenames`
    rows = []
    for i, p in enumerate(app["A"]):
        rid = "A%06d" % (i + 1)
        r = view(rng, p)
        f = std_fields(rng, r, "uk", upper=True)
        if p.compound and r["first"] == p.first:
            given = rng.choice([p.compound, p.compound.replace("-", " "), p.compound.replace("-", "")])
        else:
            given = " ".join(x for x in (gv(r, "first"), gv(r, "middle"), p.middle2) if x)
        if r.get("no_first"):
            given = ""
        rows.append([rid, given.upper(), f["sur"], f["dob"], f["address"], f["town"], f["postcode"], f["phone"]])
        out.add(rid, p.pid)
    write(od, "a.csv", ["id", "forenames", "surname", "dob", "address", "town", "postcode", "phone"], rows)
    # B: first and middle apart; a compound name split at its hyphen half of the time
    rows = []
    for i, p in enumerate(app["B"]):
        rid = "B%06d" % (i + 1)
        r = view(rng, p)
        f = std_fields(rng, r, "iso")
        if p.compound and r["first"] == p.first and rng.random() < .5:
            f["first"], f["middle"] = p.compound, ""
        rows.append([rid, f["first"], f["middle"], f["sur"], f["dob"], f["address"], f["town"], f["postcode"], f["phone"]])
        out.add(rid, p.pid)
    write(od, "b.csv", ["id", "forenames", "middle_name", "surname", "dob", "address", "town", "postcode", "phone"], rows)
    # C: the name the person gives (middle name for those known by it; compound kept whole or its first part)
    rows = []
    for i, p in enumerate(app["C"]):
        rid = "C%06d" % (i + 1)
        r = view(rng, p)
        f = std_fields(rng, r, "uk")
        if p.known_by_middle and rng.random() < .85:
            f["first"], f["middle"] = p.middle, ""
        elif p.compound and r["first"] == p.first:
            f["first"], f["middle"] = (p.compound, "") if rng.random() < .6 else (p.compound.replace("-", ""), "")
        rows.append([rid, f["first"], f["middle"], f["sur"], f["dob"], f["address"], f["town"], f["postcode"], f["phone"]])
        out.add(rid, p.pid)
    write(od, "c.csv", ["id", "forenames", "middle_name", "surname", "dob", "address", "town", "postcode", "phone"], rows)
    args = ("--id id --field first_name=forenames --field middle_name=middle_name "
            "--field surname=surname --field dob=dob --field address=address --field town=town "
            "--field postcode=postcode --field phone=phone")
    return out.truth, [], args, \
        "A forenames='MARY JANE' (all given names); compound names (Lily-Mae) 20% of those born 1990+; 12% known by middle name in C"


def shape_agecol(od, n, rng):
    people = [make_person(rng, i + 1) for i in range(n)]
    app = appear(rng, people, "ABC", {"A": .7, "B": .7, "C": .6})
    out = Out()
    std_source(od, rng, out, "A", app["A"], "uk")
    std_source(od, rng, out, "C", app["C"], "iso", upper=True, short=True)
    rows = []
    for i, p in enumerate(app["B"]):
        rid = "B%06d" % (i + 1)
        r = view(rng, p, moved=.25, miss=.06)
        f = std_fields(rng, r, "uk")
        ev = rand_date(rng, 2019, 2024)
        age = ev.year - p.dob.year - ((ev.month, ev.day) < (p.dob.month, p.dob.day))
        if rng.random() < .12:
            age += rng.choice([-3, -2, -1, 1, 2, 3])
        y = ev.year - age
        dob = "" if rng.random() < .05 else (str(y) if rng.random() < .5 else "01/01/%d" % y)
        rows.append([rid, f["first"], f["sur"], dob, f["sex"], f["address"], f["town"], f["postcode"], ev.isoformat(), str(age)])
        out.add(rid, p.pid)
    write(od, "b.csv", ["id", "forename", "surname", "dob", "sex", "address", "town", "postcode", "encounter_date", "age"], rows)
    return out.truth, [], STD_ARGS, \
        "B: stop-search style, dob = encounter year - stated age ('1985' or '01/01/1985'); 12% age misstated by 1-3"


def shape_dupheavy(od, n, rng):
    people = [make_person(rng, i + 1) for i in range(n)]
    out = Out()
    items = []
    for p in people:
        if rng.random() < .8:
            k = 1 + (rng.randint(1, 5) if rng.random() < .45 else 0)
            items += [(p, j) for j in range(k)]
    rng.shuffle(items)
    rows = []
    base = {}
    for i, (p, j) in enumerate(items):
        rid = "A%06d" % (i + 1)
        if p.pid not in base:
            base[p.pid] = std_fields(rng, view(rng, p), "uk")
            f = dict(base[p.pid])
        else:
            f = dict(base[p.pid])
            for _ in range(rng.choice([1, 1, 1, 2])):
                e = rng.random()
                if e < .2:
                    f["sur"] = f["sur"].upper()
                    f["first"] = f["first"].upper()
                elif e < .32:
                    f["middle"] = ""
                elif e < .45:
                    f["phone"] = fmt_phone(rng, mobile(rng))
                elif e < .57:
                    h = p.home2 if rng.random() < .6 else make_home(rng)
                    f["address"], f["town"], f["postcode"] = addr(h), h["town"], h["postcode"]
                elif e < .67:
                    k = rng.choice(["first", "sur", "address"])
                    if f[k]:
                        f[k] = typo(rng, f[k])
                elif e < .75:
                    f[rng.choice(["phone", "postcode", "middle", "dob", "address"])] = ""
                elif e < .83:
                    f["address"] = f["address"].replace("Road", "Rd").replace("Street", "St").upper()
                elif e < .9:
                    f["first"] = "  " + f["first"] + " "
                else:
                    f["dob"] = fmt_date(dob_typo(rng, p.dob))
        rows.append(std_row(rid, f))
        out.add(rid, p.pid)
    write(od, "a.csv", STD_HDR, rows)
    std_source(od, rng, out, "B", [p for p in people if rng.random() < .6], "iso", upper=True, short=True)
    return out.truth, [], STD_ARGS, "A: 80% of people, 45% of them re-keyed 2-6 times with small edits; B a plain source of 60%"


def make_buildings(rng, k):
    bl = []
    for _ in range(k):
        h = make_home(rng)
        h["building"] = "%s %s" % (rng.choice(BUILD_W), rng.choice(BUILD_T))
        h["nflats"] = rng.randint(6, 40)
        bl.append(h)
    return bl


def flat_in(rng, b):
    h = dict(b)
    h["flat"] = rng.randint(1, b["nflats"])
    if rng.random() < .3:
        h["num"] = b["num"]
    return h


def shape_freeaddr(od, n, rng):
    bl = make_buildings(rng, max(20, n // 25))
    people = []
    for i in range(n):
        p = make_person(rng, i + 1)
        if rng.random() < .45:
            p.home = flat_in(rng, rng.choice(bl))
        if rng.random() < .35:
            p.home2 = flat_in(rng, rng.choice(bl))
        people.append(p)
    app = appear(rng, people, "ABC", {"A": .7, "B": .7, "C": .6})
    out = Out()

    def free(h, style):
        s_long, s_short = street(h), street(h, True)
        if not h["flat"]:
            return s_long if style % 2 else s_short.upper()
        fl, bd = h["flat"], h["building"]
        bds = bd.replace("Court", "Ct").replace("House", "Ho").replace("Apartments", "Apts")
        forms = ["Flat %d %s %s" % (fl, bd, s_long),
                 "%d %s, %s" % (fl, bd, s_long),
                 "%s, Flat %d, %s" % (s_short, fl, bd),
                 "Flat %d, %s, %s %s" % (fl, bds, h["street"], h["stype"][0]),
                 "%d/%d %s" % (h["num"], fl, h["street"] + " " + h["stype"][1]),
                 "Apartment %d %s" % (fl, bd),
                 "%s Flat %d" % (s_long, fl),
                 "F%d %s" % (fl, bd.upper())]
        return forms[style % len(forms)]

    for s, style_fn, pc, ds in (("A", lambda: 0, True, "uk"), ("B", lambda: rng.randrange(8), False, "iso"),
                                ("C", lambda: rng.randrange(8), True, "mon")):
        rows = []
        for i, p in enumerate(app[s]):
            rid = "%s%06d" % (s, i + 1)
            r = view(rng, p)
            f = std_fields(rng, r, ds, upper=(s == "B"))
            h = gv(r, "home")
            f["address"] = free(h, style_fn()) if h else ""
            if s == "A" and h and h["flat"]:
                f["address"] = addr(h)
            if not pc:
                f["postcode"] = ""
            rows.append(std_row(rid, f))
            out.add(rid, p.pid)
        write(od, s.lower() + ".csv", STD_HDR, rows)
    return out.truth, [], STD_ARGS, \
        "45%% live in flats of %d named buildings; addresses free text in 8 orders; B has no postcode" % len(bl)


def shape_sexcodes(od, n, rng):
    people = [make_person(rng, i + 1) for i in range(n)]
    app = appear(rng, people, "ABC", {"A": .7, "B": .7, "C": .6})
    out = Out()
    codes = {"A": {"M": ["M"], "F": ["F"], None: ["U", ""]},
             "B": {"M": ["1"], "F": ["2"], None: ["9", "0"]},
             "C": {"M": ["Male", "MALE", "male"], "F": ["Female", "FEMALE", "female"], None: ["Unknown", "Not stated", ""]}}

    def coder(s):
        def edit(r, p):
            x = p.sex
            if rng.random() < .02:
                x = "F" if x == "M" else "M"
            if rng.random() < (.15 if s == "C" else .03):
                x = None
            r["sex"] = rng.choice(codes[s][x])
        return edit

    std_source(od, rng, out, "A", app["A"], "uk", edit=coder("A"))
    std_source(od, rng, out, "B", app["B"], "iso", upper=True, short=True, edit=coder("B"))
    std_source(od, rng, out, "C", app["C"], "mon", edit=coder("C"))
    return out.truth, [], STD_ARGS, "sex: A M/F/U, B 1/2/9/0, C Male/Female/Unknown/Not stated (15% unknown); 2% miscoded"


def shape_doublebarrel(od, n, rng):
    SPAN = ["Garcia", "Lopez", "Fernandes", "Silva", "Santos", "Pereira", "Rodrigues", "Martinez", "Gomes", "Costa"]
    people = []
    for i in range(n):
        p = make_person(rng, i + 1)
        p.parts = None
        u = rng.random()
        if u < .10:
            a, b = zipf(rng, SURN, 8), zipf(rng, SURN, 8)
            if a != b:
                p.parts = (a, b, "-")
        elif u < .17:
            a, b = rng.sample(SPAN, 2)
            p.parts = (a, b, " ")
        elif u < .22:
            a, b = zipf(rng, SURN, 8), zipf(rng, SURN, 8)
            if a != b:
                p.parts = (a, b, "-")
        if p.parts:
            p.sur = p.parts[0] + p.parts[2] + p.parts[1]
        people.append(p)
    app = appear(rng, people, "ABC", {"A": .7, "B": .7, "C": .6})
    out = Out()

    def variant(r, p):
        if not p.parts or r.get("no_sur"):
            return
        a, b, sep = p.parts
        u = rng.random()
        if u < .35:
            v = a + sep + b
        elif u < .5:
            v = a + (" " if sep == "-" else "-") + b
        elif u < .58:
            v = a + b
        elif u < .80:
            v = a if sep == " " else b  # Spanish: the first (paternal) surname; British: the last part
        else:
            v = b if sep == " " else a
        r["sur"] = typo(rng, v) if rng.random() < .04 else v

    std_source(od, rng, out, "A", app["A"], "uk", edit=variant)
    std_source(od, rng, out, "B", app["B"], "iso", upper=True, short=True, edit=variant)
    std_source(od, rng, out, "C", app["C"], "mon", edit=variant)
    return out.truth, [], STD_ARGS, "22% double surnames; each record writes it whole (hyphen/space swapped), joined, or one part only"


def shape_unbalanced3(od, n, rng):
    nn = max(2000, n * 20 // 3)
    people = [make_person(rng, i + 1) for i in range(nn)]
    out = Out()
    # N: national-style, everyone, 2% duplicates, capitals, ISO dates, postcode only, no phone
    items = []
    for p in people:
        items.append(p)
        if rng.random() < .02:
            items.append(p)
    rng.shuffle(items)
    rows = []
    for i, p in enumerate(items):
        rid = "N%07d" % (i + 1)
        r = view(rng, p, moved=.2)
        f = std_fields(rng, r, "iso", upper=True)
        rows.append([rid, f["first"].upper(), f["middle"].upper(), f["sur"], f["dob"], f["sex"], "", "", f["postcode"], ""])
        out.add(rid, p.pid)
    write(od, "a.csv", STD_HDR, rows)
    # F: a force's own records, n people: 70% in the national set, 30% not in it
    extra = [make_person(rng, nn + i + 1) for i in range(int(n * .3))]
    force = rng.sample(people, n - len(extra)) + extra
    fitems = []
    for p in force:
        fitems.append(p)
        if rng.random() < .04:
            fitems.append(p)
    rng.shuffle(fitems)
    std_source(od, rng, out, "B", fitems, "uk")
    # L: local, 200 records: 60% of force people, 25% national-only people, 15% in neither
    local = rng.sample(force, 120) + rng.sample(people, 50) + [make_person(rng, nn + len(extra) + i + 1) for i in range(30)]
    rng.shuffle(local)
    rows = []
    for i, p in enumerate(local):
        rid = "L%05d" % (i + 1)
        r = view(rng, p, moved=.3, miss=.06)
        if rng.random() < .2:
            r["no_dob"] = True
        f = std_fields(rng, r, "mon", short=True)
        name = " ".join(x for x in (f["first"], f["sur"].upper()) if x)
        rows.append([rid, name, "", "", f["dob"], f["sex"], f["address"] + (", " + f["town"] if f["town"] and f["address"] else ""), "", "", f["phone"]])
        out.add(rid, p.pid)
    write(od, "c.csv", ["id", "full_name", "forename", "surname", "dob", "sex", "address", "town", "postcode", "phone"], rows)
    return out.truth, [], STD_ARGS + " --field full_name=full_name", \
        "national %d people (+2%% dups, no address/phone), force %d (30%% not national), local 200 (whole names, no postcode, 20%% no dob)" % (nn, n)


def shape_siblings(od, n, rng):
    people, pairs = [], []
    pid = 0
    while len(people) < n:
        home = make_home(rng)
        sur = zipf(rng, SURN, 8)
        ll = landline(rng) if rng.random() < .5 else None
        mum_dob = rand_date(rng, 1965, 1992)
        fam = []
        pid += 1
        mum = make_person(rng, pid, sex="F", dob=mum_dob, sur=sur if rng.random() < .7 else zipf(rng, SURN, 8), home=home)
        fam.append(mum)
        if rng.random() < .5:
            pid += 1
            fam.append(make_person(rng, pid, sex="M", dob=mum_dob + datetime.timedelta(days=rng.randint(-1500, 2500)), sur=sur, home=home))
        k = rng.choice([2, 2, 2, 3, 3, 4, 5])
        d = mum_dob + datetime.timedelta(days=rng.randint(18 * 365, 28 * 365))
        kids = []
        twins = rng.random() < .05
        for j in range(k):
            if d.year > 2012:
                break
            pid += 1
            c = make_person(rng, pid, dob=d, kid=True, sur=sur if rng.random() < .85 else zipf(rng, SURN, 8), home=home)
            c.home2 = kids[0].home2 if kids and rng.random() < .6 else c.home2
            while any(c.first == x.first for x in kids):
                c.first = zipf(rng, KID_M if c.sex == "M" else KID_F, 5)
            kids.append(c)
            if twins and j == 0:
                pid += 1
                t = make_person(rng, pid, dob=d, kid=True, sur=c.sur, home=home)
                t.home2 = c.home2
                while t.first == c.first:
                    t.first = zipf(rng, KID_M if t.sex == "M" else KID_F, 5)
                kids.append(t)
                pairs.append((c.pid, t.pid, "twins"))
            d = d + datetime.timedelta(days=rng.randint(300, 1200))
        for c in kids:
            for c2 in kids:
                if c.pid < c2.pid and abs((c.dob - c2.dob).days) > 0:
                    pairs.append((c.pid, c2.pid, "siblings"))
        for x in fam + kids:
            x.landline = ll
        people += fam + kids
    app = appear(rng, people, "ABC", {"A": .7, "B": .7, "C": .6})
    out = Out()
    std_source(od, rng, out, "A", app["A"], "uk", viewargs=dict(moved=.1))
    std_source(od, rng, out, "B", app["B"], "iso", upper=True, short=True, viewargs=dict(moved=.1))
    std_source(od, rng, out, "C", app["C"], "mon", viewargs=dict(moved=.1))
    return out.truth, out.hard(pairs), STD_ARGS, \
        "families: 2-5 children 10-40 months apart at one home (85% same surname, 50% share a landline), 5% twins; parents too"


def shape_fillers(od, n, rng):
    people = [make_person(rng, i + 1) for i in range(n)]
    app = appear(rng, people, "AB", {"A": .8, "B": .8})
    out = Out()
    FN = ["UNK", "N.K.", "XX", "Unknown Male", "NOT RECORDED", "-", "?"]
    SN = ["UNK", "N.K.", "XXX", "UNKNOWN", "Not recorded", "-"]
    PH = ["07000000000", "00000000000", "07999999999", "01000 000000", "0", "N/A", "07700900000"]

    def fill(rate):
        def edit(r, p):
            u = rng.random()
            if u < rate * .08:
                r["first"] = rng.choice(FN)
            elif u < rate * .13:
                r["sur"] = rng.choice(SN)
            u = rng.random()
            if u < rate * .12:
                r["dob"] = datetime.date(p.dob.year + rng.choice([0, 0, 0, -1, 1]), 1, 1)  # estimated: 01/01/YYYY
            elif u < rate * .18:
                r["dob"] = datetime.date(1900, 1, 1)
            if rng.random() < rate * .12:
                r["phone"] = rng.choice(PH)
        return edit

    std_source(od, rng, out, "A", app["A"], "uk", edit=fill(1.0))
    std_source(od, rng, out, "B", app["B"], "iso", upper=True, short=True, edit=fill(.5))
    return out.truth, [], STD_ARGS, \
        "A: 12% dob 01/01/YYYY (estimated), 6% 01/01/1900, 8% first / 5% surname fillers (UNK, N.K., XX...), 12% filler phones; B half those rates"


def shape_hostel(od, n, rng):
    towns = TOWNS[:8]
    shared = []
    names = ["Salvation Army Hostel, %d %s Street", "YMCA, %d %s Road", "%d %s Road (HMO)", "St Anne's Night Shelter, %d %s Lane",
             "Travelodge, %d %s Way", "Foyer Project, %d %s Street", "Approved Premises, %d %s Road"]
    for t in towns:
        for nm in names:
            h = make_home(rng, t)
            h["kind"] = "named"
            h["line"] = nm % (h["num"], h["street"])
            shared.append(h)
        h = make_home(rng, t)
        h["kind"] = "named"
        h["line"] = "HMP %s" % t[0].split()[0]
        shared.append(h)
    people = []
    for i in range(n):
        p = make_person(rng, i + 1)
        u = rng.random()
        if u < .18:
            p.home = zipf(rng, shared, 3)
        if rng.random() < .25:
            p.home2 = zipf(rng, shared, 3)
        people.append(p)
    app = appear(rng, people, "ABC", {"A": .7, "B": .7, "C": .6})
    out = Out()

    def nodob(r, p):
        if rng.random() < .15:
            r["no_dob"] = True

    std_source(od, rng, out, "A", app["A"], "uk", viewargs=dict(moved=.3))
    std_source(od, rng, out, "B", app["B"], "iso", upper=True, short=True, viewargs=dict(moved=.3), edit=nodob)
    std_source(od, rng, out, "C", app["C"], "mon", viewargs=dict(moved=.3), edit=nodob)
    return out.truth, [], STD_ARGS, \
        "18%% live at one of %d shared addresses (hostels, HMOs, prisons), 25%% lived at one before; 30%% of records at the other home; B, C 15%% no dob" % len(shared)


SHAPES = {k[6:]: v for k, v in list(globals().items()) if k.startswith("shape_")}

if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in SHAPES:
        sys.exit("usage: gen3.py SHAPE OUTDIR [N_PEOPLE] [SEED]; shapes: " + " ".join(SHAPES))
    shape, od = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    os.makedirs(od, exist_ok=True)
    rng = random.Random(seed * 104729 + sum(ord(c) * 37 ** i for i, c in enumerate(shape)) % 1000003)
    truth, hard, args, meta = SHAPES[shape](od, n, rng)
    write(od, "truth.csv", ["record_id", "person_id"], truth)
    if hard:
        write(od, "hard.csv", ["record_id_a", "record_id_b", "kind"], hard)
    with open(os.path.join(od, "args.txt"), "w") as fh:
        fh.write(args + "\n")
    with open(os.path.join(od, "meta.txt"), "w") as fh:
        fh.write(meta + "\n")
    print(shape, seed, len(truth), "records,", len(hard), "hard pairs")
