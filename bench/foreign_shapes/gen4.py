#!/usr/bin/env python3
"""Review 132 (a review session of this project, 2026-12-08): eight held-out shapes for `iom conflate` (stdlib only, seeded).

usage: python3 gen.py SHAPE SEED OUTDIR [PEOPLE]
SHAPE: bankcp fintech arabic eircode headings visits carevisa romania (or 'all')
Writes OUTDIR/<source>.csv, OUTDIR/truth.csv (input,record_id,person_id) and
OUTDIR/basekey.csv (input,record_id,key): the exact first name + surname + date of birth key
that a plain rule would build from what each record shows (parsed formats, case folded).
"""
import csv, datetime as dt, os, random, sys, unicodedata

# ---------------------------------------------------------------- pools
M_EN = ("James John Robert Michael David William Richard Thomas Christopher Daniel Matthew Anthony "
        "Mark Paul Steven Andrew Joshua Kevin Brian George Edward Ryan Jacob Gary Nicholas Jonathan "
        "Stephen Scott Benjamin Samuel Gregory Alexander Patrick Jack Dylan Liam Connor Callum Kieran "
        "Lewis Jordan Aaron Bradley Jamie Adam Luke Nathan Craig Dean Lee Shane Wayne Darren Carl "
        "Mohammed Ali Imran Tariq Kyle Reece Harry Oliver Charlie Joseph Tyler Ethan Declan Marcus").split()
F_EN = ("Mary Sarah Emma Laura Rebecca Jessica Hannah Charlotte Emily Sophie Amy Lauren Chloe Megan "
        "Rachel Gemma Kelly Lisa Claire Nicola Michelle Donna Leanne Jade Stacey Danielle Samantha "
        "Katie Natalie Victoria Elizabeth Margaret Susan Karen Julie Joanne Amanda Louise Zoe Ellie "
        "Holly Amber Courtney Shannon Paige Aisha Fatima Ayesha Olivia Grace Lucy Abigail Kayleigh "
        "Jennifer Catherine Alice Bethany Kirsty").split()
SUR_EN = ("Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson "
          "Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson "
          "Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen "
          "James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook "
          "Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall "
          "Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray "
          "Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd "
          "Butler Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham Pearson Ahmed "
          "Fletcher Walsh Kaur Gibson Howard Andrews Stewart Elliott Reynolds Saunders Payne Fox "
          "Ford Pearce Day Brooks West Lawrence Cole Atkinson Bradley Spencer Gill Dawson Ball "
          "Burton O'Brien Watts Rose Booth Perry Ryan Grant Wells Armstrong Francis Rees Hayes Hart "
          "Hudson Newman Barrett Gregory Featherstone Fitzgerald Williamson Montgomery Chowdhury "
          "Higginbottom Cartwright Hetherington Christodoulou Rasmussen-Taylor Worthington "
          "Ogunbanjo Okonkwo Abdirahman Mahmood-Khan Wojciechowski").split()
NICK = {"Christopher": ["Chris"], "Michael": ["Mike", "Mick"], "David": ["Dave"], "William": ["Will", "Bill"],
        "Robert": ["Rob", "Bob"], "Thomas": ["Tom", "Tommy"], "Daniel": ["Dan", "Danny"],
        "Matthew": ["Matt"], "Anthony": ["Tony"], "Steven": ["Steve"], "Stephen": ["Steve"],
        "Andrew": ["Andy"], "Joshua": ["Josh"], "Benjamin": ["Ben"], "Samuel": ["Sam"],
        "Alexander": ["Alex"], "Patrick": ["Pat", "Paddy"], "Nicholas": ["Nick"], "Jonathan": ["Jon"],
        "Gregory": ["Greg"], "Edward": ["Ed", "Eddie"], "Rebecca": ["Becky"], "Jessica": ["Jess"],
        "Victoria": ["Vicky"], "Elizabeth": ["Liz", "Beth"], "Margaret": ["Maggie"], "Susan": ["Sue"],
        "Joanne": ["Jo"], "Amanda": ["Mandy"], "Samantha": ["Sam"], "Nicola": ["Nicky"],
        "Jennifer": ["Jenny", "Jen"], "Catherine": ["Cathy", "Kate"], "Abigail": ["Abbie"],
        "Charlotte": ["Charlie"], "Kathleen": ["Kath"], "Joseph": ["Joe"], "Callum": ["Cal"]}
STREETS = ("High Church Station Victoria Park Mill Green Manor Queens Kings Albert Grange Chapel "
           "Springfield School North South West York Windsor Stanley Clarendon Highfield Cemetery "
           "Beech Oak Elm Ash Cedar Hawthorn Willow Alexandra Brook Marlborough Regent Belgrave "
           "Derby Lime Meadow Orchard Prospect Spring Tennyson Wellington Cromwell Hamilton "
           "Gladstone Nelson Milton Shakespeare Byron Balmoral Sandringham Cavendish").split()
STYPES = [("Road", "Rd"), ("Street", "St"), ("Lane", "Ln"), ("Avenue", "Ave"), ("Close", "Cl"),
          ("Drive", "Dr"), ("Crescent", "Cres"), ("Terrace", "Terr"), ("Way", "Way"), ("Grove", "Gr")]
TOWNS = [("Leeds", "LS", 28), ("Bradford", "BD", 22), ("Manchester", "M", 40), ("Birmingham", "B", 45),
         ("Sheffield", "S", 20), ("Liverpool", "L", 27), ("Nottingham", "NG", 25), ("Leicester", "LE", 19),
         ("Bristol", "BS", 30), ("Newcastle upon Tyne", "NE", 20), ("London", "E", 18), ("London", "N", 22),
         ("London", "SE", 28), ("Luton", "LU", 7), ("Slough", "SL", 9), ("Coventry", "CV", 12),
         ("Stoke-on-Trent", "ST", 12), ("Hull", "HU", 17), ("Cardiff", "CF", 24), ("Peterborough", "PE", 30),
         ("Northampton", "NN", 15), ("Southampton", "SO", 19), ("Wolverhampton", "WV", 14)]
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
UNIT = "ABDEFGHJLNPQRSTUWXYZ"


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower().replace("'", "").replace("-", " ").strip()


class G:
    def __init__(self, shape, seed):
        self.r = random.Random(f"h132:{shape}:{seed}")

    def p(self, x):
        return self.r.random() < x

    def ch(self, seq):
        return self.r.choice(seq)

    def zipf(self, seq, s=8):
        w = [1.0 / (i + s) for i in range(len(seq))]
        return self.r.choices(seq, weights=w)[0]

    def dob(self, lo=1960, hi=2004):
        y = self.r.randint(lo, hi)
        return dt.date(y, 1, 1) + dt.timedelta(days=self.r.randint(0, 364))

    def typo(self, s):
        if len(s) < 3:
            return s
        i = self.r.randint(1, len(s) - 2)
        k = self.r.random()
        letters = "abcdefghijklmnoprstuvwy"
        if k < .3:
            c = self.ch(letters)
            return s[:i] + (c.upper() if s[i].isupper() else c) + s[i + 1:]
        if k < .55:
            return s[:i] + s[i + 1:]
        if k < .8:
            return s[:i] + s[i + 1] + s[i] + s[i + 2:]
        return s[:i] + s[i] + s[i:]

    def ukaddr(self, town=None):
        t = town or self.zipf(TOWNS, 6)
        st = self.ch(STREETS)
        ty = self.ch(STYPES)
        no = min(self.r.randint(1, 150), self.r.randint(1, 150))
        pr = random.Random(f"{t[0]}{t[1]}{st}{ty[0]}{no // 40}")
        pc = f"{t[1]}{pr.randint(1, t[2])} {pr.randint(1, 9)}{pr.choice(UNIT)}{pr.choice(UNIT)}"
        flat = f"Flat {self.r.randint(1, 12)}, " if self.p(.1) else ""
        return {"no": no, "street": f"{st} {ty[0]}", "street_abbr": f"{st} {ty[1]}", "flat": flat,
                "town": t[0], "postcode": pc}

    def mob(self):
        return "07" + str(self.r.choice([4, 5, 7, 8, 9])) + "".join(str(self.r.randint(0, 9)) for _ in range(8))

    def dob_slip(self, d):
        """a keyed date of birth: day/month swap, one digit, or a year off"""
        k = self.r.random()
        try:
            if k < .35 and d.day <= 12 and d.day != d.month:
                return dt.date(d.year, d.day, d.month)
            if k < .7:
                return d.replace(day=min(28, max(1, d.day + self.ch([-1, 1, 10, -10]))))
            return d.replace(year=d.year + self.ch([-1, 1, -10]))
        except ValueError:
            return d


def addr_line(a, abbr=False):
    return f"{a['flat']}{a['no']} {a['street_abbr'] if abbr else a['street']}"


def fmt_dmy(d):
    return d.strftime("%d/%m/%Y")


def fmt_mon(d):
    return f"{d.day:02d}-{MONTHS[d.month - 1]}-{d.year}"


def spaced_mob(m):
    return m[:5] + " " + m[5:]


# ---------------------------------------------------------------- base people
def english_people(g, n, family_rate=.14, lo=1960, hi=2004):
    people = []
    while len(people) < n:
        sex = g.ch("MF")
        sur = g.zipf(SUR_EN, 10)
        home = g.ukaddr()
        fam = g.p(family_rate)
        size = g.r.randint(2, 4) if fam else 1
        base = g.dob(lo, hi)
        landline = g.mob()
        for k in range(size):
            if len(people) >= n:
                break
            s = sex if k == 0 else g.ch("MF")
            pool = M_EN if s == "M" else F_EN
            first = g.zipf(pool, 6)
            while k and first in [q["first"] for q in people[-k:]]:
                first = g.zipf(pool, 6)
            mid = g.zipf(M_EN if s == "M" else F_EN, 10) if g.p(.45) else ""
            if mid == first:
                mid = ""
            d = base if k == 0 else (g.dob(base.year - 30, base.year - 20) if k == 1 and g.p(.4) else
                                     g.dob(base.year - 3, base.year + 8) if k > 0 else base)
            if d.year > 2006:
                d = dt.date(2006, d.month, min(d.day, 28))
            people.append({"pid": len(people) + 1, "sex": s, "first": first, "mid": mid, "sur": sur,
                           "dob": d, "home": home, "alt": g.ukaddr(), "phone": g.mob() if k == 0 or g.p(.7) else landline,
                           "phone2": g.mob(), "fam": len(people) - k + 1})
    return people


def show_first(g, p, nick=.12, typo=.06):
    f = p["first"]
    if f in NICK and g.p(nick):
        f = g.ch(NICK[f])
    if g.p(typo):
        f = g.typo(f)
    return f


def show_sur(g, p, typo=.06):
    return g.typo(p["sur"]) if g.p(typo) else p["sur"]


def show_dob(g, p, slip=.04):
    return g.dob_slip(p["dob"]) if g.p(slip) else p["dob"]


def show_home(g, p, move=.15):
    return p["alt"] if g.p(move) else p["home"]


def copies(g, dup):
    return 2 if g.p(dup) else 1


def in_sources(g, names, probs):
    """each person in >= 1 source"""
    while True:
        s = [n for n, pr in zip(names, probs) if g.p(pr)]
        if s:
            return s


class Out:
    def __init__(self):
        self.files = {}
        self.truth = []
        self.keys = []

    def add(self, src, header, rid, row, pid, key):
        if src not in self.files:
            self.files[src] = (header, [])
        self.files[src][1].append(row)
        self.truth.append((src + ".csv", rid, pid))
        self.keys.append((src + ".csv", rid, key))

    def write(self, g, outdir):
        os.makedirs(outdir, exist_ok=True)
        order = {}
        for src, (header, rows) in self.files.items():
            g.r.shuffle(rows)
            with open(os.path.join(outdir, src + ".csv"), "w", newline="", encoding="utf-8") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(header)
                w.writerows(rows)
        with open(os.path.join(outdir, "truth.csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["input", "record_id", "person_id"])
            w.writerows(self.truth)
        with open(os.path.join(outdir, "basekey.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["input", "record_id", "key"])
            w.writerows(self.keys)


def key(first, sur, d):
    if not first or not sur or not d:
        return ""
    return f"{fold(first)}|{fold(sur)}|{d.isoformat()}"


class Ids:
    def __init__(self, g, prefix, width=7):
        self.g, self.pre, self.w, self.seen = g, prefix, width, set()

    def new(self):
        while True:
            v = f"{self.pre}{self.g.r.randint(10 ** (self.w - 1), 10 ** self.w - 1)}"
            if v not in self.seen:
                self.seen.add(v)
                return v


# ---------------------------------------------------------------- 1 bank counterparties
def shape_bankcp(g, n):
    """KYC of a suspect bank's account holders; a production-order transaction extract whose
    counterparty names are cut to 18 characters (Faster Payments); police nominals."""
    P = english_people(g, n)
    o = Out()
    kid, tid, nid = Ids(g, "C", 8), Ids(g, "FP", 9), Ids(g, "N", 6)
    for p in P:
        # accounts: one, or two (a second bank account), joint with a family member sometimes
        p["accts"] = [(f"{g.r.randint(10, 99)}-{g.r.randint(10, 99)}-{g.r.randint(10, 99)}",
                       f"{g.r.randint(10000000, 99999999)}") for _ in range(1 if g.p(.75) else 2)]
    fams = {}
    for p in P:
        fams.setdefault(p["fam"], []).append(p)
    for f in fams.values():   # a joint account of two adults of one household
        if len(f) > 1 and g.p(.25) and abs(f[0]["dob"].year - f[1]["dob"].year) < 15:
            f[1]["accts"] = [f[0]["accts"][0]] + f[1]["accts"][1:]
    for p in P:
        src = in_sources(g, ["kyc", "txn", "police"], [.55, .6, .5])
        title = ("Mr" if p["sex"] == "M" else g.ch(["Mrs", "Miss", "Ms"]))
        if "kyc" in src:
            for acct in p["accts"]:
                if g.p(.6) and acct is not p["accts"][0]:
                    continue
                h = show_home(g, p, .1)
                d = show_dob(g, p, .02)
                fn = show_first(g, p, 0.03, .03)
                fore = fn + (" " + p["mid"] if p["mid"] and g.p(.7) else "")
                sn = show_sur(g, p, .03)
                rid = kid.new()
                o.add("kyc", ["Customer ID", "Title", "Forenames", "Surname", "Date of Birth", "Address Line 1",
                              "Town", "Postcode", "Mobile", "Sort Code", "Account Number"], rid,
                      [rid, title, fore, sn, fmt_dmy(d), addr_line(h), h["town"], h["postcode"],
                       p["phone"] if g.p(.85) else p["phone2"], acct[0], acct[1]], p["pid"], key(fn, sn, d))
        if "txn" in src:
            for acct in p["accts"]:
                for _ in range(g.r.randint(1, 4)):
                    f = show_first(g, p, .1, .02)
                    s = p["sur"] if not g.p(.03) else g.typo(p["sur"])
                    k = g.r.random()
                    if k < .3:
                        nm = f"{f[0]} {s}"
                    elif k < .55:
                        nm = f"{f} {s}"
                    elif k < .7:
                        nm = f"{title} {f[0]} {s}"
                    elif k < .85:
                        nm = f"{s} {f[0]}"
                    else:
                        nm = f"{f} {p['mid'][0] + ' ' if p['mid'] else ''}{s}"
                    nm = nm.upper()[:18].rstrip()
                    rid = tid.new()
                    o.add("txn", ["Transaction Ref", "Date", "Amount", "Counterparty Name", "Counterparty Sort Code",
                                  "Counterparty Account", "Payment Reference"], rid,
                          [rid, (dt.date(2024, 1, 1) + dt.timedelta(days=g.r.randint(0, 300))).isoformat(),
                           f"{g.r.randint(20, 2500)}.00", nm, acct[0].replace("-", "") if g.p(.5) else acct[0],
                           acct[1], g.ch(["RENT", "LOAN", "CASH", "FOOD", "THANKS", "BILLS", "", "", "SORTED", "X"])],
                          p["pid"], "")
        if "police" in src:
            for _ in range(copies(g, .12)):
                h = show_home(g, p, .25)
                d = show_dob(g, p, .05)
                fn, sn = show_first(g, p), show_sur(g, p)
                rid = nid.new()
                o.add("police", ["Nominal ID", "Surname", "Forename", "DOB", "Address", "Postcode", "Phone"], rid,
                      [rid, sn.upper(), fn, fmt_dmy(d) if g.p(.97) else "", addr_line(h, True) + ", " + h["town"],
                       h["postcode"] if g.p(.85) else "", (p["phone"] if g.p(.6) else p["phone2"]) if g.p(.6) else ""],
                      p["pid"], key(fn, sn, d))
    return o


# ---------------------------------------------------------------- 2 fintech / e-money KYC
def email_variant(g, base, dom):
    u = base
    k = g.r.random()
    if dom == "gmail.com":
        if k < .25:
            u = u.replace(".", "")
        elif k < .45:
            u = u + "+" + g.ch(["revolut", "monzo", "wise", "shop", "bank", "1", "paypal"])
        if g.p(.2):
            dom = "googlemail.com"
    if g.p(.15):
        u, dom = u.upper(), dom.upper()
    elif g.p(.2):
        u = u[0].upper() + u[1:]
    return f"{u}@{dom}"


def shape_fintech(g, n):
    """An e-money firm's KYC export (names from ID OCR, '12-Mar-1990', +44), a fraud-marker
    file (SURNAME, Forenames; single-line address), police intelligence nominals. Many people
    hold several e-money accounts under gmail dot / +tag / googlemail forms of one address."""
    P = english_people(g, n, family_rate=.1, lo=1975, hi=2005)
    o = Out()
    kid, fid, nid = Ids(g, "usr_", 9), Ids(g, "CF", 7), Ids(g, "IN", 6)
    for p in P:
        f, s = fold(p["first"]).replace(" ", ""), fold(p["sur"]).replace(" ", "")
        p["eu"] = g.ch([f"{f}.{s}", f"{f}{s}{g.r.randint(1, 99)}", f"{f[0]}.{s}{p['dob'].year % 100:02d}",
                        f"{s}.{f}", f"{f}.{s}{g.r.randint(1, 9)}", f"{f}{p['dob'].year}"])
        p["dom"] = g.choices if False else g.r.choices(["gmail.com", "hotmail.co.uk", "outlook.com", "yahoo.co.uk",
                                                         "icloud.com"], weights=[55, 15, 12, 10, 8])[0]
    for p in P:
        src = in_sources(g, ["emoney", "fraud", "intel"], [.65, .45, .45])
        if "emoney" in src:
            for _ in range(1 if g.p(.7) else g.r.randint(2, 4)):
                h = show_home(g, p, .15)
                d = show_dob(g, p, .03)
                fn = show_first(g, p, .04, .03)
                given = (fn + " " + p["mid"]) if p["mid"] and g.p(.5) else fn
                sn = show_sur(g, p, .03)
                if g.p(.3):
                    given, sn = given.upper(), sn.upper()
                ph = p["phone"] if g.p(.8) else p["phone2"]
                rid = kid.new()
                o.add("emoney", ["user_id", "first_name", "last_name", "date_of_birth", "email", "phone_number",
                                 "address_line_1", "city", "postcode", "created_at"], rid,
                      [rid, given, sn, fmt_mon(d), email_variant(g, p["eu"], p["dom"]), "+44" + ph[1:],
                       addr_line(h), h["town"], h["postcode"].replace(" ", "") if g.p(.4) else h["postcode"],
                       (dt.datetime(2023, 1, 1) + dt.timedelta(minutes=g.r.randint(0, 900000))).isoformat() + "Z"],
                      p["pid"], key(fn, sn, d))
        if "fraud" in src:
            for _ in range(copies(g, .15)):
                h = show_home(g, p, .2)
                d = show_dob(g, p, .06)
                fn, sn = show_first(g, p), show_sur(g, p)
                nm = f"{sn.upper()}, {fn}" + (f" {p['mid']}" if p["mid"] and g.p(.4) else "")
                rid = fid.new()
                o.add("fraud", ["Case Ref", "Subject Name", "DOB", "Email", "Address", "Telephone"], rid,
                      [rid, nm, fmt_dmy(d), email_variant(g, p["eu"], p["dom"]) if g.p(.8) else "",
                       f"{addr_line(h, g.p(.5))}, {h['town']}, {h['postcode']}" if g.p(.9) else "",
                       spaced_mob(p["phone"] if g.p(.6) else p["phone2"]) if g.p(.7) else ""],
                      p["pid"], key(fn, sn, d))
        if "intel" in src:
            for _ in range(copies(g, .12)):
                h = show_home(g, p, .25)
                d = show_dob(g, p, .05)
                fn, sn = show_first(g, p, .2), show_sur(g, p)
                rid = nid.new()
                o.add("intel", ["URN", "Forename", "Surname", "DOB", "Email", "Mobile", "Postcode"], rid,
                      [rid, fn, sn.upper(), fmt_dmy(d) if g.p(.85) else "",
                       email_variant(g, p["eu"], p["dom"]) if g.p(.5) else "",
                       (p["phone"] if g.p(.6) else p["phone2"]) if g.p(.6) else "",
                       h["postcode"] if g.p(.6) else ""], p["pid"], key(fn, sn, d))
    return o


# ---------------------------------------------------------------- 3 Kurdish / Iraqi names, Arabic script
# latin variants and the Arabic-script form (Sorani spellings for Kurdish names)
KU_M = [("Karwan", "Karwan Karwaan Kerwan", "کاروان"), ("Rebwar", "Rebwar Rabwar Rebuar", "ڕێبوار"),
        ("Dilshad", "Dilshad Delshad Dilshaad", "دلشاد"), ("Shwan", "Shwan Shuan Shiwan", "شوان"),
        ("Hiwa", "Hiwa Hewa Hiua", "هیوا"), ("Sirwan", "Sirwan Serwan Sirwaan", "سیروان"),
        ("Zana", "Zana Zanaa", "زانا"), ("Hemin", "Hemin Hemn Heemin", "هێمن"), ("Kawa", "Kawa Kaawa Kawe", "کاوە"),
        ("Soran", "Soran Sooran Suran", "سۆران"), ("Goran", "Goran Guran", "گۆران"),
        ("Bakhtiyar", "Bakhtiyar Bakhtiar Bakhtyar Baxtiyar", "بەختیار"), ("Ranj", "Ranj Rang", "ڕەنج"),
        ("Awat", "Awat Awaat", "ئاوات"), ("Aras", "Aras Araz", "ئاراس"), ("Hawre", "Hawre Hawri Haore", "هاوڕێ"),
        ("Mohammed", "Mohammed Mohammad Muhammad Mohamad", "محمد"), ("Ahmed", "Ahmed Ahmad Ahmet", "أحمد"),
        ("Ali", "Ali Aly", "علي"), ("Omar", "Omar Umar Omer", "عمر"), ("Hassan", "Hassan Hasan", "حسن"),
        ("Hussein", "Hussein Hussain Husein Hussien", "حسين"), ("Karim", "Karim Kareem Kerim", "كريم"),
        ("Aziz", "Aziz Azeez", "عزيز"), ("Salih", "Salih Saleh Salah", "صالح"), ("Ibrahim", "Ibrahim Ebrahim Brahim", "ابراهيم"),
        ("Khalid", "Khalid Khaled Khalad", "خالد"), ("Jamal", "Jamal Jamaal", "جمال"), ("Kamal", "Kamal Kemal", "كمال"),
        ("Rashid", "Rashid Rasheed Rashed", "رشيد"), ("Qadir", "Qadir Kadir Qader", "قادر"),
        ("Hamid", "Hamid Hameed Hamed", "حميد"), ("Rasul", "Rasul Rasool Rassoul", "رسول"),
        ("Mahmoud", "Mahmoud Mahmood Mahmud", "محمود"), ("Abdullah", "Abdullah Abdulla Abdallah", "عبدالله"),
        ("Yousif", "Yousif Yusuf Yousef Yusif", "يوسف"), ("Sarkawt", "Sarkawt Sarkaut Sarkot", "سەرکەوت"),
        ("Diyar", "Diyar Dyar", "دیار"), ("Peshawa", "Peshawa Peshewa", "پێشەوا"), ("Nawzad", "Nawzad Nawzat", "نەوزاد")]
KU_F = [("Shilan", "Shilan Shelan", "شیلان"), ("Jwan", "Jwan Juan Jiwan", "جوان"), ("Hana", "Hana Hanaa", "هانا"),
        ("Sazan", "Sazan Sazaan", "سازان"), ("Bahar", "Bahar Behar", "بەهار"), ("Nasrin", "Nasrin Nasreen Nesrin", "نەسرین"),
        ("Shirin", "Shirin Shireen", "شیرین"), ("Avin", "Avin Aveen", "ئاڤین"), ("Lana", "Lana", "لانا"),
        ("Dilan", "Dilan Delan", "دیلان"), ("Nazdar", "Nazdar Nazdaar", "نازدار"), ("Kazhal", "Kazhal Kajal Kazal", "کەژاڵ"),
        ("Fatima", "Fatima Fatma Fatimah", "فاطمة"), ("Zainab", "Zainab Zaynab Zeinab", "زينب"),
        ("Maryam", "Maryam Mariam Meryem", "مريم"), ("Aisha", "Aisha Ayesha Aysha", "عائشة")]
KU_TRIBE = [("Barzani", "Barzani Barzany", "بارزانی"), ("Jaff", "Jaff Jaf", "جاف"), ("Zebari", "Zebari Zibari", "زێباری"),
            ("Hawrami", "Hawrami Hewrami Hawramy", "هەورامی"), ("Talabani", "Talabani Talabany", "تاڵەبانی"),
            ("Dizayi", "Dizayi Dizayee Dizaei", "دزەیی"), ("Sorchi", "Sorchi Surchi", "سورچی"),
            ("Kakayi", "Kakayi Kakai", "کاکەیی"), ("Pishdari", "Pishdari Peshdari", "پشدەری"),
            ("Mangur", "Mangur Mangor", "مەنگوڕ"), ("Bilbas", "Bilbas Bilbaz", "بلباس"), ("Shwani", "Shwani Shuani", "شوانی")]
KU_TOWNS = ["Sulaymaniyah", "Erbil", "Ranya", "Halabja", "Kalar", "Duhok", "Qaladze", "Kirkuk", "Chamchamal", "Koya"]
AR_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def shape_arabic(g, n):
    """Small-boat facilitation: Home Office screening (Latin, estimated 01/01 dates, initial
    accommodation hotels), police custody (given name + father's name), and a KRG liaison
    reply with the name chain in Arabic script for 60% of its records."""
    o = Out()
    P = []
    while len(P) < n:
        fam = g.p(.15)
        father = g.zipf(KU_M, 6)
        grand = g.zipf(KU_M, 6)
        tribe = g.ch(KU_TRIBE) if g.p(.4) else None
        hotel = g.ukaddr()
        for k in range(g.r.randint(2, 3) if fam else 1):
            sex = "M" if g.p(.8) else "F"
            given = g.zipf(KU_M if sex == "M" else KU_F, 5)
            d = g.dob(1975, 2006)
            P.append({"pid": len(P) + 1, "sex": sex, "given": given, "father": father, "grand": grand,
                      "tribe": tribe, "dob": d, "est": g.p(.35), "home": hotel if k or g.p(.5) else g.ukaddr(),
                      "alt": g.ukaddr(), "phone": g.mob(), "phone2": g.mob(), "pob": g.ch(KU_TOWNS)})
    hid, cid, lid = Ids(g, "HO", 8), Ids(g, "CU", 6), Ids(g, "KRG-", 5)

    def lat(nm, canon=.6):
        return nm[0] if g.p(canon) else g.ch(nm[1].split())

    for p in P:
        src = in_sources(g, ["homeoffice", "custody", "liaison"], [.7, .55, .4])
        hd = dt.date(p["dob"].year, 1, 1) if p["est"] else p["dob"]
        if "homeoffice" in src:
            for _ in range(copies(g, .12)):
                fn = lat(p["given"])
                sn = lat(p["tribe"]) if p["tribe"] and g.p(.6) else lat(p["father"])
                mid = lat(p["father"]) if sn != lat(p["father"], 1) and g.p(.5) else ""
                h = show_home(g, p, .2)
                d = hd if not g.p(.04) else g.dob_slip(hd)
                rid = hid.new()
                o.add("homeoffice", ["Person ID", "Forenames", "Surname", "DOB", "Sex", "Nationality",
                                     "Address", "Postcode", "Telephone"], rid,
                      [rid, (fn + " " + mid).strip().upper(), sn.upper(), fmt_dmy(d), p["sex"],
                       g.ch(["Iraq", "Iraq", "Iraqi", "Iran"]) if p["pob"] != "x" else "",
                       addr_line(h) + ", " + h["town"], h["postcode"], p["phone"] if g.p(.6) else ""],
                      p["pid"], key(fn, sn, d))
        if "custody" in src:
            for _ in range(copies(g, .15)):
                fn = lat(p["given"], .4)
                sn = lat(p["father"], .4) if not p["tribe"] or g.p(.6) else lat(p["tribe"], .4)
                d = p["dob"] if not g.p(.2) else (dt.date(p["dob"].year + g.ch([0, 0, -1, 1, -2]), 1, 1))
                if g.p(.05):
                    d = g.dob_slip(d)
                h = show_home(g, p, .35)
                rid = cid.new()
                o.add("custody", ["Custody No", "Surname", "Forename", "DOB", "Gender", "Address", "Postcode",
                                  "Mobile"], rid,
                      [rid, sn.upper(), fn, fmt_dmy(d), "Male" if p["sex"] == "M" else "Female",
                       addr_line(h, True) + ", " + h["town"], h["postcode"] if g.p(.8) else "",
                       (p["phone"] if g.p(.5) else p["phone2"]) if g.p(.7) else ""], p["pid"], key(fn, sn, d))
        if "liaison" in src:
            chain = [p["given"], p["father"], p["grand"]] + ([p["tribe"]] if p["tribe"] else [])
            if g.p(.6):
                nm = " ".join(c[2] for c in chain)
                fn, sn = p["given"][2], chain[-1][2]
                d = p["dob"]
                ds = f"{d.year}/{d.month:02d}/{d.day:02d}"
                if g.p(.3):
                    ds = ds.translate(AR_DIGITS)
            else:
                parts = [lat(c, .5) for c in chain]
                nm = " ".join(parts).upper()
                fn, sn = parts[0], parts[-1]
                d = p["dob"]
                ds = fmt_dmy(d)
            rid = lid.new()
            o.add("liaison", ["Reference", "Full Name", "Date of Birth", "Place of Birth", "Mother's Name"], rid,
                  [rid, nm, ds, p["pob"], ""], p["pid"], key(fn, sn, d))
    return o


# ---------------------------------------------------------------- 4 cross-border Ireland
IR_M = ("Sean Patrick Ciaran Declan Eoin Conor Padraig Niall Cathal Darragh Oisin Ronan Colm Shane Aidan "
        "Brendan Kevin Michael John Thomas Gerard Martin Damien Dermot Eamon Fergal Killian Cillian Brian "
        "James Paul Mark Stephen David Liam Barry Kieran").split()
IR_F = ("Siobhan Aoife Niamh Ciara Orla Roisin Sinead Grainne Aisling Caoimhe Clodagh Deirdre Emer "
        "Fiona Maeve Mary Bridget Catherine Ann Margaret Sarah Laura Claire Louise Rachel Nuala Maire "
        "Eimear Saoirse Sorcha").split()
IR_S = ("Murphy Kelly O'Neill Doherty Quinn McLaughlin Smyth Campbell Gallagher Donnelly Hughes "
        "O'Reilly McCann Brennan Devlin McKenna Mullan Byrne O'Connor Kennedy Lynch Walsh Ryan "
        "McGuinness Maguire Duffy Flanagan Nolan Fitzpatrick McGrath Hamill Boyle Connolly Rooney "
        "McCartney Gormley Morgan Brady Casey Farrell").split()
ROI = [("Dundalk", "Louth", "A91"), ("Drogheda", "Louth", "A92"), ("Dublin 1", "Dublin", "D01"),
       ("Dublin 7", "Dublin", "D07"), ("Dublin 15", "Dublin", "D15"), ("Monaghan", "Monaghan", "H18"),
       ("Letterkenny", "Donegal", "F92"), ("Cavan", "Cavan", "H12"), ("Sligo", "Sligo", "F91"),
       ("Navan", "Meath", "C15"), ("Carrickmacross", "Monaghan", "A81"), ("Buncrana", "Donegal", "F93")]
NI = [("Belfast", "BT", [1, 5, 6, 9, 11, 12, 13, 14, 15]), ("Newry", "BT", [34, 35]), ("Londonderry", "BT", [47, 48]),
      ("Armagh", "BT", [60, 61]), ("Enniskillen", "BT", [74]), ("Dungannon", "BT", [70, 71]),
      ("Strabane", "BT", [82]), ("Lisburn", "BT", [27, 28])]
EIR = "ACDEFHKNPRTVWXY0123456789"


def roi_addr(g):
    t = g.ch(ROI)
    est = g.ch(["Park", "Grove", "Lawns", "Heights", "Court", "View", "Manor"])
    nm = g.ch(["Ard Easmuinn", "Castletown", "Fairgreen", "Glenview", "Mourne", "Bellurgan", "Millbrook",
               "Oakland", "Rathmullan", "Cois Abhainn", "Hillcrest", "Marian"])
    uniq = "".join(g.ch(EIR) for _ in range(4))
    return {"no": g.r.randint(1, 90), "street": f"{nm} {est}", "street_abbr": f"{nm} {est}", "flat": "",
            "town": t[0], "county": t[1], "postcode": f"{t[2]} {uniq}", "roi": True}


def ni_addr(g):
    t = g.ch(NI)
    a = g.ukaddr(("x", "BT", 1))
    d = g.ch(t[2])
    pr = random.Random(a["street"] + t[0] + str(a["no"] // 40))
    a.update({"town": t[0], "postcode": f"BT{d} {pr.randint(1, 9)}{pr.choice(UNIT)}{pr.choice(UNIT)}",
              "county": g.ch(["Antrim", "Down", "Armagh", "Tyrone", "Fermanagh", "Londonderry"]), "roi": False})
    return a


def ie_mob(g):
    return "08" + g.ch("35679") + "".join(str(g.r.randint(0, 9)) for _ in range(7))


def shape_eircode(g, n):
    """Cross-border: PSNI custody (BT postcodes, UK phones), an Garda Siochana reply (Eircodes,
    counties, +353 phones, PPS numbers) and an NCA intelligence list of both."""
    o = Out()
    P = []
    while len(P) < n:
        fam = g.p(.15)
        sur = g.zipf(IR_S, 8)
        roi = g.p(.5)
        home = roi_addr(g) if roi else ni_addr(g)
        for k in range(g.r.randint(2, 3) if fam else 1):
            sex = g.ch("MF")
            first = g.zipf(IR_M if sex == "M" else IR_F, 6)
            alt = (ni_addr(g) if g.p(.5) else roi_addr(g))
            P.append({"pid": len(P) + 1, "sex": sex, "first": first, "mid": "", "sur": sur,
                      "dob": g.dob(1965, 2005), "home": home, "alt": alt,
                      "iephone": ie_mob(g) if (roi or g.p(.4)) else None, "ukphone": g.mob() if (not roi or g.p(.4)) else None,
                      "pps": f"{g.r.randint(1000000, 9999999)}{g.ch('ABCDEFGHKLMNPQRSTW')}{g.ch(['', 'A', 'W'])}"})
    pid_, gid, nid = Ids(g, "PS", 7), Ids(g, "G", 8), Ids(g, "NCA", 6)

    def ie_fmt(m):
        k = g.r.random()
        return ("+353 " + m[1:3] + " " + m[3:]) if k < .4 else (m[:3] + " " + m[3:]) if k < .7 else ("00353" + m[1:]) if k < .8 else m

    def adr(h, county=True):
        s = f"{h['no']} {h['street']}, {h['town']}"
        if h.get("roi") and county and g.p(.7):
            s += f", Co. {h['county']}"
        return s

    for p in P:
        src = in_sources(g, ["psni", "garda", "nca"], [.5, .55, .5])
        if "psni" in src:
            for _ in range(copies(g, .12)):
                h = show_home(g, p, .25)
                d = show_dob(g, p)
                fn, sn = show_first(g, p), show_sur(g, p)
                ph = p["ukphone"] or (("+353" + p["iephone"][1:]) if p["iephone"] else "")
                rid = pid_.new()
                o.add("psni", ["Custody Ref", "Surname", "Forename(s)", "Date of Birth", "Sex", "Address",
                               "Postcode", "Phone"], rid,
                      [rid, sn.upper(), fn, fmt_dmy(d), p["sex"], adr(h), "" if h.get("roi") and g.p(.5) else h["postcode"],
                       ph if g.p(.7) else ""], p["pid"], key(fn, sn, d))
        if "garda" in src:
            for _ in range(copies(g, .1)):
                h = show_home(g, p, .2)
                d = show_dob(g, p)
                fn, sn = show_first(g, p, .05), show_sur(g, p)
                ph = ie_fmt(p["iephone"]) if p["iephone"] else ("+44 " + p["ukphone"][1:] if p["ukphone"] else "")
                rid = gid.new()
                o.add("garda", ["PULSE ID", "Name", "Date of Birth", "Address", "Eircode", "Phone", "PPS No"], rid,
                      [rid, f"{fn} {sn.upper()}", fmt_dmy(d), adr(h), h["postcode"] if g.p(.75) else "",
                       ph if g.p(.75) else "", p["pps"] if g.p(.5) else ""], p["pid"], key(fn, sn, d))
        if "nca" in src:
            for _ in range(copies(g, .1)):
                h = show_home(g, p, .3)
                d = show_dob(g, p)
                fn, sn = show_first(g, p), show_sur(g, p)
                phs = [x for x in (p["iephone"], p["ukphone"]) if x]
                ph = g.ch(phs) if phs else ""
                if ph.startswith("08"):
                    ph = "+353" + ph[1:] if g.p(.5) else ph
                rid = nid.new()
                o.add("nca", ["Subject Ref", "Forename", "Surname", "DOB", "Address", "Postcode", "Mobile"], rid,
                      [rid, fn, sn, fmt_dmy(d) if g.p(.9) else "", adr(h, False) if g.p(.7) else "",
                       h["postcode"] if g.p(.7) else "", ph if g.p(.6) else ""], p["pid"], key(fn, sn, d))
    return o


# ---------------------------------------------------------------- 5 three forces' conventions
def shape_headings(g, n):
    """Three forces' exports for one joint operation, each with its own headings and conventions:
    A (a Niche-like extract: FAMILY_NAME, GIVEN_NAME_1/2, BIRTH_DATE as YYYYMMDD, ONS sex codes
    1/2/9, RES_ADDR_*), B (Athena-like: `Name` as 'SURNAME, Forenames', D.O.B., one-line home
    address), C (a command-and-control export: Fname/Sname, ISO timestamps, House No + Street)."""
    P = english_people(g, n)
    o = Out()
    a_id, b_id, c_id = Ids(g, "", 9), Ids(g, "B", 8), Ids(g, "C", 7)
    for p in P:
        src = in_sources(g, ["forceA", "forceB", "forceC"], [.55, .55, .5])
        if "forceA" in src:
            for _ in range(copies(g, .12)):
                h = show_home(g, p)
                d = show_dob(g, p)
                fn, sn = show_first(g, p), show_sur(g, p)
                rid = a_id.new()
                o.add("forceA", ["NOMINAL_ID", "FAMILY_NAME", "GIVEN_NAME_1", "GIVEN_NAME_2", "BIRTH_DATE",
                                 "GENDER_CD", "RES_ADDR_LINE_1", "RES_ADDR_LINE_2", "RES_ADDR_PCODE", "TEL_NO"], rid,
                      [rid, sn.upper(), fn.upper(), p["mid"].upper() if g.p(.8) else "",
                       d.strftime("%Y%m%d") if g.p(.96) else "", {"M": "1", "F": "2"}[p["sex"]] if g.p(.95) else "9",
                       addr_line(h).upper(), h["town"].upper(), h["postcode"] if g.p(.9) else "",
                       (p["phone"] if g.p(.7) else p["phone2"]) if g.p(.5) else ""], p["pid"], key(fn, sn, d))
        if "forceB" in src:
            for _ in range(copies(g, .12)):
                h = show_home(g, p)
                d = show_dob(g, p)
                fn, sn = show_first(g, p), show_sur(g, p)
                nm = f"{sn.upper()}, {fn}" + (f" {p['mid']}" if p["mid"] and g.p(.6) else "")
                rid = b_id.new()
                o.add("forceB", ["Person URN", "Name", "D.O.B.", "Gender", "Home Address", "Mobile No"], rid,
                      [rid, nm, fmt_dmy(d) if g.p(.95) else "", "Male" if p["sex"] == "M" else "Female",
                       f"{addr_line(h, True)}, {h['town']} {h['postcode']}" if g.p(.9) else "",
                       (p["phone"] if g.p(.7) else p["phone2"]) if g.p(.5) else ""], p["pid"], key(fn, sn, d))
        if "forceC" in src:
            for _ in range(copies(g, .12)):
                h = show_home(g, p)
                d = show_dob(g, p)
                fn, sn = show_first(g, p, .2), show_sur(g, p)
                rid = c_id.new()
                o.add("forceC", ["Ref No", "Fname", "Sname", "DOB", "Sex", "House No", "Street", "Town", "PCode",
                                 "Contact Tel"], rid,
                      [rid, fn, sn, (d.isoformat() + "T00:00:00") if g.p(.92) else "", p["sex"] if g.p(.9) else "U",
                       str(h["no"]), h["street_abbr"], h["town"], h["postcode"].replace(" ", "") if g.p(.5) else h["postcode"],
                       ("+44 " + p["phone"][1:]) if g.p(.4) else ""], p["pid"], key(fn, sn, d))
    return o


# ---------------------------------------------------------------- 6 prison visits and PIN phone
def dl_number(p):
    s = (fold(p["sur"]).replace(" ", "").upper() + "99999")[:5]
    d = p["dob"]
    m = d.month + (50 if p["sex"] == "F" else 0)
    ini = (p["first"][0] + (p["mid"][0] if p["mid"] else "9")).upper()
    return f"{s}{str(d.year)[2]}{m:02d}{d.day:02d}{str(d.year)[3]}{ini}9AB"


def shape_visits(g, n):
    """Prison visits (a row per visit, the visitor's ID document), prisoners' PIN phone
    approved contacts (whole name, relationship, number) and police nominals. Visitors are
    families: one surname, home and landline."""
    P = english_people(g, n, family_rate=.3)
    o = Out()
    vid, cid, nid = Ids(g, "V", 8), Ids(g, "PIN", 7), Ids(g, "N", 7)
    for p in P:
        p["doc"] = ("Driving Licence", dl_number(p)) if g.p(.6) else \
            ("Passport", str(g.r.randint(100000000, 999999999))) if g.p(.6) else ("Bank Card", "")
        p["prisoners"] = ["A" + str(g.r.randint(1000, 9999)) + g.ch("ABCDEFGH") + g.ch("ABCDEFGH") for _ in range(g.r.randint(1, 2))]
    for p in P:
        src = in_sources(g, ["visits", "pinphone", "police"], [.6, .5, .5])
        rel = g.ch(["Partner", "Friend", "Cousin"] + (["Father", "Brother", "Son"] if p["sex"] == "M" else ["Mother", "Sister", "Daughter"]))
        if "visits" in src:
            prof_f, prof_s, prof_d = show_first(g, p, .05, .04), show_sur(g, p, .04), show_dob(g, p, .03)
            for _ in range(g.r.randint(1, 7)):
                reg = g.p(.75)  # booked from the stored visitor profile
                fn = prof_f if reg else show_first(g, p, .1, .05)
                sn = prof_s if reg else show_sur(g, p, .05)
                d = prof_d if reg else show_dob(g, p, .05)
                h = p["home"] if reg or not g.p(.15) else p["alt"]
                rid = vid.new()
                o.add("visits", ["Visit ID", "Visit Date", "Establishment", "Prisoner No", "Visitor Surname",
                                 "Visitor Forename", "Visitor DOB", "Visitor Address", "Visitor Postcode",
                                 "ID Type", "ID Number", "Relationship"], rid,
                      [rid, (dt.date(2024, 1, 1) + dt.timedelta(days=g.r.randint(0, 330))).strftime("%d/%m/%Y"),
                       g.ch(["HMP Leeds", "HMP Hull", "HMP Wealstun", "HMP Doncaster", "HMP Humber"]),
                       g.ch(p["prisoners"]), sn.upper(), fn, fmt_dmy(d), addr_line(h) + ", " + h["town"],
                       h["postcode"], p["doc"][0], p["doc"][1], rel], p["pid"], key(fn, sn, d))
        if "pinphone" in src:
            for pr in p["prisoners"]:
                if g.p(.3):
                    continue
                fn = show_first(g, p, .25, .06)
                sn = show_sur(g, p, .08)
                k = g.r.random()
                nm = f"{fn} {sn}" if k < .7 else f"{fn} {sn[0]}" if k < .85 else f"{fn.upper()} {sn.upper()}"
                h = show_home(g, p, .2)
                rid = cid.new()
                o.add("pinphone", ["PIN Contact ID", "Prisoner No", "Contact Name", "Relationship", "Number",
                                   "Contact Address"], rid,
                      [rid, pr, nm, rel, p["phone"] if g.p(.8) else p["phone2"],
                       (addr_line(h, True) + ", " + h["postcode"]) if g.p(.5) else ""], p["pid"], "")
        if "police" in src:
            for _ in range(copies(g, .12)):
                h = show_home(g, p, .2)
                d = show_dob(g, p, .05)
                fn, sn = show_first(g, p), show_sur(g, p)
                rid = nid.new()
                o.add("police", ["Nominal Ref", "Surname", "Forenames", "DOB", "Address", "Postcode", "Telephone",
                                 "Driving Licence No"], rid,
                      [rid, sn.upper(), fn + (" " + p["mid"] if p["mid"] and g.p(.5) else ""), fmt_dmy(d),
                       addr_line(h, True) + ", " + h["town"], h["postcode"] if g.p(.85) else "",
                       (p["phone"] if g.p(.6) else p["phone2"]) if g.p(.6) else "",
                       p["doc"][1] if p["doc"][0] == "Driving Licence" and g.p(.4) else ""], p["pid"], key(fn, sn, d))
    return o


# ---------------------------------------------------------------- 7 care worker visas
KER_M = ("Jijo Binu Shibu Anish Sijo Tijo Jobin Libin Bibin Anoop Rijo Sanju Nithin Vineeth Arun Ajith Jithin "
         "Sebin Rejo Manoj Sunil Ebin Jestin Albin").split()
KER_F = ("Anju Bincy Jincy Shiny Tincy Sini Jisha Neethu Divya Reshma Smitha Anitha Liji Jiji Soumya Aswathy "
         "Sreeja Deepa Nimmy Reshmi Ancy Sherin Jomol Linta Merin").split()
KER_FATHER = ("Thomas Joseph Mathew Varghese George Kurian Abraham Jacob Philip Antony John Cherian Chacko "
              "Paul Sebastian Jose Devassy Ouseph Peter Babu").split()
KER_HOUSE = ("Puthenpurackal Kalarickal Vadakkel Thekkethil Manjaly Kollamparambil Plathottam Chirayil "
             "Kunnumpuram Edappally Mundackal Parayil").split()
ZW_M = "Tendai Tafadzwa Farai Tinashe Kudakwashe Blessing Tatenda Takudzwa Simbarashe Munyaradzi".split()
ZW_F = "Rutendo Chipo Nyasha Tsitsi Memory Rumbidzai Fadzai Tariro Ruvimbo Precious Shamiso".split()
ZW_S = "Moyo Ncube Sibanda Dube Ndlovu Mpofu Chikwanha Mutasa Chiweshe Mlambo Gumbo Nyathi Makoni Marufu".split()
NG_M = "Chukwuemeka Oluwaseun Adebayo Ifeanyi Olamide Babatunde Emeka Tunde Segun Kelechi".split()
NG_F = "Oluwakemi Ngozi Chiamaka Funmilayo Adaeze Folake Blessing Temitope Yetunde Chioma".split()
NG_S = "Okafor Adeyemi Okonkwo Eze Olawale Nwosu Balogun Adebayo Okeke Ogunleye Ibrahim Nnamdi".split()


def shape_carevisa(g, n):
    """Care-worker sponsorship: the sponsor's HR list, the Home Office visa record (Indian
    passports with no surname: the whole name in Given Names), and GLAA / police welfare visits
    at shared houses (whole name as said, an age). Kerala names take the father's (or, for a
    married woman, the husband's) given name as surname."""
    o = Out()
    P = []
    houses = [g.ukaddr() for _ in range(n // 7)]
    while len(P) < n:
        k = g.r.random()
        sex = "F" if g.p(.7) else "M"
        if k < .55:
            first = g.zipf(KER_F if sex == "F" else KER_M, 8)
            mid = g.ch(["Mary", "Maria", "Anna", "Elizabeth"]) if sex == "F" and g.p(.3) else ""
            fath = g.zipf(KER_FATHER, 6)
            married = sex == "F" and g.p(.45)
            hus = g.zipf(KER_FATHER, 6) if married else None
            house = g.ch(KER_HOUSE) if g.p(.25) else None
            p = {"origin": "IN", "first": first, "mid": mid, "sur": fath, "sur2": hus, "house": house}
        elif k < .8:
            first = g.zipf(ZW_F if sex == "F" else ZW_M, 5)
            p = {"origin": "ZW", "first": first, "mid": g.ch(ZW_F + ZW_M) if g.p(.3) else "", "sur": g.zipf(ZW_S, 5),
                 "sur2": None, "house": None}
        else:
            first = g.zipf(NG_F if sex == "F" else NG_M, 5)
            p = {"origin": "NG", "first": first, "mid": g.ch(NG_F + NG_M) if g.p(.4) else "", "sur": g.zipf(NG_S, 5),
                 "sur2": None, "house": None}
        if p["mid"] == p["first"]:
            p["mid"] = ""
        p.update({"pid": len(P) + 1, "sex": sex, "dob": g.dob(1978, 2001), "home": g.ch(houses), "alt": g.ukaddr(),
                  "phone": g.mob(), "phone2": g.mob(), "passport": g.ch("JKLMNPRSTUVWZ") + str(g.r.randint(1000000, 9999999))
                  if p["origin"] == "IN" else ("F" if p["origin"] == "ZW" else "A") + str(g.r.randint(10000000, 99999999)),
                  "email": f"{fold(p['first'])}{g.r.randint(1, 999)}@gmail.com"})
        P.append(p)
    hid, vid, wid = Ids(g, "W", 5), Ids(g, "GWF0", 8), Ids(g, "GLAA", 6)
    for p in P:
        src = in_sources(g, ["sponsor_hr", "ukvi", "welfare"], [.65, .7, .45])
        used_sur = p["sur2"] or p["sur"]     # the surname the person uses in the UK
        if "ukvi" in src:
            for _ in range(copies(g, .06)):
                d = show_dob(g, p, .02)
                if p["origin"] == "IN" and g.p(.55):
                    parts = [p["first"]] + ([p["mid"]] if p["mid"] else []) + ([p["house"]] if p["house"] else []) + [p["sur"]]
                    given, sn = " ".join(parts).upper(), ""
                    kf, ks = p["first"], p["sur"]
                else:
                    given = (p["first"] + (" " + p["mid"] if p["mid"] else "")).upper()
                    sn = (p["house"] + " " + p["sur"] if p["house"] and g.p(.5) else p["sur"]).upper()
                    kf, ks = p["first"], sn
                rid = vid.new()
                o.add("ukvi", ["Application Ref", "Surname", "Given Names", "Date of Birth", "Sex", "Nationality",
                               "Passport No", "Sponsor Licence"], rid,
                      [rid, sn, given, fmt_mon(d).upper(), p["sex"], {"IN": "INDIA", "ZW": "ZIMBABWE", "NG": "NIGERIA"}[p["origin"]],
                       p["passport"], "SL" + str(g.r.randint(100, 140))], p["pid"], key(kf, ks, d))
        if "sponsor_hr" in src:
            for _ in range(copies(g, .08)):
                h = show_home(g, p, .3)
                d = show_dob(g, p, .04)
                fn = g.typo(p["first"]) if g.p(.05) else p["first"]
                sn = used_sur if g.p(.8) else p["sur"]
                sn = g.typo(sn) if g.p(.05) else sn
                rid = hid.new()
                o.add("sponsor_hr", ["Employee No", "First Name", "Last Name", "DOB", "Passport Number", "Address",
                                     "Postcode", "Mobile", "Email"], rid,
                      [rid, fn, sn, fmt_dmy(d), p["passport"] if g.p(.7) else "", addr_line(h), h["postcode"],
                       p["phone"] if g.p(.8) else p["phone2"], p["email"] if g.p(.7) else ""], p["pid"], key(fn, sn, d))
        if "welfare" in src:
            for _ in range(copies(g, .15)):
                h = p["home"] if g.p(.85) else p["alt"]
                fn = show_first(g, p, 0, .1)
                sn = used_sur if g.p(.7) else p["sur"]
                sn = g.typo(sn) if g.p(.08) else sn
                nm = f"{fn} {sn}" if g.p(.7) else f"{sn.upper()} {fn}" if g.p(.5) else fn
                vdate = dt.date(2024, 6, 1) + dt.timedelta(days=g.r.randint(0, 150))
                age = (vdate - p["dob"]).days // 365
                has_d = g.p(.4)
                rid = wid.new()
                o.add("welfare", ["Visit Ref", "Visit Date", "Person Spoken To", "Age", "DOB", "Address", "Postcode",
                                  "Phone"], rid,
                      [rid, fmt_dmy(vdate), nm, "" if has_d else str(age + g.ch([0, 0, 0, 1, -1])),
                       fmt_dmy(p["dob"]) if has_d else "", addr_line(h), h["postcode"],
                       (p["phone"] if g.p(.7) else p["phone2"]) if g.p(.6) else ""], p["pid"],
                      key(fn, sn if nm != fn else "", p["dob"] if has_d else None))
    return o


# ---------------------------------------------------------------- 8 Romanian workers: CNP, home-country addresses
RO_M = ("Ion Ionut Andrei Alexandru Mihai Gheorghe Vasile Constantin Florin Marius Adrian Daniel Cristian "
        "Catalin Nicolae Stefan Bogdan Razvan Sorin Gabriel Costel Dumitru Petru Lucian Ciprian Valentin").split()
RO_F = ("Maria Elena Ioana Andreea Mihaela Alexandra Ana Cristina Florentina Gabriela Daniela Nicoleta "
        "Georgiana Ramona Alina Larisa Roxana Simona Mariana Adriana Camelia Denisa").split()
RO_S = ("Popescu Popa Pop Radu Dumitru Stan Stoica Gheorghe Matei Ciobanu Ionescu Rusu Munteanu Mihai "
        "Constantin Lazăr Moldovan Florea Tudor Dinu Ștefan Bălan Neagu Sârbu Țurcanu Căpraru Mocanu "
        "Oprea Vasile Dobre Enache Anghel Barbu Cristea Toma Marin Nistor Șerban Grigore").split()
RO_TOWNS = [("Iași", "Iași", "700"), ("Bacău", "Bacău", "600"), ("Suceava", "Suceava", "720"), ("Botoșani", "Botoșani", "710"),
            ("Vaslui", "Vaslui", "730"), ("Craiova", "Dolj", "200"), ("Galați", "Galați", "800"), ("Focșani", "Vrancea", "620"),
            ("Pitești", "Argeș", "110"), ("Târgu Jiu", "Gorj", "210")]
RO_STR = "Florilor|Libertății|Unirii|Republicii|Mihai Eminescu|Ștefan cel Mare|Independenței|Păcii|Primăverii|Zorilor".split("|")


def cnp(p, county=22):
    d = p["dob"]
    s = ("1" if p["sex"] == "M" else "2") if d.year < 2000 else ("5" if p["sex"] == "M" else "6")
    body = f"{s}{d.year % 100:02d}{d.month:02d}{d.day:02d}{county:02d}{p['nnn']:03d}"
    w = "279146358279"
    c = sum(int(a) * int(b) for a, b in zip(body, w)) % 11
    return body + ("1" if c == 10 else str(c))


def strip_ro(s, mode):
    if mode == "ascii":
        return fold(s).title() if s[:1].isupper() else fold(s)
    if mode == "cedilla":   # legacy Windows encoding of the comma-below letters
        return s.replace("ș", "ş").replace("Ș", "Ş").replace("ț", "ţ").replace("Ț", "Ţ")
    return s


def shape_romania(g, n):
    """Romanian agency workers: the employment agency's right-to-work list (ID card CNP, UK
    address, Romanian or UK mobile), a Romanian police reply through the liaison officer
    (headings in Romanian, CNP, dd.mm.yyyy, home address in Romania) and UK police custody."""
    o = Out()
    P = []
    while len(P) < n:
        fam = g.p(.18)
        sur = g.zipf(RO_S, 8)
        rt = g.ch(RO_TOWNS)
        roaddr = f"Str. {g.ch(RO_STR)} nr. {g.r.randint(1, 120)}" + (f", bl. {g.ch('ABCDEFG')}{g.r.randint(1, 9)}, ap. {g.r.randint(1, 40)}" if g.p(.5) else "")
        uk = g.ukaddr()
        for k in range(g.r.randint(2, 3) if fam else 1):
            sex = g.ch("MF")
            first = g.zipf(RO_M if sex == "M" else RO_F, 6)
            s2 = sur
            if sex == "F" and k == 1 and g.p(.5):
                s2 = g.zipf(RO_S, 8)
            P.append({"pid": len(P) + 1, "sex": sex, "first": first, "mid": g.zipf(RO_M if sex == "M" else RO_F, 6) if g.p(.35) else "",
                      "sur": s2, "dob": g.dob(1968, 2004), "home": uk, "alt": g.ukaddr(), "ro": (rt, roaddr),
                      "romob": "07" + g.ch("2345") + "".join(str(g.r.randint(0, 9)) for _ in range(7)),
                      "phone": g.mob() if g.p(.6) else None, "phone2": g.mob(), "nnn": g.r.randint(1, 999),
                      "county": g.r.randint(1, 40)})
    aid, rid_, cid = Ids(g, "AG", 6), Ids(g, "IGPR/", 6), Ids(g, "CUS", 6)
    for p in P:
        src = in_sources(g, ["agency", "ro_police", "uk_custody"], [.6, .45, .55])
        c = cnp(p, p["county"])
        if p["mid"] == p["first"]:
            p["mid"] = ""
        if "agency" in src:
            for _ in range(copies(g, .1)):
                mode = g.ch(["utf", "ascii", "ascii", "cedilla"])
                h = show_home(g, p, .2)
                d = show_dob(g, p, .03)
                fn = strip_ro(show_first(g, p, 0, .03), mode)
                sn = strip_ro(show_sur(g, p, .03), mode)
                ph = p["phone"] if p["phone"] and g.p(.7) else ("+40 " + p["romob"][1:] if g.p(.5) else p["romob"])
                r = aid.new()
                o.add("agency", ["Worker ID", "First Name", "Middle Name", "Surname", "Date of Birth", "ID Card No",
                                 "CNP", "Address", "Postcode", "Mobile"], r,
                      [r, fn, strip_ro(p["mid"], mode), sn, fmt_dmy(d), g.ch(["XV", "MZ", "VS", "SV", "IZ"]) + str(g.r.randint(100000, 999999)),
                       c if g.p(.85) else "", addr_line(h), h["postcode"], ph], p["pid"], key(fn, sn, d))
        if "ro_police" in src:
            rt, ra = p["ro"]
            r = rid_.new()
            given = p["first"] + ("-" + p["mid"] if p["mid"] else "")
            o.add("ro_police", ["Nr. dosar", "NUME", "PRENUME", "CNP", "Data nasterii", "Sex", "Domiciliu",
                                "Telefon", "Prenume tata"], r,
                  [r, p["sur"].upper(), given.upper(), c, p["dob"].strftime("%d.%m.%Y"), p["sex"],
                   f"{ra}, {rt[0]}, jud. {rt[1]}, {rt[2]}{g.r.randint(100, 999)}", p["romob"] if g.p(.5) else "",
                   g.ch(RO_M)], p["pid"], key(p["first"], p["sur"], p["dob"]))
        if "uk_custody" in src:
            for _ in range(copies(g, .12)):
                h = show_home(g, p, .3)
                d = show_dob(g, p, .06)
                fn = fold(show_first(g, p, 0, .07)).title()
                sn = fold(show_sur(g, p, .1)).title()
                ph = p["phone"] if p["phone"] and g.p(.6) else (("0040" + p["romob"][1:]) if g.p(.5) else p["romob"])
                r = cid.new()
                o.add("uk_custody", ["Custody No", "Surname", "Forename", "DOB", "Sex", "Address", "Postcode",
                                     "Phone", "Nationality"], r,
                      [r, sn.upper(), fn, fmt_dmy(d), p["sex"], addr_line(h, True) + ", " + h["town"],
                       h["postcode"] if g.p(.85) else "", ph if g.p(.7) else "", "Romanian"], p["pid"], key(fn, sn, d))
    return o


SHAPES = {"bankcp": shape_bankcp, "fintech": shape_fintech, "arabic": shape_arabic, "eircode": shape_eircode,
          "headings": shape_headings, "visits": shape_visits, "carevisa": shape_carevisa, "romania": shape_romania}


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    shape, seed, outdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 3000
    names = list(SHAPES) if shape == "all" else [shape]
    for s in names:
        g = G(s, seed)
        o = SHAPES[s](g, n)
        d = os.path.join(outdir, s) if shape == "all" else outdir
        o.write(g, d)
        print(s, seed, d, {k: len(v[1]) for k, v in o.files.items()})


if __name__ == "__main__":
    main()
