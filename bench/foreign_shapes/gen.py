#!/usr/bin/env python3
"""Shape generator for iom conflate stress tests. stdlib only, fixed seeds.
usage: gen.py SHAPE OUTDIR [N_PEOPLE] [SEED]
Writes the source CSVs and truth.csv (record_id,person_id) in OUTDIR."""
import csv, random, sys, os, datetime

BRIT_M = "James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony Mark Paul Steven Andrew Kenneth Joshua Kevin Brian George Edward Ronald Timothy Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Frank Alexander Patrick Raymond Jack Dennis Jerry Tyler Aaron Henry Adam Peter Nathan Zachary Kyle Harry Oliver Callum Liam Connor Lewis Jamie Ian Graham Neil Craig Dean Wayne Lee Carl Darren Stuart Shaun Gavin Barry Keith Alan Colin".split()
BRIT_F = "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Nancy Lisa Margaret Sandra Ashley Emily Donna Michelle Carol Amanda Melissa Deborah Stephanie Rebecca Laura Helen Sharon Cynthia Kathleen Amy Shirley Angela Anna Ruth Brenda Pamela Nicola Katherine Christine Samantha Debra Rachel Carolyn Janet Catherine Maria Heather Diane Julie Joyce Victoria Kelly Christina Joan Evelyn Lauren Judith Olivia Megan Chloe Sophie Emma Hannah Lucy Charlotte Jade Gemma Kirsty Leanne Claire Joanne Tracey Dawn Julie Hayley Stacey".split()
BRIT_S = "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey".split()

# origin pools: each entry is a list of variant spellings of one name (variant 0 canonical)
SA_M = [["Mohammed","Muhammad","Mohamed","Mohammad","Muhammed"],["Imran"],["Sanjay"],["Rajesh","Rajesh"],["Amir","Ameer"],["Tariq","Tarik"],["Gurpreet"],["Harjit","Harjeet"],["Arjun"],["Zubair","Zubayr"],["Asif"],["Faisal","Faysal"],["Kamran"],["Yusuf","Yousuf","Yousaf"],["Bilal"],["Rizwan"]]
SA_F = [["Aisha","Ayesha","Aysha"],["Priya"],["Fatima","Fatimah"],["Nazia"],["Shabana"],["Harpreet"],["Gurpreet"],["Sana"],["Zainab","Zaynab"],["Nusrat"],["Anjali"],["Parveen","Perveen","Parvin"],["Rukhsana"],["Samina"]]
SA_S = [["Khan"],["Patel"],["Singh"],["Kaur"],["Ahmed","Ahmad"],["Hussain","Hussein","Husain"],["Begum"],["Ali"],["Shah"],["Iqbal"],["Akhtar","Akhter"],["Chaudhry","Choudhury","Chowdhury","Chaudhary"],["Rahman"],["Sharma"],["Mahmood","Mehmood","Mahmud"],["Qureshi","Kureshi"],["Malik"],["Bibi"],["Butt"],["Rashid"]]
PL_M = [["Krzysztof"],["Wojciech"],["Piotr"],["Tomasz"],["Paweł","Pawel"],["Łukasz","Lukasz"],["Michał","Michal"],["Grzegorz"],["Jakub"],["Marcin"],["Mateusz"]]
PL_F = [["Agnieszka"],["Małgorzata","Malgorzata"],["Katarzyna"],["Anna"],["Magdalena"],["Joanna"],["Ewa"],["Dorota"],["Aleksandra"],["Żaneta","Zaneta"]]
PL_S = [["Nowak"],["Kowalski"],["Wiśniewski","Wisniewski"],["Wójcik","Wojcik"],["Kowalczyk"],["Kamiński","Kaminski"],["Lewandowski"],["Zieliński","Zielinski"],["Szymański","Szymanski"],["Woźniak","Wozniak"],["Dąbrowski","Dabrowski"],["Kozłowski","Kozlowski"]]
CN_M = [["Wei"],["Jun"],["Hao"],["Jian"],["Ming"],["Lei"],["Tao"],["Qiang"],["Xiaoming","Xiao Ming","Xiao-Ming"],["Zhiwei","Zhi Wei"]]
CN_F = [["Li Na","Lina","Li-Na"],["Mei"],["Xiu Ying","Xiuying"],["Yan"],["Jing"],["Fang"],["Ying"],["Hui"],["Xin"],["Lan"]]
CN_S = [["Wang"],["Li","Lee"],["Zhang","Chang"],["Liu"],["Chen","Chan"],["Yang"],["Huang","Wong"],["Zhao","Chiu"],["Wu"],["Zhou","Chow"]]
AR_M = [["Mohammed","Muhammad","Mohamed","Mohammad","Mohamad"],["Ahmed","Ahmad"],["Abdul Rahman","Abdulrahman","Abdel Rahman","Abd al-Rahman"],["Yusuf","Yousef","Youssef","Yousif"],["Omar","Umar"],["Khalid","Khaled"],["Hassan","Hasan"],["Mustafa","Mostafa"],["Ibrahim"],["Ali"]]
AR_F = [["Fatima","Fatma","Fatimah"],["Aisha","Aysha","Aicha"],["Maryam","Mariam"],["Noor","Nour","Nur"],["Layla","Leila","Laila"],["Huda"],["Amira","Ameera"],["Salma"]]
AR_S = [["Al-Sayed","El-Sayed","Alsayed","El Sayed"],["Abdullah","Abdalla","Abdallah"],["Hassan","Hasan"],["Hussein","Husain","Hussain"],["Mahmoud","Mahmud"],["Ibrahim"],["Mansour","Mansur"],["Haddad"],["Nasser","Nasir"],["Al-Amin","Alamin","El Amin"]]

TOWNS = [("London","E",1,18),("London","N",1,22),("London","SE",1,28),("Birmingham","B",1,45),("Manchester","M",1,40),("Leeds","LS",1,29),("Bradford","BD",1,24),("Leicester","LE",1,19),("Luton","LU",1,7),("Cardiff","CF",3,24),("Glasgow","G",1,53),("Sheffield","S",1,36),("Bristol","BS",1,16),("Liverpool","L",1,37),("Nottingham","NG",1,22),("Coventry","CV",1,8)]
STREETS = "High Church Station Victoria Green Manor Park Queens Kings Grange Mill School North South Stanley Albert Oxford Cambridge Windsor York Alexandra Springfield Chapel Princess New Main Broadway Highfield Elm Oak".split()
STYPES = [("Road","Rd"),("Street","St"),("Lane","Ln"),("Avenue","Ave"),("Close","Cl"),("Drive","Dr"),("Crescent","Cres"),("Gardens","Gdns")]
UNIT = "ABDEFGHJLNPQRSTUWXYZ"
MON = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()

def pick(rng, lst):
    return lst[rng.randrange(len(lst))]

def zipf(rng, lst, k=8):
    w = [1.0/(i+k) for i in range(len(lst))]
    return rng.choices(lst, w)[0]

class Person:
    pass

def make_people(n, rng, origin_mix=None):
    """origin_mix: dict origin->share; 'brit' default."""
    people = []
    origins = list((origin_mix or {"brit": 1.0}).items())
    for pid in range(1, n+1):
        p = Person(); p.pid = pid
        p.origin = rng.choices([o for o, _ in origins], [w for _, w in origins])[0]
        p.sex = rng.choice("MF")
        if p.origin == "brit":
            p.first = [zipf(rng, BRIT_M if p.sex == "M" else BRIT_F)]
            p.middle = [zipf(rng, BRIT_M if p.sex == "M" else BRIT_F)] if rng.random() < .6 else None
            p.sur = [zipf(rng, BRIT_S, 10)]
        else:
            pools = {"sa": (SA_M, SA_F, SA_S), "pl": (PL_M, PL_F, PL_S), "cn": (CN_M, CN_F, CN_S), "ar": (AR_M, AR_F, AR_S)}[p.origin]
            p.first = zipf(rng, pools[0] if p.sex == "M" else pools[1], 3)
            p.middle = zipf(rng, pools[0] if p.sex == "M" else pools[1], 3) if rng.random() < .4 else None
            if p.middle == p.first: p.middle = None
            p.sur = zipf(rng, pools[2], 3)
            if p.origin == "pl" and p.sex == "F":
                p.sur = [s[:-1] + "a" if s.endswith("i") else s for s in p.sur]
            if p.origin == "sa" and p.sex == "F" and rng.random() < .3:
                p.sur = [["Begum"], ["Kaur"], ["Bibi"]][rng.randrange(3)]
        y = rng.randint(1975, 2007) if rng.random() < .7 else rng.randint(1935, 1974)
        p.dob = datetime.date(y, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        p.addr = make_addr(rng)
        p.addr2 = make_addr(rng)
        p.phone = "07" + str(rng.choice("12345789")) + "".join(str(rng.randrange(10)) for _ in range(8))
        p.phone2 = "07" + str(rng.choice("12345789")) + "".join(str(rng.randrange(10)) for _ in range(8))
        p.ni = "".join(rng.choice("ABCEGHJKLMNPRSTWXYZ") for _ in range(2)) + "".join(str(rng.randrange(10)) for _ in range(6)) + rng.choice("ABCD")
        people.append(p)
    return people

def make_addr(rng):
    town, area, lo, hi = zipf(rng, TOWNS, 4)
    num = min(rng.randint(1, 200), rng.randint(1, 200))
    st = zipf(rng, STREETS, 6); ty = pick(rng, STYPES)
    pc = "%s%d %d%s%s" % (area, rng.randint(lo, hi), rng.randrange(10), rng.choice(UNIT), rng.choice(UNIT))
    return {"num": num, "street": st, "type": ty, "town": town, "postcode": pc}

def typo(rng, s):
    if not s: return s
    idx = [i for i, c in enumerate(s) if c.isalnum()]
    if not idx: return s
    i = rng.choice(idx); op = rng.random()
    if op < .4:
        c = s[i]; r = rng.choice("abcdefghijklmnopqrstuvwxyz") if c.isalpha() else str(rng.randrange(10))
        if c.isupper(): r = r.upper()
        return s[:i] + r + s[i+1:]
    if op < .65: return s[:i] + s[i+1:]
    if op < .85: return s[:i+1] + s[i] + s[i+1:]
    if i + 1 < len(s): return s[:i] + s[i+1] + s[i] + s[i+2:]
    return s

def variant(rng, names, pvar):
    """names: list of variants; choose canonical most of the time."""
    if len(names) > 1 and rng.random() < pvar:
        return rng.choice(names[1:])
    return names[0]

def strip_diacritics(s):
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).replace("ł", "l").replace("Ł", "L")

def base_record(rng, p, pvar=0.3, typo_rate=0.08, miss=0.05, moved=0.15):
    r = {}
    r["first"] = variant(rng, p.first, pvar)
    r["middle"] = variant(rng, p.middle, pvar) if p.middle else ""
    r["sur"] = variant(rng, p.sur, pvar)
    r["dob"] = p.dob
    r["sex"] = p.sex
    a = p.addr2 if rng.random() < moved else p.addr
    r["num"], r["street"], r["stype"], r["town"], r["postcode"] = a["num"], a["street"], a["type"], a["town"], a["postcode"]
    r["phone"] = p.phone2 if rng.random() < .2 else p.phone
    r["ni"] = p.ni
    for k in ("first", "sur", "middle"):
        if r[k] and rng.random() < typo_rate: r[k] = typo(rng, r[k])
    for k in ("first", "middle", "sur", "dob", "postcode", "phone", "town"):
        if rng.random() < miss: r[k] = None
    return r

def address_str(r, short=False):
    return "%d %s %s" % (r["num"], r["street"], r["stype"][1] if short else r["stype"][0])

def fmt_date(d, style, rng=None):
    if d is None: return ""
    if style == "iso": return d.isoformat()
    if style == "uk": return d.strftime("%d/%m/%Y")
    if style == "uk2": return d.strftime("%d/%m/%y")
    if style == "us": return d.strftime("%m/%d/%Y")
    if style == "mon": return "%d %s %d" % (d.day, MON[d.month-1], d.year)
    if style == "monU": return "%02d-%s-%d" % (d.day, MON[d.month-1].upper(), d.year)
    if style == "excel": return str((d - datetime.date(1899, 12, 30)).days)
    if style == "isot": return d.isoformat() + "T00:00:00"
    if style == "ukt": return d.strftime("%d/%m/%Y") + " 00:00"
    raise ValueError(style)

def fmt_phone(ph, style):
    if ph is None: return ""
    n = ph[1:]  # 7xxxxxxxxx
    if style == 0: return ph
    if style == 1: return "+44 %s %s" % (n[:4], n[4:])
    if style == 2: return "0044%s" % n
    if style == 3: return "%s %s" % (ph[:5], ph[5:])
    if style == 4: return "+44(0)%s" % n
    if style == 5: return "(%s) %s-%s" % (ph[:5], ph[5:8], ph[8:])
    if style == 6: return "44%s" % n
    if style == 7: return "%s.%s.%s" % (ph[:5], ph[5:8], ph[8:])
    return ph

def write(path, header, rows, **kw):
    with open(path, "w", newline="", encoding=kw.get("encoding", "utf-8")) as f:
        w = csv.writer(f, lineterminator=kw.get("eol", "\n"))
        w.writerow(header)
        for r in rows: w.writerow(r)

def appearances(rng, people, srcs, p_in, dup):
    """yield (person, src, copy) with each person in a source with prob p_in[src], dup rate dup."""
    out = {s: [] for s in srcs}
    for p in people:
        got = [s for s in srcs if rng.random() < p_in[s]]
        for s in got:
            out[s].append(p)
            if rng.random() < dup: out[s].append(p)
    for s in srcs: rng.shuffle(out[s])
    return out

# --------------------------------------------------------------------------- shapes

def shape_headers(od, n, rng):
    """police-style headers, orders, UPPER CASE, whitespace, titles, initials."""
    people = make_people(n, rng)
    app = appearances(rng, people, "AB", {"A": .8, "B": .8}, .03)
    truth = []
    rowsA = []
    for i, p in enumerate(app["A"]):
        r = base_record(rng, p); rid = "A%06d" % i; truth.append((rid, p.pid))
        title = {"M": "Mr", "F": rng.choice(["Mrs", "Ms", "Miss"])}[p.sex] if rng.random() < .3 else ""
        rowsA.append([rid, (r["sur"] or "").upper(), ((title + " ") if title else "") + (r["first"] or ""), r["middle"],
                      fmt_date(r["dob"], "uk"), {"M": "Male", "F": "Female"}[r["sex"]], address_str(r), r["town"], r["postcode"] or "", fmt_phone(r["phone"], 3)])
    write(os.path.join(od, "a.csv"), ["Person Ref", "Surname", "Forename(s)", "Middle Name", "D.O.B.", "Gender", "Home Address", "Town", "Post Code", "Tel No"], rowsA)
    rowsB = []
    for i, p in enumerate(app["B"]):
        r = base_record(rng, p); rid = "B%06d" % i; truth.append((rid, p.pid))
        first = r["first"] or ""
        if first and rng.random() < .25: first = first[0]  # initial only
        title = ("DR " if rng.random() < .03 else "")
        ws = lambda s: ("  " + s + "   ") if s and rng.random() < .3 else s
        rowsB.append([ws((r["postcode"] or "").upper()), rid, ws(title + first.upper()), ws((r["sur"] or "").upper()),
                      fmt_date(r["dob"], "uk"), r["sex"], ws(address_str(r, True).upper()), (r["town"] or "").upper(), fmt_phone(r["phone"], 0)])
    write(os.path.join(od, "b.csv"), ["POSTCODE", "URN", "FIRST NAME", "LAST NAME", "DATE OF BIRTH", "SEX", "ADDRESS", "TOWN", "PHONE NUMBER"], rowsB)
    return truth

def shape_fullname(od, n, rng):
    """A: split names. B: one 'Name' column, half 'SMITH, John', half 'John Smith'."""
    people = make_people(n, rng)
    app = appearances(rng, people, "AB", {"A": .8, "B": .8}, .03)
    truth = []; rows = []
    for i, p in enumerate(app["A"]):
        r = base_record(rng, p); rid = "A%06d" % i; truth.append((rid, p.pid))
        rows.append([rid, r["first"] or "", r["middle"], r["sur"] or "", fmt_date(r["dob"], "uk"), r["sex"], address_str(r), r["postcode"] or ""])
    write(os.path.join(od, "a.csv"), ["id", "first_name", "middle_name", "surname", "dob", "sex", "address", "postcode"], rows)
    rows = []
    for i, p in enumerate(app["B"]):
        r = base_record(rng, p); rid = "B%06d" % i; truth.append((rid, p.pid))
        f, m, s = r["first"] or "", r["middle"], r["sur"] or ""
        if rng.random() < .5: name = "%s, %s%s" % (s.upper(), f, (" " + m) if m else "")
        else: name = "%s%s %s" % (f, (" " + m) if m else "", s)
        rows.append([rid, name.strip(" ,"), fmt_date(r["dob"], "uk"), r["sex"], address_str(r), r["postcode"] or ""])
    write(os.path.join(od, "b.csv"), ["id", "name", "dob", "sex", "address", "postcode"], rows)
    return truth

def _dates(od, n, rng, styles):
    people = make_people(n, rng)
    srcs = "ABC"[:len(styles)]
    app = appearances(rng, people, srcs, {s: .75 for s in srcs}, .03)
    truth = []
    for s, st in zip(srcs, styles):
        rows = []
        for i, p in enumerate(app[s]):
            r = base_record(rng, p); rid = "%s%06d" % (s, i); truth.append((rid, p.pid))
            rows.append([rid, r["first"] or "", r["sur"] or "", fmt_date(r["dob"], st), r["sex"], address_str(r), r["postcode"] or ""])
        write(os.path.join(od, s.lower() + ".csv"), ["id", "first_name", "surname", "dob", "sex", "address", "postcode"], rows)
    return truth

def shape_dates_iso_2y(od, n, rng): return _dates(od, n, rng, ["iso", "uk2", "mon"])
def shape_dates_us(od, n, rng): return _dates(od, n, rng, ["uk", "us"])
def shape_dates_excel(od, n, rng): return _dates(od, n, rng, ["uk", "excel"])
def shape_dates_misc(od, n, rng): return _dates(od, n, rng, ["isot", "ukt", "monU"])

def shape_origins(od, n, rng):
    """diverse origins, transliteration variants, B writes Chinese names surname-first in first_name column
    (order swapped), C drops Polish diacritics."""
    people = make_people(n, rng, {"brit": .45, "sa": .25, "pl": .1, "cn": .08, "ar": .12})
    app = appearances(rng, people, "ABC", {"A": .7, "B": .7, "C": .6}, .04)
    truth = []
    for s in "ABC":
        rows = []
        for i, p in enumerate(app[s]):
            r = base_record(rng, p, pvar=.45); rid = "%s%06d" % (s, i); truth.append((rid, p.pid))
            f, su = r["first"] or "", r["sur"] or ""
            if s == "B" and p.origin == "cn" and rng.random() < .7: f, su = su, f
            if s == "B" and rng.random() < .05: f, su = su, f
            if s == "C": f, su = strip_diacritics(f), strip_diacritics(su)
            if s == "B": su = su.upper()
            rows.append([rid, f, r["middle"] if s != "C" else "", su, fmt_date(r["dob"], "uk"), r["sex"], address_str(r), r["town"] or "", r["postcode"] or ""])
        write(os.path.join(od, s.lower() + ".csv"), ["id", "first_name", "middle_name", "surname", "dob", "sex", "address", "town", "postcode"], rows)
    return truth

def shape_contacts(od, n, rng):
    """phones in 8 formats, postcodes w/o space, lower case, a mobile that is shared in a family? (no)."""
    people = make_people(n, rng)
    app = appearances(rng, people, "AB", {"A": .8, "B": .8}, .03)
    truth = []
    for s in "AB":
        rows = []
        for i, p in enumerate(app[s]):
            r = base_record(rng, p); rid = "%s%06d" % (s, i); truth.append((rid, p.pid))
            pc = r["postcode"] or ""
            k = rng.random()
            if k < .3: pc = pc.replace(" ", "")
            elif k < .5: pc = pc.lower()
            elif k < .6: pc = pc.lower().replace(" ", "")
            rows.append([rid, r["first"] or "", r["sur"] or "", fmt_date(r["dob"], "uk"), fmt_phone(r["phone"], rng.randrange(8)), pc, address_str(r)])
        write(os.path.join(od, s.lower() + ".csv"), ["id", "first_name", "surname", "dob", "phone", "postcode", "address"], rows)
    return truth

def shape_bigsmall(od, n, rng):
    """A large (all people, 4% dups), B tiny (150 records) with 70% no dob."""
    people = make_people(n, rng)
    truth = []; rows = []
    order = []
    for p in people:
        order.append(p)
        if rng.random() < .04: order.append(p)
    rng.shuffle(order)
    for i, p in enumerate(order):
        r = base_record(rng, p); rid = "A%06d" % i; truth.append((rid, p.pid))
        rows.append([rid, r["first"] or "", r["middle"], r["sur"] or "", fmt_date(r["dob"], "uk"), r["sex"], address_str(r), r["town"] or "", r["postcode"] or "", r["phone"] or ""])
    hdr = ["id", "first_name", "middle_name", "surname", "dob", "sex", "address", "town", "postcode", "phone"]
    write(os.path.join(od, "a.csv"), hdr, rows)
    rows = []
    sample = rng.sample(people, 140) + rng.sample(people, 10)
    for i, p in enumerate(sample):
        r = base_record(rng, p, moved=.4); rid = "B%06d" % i; truth.append((rid, p.pid))
        if rng.random() < .7: r["dob"] = None
        rows.append([rid, r["first"] or "", r["middle"], r["sur"] or "", fmt_date(r["dob"], "uk"), r["sex"], address_str(r), r["town"] or "", r["postcode"] or "", r["phone"] or ""])
    write(os.path.join(od, "b.csv"), hdr, rows)
    return truth

def shape_nodob70(od, n, rng):
    """two equal sources, B has 70% of dates missing"""
    people = make_people(n, rng)
    app = appearances(rng, people, "AB", {"A": .8, "B": .8}, .04)
    truth = []; hdr = ["id", "first_name", "surname", "dob", "sex", "address", "town", "postcode", "phone"]
    for s in "AB":
        rows = []
        for i, p in enumerate(app[s]):
            r = base_record(rng, p); rid = "%s%06d" % (s, i); truth.append((rid, p.pid))
            if s == "B" and rng.random() < float(os.environ.get("NODOB", ".7")): r["dob"] = None
            rows.append([rid, r["first"] or "", r["sur"] or "", fmt_date(r["dob"], "uk"), r["sex"], address_str(r), r["town"] or "", r["postcode"] or "", r["phone"] or ""])
        write(os.path.join(od, s.lower() + ".csv"), hdr, rows)
    return truth

def shape_dedupe5(od, n, rng):
    """single file, 5% duplicates, diverse names"""
    people = make_people(n, rng, {"brit": .7, "sa": .15, "pl": .07, "ar": .05, "cn": .03})
    order = []
    for p in people:
        order.append(p)
        if rng.random() < .05: order.append(p)
    rng.shuffle(order)
    truth = []; rows = []
    for i, p in enumerate(order):
        r = base_record(rng, p); rid = "R%07d" % i; truth.append((rid, p.pid))
        rows.append([rid, r["first"] or "", r["middle"], r["sur"] or "", fmt_date(r["dob"], "uk"), r["sex"], address_str(r), r["town"] or "", r["postcode"] or "", r["ni"] if rng.random() < .3 else ""])
    write(os.path.join(od, "a.csv"), ["id", "first_name", "middle_name", "surname", "dob", "sex", "address", "town", "postcode", "ni_number"], rows)
    return truth

def shape_link2(od, n, rng):
    """link-only: each person at most once per file, 60% overlap"""
    people = make_people(n, rng, {"brit": .8, "sa": .12, "pl": .08})
    truth = []; hdr = ["id", "first_name", "surname", "dob", "sex", "address", "postcode"]
    for s in "AB":
        sel = [p for p in people if rng.random() < .8]
        rng.shuffle(sel); rows = []
        for i, p in enumerate(sel):
            r = base_record(rng, p); rid = "%s%06d" % (s, i); truth.append((rid, p.pid))
            rows.append([rid, r["first"] or "", r["sur"] or "", fmt_date(r["dob"], "iso" if s == "A" else "uk"), r["sex"], address_str(r, s == "B"), r["postcode"] or ""])
        write(os.path.join(od, s.lower() + ".csv"), hdr, rows)
    return truth

def shape_frequent(od, n, rng):
    """dedupe-only: n people, 5% dups, plus 3 prolific people with 150, 120 and 60 records each
    (custody records of prolific offenders), lightly varied."""
    people = make_people(n, rng)
    order = []
    for p in people:
        order.append(p)
        if rng.random() < .05: order.append(p)
    for p, k in zip(people[:3], (150, 120, 60)):
        order += [p] * (k - order.count(p))
    rng.shuffle(order)
    truth = []; rows = []
    for i, p in enumerate(order):
        r = base_record(rng, p); rid = "R%07d" % i; truth.append((rid, p.pid))
        rows.append([rid, r["first"] or "", r["middle"], r["sur"] or "", fmt_date(r["dob"], "uk"), r["sex"], address_str(r), r["town"] or "", r["postcode"] or ""])
    write(os.path.join(od, "a.csv"), ["id", "first_name", "middle_name", "surname", "dob", "sex", "address", "town", "postcode"], rows)
    return truth

SHAPES = {k[6:]: v for k, v in globals().items() if k.startswith("shape_")}

if __name__ == "__main__":
    shape, od = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    os.makedirs(od, exist_ok=True)
    rng = random.Random(seed * 1000003 + sum(map(ord, shape)))
    truth = SHAPES[shape](od, n, rng)
    with open(os.path.join(od, "truth.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n"); w.writerow(["record_id", "person_id"])
        for t in truth: w.writerow(t)
    print(shape, len(truth), "records")
