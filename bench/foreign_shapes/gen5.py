#!/usr/bin/env python3
"""gen5.py SHAPE SEED OUTDIR [PEOPLE]  -- eight held-out shapes for `iom conflate` (review 134, a review session of this project, 2026-12-08).

Shapes: greek georgian uzbek maghreb eurolia sheetmess carers remit  (or `all`)
Writes OUTDIR/<source>.csv (2-3 inputs), OUTDIR/truth.csv (input,record_id,person_id),
OUTDIR/baseline.csv (input,record_id,first,surname,dob: the first name, surname and ISO date of
birth as each record WRITES them, for the exact-key baseline) and OUTDIR/meta.txt.
Standard library only; the same SHAPE SEED PEOPLE always gives the same files.
"""
import sys, os, csv, io, random, zlib, datetime as dt, unicodedata

# ---------------------------------------------------------------- common pieces
TOWNS = [("Leeds", "LS"), ("Bradford", "BD"), ("Sheffield", "S"), ("Manchester", "M"), ("Birmingham", "B"),
         ("Nottingham", "NG"), ("Leicester", "LE"), ("Luton", "LU"), ("Slough", "SL"), ("Peterborough", "PE"),
         ("Hull", "HU"), ("Coventry", "CV"), ("Wolverhampton", "WV"), ("London", "E"), ("London", "N"),
         ("Croydon", "CR"), ("Reading", "RG"), ("Southampton", "SO"), ("Bristol", "BS"), ("Cardiff", "CF"),
         ("Newcastle upon Tyne", "NE"), ("Middlesbrough", "TS"), ("Derby", "DE"), ("Stoke-on-Trent", "ST"),
         ("Northampton", "NN"), ("Norwich", "NR"), ("Oldham", "OL"), ("Bolton", "BL")]
STREETS = ["High", "Station", "Church", "Park", "Victoria", "Albert", "Queen", "King", "Mill", "New", "Green",
           "Manor", "Grange", "Springfield", "Stanley", "Clarendon", "Harehills", "Beeston", "Dewsbury", "Mansfield",
           "Alexandra", "Cromwell", "Nelson", "Oxford", "Cambridge", "York", "Wellington", "Brunswick", "Granby",
           "Belgrave", "Hyde Park", "Chapel", "Bridge", "School", "North", "South", "Market", "Castle", "Forest",
           "Meadow", "Oak", "Elm", "Ash", "Beech", "Willow", "Holly", "Cedar", "Laurel", "Stafford", "Warwick"]
STYPES = [("Road", "Rd"), ("Street", "St"), ("Avenue", "Ave"), ("Lane", "Ln"), ("Close", "Cl"), ("Drive", "Dr"),
          ("Grove", "Gr"), ("Terrace", "Terr"), ("Crescent", "Cres"), ("Place", "Pl")]


def make_home(r):
    town, area = r.choice(TOWNS)
    st = r.choice(STREETS)
    ty = r.choice(STYPES)
    return {"no": str(r.randint(1, 180)), "street": st, "type": ty, "town": town,
            "pc": "%s%d %d%s%s" % (area, r.randint(1, 20), r.randint(1, 9), r.choice("ABDEFGHJLNPQRSTUWXYZ"),
                                   r.choice("ABDEFGHJLNPQRSTUWXYZ"))}


def addr(h, r, short=None):
    short = r.random() < 0.3 if short is None else short
    return "%s %s %s" % (h["no"], h["street"], h["type"][1] if short else h["type"][0])


def mob(r):
    return "07" + "".join(r.choice("0123456789") for _ in range(9))


def fmt_phone(p, r):
    k = r.random()
    if k < 0.55: return p
    if k < 0.75: return p[:5] + " " + p[5:]
    if k < 0.9: return "+44" + p[1:]
    return "+44 (0)" + p[1:5] + " " + p[5:]


def typo(r, s):
    if len(s) < 4: return s
    i = r.randint(1, len(s) - 2)
    k = r.random()
    if k < 0.3: return s[:i] + s[i + 1:]
    if k < 0.6: return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    if k < 0.85:
        c = r.choice("aeioulnrst")
        return s[:i] + (c.upper() if s[i].isupper() else c) + s[i + 1:]
    return s[:i] + s[i] + s[i:]


def dob_err(r, d):
    k = r.random()
    try:
        if k < 0.3: return d + dt.timedelta(days=r.choice([-1, 1]))
        if k < 0.5 and d.day <= 12 and d.day != d.month: return d.replace(day=d.month, month=d.day)
        if k < 0.75: return d.replace(year=d.year + r.choice([-1, 1]))
        return d.replace(month=(d.month % 12) + 1)
    except ValueError:
        return d + dt.timedelta(days=2)


def rand_dob(r, lo=1965, hi=2006):
    y = int(r.triangular(lo, hi, hi - 12))
    return dt.date(y, 1, 1) + dt.timedelta(days=r.randrange(365))


def age_at(d, when):
    return when.year - d.year - ((when.month, when.day) < (d.month, d.day))


def fdate(d, f):
    if d is None: return ""
    if f == "dmy": return d.strftime("%d/%m/%Y")
    if f == "iso": return d.isoformat()
    if f == "dot": return d.strftime("%d.%m.%Y")
    if f == "mon": return d.strftime("%d-%b-%Y").upper()
    raise ValueError(f)


def strip_acc(s):
    s = s.replace("ł", "l").replace("Ł", "L").replace("ß", "ss").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


W = {}


def zipf(r, items, s=1.0):
    key = (id(items), s)
    if key not in W: W[key] = [1.0 / (i + 1) ** s for i in range(len(items))]
    return r.choices(items, W[key])[0]


def include(r, probs):
    while True:
        got = [r.random() < p for p in probs]
        if any(got): return got


class Out:
    """collects the rows of each source, the truth and the baseline key"""

    def __init__(self):
        self.src = {}  # name -> dict(header, rows, opts)
        self.truth = []
        self.base = []

    def source(self, name, header, **opts):
        self.src[name] = {"header": header, "rows": [], "opts": opts}

    def add(self, name, row, pid, rid, first, sur, dob):
        self.src[name]["rows"].append(row)
        self.truth.append((name, rid, pid))
        self.base.append((name, rid, first or "", sur or "", dob.isoformat() if dob else ""))

    def write(self, outdir, meta):
        os.makedirs(outdir, exist_ok=True)
        for name, s in self.src.items():
            o = s["opts"]
            buf = io.StringIO()
            for line in o.get("pre", []): buf.write(line + "\r\n")
            w = csv.writer(buf, delimiter=o.get("delim", ","), lineterminator=o.get("eol", "\n"))
            w.writerow(s["header"])
            for row in s["rows"]:
                if row is None:
                    buf.write(o.get("delim", ",") * (len(s["header"]) - 1) + o.get("eol", "\n"))
                else:
                    w.writerow([row.get(h, "") for h in s["header"]])
            for line in o.get("post", []): buf.write(line + o.get("eol", "\n"))
            data = buf.getvalue().encode(o.get("enc", "utf-8"), errors="replace")
            if o.get("bom"): data = b"\xef\xbb\xbf" + data
            open(os.path.join(outdir, name + ".csv"), "wb").write(data)
        with open(os.path.join(outdir, "truth.csv"), "w", newline="") as f:
            w = csv.writer(f); w.writerow(["input", "record_id", "person_id"]); w.writerows(self.truth)
        with open(os.path.join(outdir, "baseline.csv"), "w", newline="") as f:
            w = csv.writer(f); w.writerow(["input", "record_id", "first", "surname", "dob"]); w.writerows(self.base)
        open(os.path.join(outdir, "meta.txt"), "w").write(meta.strip() + "\n")


def cap(s): return " ".join(w[:1].upper() + w[1:].lower() for w in s.split(" "))


# ---------------------------------------------------------------- 1. greek
G_M = [("ΓΕΩΡΓΙΟΣ", ["Giorgos", "Yiorgos", "George"]), ("ΔΗΜΗΤΡΙΟΣ", ["Dimitris", "Demetris", "Jimmy"]),
       ("ΚΩΝΣΤΑΝΤΙΝΟΣ", ["Kostas", "Costas", "Constantine"]), ("ΙΩΑΝΝΗΣ", ["Giannis", "Yiannis", "John"]),
       ("ΝΙΚΟΛΑΟΣ", ["Nikos", "Nick", "Nicholas"]), ("ΠΑΝΑΓΙΩΤΗΣ", ["Panagiotis", "Panayiotis", "Panos"]),
       ("ΧΡΗΣΤΟΣ", ["Christos", "Hristos", "Chris"]), ("ΑΘΑΝΑΣΙΟΣ", ["Thanasis", "Thanos"]),
       ("ΕΥΑΓΓΕΛΟΣ", ["Vangelis", "Evangelos"]), ("ΜΙΧΑΗΛ", ["Michalis", "Michael"]),
       ("ΣΠΥΡΙΔΩΝ", ["Spyros", "Spiros"]), ("ΒΑΣΙΛΕΙΟΣ", ["Vasilis", "Vassilis", "Bill"]),
       ("ΑΝΤΩΝΙΟΣ", ["Antonis", "Tony", "Anthony"]), ("ΣΤΑΥΡΟΣ", ["Stavros"]),
       ("ΑΛΕΞΑΝΔΡΟΣ", ["Alexandros", "Alex", "Alexander"]), ("ΕΜΜΑΝΟΥΗΛ", ["Manolis", "Manos"]),
       ("ΣΤΕΦΑΝΟΣ", ["Stefanos", "Stephen"]), ("ΑΝΔΡΕΑΣ", ["Andreas", "Andrew"]),
       ("ΠΕΤΡΟΣ", ["Petros", "Peter"]), ("ΘΕΟΔΩΡΟΣ", ["Thodoris", "Theodore", "Theo"])]
G_F = [("ΜΑΡΙΑ", ["Maria", "Mary"]), ("ΕΛΕΝΗ", ["Eleni", "Helen", "Elena"]),
       ("ΑΙΚΑΤΕΡΙΝΗ", ["Katerina", "Katie", "Catherine"]), ("ΒΑΣΙΛΙΚΗ", ["Vicky", "Vasso"]),
       ("ΣΟΦΙΑ", ["Sofia", "Sophia"]), ("ΑΝΑΣΤΑΣΙΑ", ["Natasa", "Anastasia"]), ("ΔΗΜΗΤΡΑ", ["Dimitra", "Demi"]),
       ("ΕΥΑΓΓΕΛΙΑ", ["Evangelia", "Lia"]), ("ΧΡΙΣΤΙΝΑ", ["Christina", "Tina"]),
       ("ΠΑΡΑΣΚΕΥΗ", ["Voula", "Evi", "Paraskevi"]), ("ΓΕΩΡΓΙΑ", ["Georgia", "Gina"]),
       ("ΕΙΡΗΝΗ", ["Eirini", "Irene", "Rena"]), ("ΑΓΓΕΛΙΚΗ", ["Angeliki", "Angela"]), ("ΘΕΟΔΩΡΑ", ["Dora", "Theodora"])]
G_S = [("ΠΑΠΑΔΟΠΟΥΛΟΣ", "ΠΑΠΑΔΟΠΟΥΛΟΥ"), ("ΠΑΠΑΔΑΚΗΣ", "ΠΑΠΑΔΑΚΗ"), ("ΓΕΩΡΓΙΟΥ", None), ("ΟΙΚΟΝΟΜΟΥ", None),
       ("ΝΙΚΟΛΑΟΥ", None), ("ΔΗΜΗΤΡΙΟΥ", None), ("ΙΩΑΝΝΟΥ", None), ("ΠΑΠΠΑΣ", "ΠΑΠΠΑ"), ("ΒΑΣΙΛΕΙΟΥ", None),
       ("ΜΑΚΡΗΣ", "ΜΑΚΡΗ"), ("ΚΩΝΣΤΑΝΤΙΝΙΔΗΣ", "ΚΩΝΣΤΑΝΤΙΝΙΔΟΥ"), ("ΑΝΤΩΝΙΟΥ", None), ("ΧΑΤΖΗΔΑΚΗΣ", "ΧΑΤΖΗΔΑΚΗ"),
       ("ΑΛΕΞΙΟΥ", None), ("ΚΑΡΑΓΙΑΝΝΗΣ", "ΚΑΡΑΓΙΑΝΝΗ"), ("ΜΑΥΡΙΔΗΣ", "ΜΑΥΡΙΔΟΥ"),
       ("ΣΤΑΜΑΤΟΠΟΥΛΟΣ", "ΣΤΑΜΑΤΟΠΟΥΛΟΥ"), ("ΘΕΟΔΩΡΟΠΟΥΛΟΣ", "ΘΕΟΔΩΡΟΠΟΥΛΟΥ"), ("ΖΑΧΑΡΙΟΥ", None),
       ("ΚΥΡΙΑΚΙΔΗΣ", "ΚΥΡΙΑΚΙΔΟΥ"), ("ΓΕΩΡΓΙΑΔΗΣ", "ΓΕΩΡΓΙΑΔΟΥ"), ("ΒΛΑΧΟΣ", "ΒΛΑΧΟΥ"),
       ("ΑΓΓΕΛΟΠΟΥΛΟΣ", "ΑΓΓΕΛΟΠΟΥΛΟΥ"), ("ΜΠΑΚΟΓΙΑΝΝΗΣ", "ΜΠΑΚΟΓΙΑΝΝΗ"), ("ΝΤΟΥΜΑΣ", "ΝΤΟΥΜΑ"),
       ("ΤΣΙΠΡΑΣ", "ΤΣΙΠΡΑ"), ("ΕΥΑΓΓΕΛΟΥ", None), ("ΧΡΙΣΤΟΔΟΥΛΟΥ", None), ("ΛΑΜΠΡΟΥ", None),
       ("ΣΑΒΒΙΔΗΣ", "ΣΑΒΒΙΔΟΥ"), ("ΠΕΤΡΙΔΗΣ", "ΠΕΤΡΙΔΟΥ"), ("ΔΗΜΟΠΟΥΛΟΣ", "ΔΗΜΟΠΟΥΛΟΥ"),
       ("ΚΟΥΤΣΟΥΡΗΣ", "ΚΟΥΤΣΟΥΡΗ"), ("ΜΗΤΣΟΤΑΚΗΣ", "ΜΗΤΣΟΤΑΚΗ"), ("ΣΑΡΑΝΤΗΣ", "ΣΑΡΑΝΤΗ"), ("ΑΘΑΝΑΣΙΟΥ", None),
       ("ΦΩΤΙΟΥ", None), ("ΧΡΥΣΑΦΗΣ", "ΧΡΥΣΑΦΗ"), ("ΨΑΡΡΑΣ", "ΨΑΡΡΑ"), ("ΞΕΝΟΣ", "ΞΕΝΟΥ"),
       ("ΓΚΙΚΑΣ", "ΓΚΙΚΑ"), ("ΤΖΑΝΕΤΟΣ", "ΤΖΑΝΕΤΟΥ"), ("ΚΑΡΑΜΑΝΛΗΣ", "ΚΑΡΑΜΑΝΛΗ"), ("ΣΙΔΕΡΗΣ", "ΣΙΔΕΡΗ")]
GR_TOWNS = ["ΑΘΗΝΑ", "ΘΕΣΣΑΛΟΝΙΚΗ", "ΠΕΙΡΑΙΑΣ", "ΠΑΤΡΑ", "ΗΡΑΚΛΕΙΟ", "ΛΑΡΙΣΑ", "ΒΟΛΟΣ", "ΙΩΑΝΝΙΝΑ", "ΚΑΒΑΛΑ", "ΧΑΝΙΑ"]
GR_STREETS = ["ΕΡΜΟΥ", "ΣΤΑΔΙΟΥ", "ΑΚΑΔΗΜΙΑΣ", "ΠΑΤΗΣΙΩΝ", "ΕΓΝΑΤΙΑΣ", "ΤΣΙΜΙΣΚΗ", "ΚΟΡΑΗ", "ΑΓΙΟΥ ΝΙΚΟΛΑΟΥ"]
EL1 = {"Α": "A", "Β": "V", "Γ": "G", "Δ": "D", "Ε": "E", "Ζ": "Z", "Η": "I", "Θ": "TH", "Ι": "I", "Κ": "K", "Λ": "L",
       "Μ": "M", "Ν": "N", "Ξ": "X", "Ο": "O", "Π": "P", "Ρ": "R", "Σ": "S", "Τ": "T", "Υ": "Y", "Φ": "F", "Χ": "CH",
       "Ψ": "PS", "Ω": "O"}


def elot(s):
    """ELOT 743 (passport) transliteration of unaccented Greek capitals"""
    out, i = [], 0
    while i < len(s):
        c, n = s[i], s[i + 1] if i + 1 < len(s) else ""
        start = i == 0 or s[i - 1] == " "
        if c + n == "ΟΥ": out.append("OU"); i += 2; continue
        if c + n in ("ΑΥ", "ΕΥ"):
            nx = s[i + 2] if i + 2 < len(s) else ""
            out.append(EL1[c] + ("F" if nx in "ΘΚΞΠΣΤΦΧΨ " or nx == "" else "V")); i += 2; continue
        if c + n == "ΜΠ": out.append("B" if start else "MP"); i += 2; continue
        if c + n == "ΝΤ": out.append("D" if start else "NT"); i += 2; continue
        if c + n == "ΓΓ": out.append("NG"); i += 2; continue
        if c + n == "ΓΚ": out.append("G" if start else "GK"); i += 2; continue
        out.append(EL1.get(c, c)); i += 1
    return "".join(out)


def anglo(s, r):
    """a phonetic / Cypriot / anglicised spelling, as UK systems hold Greek surnames"""
    t = elot(s)
    rules = [("CH", ["H", "CH"]), ("OIK", ["EC", "OIK"]), ("GIA", ["YIA", "GIA"]), ("GIO", ["YIO", "GIO"]),
             ("IDIS", ["IDES", "IDIS"]), ("IDOU", ["IDOU", "IDOU"]), ("EIOU", ["IOU", "EIOU"]), ("EI", ["I", "EI"]),
             ("KON", ["CON", "KON"]), ("TZ", ["DJ", "TZ"]), ("SIL", ["SSIL", "SIL"]), ("KYR", ["KIR", "KYR"]),
             ("AI", ["E", "AI"])]
    for a, opts in rules:
        if a in t and r.random() < 0.5: t = t.replace(a, opts[0])
    return cap(t)


def shape_greek(r, n):
    o = Out()
    o.source("custody", ["Custody Ref", "Forename", "Surname", "DOB", "Sex", "Address", "Town", "Postcode", "Phone"])
    o.source("homeoffice", ["HO Reference", "Surname", "Given Names", "Date of Birth", "Sex", "Nationality",
                            "Passport Number", "UK Address", "UK Postcode"])
    o.source("hellenic", ["Record No", "Surname", "Name", "Father's Name", "Date of Birth", "Place of Birth",
                          "Address", "Sex"])
    cid = [0]

    def nid(p):
        cid[0] += 1; return "%s%06d" % (p, cid[0])

    for pid in range(n):
        sex = "M" if r.random() < 0.6 else "F"
        gf, forms = zipf(r, G_M if sex == "M" else G_F, 0.8)
        sm, sf = zipf(r, G_S, 0.7)
        gs = sm if sex == "M" or sf is None else sf
        father = zipf(r, G_M, 0.8)[0]
        dob = rand_dob(r, 1960, 2004)
        home, home2 = make_home(r), make_home(r)
        ph, ph2 = mob(r), mob(r)
        ukfirst = r.choice(forms) if r.random() < 0.75 else cap(elot(gf))
        uksur = anglo(gs, r) if r.random() < 0.45 else cap(elot(gs))
        inA, inB, inC = include(r, [0.75, 0.7, 0.6])
        for k in range(r.choice([1, 1, 1, 2, 2, 3]) if inA else 0):
            h = home if r.random() < 0.8 else home2
            f = ukfirst if r.random() < 0.8 else r.choice(forms + [cap(elot(gf))])
            s = uksur if r.random() < 0.85 else (anglo(gs, r) if r.random() < 0.5 else cap(elot(gs)))
            if sex == "F" and sf and r.random() < 0.15: s = cap(elot(sm))  # the family's (male) form
            if r.random() < 0.05: f = typo(r, f)
            if r.random() < 0.05: s = typo(r, s)
            d = dob_err(r, dob) if r.random() < 0.03 else dob
            if r.random() < 0.05: d = None
            rid = nid("CU")
            o.add("custody", {"Custody Ref": rid, "Forename": f, "Surname": s.upper() if r.random() < 0.5 else s,
                              "DOB": fdate(d, "dmy"), "Sex": sex, "Address": addr(h, r), "Town": h["town"],
                              "Postcode": h["pc"] if r.random() < 0.95 else "",
                              "Phone": fmt_phone(ph if r.random() < 0.75 else ph2, r) if r.random() < 0.8 else ""},
                  pid, rid, f, s, d)
        if inB:
            rid = nid("HO")
            f = elot(gf)
            if r.random() < 0.3: f += " " + elot(zipf(r, G_M if sex == "M" else G_F)[0])  # second given name
            d = dob_err(r, dob) if r.random() < 0.02 else dob
            o.add("homeoffice", {"HO Reference": rid, "Surname": elot(gs), "Given Names": f, "Date of Birth": fdate(d, "iso"),
                                 "Sex": sex, "Nationality": "GRC", "Passport Number": "A" + "".join(r.choice("0123456789") for _ in range(8)) if r.random() < 0.9 else "",
                                 "UK Address": addr(home, r, False) + ", " + home["town"] if r.random() < 0.6 else "",
                                 "UK Postcode": home["pc"] if r.random() < 0.6 else ""}, pid, rid, f.split()[0], elot(gs), d)
        if inC:
            rid = nid("EL")
            d = dob_err(r, dob) if r.random() < 0.02 else dob
            o.add("hellenic", {"Record No": rid, "Surname": gs, "Name": gf, "Father's Name": father,
                               "Date of Birth": fdate(d, "dmy"), "Place of Birth": r.choice(GR_TOWNS),
                               "Address": "%s %d, %s" % (r.choice(GR_STREETS), r.randint(1, 120), r.choice(GR_TOWNS)),
                               "Sex": "Α" if sex == "M" else "Θ"}, pid, rid, gf, gs, d)
    return o, """greek: Greek nationals. custody (UK police: colloquial / English given names George, Nick, Yiannis;
surnames ELOT or anglicised Papadakis/Hatzidakis/Economou/Constantinides; 15% of women under the family's
male form), homeoffice (passport ELOT capitals, ISO dates, 30% a second given name, UK address 60%),
hellenic (a Hellenic Police liaison reply in Greek script capitals: Surname, Name, Father's Name, Greek
address and place of birth, sex Α/Θ). 3% dob errors, 5% typos."""


# ---------------------------------------------------------------- 2. georgian / armenian
KA_M = [("Giorgi", ["Georgiy", "George", "Gia", "Goga"]), ("Levan", ["Levani", "Lev"]), ("Davit", ["David", "Dato"]),
        ("Zurab", ["Zura", "Zurabi"]), ("Irakli", ["Irakliy", "Ika"]), ("Aleksandre", ["Aleksandr", "Alexander", "Sandro"]),
        ("Nikoloz", ["Nika", "Nikolai"]), ("Tamaz", ["Tamazi"]), ("Shalva", ["Shalva"]), ("Gocha", ["Gocha"]),
        ("Mamuka", ["Mamuka"]), ("Lasha", ["Lasha"]), ("Vakhtang", ["Vakho", "Vakhtangi"]), ("Beka", ["Beqa"]),
        ("Otar", ["Otari"]), ("Temur", ["Timur", "Temuri"]), ("Mikheil", ["Mikhail", "Michael", "Misha"]),
        ("Kakha", ["Kakhaber"]), ("Badri", ["Badri"]), ("Zaza", ["Zaza"])]
KA_F = [("Nino", ["Nina"]), ("Tamar", ["Tamara", "Tako"]), ("Ketevan", ["Keti", "Ketino"]), ("Mariam", ["Mari", "Maria"]),
        ("Natia", ["Natia"]), ("Salome", ["Salomea"]), ("Ekaterine", ["Eka", "Ekaterina", "Katie"]), ("Nana", ["Nana"]),
        ("Maia", ["Maya"]), ("Tinatin", ["Tina", "Tiko"])]
HY_M = [("Hakob", ["Akop", "Hakop", "Jacob"]), ("Tigran", ["Tiko"]), ("Armen", ["Armen"]), ("Arman", ["Arman"]),
        ("Ashot", ["Ashot"]), ("Grigor", ["Grigoriy", "Greg"]), ("Vardan", ["Vardan"]), ("Hovhannes", ["Ovanes", "Hovannes", "John"]),
        ("Karen", ["Karen"]), ("Gevorg", ["Georgi", "George"]), ("Samvel", ["Samuel"]), ("Aram", ["Aram"])]
HY_F = [("Anahit", ["Ani"]), ("Lusine", ["Lusya"]), ("Gayane", ["Gayaneh"]), ("Narine", ["Nara"]), ("Armine", ["Armine"]),
        ("Hasmik", ["Asmik"])]
KA_S = ["Beridze", "Kapanadze", "Gelashvili", "Maisuradze", "Giorgadze", "Lomidze", "Tsiklauri", "Khutsishvili",
        "Nozadze", "Chkheidze", "Janashvili", "Tsereteli", "Gogoladze", "Kvaratskhelia", "Japaridze", "Qavtaradze",
        "Chelidze", "Mchedlishvili", "Abashidze", "Bakhtadze", "Gvaramia", "Jikia", "Khachidze", "Tsintsadze",
        "Shengelia", "Kharaishvili", "Dolidze", "Natsvlishvili", "Zhvania", "Mgeladze", "Ghlonti", "Tsagareishvili",
        "Kobakhidze", "Meladze", "Gurgenidze", "Kurtanidze", "Lobzhanidze", "Javakhishvili", "Tskhadadze", "Gabunia"]
HY_S = ["Petrosyan", "Hovhannisyan", "Sargsyan", "Grigoryan", "Harutyunyan", "Khachatryan", "Mkrtchyan", "Ghazaryan",
        "Hakobyan", "Vardanyan", "Karapetyan", "Gevorgyan", "Avetisyan", "Manukyan", "Poghosyan"]
TRANS = [("yan", ["ian", "yan", "ean"]), ("hovh", ["ovan", "hovan"]), ("gh", ["g", "kh"]), ("kh", ["h", "x"]),
         ("ts", ["c", "tz"]), ("j", ["dzh", "dj"]), ("q", ["k", "kh"]), ("shvili", ["chvili", "schwili"]),
         ("dze", ["dse"]), ("ch", ["tch"]), ("zh", ["j"])]


def translit_var(s, r, p=0.45):
    t = s.lower()
    for a, opts in TRANS:
        if a in t and r.random() < p: t = t.replace(a, r.choice(opts))
    return t[:1].upper() + t[1:]


def shape_georgian(r, n):
    o = Out()
    o.source("custody", ["Custody Number", "Surname", "Forenames", "DOB", "Sex", "Nationality", "Address", "Postcode", "Phone"])
    o.source("homeoffice", ["Person ID", "Family Name", "Given Names", "Date of Birth", "Sex", "Nationality",
                            "Passport No", "Address", "Postcode"])
    o.source("retail", ["Incident Ref", "Offender Name", "Approx Age", "Incident Date", "Store", "Store Town",
                        "Vehicle Reg", "Phone", "Description"])
    cid = [0]

    def nid(p):
        cid[0] += 1; return "%s%06d" % (p, cid[0])
    crews = []
    people = []
    for pid in range(n):
        arm = r.random() < 0.3
        sex = "M" if r.random() < 0.8 else "F"
        pool = (HY_M if sex == "M" else HY_F) if arm else (KA_M if sex == "M" else KA_F)
        gf, forms = zipf(r, pool, 0.8)
        gs = zipf(r, HY_S if arm else KA_S, 0.7)
        people.append(dict(pid=pid, sex=sex, gf=gf, forms=forms, gs=gs, arm=arm, dob=rand_dob(r, 1970, 2003),
                           home=make_home(r), home2=make_home(r), ph=mob(r), ph2=mob(r),
                           alias_dob=rand_dob(r, 1970, 2003) if r.random() < 0.12 else None))
    # crews of 2-5 who travel together in one vehicle
    order = list(range(n)); r.shuffle(order)
    i = 0
    while i < n:
        k = r.randint(2, 5)
        reg = "%s%02d %s" % ("".join(r.choice("ABCDEFGHKLMNOPRSTVWY") for _ in range(2)), r.randint(10, 74),
                             "".join(r.choice("ABCDEFGHJKLMNOPRSTUVWXYZ") for _ in range(3)))
        for j in order[i:i + k]: people[j]["reg"] = reg; people[j]["crew"] = order[i:i + k]
        i += k
    for p in people:
        pid, sex, dob = p["pid"], p["sex"], p["dob"]
        inA, inB, inC = include(r, [0.7, 0.65, 0.55])
        for k in range(r.choice([1, 1, 2, 2, 3, 4]) if inA else 0):
            f = p["gf"] if r.random() < 0.5 else r.choice(p["forms"])
            s = p["gs"] if r.random() < 0.7 else translit_var(p["gs"], r)
            if r.random() < 0.04: s = typo(r, s)
            d = p["alias_dob"] if p["alias_dob"] and r.random() < 0.5 else dob
            if r.random() < 0.03: d = dob_err(r, d)
            h = p["home"] if r.random() < 0.7 else p["home2"]
            rid = nid("CN")
            o.add("custody", {"Custody Number": rid, "Surname": s.upper(), "Forenames": f, "DOB": fdate(d, "dmy"),
                              "Sex": sex, "Nationality": "Armenian" if p["arm"] else "Georgian",
                              "Address": addr(h, r) + ", " + h["town"] if r.random() < 0.85 else "No fixed abode",
                              "Postcode": h["pc"] if r.random() < 0.8 else "",
                              "Phone": fmt_phone(p["ph"] if r.random() < 0.7 else p["ph2"], r) if r.random() < 0.7 else ""},
                  pid, rid, f, s, d)
        if inB:
            rid = nid("HO")
            f = p["gf"].upper()
            s = p["gs"].upper() if r.random() < 0.8 else translit_var(p["gs"], r).upper()
            o.add("homeoffice", {"Person ID": rid, "Family Name": s, "Given Names": f, "Date of Birth": fdate(dob, "iso"),
                                 "Sex": sex, "Nationality": "ARM" if p["arm"] else "GEO",
                                 "Passport No": "".join(r.choice("0123456789") for _ in range(8)),
                                 "Address": addr(p["home"], r, False) + ", " + p["home"]["town"] if r.random() < 0.6 else "",
                                 "Postcode": p["home"]["pc"] if r.random() < 0.6 else ""}, pid, rid, f, s, dob)
        for k in range(r.choice([1, 1, 2, 3, 5]) if inC else 0):
            when = dt.date(2023, 1, 1) + dt.timedelta(days=r.randrange(700))
            f = r.choice([p["gf"]] + p["forms"])
            s = p["gs"] if r.random() < 0.5 else translit_var(p["gs"], r, 0.6)
            if r.random() < 0.08: s = typo(r, s)
            form = r.random()
            if form < 0.45: name = "%s %s" % (f, s)
            elif form < 0.8: name = "%s, %s" % (s.upper(), f)
            elif form < 0.9: name = s.upper() + " " + f.upper()
            else: name = f
            age = age_at(dob, when) + r.choice([0, 0, 0, -2, -1, 1, 2, 3, -3, 4])
            town = r.choice(TOWNS)[0]
            rid = nid("RT")
            o.add("retail", {"Incident Ref": rid, "Offender Name": name, "Approx Age": str(age) if r.random() < 0.85 else "",
                             "Incident Date": fdate(when, "dmy"), "Store": r.choice(["Boots", "Superdrug", "TK Maxx", "Tesco Extra", "Sainsbury's", "Primark", "Lidl"]),
                             "Store Town": town, "Vehicle Reg": p["reg"] if r.random() < 0.6 else "",
                             "Phone": fmt_phone(p["ph"], r) if r.random() < 0.2 else "",
                             "Description": r.choice(["male, dark hair", "stocky, beard", "slim, cap", "tall, dark jacket", "female, long dark hair", "group of 3"])},
                  pid, rid, f if form < 0.9 else f, s if form < 0.9 else "", None)
    return o, """georgian: Georgian and Armenian organised-shoplifting crews. custody (national or Russian/English
given forms, surnames in Georgian-national or Russian/French/German transliteration (Qavtaradze/Kavtaradze,
-shvili/-chvili, -yan/-ian), 12% of people give an alias date of birth half the time), homeoffice (passport
spellings, ISO dates, address 60%), retail (a retail crime-sharing platform: the name as given to store staff,
an approximate age and the incident date, a crew's shared vehicle, no dob)."""


# ---------------------------------------------------------------- 3. central asian seasonal workers
UZ_M = ["Alisher", "Jasur", "Sardor", "Bobur", "Dilshod", "Shoxrux", "Xurshid", "Otabek", "Sherzod", "Jamshid", "Umid",
        "Farrux", "Ulug'bek", "Abdulaziz", "Doston", "Sanjar", "Rustam", "Baxtiyor", "Firdavs", "Javohir", "Akmal",
        "Zafar", "Islom", "Ravshan", "Odil", "Nodir", "Abdulla", "Shavkat", "Bahodir", "Oybek"]
KG_M = ["Nurlan", "Azamat", "Bakyt", "Ermek", "Aibek", "Tilek", "Adilet", "Kubanych", "Erlan", "Daniyar"]
UZ_F = ["Dilnoza", "Gulnora", "Nilufar", "Madina", "Zarina", "Shahnoza", "Feruza", "Malika", "Mohira", "Nodira",
        "Gulchehra", "Sevara"]
KG_F = ["Aigerim", "Aizhan", "Cholpon", "Jyldyz", "Nazira", "Gulzat", "Aida"]
UZ_S = ["Ergashev", "Xolmatov", "Yusupov", "Karimov", "Rahimov", "Abdullayev", "Tursunov", "Mirzayev", "Qodirov",
        "G'ofurov", "To'xtayev", "Nurmatov", "Sultonov", "Sharipov", "Ahmedov", "Usmonov", "Ismoilov", "Xasanov",
        "Jo'rayev", "Normatov", "Qosimov", "Saidov", "Hamroyev", "Aliyev", "Murodov", "Yo'ldoshev", "Ro'ziyev"]
KG_S = ["Asanov", "Usenov", "Mamatov", "Toktosunov", "Abdyldayev", "Sydykov", "Omurbekov", "Jumabayev"]
FARMS = ["Oak", "Manor", "Grange", "Church", "Home", "Lower", "Upper", "Hill", "Brook", "Willow", "Ash", "Moor",
         "Hall", "Mill", "Park", "Holly", "Field", "Orchard", "Poplar", "Elm"]
FARM_AREAS = [("Ledbury", "HR8"), ("Hereford", "HR2"), ("Leominster", "HR6"), ("Evesham", "WR11"), ("Pershore", "WR10"),
              ("Maidstone", "ME15"), ("Faversham", "ME13"), ("Wisbech", "PE13"), ("Spalding", "PE11"), ("Boston", "PE21"),
              ("Blairgowrie", "PH10"), ("Ely", "CB6")]


def ru_style(s):
    t = s.lower()
    for a, b in [("o'", "u"), ("g'", "g"), ("x", "kh"), ("q", "k"), ("yev", "ev"), ("j", "dzh"), ("'", "")]:
        t = t.replace(a, b)
    return t[:1].upper() + t[1:]


def en_style(s, r):
    t = s.lower()
    for a, opts in [("o'", ["o", "u", "o'"]), ("g'", ["g", "gh"]), ("x", ["kh", "h", "x"]), ("q", ["k", "q"]),
                    ("yev", ["yev", "ev", "aev"]), ("'", [""])]:
        t = t.replace(a, r.choice(opts))
    return t[:1].upper() + t[1:]


def fem(s): return s + "a"


def patron(father, sex, style):
    if style == "ru":
        b = ru_style(father)
        if b[-1] in "aeiouy": b = b[:-1] + ("yevich" if sex == "M" else "yevna")
        else: b = b + ("ovich" if sex == "M" else "ovna")
        return b
    return father + (" o'g'li" if sex == "M" else " qizi")


def shape_uzbek(r, n):
    o = Out()
    o.source("visa_list", ["Worker ID", "Surname", "Given Names", "Date of Birth", "Sex", "Nationality", "Passport Number",
                           "Farm", "Accommodation Address", "Arrival Date"])
    o.source("payroll", ["Employee No", "First Name", "Last Name", "DOB", "NI Number", "Address", "Postcode", "Mobile",
                         "Sort Code", "Account Number"])
    o.source("welfare_visits", ["Visit Ref", "Name", "Age", "Visit Date", "Location", "Phone", "Nationality", "Officer Notes"])
    farms = []
    for i in range(max(20, n // 60)):
        town, pc = r.choice(FARM_AREAS)
        farms.append({"name": "%s Farm" % r.choice(FARMS), "town": town,
                      "pc": "%s %d%s%s" % (pc, r.randint(1, 9), r.choice("ABDEFGHJLNPQRSTUWXYZ"), r.choice("ABDEFGHJLNPQRSTUWXYZ")),
                      "gm_phone": mob(r), "gm_acct": ("%02d-%02d-%02d" % (r.randint(10, 99), r.randint(0, 99), r.randint(0, 99)),
                                                       "%08d" % r.randrange(10 ** 8))})
    cid = [0]

    def nid(p):
        cid[0] += 1; return "%s%06d" % (p, cid[0])
    for pid in range(n):
        kg = r.random() < 0.25
        sex = "M" if r.random() < 0.7 else "F"
        gf = zipf(r, (KG_M if sex == "M" else KG_F) if kg else (UZ_M if sex == "M" else UZ_F), 0.8)
        father = zipf(r, KG_M if kg else UZ_M, 0.8)
        if kg and r.random() < 0.3:
            canon_s = father + (" uulu" if sex == "M" else " kyzy")
        else:
            canon_s = zipf(r, KG_S if kg else UZ_S, 0.7)
            if sex == "F": canon_s = fem(canon_s)
        dob = rand_dob(r, 1975, 2004)
        ph = mob(r)
        ni = "%s%s%06d%s" % (r.choice("JKLMNPRSTWYZ"), r.choice("ABCEHJKLMNPRSTWXYZ"), r.randrange(10 ** 6), r.choice("ABCD")) if r.random() < 0.5 else ""
        acct = ("%02d-%02d-%02d" % (r.randint(10, 99), r.randint(0, 99), r.randint(0, 99)), "%08d" % r.randrange(10 ** 8))
        stint = [r.choice(farms) for _ in range(r.choice([1, 1, 2, 3]))]
        pass_style = "ru" if r.random() < 0.5 else "uz"
        pass_s = (ru_style(canon_s) if pass_style == "ru" else canon_s.replace("'", "")).upper()
        pass_f = (ru_style(gf) if pass_style == "ru" else gf.replace("'", "")).upper()
        inA, inB, inC = include(r, [0.8, 0.7, 0.5])
        if inA:
            rid = "SW-%s" % nid("")
            g = pass_f + (" " + patron(father, sex, "ru").upper() if r.random() < 0.4 else "")
            fm = stint[0]
            o.add("visa_list", {"Worker ID": rid, "Surname": pass_s, "Given Names": g, "Date of Birth": fdate(dob, "iso"),
                                "Sex": sex, "Nationality": "KGZ" if kg else "UZB",
                                "Passport Number": ("AC" if kg else "FA") + "%07d" % r.randrange(10 ** 7),
                                "Farm": fm["name"] + ", " + fm["town"], "Accommodation Address": "%s, %s" % (fm["name"], fm["town"]),
                                "Arrival Date": fdate(dt.date(2023, 3, 1) + dt.timedelta(days=r.randrange(200)), "dmy")},
                  pid, rid, pass_f, pass_s, dob)
        for k in range(len(stint) if inB else 0):
            fm = stint[k]
            rid = "E%s" % nid("")
            if " " in canon_s and r.random() < 0.6:  # 'Nurlan Bakyt uulu' split at another place
                f, s = cap(gf + " " + canon_s.split()[0]), cap(canon_s.split()[1])
            else:
                f, s = en_style(gf, r), en_style(canon_s, r) if " " not in canon_s else cap(canon_s)
            if r.random() < 0.05: s = typo(r, s)
            d = dob_err(r, dob) if r.random() < 0.05 else dob
            gm = r.random() < 0.25
            o.add("payroll", {"Employee No": rid, "First Name": f, "Last Name": s, "DOB": fdate(d, "dmy"), "NI Number": ni,
                              "Address": "Caravan %d, %s, %s" % (r.randint(1, 80), fm["name"], fm["town"]), "Postcode": fm["pc"],
                              "Mobile": fmt_phone(fm["gm_phone"] if gm else ph, r),
                              "Sort Code": (fm["gm_acct"] if r.random() < 0.1 else acct)[0],
                              "Account Number": (fm["gm_acct"] if r.random() < 0.1 else acct)[1]}, pid, rid, f, s, d)
        for k in range(r.choice([1, 1, 2]) if inC else 0):
            fm = r.choice(stint)
            when = dt.date(2023, 5, 1) + dt.timedelta(days=r.randrange(400))
            f, s = en_style(gf, r), en_style(canon_s, r) if " " not in canon_s else cap(canon_s)
            if r.random() < 0.1: f = typo(r, f)
            if r.random() < 0.1: s = typo(r, s)
            k2 = r.random()
            name = "%s %s" % (f, s) if k2 < 0.5 else ("%s %s" % (s.upper(), f) if k2 < 0.85 else f)
            rid = "GLAA/%s" % nid("")
            o.add("welfare_visits", {"Visit Ref": rid, "Name": name,
                                     "Age": ("approx %d" if r.random() < 0.4 else "%d") % (age_at(dob, when) + r.choice([0, 0, 0, 1, -1, 2, -2])),
                                     "Visit Date": fdate(when, "dmy"), "Location": "%s, %s %s" % (fm["name"], fm["town"], fm["pc"]),
                                     "Phone": fmt_phone(ph, r) if r.random() < 0.5 else "",
                                     "Nationality": "Kyrgyz" if kg else "Uzbek",
                                     "Officer Notes": r.choice(["no concerns", "passport held by supervisor", "pays for caravan", "debt to agent", ""])},
                  pid, rid, f, s if k2 < 0.85 else "", None)
    return o, """uzbek: Central Asian seasonal farm workers. visa_list (scheme operator: passport spellings, Russian-style
(Kholmatov, Tukhtaev, Dzhasur) or Uzbek Latin (Xolmatov, To'xtayev), 40% a Russian patronymic in Given Names,
ISO dates), payroll (First/Last Name in English-ish spellings (Kh/X/H, O'/O/U), caravan addresses at farms of
20-150 workers, the gangmaster's phone on 25% and his bank account on 10% of rows, Kyrgyz 'Nurlan Bakyt uulu'
split as 'Nurlan Bakyt' + 'Uulu'), welfare_visits (GLAA: whole name as heard, age (approx), visit date, farm)."""


# ---------------------------------------------------------------- 4. maghreb
MG_M = [["Mohamed", "Mohammed", "Muhammad", "Mohammad"], ["Djamel", "Jamal", "Djamal", "Jamel"],
        ["Abdelkader", "Abdel Kader", "Abdulkader", "Abdul Qadir"], ["Youcef", "Youssef", "Yusuf", "Youssouf"],
        ["Rachid", "Rashid", "Rached"], ["Khaled", "Khalid"], ["Said", "Saïd", "Saeed"], ["Hichem", "Hisham", "Hicham"],
        ["Noureddine", "Nour Eddine", "Nouredine", "Nuraddin"], ["Abderrahmane", "Abdel Rahman", "Abdelrahman", "Abdul Rahman"],
        ["Mehdi", "Mahdi"], ["Karim", "Kareem"], ["Oualid", "Walid", "Ouallid"], ["Bilal", "Bilel"],
        ["Sofiane", "Sufyan", "Soufiane"], ["Yassine", "Yacine", "Yasin"], ["Mourad", "Murad"], ["Amine", "Amin"],
        ["Ayoub", "Ayub"], ["Hamza", "Hamzah"], ["Zakaria", "Zakariya"], ["Redouane", "Ridwan", "Redwan"],
        ["Abdelaziz", "Abdul Aziz"], ["Tarek", "Tariq", "Tarik"], ["Fouad", "Fuad"], ["Smail", "Ismail", "Ismaïl"],
        ["Lyes", "Ilyes", "Ilyas"], ["Nassim", "Nasim"], ["Anis", "Aniss"], ["Brahim", "Ibrahim"]]
MG_F = [["Fatima", "Fatma", "Fatimah"], ["Khadija", "Khadidja", "Kadija"], ["Amina", "Aminah"], ["Nadia", "Nadiya"],
        ["Samira", "Sameera"], ["Meriem", "Maryam", "Myriam"], ["Leila", "Layla", "Leïla"], ["Souad", "Suad"],
        ["Yasmina", "Yasmine", "Yasmin"], ["Imane", "Iman"], ["Houda", "Huda"], ["Naima", "Naïma"], ["Zineb", "Zaynab", "Zeinab"]]
MG_S = [["Benali", "Ben Ali", "Bin Ali"], ["Bouaziz", "Bou Aziz"], ["Belkacem", "Belgacem", "Belkassem"], ["Boudiaf"],
        ["Haddad", "Hadad"], ["Mansouri", "Mansuri", "El Mansouri"], ["Benyoucef", "Ben Youssef", "Benyoussef"],
        ["Cherif", "Sharif", "Chérif"], ["Amrani", "El Amrani", "Elamrani"], ["Bensaid", "Ben Said", "Bensaïd"],
        ["Zerrouki", "Zerouki"], ["Hamidi", "Hamedi"], ["Saidi", "Saïdi", "Saeedi"], ["Khelifi", "Khalifi"],
        ["Messaoudi", "Masoudi", "Messaudi"], ["Benmoussa", "Ben Moussa", "Benmusa"], ["Chaoui"], ["Bouzid"],
        ["Tahri", "Tahiri"], ["El Idrissi", "Idrissi", "Elidrissi"], ["Ait Ahmed", "Aït Ahmed", "Aitahmed"],
        ["Ould Ali", "Ouldali"], ["Boukhari", "Bukhari"], ["Djebbar", "Jabbar", "Djabbar"], ["Touati", "Tuati"],
        ["Larbi", "El Arbi", "Elarbi"], ["Kaddour", "Kadour", "Qaddur"], ["Brahimi", "Ibrahimi"], ["Mebarki", "Mbarki"],
        ["Slimani"], ["Ziani"], ["Aouadi", "Awadi"], ["Ouali", "Wali"], ["Benaissa", "Ben Aissa", "Ben Issa"],
        ["Hadjadj", "Hajjaj"], ["Bouchareb", "Boucharib"]]


def shape_maghreb(r, n):
    o = Out()
    o.source("homeoffice", ["CID Person ID", "Surname", "Forenames", "Date of Birth", "Sex", "Nationality", "Document",
                            "Address", "Postcode"])
    o.source("police", ["Nominal Ref", "Forename", "Surname", "DOB", "Sex", "Address", "Postcode", "Phone"])
    o.source("encounters", ["Encounter ID", "Subject Name", "Claimed DOB", "Encounter Date", "Location", "Phone", "Nationality"])
    cid = [0]

    def nid(p):
        cid[0] += 1; return "%s%06d" % (p, cid[0])
    for pid in range(n):
        sex = "M" if r.random() < 0.8 else "F"
        fv = zipf(r, MG_M if sex == "M" else MG_F, 0.9)
        sv = zipf(r, MG_S, 0.6)
        dob = rand_dob(r, 1975, 2005)
        est = r.random() < 0.15  # undocumented: an estimate, 01/01
        dob_claim = dt.date(dob.year + r.choice([0, 0, -1, 1, -2]), 1, 1) if est else dob
        home, home2 = make_home(r), make_home(r)
        ph, ph2 = mob(r), mob(r)
        nat = r.choice(["DZA", "DZA", "MAR", "MAR", "TUN"])
        uk_f = r.choice(fv)  # the spelling the person's UK records settle on
        inA, inB, inC = include(r, [0.7, 0.7, 0.5])
        if inA:
            rid = nid("HO")
            f = fv[0].upper()
            if est and r.random() < 0.6: f = uk_f.upper()
            d = dob_claim
            o.add("homeoffice", {"CID Person ID": rid, "Surname": sv[0].upper(), "Forenames": f, "Date of Birth": fdate(d, "dmy"),
                                 "Sex": sex, "Nationality": nat, "Document": "passport" if not est else "none",
                                 "Address": addr(home, r, False) + ", " + home["town"] if r.random() < 0.55 else "",
                                 "Postcode": home["pc"] if r.random() < 0.55 else ""}, pid, rid, f, sv[0].upper(), d)
        for k in range(r.choice([1, 1, 2, 2, 3]) if inB else 0):
            f = uk_f if r.random() < 0.7 else r.choice(fv)
            s = sv[0] if r.random() < 0.5 else r.choice(sv)
            if r.random() < 0.05: f = typo(r, f)
            if r.random() < 0.05: s = typo(r, s)
            d = dob_claim if r.random() < 0.85 else (dob_err(r, dob) if r.random() < 0.5 else dt.date(dob.year + r.choice([-2, -1, 1, 2]), 1, 1))
            if r.random() < 0.05: d = None
            h = home if r.random() < 0.7 else home2
            rid = nid("NM")
            o.add("police", {"Nominal Ref": rid, "Forename": f, "Surname": s.upper(), "DOB": fdate(d, "dmy"), "Sex": sex,
                             "Address": addr(h, r) + ", " + h["town"] if r.random() < 0.9 else "NFA",
                             "Postcode": h["pc"] if r.random() < 0.85 else "",
                             "Phone": fmt_phone(ph if r.random() < 0.7 else ph2, r) if r.random() < 0.7 else ""}, pid, rid, f, s, d)
        for k in range(r.choice([1, 1, 2]) if inC else 0):
            when = dt.date(2022, 1, 1) + dt.timedelta(days=r.randrange(1000))
            f, s = r.choice(fv), r.choice(sv)
            if r.random() < 0.08: s = typo(r, s)
            name = "%s %s" % (s.upper(), f.upper()) if r.random() < 0.5 else "%s %s" % (f, s)
            d = dob_claim if r.random() < 0.8 else dt.date(dob.year + r.choice([-1, 1, -3, 2]), r.randint(1, 12), r.randint(1, 28))
            rid = nid("EN")
            h = home if r.random() < 0.6 else home2
            o.add("encounters", {"Encounter ID": rid, "Subject Name": name, "Claimed DOB": fdate(d, "dmy"), "Encounter Date": fdate(when, "dmy"),
                                 "Location": "%s, %s" % (addr(h, r), h["town"]) if r.random() < 0.7 else r.choice(["Car wash, " + h["town"], "Barber shop, " + h["town"], "Dover Eastern Docks"]),
                                 "Phone": fmt_phone(ph, r) if r.random() < 0.5 else "", "Nationality": {"DZA": "Algerian", "MAR": "Moroccan", "TUN": "Tunisian"}[nat]},
                  pid, rid, f, s, d)
    return o, """maghreb: Algerian, Moroccan and Tunisian nationals. homeoffice (French transliteration in capitals:
DJAMEL, YOUCEF, OUALID, BENYOUCEF, AIT AHMED; 15% undocumented with a 01/01 estimate that may be a year off),
police (one settled English-ish spelling per person: Jamal, Yusuf, Walid; surnames French or variant: Ben Youssef,
El Amrani, Jabbar), encounters (Immigration Enforcement: 'BENALI KARIM' surname first half the time, the claimed
date of birth 20% another one, a car wash or barber shop for a location)."""


# ---------------------------------------------------------------- 5. european liaison replies
EU = {
    "ro": (["Ionuț", "Andrei", "Alexandru", "Florin", "Marian", "Gheorghe", "Constantin", "Ștefan", "Bogdan", "Cătălin", "Mihai", "Adrian"],
           ["Elena", "Ioana", "Andreea", "Mihaela", "Alexandra", "Florentina"],
           ["Popescu", "Ionescu", "Dumitru", "Stoica", "Constantin", "Stan", "Munteanu", "Rusu", "Tănase", "Căpraru", "Lăcătuș", "Năstase", "Bălan", "Ștefănescu"]),
    "pl": (["Krzysztof", "Łukasz", "Paweł", "Tomasz", "Michał", "Piotr", "Grzegorz", "Marcin", "Wojciech"],
           ["Katarzyna", "Małgorzata", "Agnieszka", "Joanna", "Magdalena"],
           ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Woźniak", "Dąbrowski"]),
    "bg": (["Georgi", "Dimitar", "Ivan", "Nikolay", "Hristo", "Stoyan", "Petar"], ["Maria", "Ivanka", "Desislava", "Tsvetelina"],
           ["Ivanov", "Georgiev", "Dimitrov", "Petrov", "Nikolov", "Hristov", "Stoyanov", "Todorov"]),
    "lt": (["Tomas", "Mindaugas", "Darius", "Andrius", "Vytautas", "Paulius"], ["Rūta", "Jurgita", "Agnė", "Ieva"],
           ["Kazlauskas", "Jankauskas", "Petrauskas", "Stankevičius", "Vasiliauskas", "Žukauskas"]),
    "it": (["Giuseppe", "Antonio", "Salvatore", "Francesco", "Giovanni", "Luca", "Marco"], ["Giulia", "Francesca", "Chiara", "Rosa"],
           ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "De Luca", "D'Angelo"]),
    "pt": (["João", "José", "António", "Luís", "Gonçalo"], ["Ana", "Inês", "Maria", "Joana"],
           ["Silva", "Santos", "Ferreira", "Pereira", "Gonçalves", "Conceição"]),
    "sk": (["Ján", "Peter", "Marek", "Tomáš", "Jozef"], ["Lucia", "Zuzana", "Mária"],
           ["Horváth", "Kováč", "Varga", "Tóth", "Balog", "Lakatoš"]),
}
DE_MON = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"]
FR_MON = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
DE_TOWNS = [("Essen", "45127"), ("Dortmund", "44135"), ("Duisburg", "47051"), ("Köln", "50667"), ("Berlin", "12043"),
            ("Hamburg", "20095"), ("Mannheim", "68159"), ("Offenbach am Main", "63065")]
FR_TOWNS = [("Lille", "59000"), ("Roubaix", "59100"), ("Calais", "62100"), ("Paris", "75018"), ("Lyon", "69007"),
            ("Marseille", "13003"), ("Strasbourg", "67000")]


def eu_fem(c, s):
    if c == "pl" and s.endswith("ski"): return s[:-1] + "a"
    if c == "bg": return s + "a"
    if c == "lt":
        return s[:-2] + "ienė" if s.endswith(("as", "is", "us")) else s
    if c == "sk": return s + "ová" if not s.endswith("š") else s + "ová"
    return s


def cedilla(s):  # Romanian comma-below letters as many systems store them
    return s.replace("ș", "ş").replace("ț", "ţ").replace("Ș", "Ş").replace("Ț", "Ţ")


def shape_eurolia(r, n):
    o = Out()
    o.source("uk", ["Custody Ref", "Forename", "Surname", "DOB", "Sex", "Nationality", "Address", "Postcode", "Phone"])
    o.source("de", ["Lfd. Nr.", "Familienname", "Vorname", "Geburtsdatum", "Geburtsort", "Staatsangehörigkeit", "Geschlecht",
                    "Anschrift", "Telefonnummer"], delim=";")
    o.source("fr", ["N° d'ordre", "NOM", "PRENOM(S)", "DATE DE NAISSANCE", "LIEU DE NAISSANCE", "NATIONALITE", "SEXE",
                    "ADRESSE", "TELEPHONE"], delim=";")
    NAT = {"ro": ("Romanian", "rumänisch", "roumaine"), "pl": ("Polish", "polnisch", "polonaise"), "bg": ("Bulgarian", "bulgarisch", "bulgare"),
           "lt": ("Lithuanian", "litauisch", "lituanienne"), "it": ("Italian", "italienisch", "italienne"),
           "pt": ("Portuguese", "portugiesisch", "portugaise"), "sk": ("Slovak", "slowakisch", "slovaque")}
    cid = [0]

    def nid(p):
        cid[0] += 1; return "%s%06d" % (p, cid[0])
    countries = list(EU)
    for pid in range(n):
        c = r.choices(countries, [30, 20, 12, 10, 10, 8, 10])[0]
        sex = "M" if r.random() < 0.7 else "F"
        fm, ff, ss = EU[c]
        f0 = zipf(r, fm if sex == "M" else ff, 0.8)
        s0 = zipf(r, ss, 0.7)
        if sex == "F": s0 = eu_fem(c, s0)
        dob = rand_dob(r, 1965, 2003)
        home, ph = make_home(r), mob(r)
        dtown, ftown = r.choice(DE_TOWNS), r.choice(FR_TOWNS)
        birthplace = {"ro": "Craiova", "pl": "Łódź", "bg": "Plovdiv", "lt": "Kaunas", "it": "Napoli", "pt": "Porto", "sk": "Košice"}[c]
        inA, inB, inC = include(r, [0.8, 0.45, 0.4])
        for k in range(r.choice([1, 1, 2, 3]) if inA else 0):
            f = strip_acc(f0) if r.random() < 0.7 else f0
            s = strip_acc(s0) if r.random() < 0.7 else s0
            if r.random() < 0.05: s = typo(r, s)
            d = dob_err(r, dob) if r.random() < 0.03 else dob
            rid = nid("UK")
            o.add("uk", {"Custody Ref": rid, "Forename": f, "Surname": s.upper(), "DOB": fdate(d, "dmy"), "Sex": sex,
                         "Nationality": NAT[c][0], "Address": addr(home, r) + ", " + home["town"] if r.random() < 0.9 else "",
                         "Postcode": home["pc"] if r.random() < 0.85 else "", "Phone": fmt_phone(ph, r) if r.random() < 0.7 else ""},
                  pid, rid, f, s, d)
        if inB:
            rid = nid("DE")
            f, s = f0, s0
            if c == "ro" and r.random() < 0.6: f, s = cedilla(f), cedilla(s)
            d = dob_err(r, dob) if r.random() < 0.03 else dob
            ds = fdate(d, "dot") if r.random() < 0.75 else "%d. %s %d" % (d.day, DE_MON[d.month - 1], d.year)
            o.add("de", {"Lfd. Nr.": rid, "Familienname": s.upper() if r.random() < 0.5 else s, "Vorname": f, "Geburtsdatum": ds,
                         "Geburtsort": birthplace, "Staatsangehörigkeit": NAT[c][1], "Geschlecht": "männlich" if sex == "M" else "weiblich",
                         "Anschrift": "%sstraße %d, %s %s" % (r.choice(["Haupt", "Bahnhof", "Schul", "Garten", "Kirch"]), r.randint(1, 90), dtown[1], dtown[0]),
                         "Telefonnummer": ("+49 1%02d %07d" % (r.randint(50, 79), r.randrange(10 ** 7))) if r.random() < 0.6 else fmt_phone(ph, r) if r.random() < 0.5 else ""},
                  pid, rid, f, s, d)
        if inC:
            rid = nid("FR")
            f, s = f0, s0
            if r.random() < 0.5: f, s = strip_acc(f), strip_acc(s)
            d = dob_err(r, dob) if r.random() < 0.03 else dob
            ds = fdate(d, "dmy") if r.random() < 0.7 else "%d %s %d" % (d.day, FR_MON[d.month - 1], d.year)
            o.add("fr", {"N° d'ordre": rid, "NOM": s.upper(), "PRENOM(S)": f, "DATE DE NAISSANCE": ds,
                         "LIEU DE NAISSANCE": birthplace.upper(), "NATIONALITE": NAT[c][2], "SEXE": "M" if sex == "M" else "F",
                         "ADRESSE": "%d rue %s, %s %s" % (r.randint(1, 120), r.choice(["de la Gare", "Victor Hugo", "Jean Jaurès", "de Paris"]), ftown[1], ftown[0]),
                         "TELEPHONE": ("+33 6 %02d %02d %02d %02d" % tuple(r.randrange(100) for _ in range(4))) if r.random() < 0.6 else fmt_phone(ph, r) if r.random() < 0.4 else ""},
                  pid, rid, f, s, d)
    return o, """eurolia: EU nationals (Romanian, Polish, Bulgarian, Lithuanian, Italian, Portuguese, Slovak) in a UK custody
extract (diacritics stripped 70%) and two liaison replies with their own headings: de (BKA: Familienname; Vorname;
Geburtsdatum '12.03.1990' or '12. März 1990'; Romanian ș/ț stored with cedilla ş/ţ; German addresses; German
phones or the UK one), fr (NOM; PRENOM(S); DATE DE NAISSANCE '12/03/1990' or '12 mars 1990'; French addresses).
Semicolon-delimited replies. Women's gendered surnames (-ska, -ova, -ienė, -ová)."""


# ---------------------------------------------------------------- 6. sheetmess (spreadsheet mechanics)
UK_M = ["James", "John", "David", "Michael", "Daniel", "Thomas", "Ryan", "Liam", "Connor", "Jordan", "Kyle", "Callum",
        "Jack", "Harry", "Lewis", "Adam", "Paul", "Mark", "Stephen", "Craig", "Dean", "Lee", "Jamie", "Aaron", "Sean",
        "Patrick", "Kieran", "Declan", "Mohammed", "Ali", "Tyler", "Kai", "Reece", "Brandon", "Joshua"]
UK_F = ["Sarah", "Emma", "Laura", "Rebecca", "Gemma", "Kelly", "Chloe", "Jade", "Amy", "Leanne", "Stacey", "Shannon",
        "Megan", "Courtney", "Jessica", "Lauren", "Siobhan", "Aoife", "Niamh", "Aisha", "Kayleigh", "Paige", "Demi",
        "Hannah", "Charlotte"]
UK_S = ["Smith", "Jones", "Brown", "Taylor", "Wilson", "Johnson", "Walker", "Wright", "Robinson", "Thompson", "Hughes",
        "Green", "Hall", "Wood", "Clarke", "Jackson", "O'Brien", "O'Neill", "O'Connor", "O'Reilly", "D'Souza",
        "McDonald", "McCarthy", "Murphy", "Kelly", "Doyle", "Ward", "Khan", "Hussain", "Ahmed", "Begum", "Ali",
        "Smith-Jones", "Lloyd-Williams", "Harris", "Lewis", "Evans", "Shaw", "Atkinson", "Barker", "Dobson", "Kaur"]


def smart(s):
    return s.replace("'", "\u2019").replace("-", "\u2013")


def shape_sheetmess(r, n):
    o = Out()
    hdr = ["Ref ", "SURNAME ", "First name", " D.O.B", "Address ", "Post code", "Contact No. "]
    o.source("safeguarding", hdr, pre=["Safeguarding Partnership \u2013 Vulnerable Persons List (exported 03/02/2025)", ""],
             post=["", "Total records:,%d" % 0])
    o.source("partner", ["Client ID", "Forename", "Surname", "Date of Birth", "Address", "Postcode", "Telephone"],
             delim=";", enc="cp1252", eol="\r\n")
    o.source("police", ["Nominal ID", "FORENAME", "SURNAME", "DOB", "ADDRESS", "POSTCODE", "PHONE"], bom=True, eol="\r\n")
    cid = [0]

    def nid(p):
        cid[0] += 1; return "%s%06d" % (p, cid[0])
    # households
    people = []
    while len(people) < n:
        sur = zipf(r, UK_S, 0.6)
        home = make_home(r)
        landline = "0113 " + "%03d %04d" % (r.randrange(1000), r.randrange(10000))
        adults = r.choice([1, 2, 2])
        for i in range(r.choice([1, 2, 2, 3, 3, 4, 5])):
            child = i >= adults
            sex = "M" if r.random() < 0.5 else "F"
            s = sur if (i == 0 or r.random() < 0.85) else zipf(r, UK_S, 0.6)
            dob = rand_dob(r, 2005, 2016) if child else rand_dob(r, 1965, 1998)
            people.append(dict(pid=len(people), hh=len(people) if i == 0 else people[-i]["hh"], f=zipf(r, UK_M if sex == "M" else UK_F, 0.7),
                               s=s, dob=dob, home=home, ph=mob(r) if not child or r.random() < 0.5 else "", land=landline))
    people = people[:n]
    hh = {}
    for p in people: hh.setdefault(p["hh"], []).append(p)
    # safeguarding sheet: households in blocks, merged cells exported as blanks, dittos
    for key, mem in hh.items():
        inA = [p for p in mem if r.random() < 0.7]
        first = True
        for p in inA:
            rid = nid("SG/2024/")
            d = dob_err(r, p["dob"]) if r.random() < 0.03 else p["dob"]
            a = "%s, %s" % (addr(p["home"], r), p["home"]["town"])
            if first:
                s, ad, pc = p["s"], a, p["home"]["pc"]
            else:
                k = r.random()
                s = p["s"] if p["s"] != inA[0]["s"] else ("" if k < 0.4 else '"' if k < 0.6 else "ditto" if k < 0.7 else "as above" if k < 0.8 else p["s"])
                k = r.random()
                ad = "" if k < 0.5 else '"' if k < 0.65 else "as above" if k < 0.8 else "same" if k < 0.85 else a
                pc = "" if ad in ("", '"', "as above", "same") and r.random() < 0.8 else p["home"]["pc"]
            first = False
            f = p["f"] + (" " if r.random() < 0.3 else "")
            o.add("safeguarding", {"Ref ": rid, "SURNAME ": s.upper() + (" " if r.random() < 0.3 else ""), "First name": f,
                                   " D.O.B": fdate(d, "dmy") + (" " if r.random() < 0.2 else ""), "Address ": ad, "Post code": pc,
                                   "Contact No. ": (p["ph"] or p["land"]) if r.random() < 0.6 else ""}, p["pid"], rid, p["f"], s, d)
        if inA and r.random() < 0.5: o.src["safeguarding"]["rows"].append(None)
    o.src["safeguarding"]["opts"]["post"] = ["", "Total records: %d" % sum(1 for x in o.src["safeguarding"]["rows"] if x)]
    for p in people:
        inB, inC = r.random() < 0.6, r.random() < 0.65
        if inB:
            rid = nid("PC")
            h = p["home"]
            a = "%s\n%s" % (addr(h, r), h["town"]) if r.random() < 0.5 else "%s, %s" % (addr(h, r), h["town"])
            s = smart(p["s"]) if r.random() < 0.7 else p["s"]
            f = p["f"] if r.random() < 0.95 else typo(r, p["f"])
            d = dob_err(r, p["dob"]) if r.random() < 0.03 else p["dob"]
            o.add("partner", {"Client ID": rid, "Forename": f + " ", "Surname": s + "  ", "Date of Birth": fdate(d, "dmy"),
                              "Address": a, "Postcode": h["pc"] if r.random() < 0.9 else "",
                              "Telephone": (p["ph"] or p["land"]) if r.random() < 0.6 else ""}, p["pid"], rid, f, s, d)
        for k in range(r.choice([1, 1, 2]) if inC else 0):
            rid = nid("NOM")
            s = p["s"].upper() if r.random() < 0.8 else p["s"].upper().replace("'", "").replace("-", " ")
            if r.random() < 0.04: s = typo(r, s)
            d = dob_err(r, p["dob"]) if r.random() < 0.03 else p["dob"]
            h = p["home"]
            o.add("police", {"Nominal ID": rid, "FORENAME": p["f"].upper(), "SURNAME": s, "DOB": fdate(d, "iso"),
                             "ADDRESS": ("%s, %s" % (addr(h, r), h["town"])).upper() if r.random() < 0.9 else "",
                             "POSTCODE": h["pc"] if r.random() < 0.85 else "", "PHONE": p["ph"] if p["ph"] and r.random() < 0.6 else ""},
                  p["pid"], rid, p["f"], s, d)
    return o, """sheetmess: British/Irish households (O'Brien, D'Souza, Smith-Jones). safeguarding (a council spreadsheet export:
a title line and blank line above the header, headers with stray spaces ('Ref ', 'SURNAME ', ' D.O.B'), households in
blocks where later members' SURNAME/Address/Post code are blank (merged cells), '"', 'ditto', 'as above' or 'same',
blank rows between households, a 'Total records: N' footer, trailing spaces in values), partner (Windows-1252,
semicolons, CRLF, smart apostrophes and en dashes (O’Brien, Smith–Jones), addresses with an embedded line break,
trailing spaces), police (UTF-8 with BOM, CRLF, capitals, ISO dates, apostrophes sometimes dropped)."""


# ---------------------------------------------------------------- 7. carers (looked-after children)
CH_M = ["Jayden", "Kai", "Tyler", "Riley", "Mason", "Logan", "Alfie", "Charlie", "Harley", "Leon", "Callum", "Kyle",
        "Brandon", "Reece", "Jordan", "Ethan", "Liam", "Tommy", "Alexander", "Joshua", "Thomas", "Daniel", "Bradley"]
CH_F = ["Kayleigh", "Chantelle", "Skye", "Leah", "Paige", "Demi", "Courtney", "Tia", "Ellie", "Jessica", "Amelia",
        "Lacey", "Chloe", "Mia", "Summer", "Jasmine", "Rebecca", "Samantha", "Victoria", "Abigail", "Natasha"]
CH_NICK = {"Alexander": ["Alex", "Xander"], "Joshua": ["Josh"], "Thomas": ["Tom", "Tommy"], "Daniel": ["Dan", "Danny"],
           "Bradley": ["Brad"], "Callum": ["Cal"], "Jessica": ["Jess"], "Rebecca": ["Becca", "Becky"],
           "Samantha": ["Sam"], "Victoria": ["Vicky", "Tori"], "Abigail": ["Abbie", "Abi"], "Natasha": ["Tash"],
           "Kayleigh": ["Kay"], "Chantelle": ["Chan"], "Jayden": ["JJ", "Jay"], "Courtney": ["Court"],
           "Amelia": ["Millie"], "Jasmine": ["Jas", "Jazz"], "Ellie": ["El"], "Charlie": ["Chaz"]}
HOMES = ["Oakwood House", "The Willows", "Beech Lodge", "Meadow View", "Hilltop House", "Ashgrove", "Cedar Lodge",
         "Rosewood", "Elm House", "Fernbank"]


def shape_carers(r, n):
    o = Out()
    o.source("csc", ["Child ID", "Legal Forename", "Legal Surname", "Known As", "DOB", "Gender", "Placement Address",
                     "Placement Postcode", "Carer Name", "Social Worker"])
    o.source("missing", ["Occurrence No", "Forename", "Surname", "Date of Birth", "Age", "Date Reported", "Home Address",
                         "Postcode", "Mobile", "Reported By", "Risk"])
    o.source("school", ["UPN", "Legal Surname", "Legal Forename", "Preferred Surname", "Preferred Forename", "DOB", "Address", "Postcode"])
    # carers: foster households and children's homes
    carers = []
    for i in range(max(40, n // 4)):
        if i % 6 == 0:
            h = make_home(r)
            carers.append({"sur": None, "name": "Manager, " + HOMES[i % len(HOMES)], "home": h, "label": HOMES[(i // 6) % len(HOMES)]})
        else:
            s = zipf(r, UK_S, 0.5)
            carers.append({"sur": s, "name": "%s %s %s" % (r.choice(["Mrs", "Mr", "Ms"]), r.choice(UK_F + UK_M), s), "home": make_home(r), "label": None})
    sws = ["%s %s" % (r.choice(UK_F + UK_M), zipf(r, UK_S)) for _ in range(60)]
    cid = [0]

    def nid(p):
        cid[0] += 1; return "%s%06d" % (p, cid[0])
    pid = 0
    while pid < n:
        sur = zipf(r, UK_S, 0.6)
        sib = r.choice([1, 1, 1, 2, 2, 3])
        step = zipf(r, UK_S, 0.6) if r.random() < 0.3 else None
        birth_home = make_home(r)
        places = [birth_home] + [None] * 0
        placements = [r.choice(carers) for _ in range(r.choice([1, 2, 2, 3, 4]))]
        for j in range(sib):
            if pid >= n: break
            sex = "M" if r.random() < 0.55 else "F"
            f = zipf(r, CH_M if sex == "M" else CH_F, 0.6)
            dob = rand_dob(r, 2007, 2015)
            ph = mob(r) if r.random() < 0.6 else ""
            ka = r.choice(CH_NICK[f]) if f in CH_NICK and r.random() < 0.4 else ""
            inA, inB, inC = include(r, [0.85, 0.6, 0.75])

            def where(c):
                h = c["home"]
                return ("%s, %s" % (c["label"], addr(h, r, False)) if c["label"] else addr(h, r, False)) + ", " + h["town"], h["pc"]
            for k, c in enumerate(placements if inA else []):
                if k > 0 and r.random() < 0.6: continue  # older placements mostly overwritten
                rid = nid("CSC")
                a, pc = where(c)
                o.add("csc", {"Child ID": rid, "Legal Forename": f, "Legal Surname": sur, "Known As": ka, "DOB": fdate(dob, "dmy"),
                              "Gender": "Male" if sex == "M" else "Female", "Placement Address": a, "Placement Postcode": pc,
                              "Carer Name": c["name"], "Social Worker": r.choice(sws)}, pid, rid, f, sur, dob)
            eps = min(25, int(r.paretovariate(1.1))) if inB else 0
            for e in range(eps):
                c = r.choice(placements)
                when = dt.date(2022, 1, 1) + dt.timedelta(days=r.randrange(1000))
                k = r.random()
                if k < 0.58: s = sur
                elif k < 0.78 and c["sur"]: s = c["sur"]
                elif k < 0.9 and step: s = step
                else: s = typo(r, sur) if r.random() < 0.6 else sur
                k = r.random()
                fn = f if k < 0.8 else (ka or (r.choice(CH_NICK[f]) if f in CH_NICK else f)) if k < 0.95 else typo(r, f)
                d = dob if r.random() < 0.65 else None
                if d and r.random() < 0.04: d = dob_err(r, d)
                a, pc = where(c)
                rid = nid("MP/")
                o.add("missing", {"Occurrence No": rid, "Forename": fn, "Surname": s.upper(), "Date of Birth": fdate(d, "dmy"),
                                  "Age": str(age_at(dob, when)), "Date Reported": fdate(when, "dmy"), "Home Address": a,
                                  "Postcode": pc if r.random() < 0.9 else "", "Mobile": ph if ph and r.random() < 0.5 else "",
                                  "Reported By": c["name"], "Risk": r.choice(["Low", "Medium", "Medium", "High"])}, pid, rid, fn, s, d)
            if inC:
                rid = "A%012d" % r.randrange(10 ** 12)
                c = placements[-1] if r.random() < 0.6 else {"home": birth_home, "label": None}
                a, pc = where(c)
                o.add("school", {"UPN": rid, "Legal Surname": sur, "Legal Forename": f, "Preferred Surname": step if step and r.random() < 0.6 else "",
                                 "Preferred Forename": ka if r.random() < 0.5 else "", "DOB": fdate(dob, "iso"), "Address": a, "Postcode": pc},
                      pid, rid, f, sur, dob)
            pid += 1
    return o, """carers: looked-after children 8-17 with 1-4 placements (foster carers and children's homes; siblings placed
together). csc (Legal Forename/Surname, Known As, placement address, 'Carer Name' and 'Social Worker' names),
missing (police missing-person episodes, 1-25 per child (Pareto): the surname as the reporting carer gives it (the
carer's own 20%, a step-parent's 12%), nicknames, dob 65% (Age always, with Date Reported), the placement's address,
'Reported By' the carer's name), school (UPN, legal and preferred names, the latest placement or the birth home)."""


# ---------------------------------------------------------------- 8. remit (money service business)
RM = {"ro": (["Ionut", "Florin", "Marian", "Gheorghe", "Adrian"], ["Elena", "Ioana", "Mihaela"], ["Popescu", "Stoica", "Dumitru", "Lacatus", "Stan", "Rusu"]),
      "al": (["Arben", "Besnik", "Ilir", "Gentian", "Erion", "Klodian"], ["Elira", "Anisa", "Blerta"], ["Hoxha", "Shehu", "Gjoka", "Leka", "Krasniqi", "Berisha"]),
      "vn": (["Van Hung", "Van Minh", "Duc Anh", "Van Nam", "Quang Huy"], ["Thi Lan", "Thi Huong", "Thi Mai", "Thi Hoa"], ["Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu"]),
      "ng": (["Chinedu", "Oluwaseun", "Emeka", "Tunde", "Ifeanyi"], ["Chioma", "Blessing", "Funmilayo", "Ngozi"], ["Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Olawale"]),
      "in": (["Rajesh", "Sandeep", "Gurpreet", "Amit", "Harpreet"], ["Priya", "Manpreet", "Sunita"], ["Singh", "Kumar", "Patel", "Sharma", "Gill", "Sandhu"]),
      "ph": (["Mark Anthony", "John Paul", "Jerome", "Ramon"], ["Maricel", "Jocelyn", "Rowena", "Mary Grace"], ["Santos", "Reyes", "Cruz", "Bautista", "Garcia", "Mendoza"]),
      "br": (["Thiago", "Rafael", "Lucas", "Bruno"], ["Camila", "Juliana", "Fernanda"], ["da Silva", "dos Santos", "Oliveira", "Souza", "Pereira", "Costa"]),
      "gb": (["Daniel", "Ryan", "Lee", "Craig"], ["Kelly", "Gemma", "Laura"], ["Smith", "Jones", "Taylor", "Brown", "Walker", "Wright"])}
RM_CTRY = {"ro": "Romania", "al": "Albania", "vn": "Vietnam", "ng": "Nigeria", "in": "India", "ph": "Philippines", "br": "Brazil", "gb": "Jamaica"}


def shape_remit(r, n):
    o = Out()
    o.source("msb", ["Transaction Ref", "Txn Date", "Sender Name", "Sender DOB", "ID Type", "ID Number", "Sender Address",
                     "Sender Phone", "Receiver Name", "Receiver Country", "Amount GBP"])
    o.source("bank", ["Customer Number", "Title", "First Name", "Middle Name", "Last Name", "Date of Birth", "Address Line 1",
                      "Town", "Postcode", "Mobile", "Email"])
    o.source("nominals", ["Nominal Ref", "Surname", "Forename", "DOB", "Address", "Postcode", "Phone"])
    cid = [0]

    def nid(p):
        cid[0] += 1; return "%s%07d" % (p, cid[0])
    ctrl = []  # controllers' houses and phones that workers' transfers use
    for i in range(n // 40): ctrl.append((make_home(r), mob(r)))
    for pid in range(n):
        c = r.choices(list(RM), [15, 12, 12, 12, 14, 10, 10, 15])[0]
        sex = "M" if r.random() < 0.65 else "F"
        fm, ff, ss = RM[c]
        f = zipf(r, fm if sex == "M" else ff, 0.7)
        s = zipf(r, ss, 0.6)
        parts = f.split()
        first, middle = parts[0], " ".join(parts[1:])
        dob = rand_dob(r, 1965, 2003)
        home, ph = make_home(r), mob(r)
        worker = ctrl and r.random() < 0.15
        ch, cph = r.choice(ctrl) if worker else (None, None)
        idtype = "Passport" if c != "gb" and r.random() < 0.6 else ("BRP" if c != "gb" else "Driving Licence")
        idno = ("".join(r.choice("0123456789") for _ in range(9)) if idtype == "Passport" else
                "ZU" + "".join(r.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(7)) if idtype == "BRP" else
                s.upper()[:5].ljust(5, "9") + "%06d" % r.randrange(10 ** 6) + "AB9CD")
        recv = "%s %s" % (r.choice(fm + ff).split()[0], s if r.random() < 0.7 else zipf(r, ss))
        email = "%s.%s%d@%s" % (strip_acc(first).lower(), strip_acc(s).lower().replace(" ", ""), r.randint(1, 99), r.choice(["gmail.com", "yahoo.com", "outlook.com"]))
        inA, inB, inC = include(r, [0.6, 0.65, 0.5])
        ntx = min(40, int(r.paretovariate(0.9))) if inA else 0
        surname_first = c in ("vn",) or r.random() < 0.1
        for k in range(ntx):
            when = dt.date(2022, 1, 1) + dt.timedelta(days=r.randrange(900))
            g = first + (" " + middle if middle and r.random() < 0.7 else "")
            sn = s if r.random() < 0.93 else typo(r, s)
            gn = g if r.random() < 0.95 else typo(r, g)
            name = ("%s %s" % (sn, gn) if surname_first else "%s %s" % (gn, sn))
            if r.random() < 0.5: name = name.upper()
            h, p = (ch, cph) if worker and r.random() < 0.7 else (home, ph)
            rid = nid("TX")
            sd = dob if r.random() < 0.7 else None
            o.add("msb", {"Transaction Ref": rid, "Txn Date": fdate(when, "dmy"), "Sender Name": name,
                          "Sender DOB": fdate(sd, "dmy"), "ID Type": idtype,
                          "ID Number": idno if r.random() < 0.9 else "", "Sender Address": "%s, %s, %s" % (addr(h, r), h["town"], h["pc"]),
                          "Sender Phone": fmt_phone(p, r) if r.random() < 0.85 else "", "Receiver Name": recv,
                          "Receiver Country": RM_CTRY[c], "Amount GBP": "%.2f" % r.uniform(20, 900)},
                  pid, rid, gn.split()[0], sn, sd)
        if inB:
            rid = nid("C")
            o.add("bank", {"Customer Number": rid, "Title": ("Mr" if sex == "M" else r.choice(["Mrs", "Miss", "Ms"])) if r.random() < 0.8 else "",
                           "First Name": first, "Middle Name": middle, "Last Name": s, "Date of Birth": fdate(dob_err(r, dob) if r.random() < 0.02 else dob, "iso"),
                           "Address Line 1": addr(home, r), "Town": home["town"], "Postcode": home["pc"],
                           "Mobile": ph if r.random() < 0.9 else "", "Email": email if r.random() < 0.8 else ""}, pid, rid, first, s, dob)
        for k in range(r.choice([1, 1, 2]) if inC else 0):
            rid = nid("NOM")
            fn = first if r.random() < 0.9 else f
            if c == "vn" and r.random() < 0.3: fn, sn = s, first  # family name in the forename box
            else: sn = s
            d = dob if r.random() < 0.92 else (dob_err(r, dob) if r.random() < 0.5 else None)
            h = home if r.random() < 0.8 else (ch or home)
            o.add("nominals", {"Nominal Ref": rid, "Surname": sn.upper(), "Forename": fn, "DOB": fdate(d, "dmy"),
                               "Address": "%s, %s" % (addr(h, r), h["town"]), "Postcode": h["pc"] if r.random() < 0.9 else "",
                               "Phone": fmt_phone(ph, r) if r.random() < 0.6 else ""}, pid, rid, fn, sn, d)
    return o, """remit: a money service business's transactions (one row per transfer, 1-40 per sender (Pareto): 'Sender
Name' whole as the agent typed it (capitals half the time, Vietnamese family name first), Sender DOB 70%, ID Type and
ID Number (passport / BRP / licence), an address string with its postcode, 'Receiver Name' (a relative abroad,
often the sender's surname); 15% of senders are workers whose transfers carry their controller's address and
phone), bank (KYC: title, first/middle/last, ISO dob, e-mail), nominals (police; Vietnamese names sometimes swapped)."""


SHAPES = {"greek": shape_greek, "georgian": shape_georgian, "uzbek": shape_uzbek, "maghreb": shape_maghreb,
          "eurolia": shape_eurolia, "sheetmess": shape_sheetmess, "carers": shape_carers, "remit": shape_remit}


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    shape, seed, outdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 3000
    for sh in (SHAPES if shape == "all" else [shape]):
        r = random.Random(seed * 1000003 + zlib.crc32(sh.encode()))
        o, meta = SHAPES[sh](r, n)
        d = os.path.join(outdir, sh) if shape == "all" else outdir
        o.write(d, meta + "\nseed %d people %d\n" % (seed, n) +
                "".join("%s.csv: %d records\n" % (k, sum(1 for x in v["rows"] if x)) for k, v in o.src.items()))


if __name__ == "__main__":
    main()
