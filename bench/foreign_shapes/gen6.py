#!/usr/bin/env python3
"""gen6.py SHAPE SEED OUTDIR [PEOPLE]  -- eight held-out shapes for `iom conflate` (review 136, 2026-12-08).

Shapes: sikh hokkien bulgaria dutch congo tenancy subscriber vietnrm  (or `all`)
Writes OUTDIR/<source>.csv (3 inputs), OUTDIR/truth.csv (input,record_id,person_id),
OUTDIR/baseline.csv (input,record_id,first,surname,dob as each record WRITES them) and
OUTDIR/meta.txt (lists the sources).  Same conventions as gen5.py, whose common pieces
(homes, phones, typos, date errors, the Out writer) it imports.  Standard library only;
the same SHAPE SEED PEOPLE always gives the same files.
"""
import sys, os, random, zlib, datetime as dt, unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen5 import (make_home, addr, mob, fmt_phone, typo, dob_err, rand_dob, age_at, fdate, strip_acc, zipf,
                  include, Out, cap)


def nidf():
    c = [0]

    def nid(p, w=6):
        c[0] += 1
        return "%s%0*d" % (p, w, c[0])
    return nid


def maybe(r, p, v, alt=""):
    return v if r.random() < p else alt


def ty(r, s, p=0.04):
    return typo(r, s) if s and r.random() < p else s


def derr(r, d, p=0.025):
    return dob_err(r, d) if d and r.random() < p else d


def est(d):
    return dt.date(d.year, 1, 1)


# ---------------------------------------------------------------- 1. sikh (Punjabi Sikh names)
SK_UNI = ["Gurpreet", "Harpreet", "Jaspreet", "Manpreet", "Amandeep", "Kuldeep", "Navdeep", "Rajinder", "Paramjit",
          "Jasvinder", "Harjinder", "Balwinder", "Kulwinder", "Sukhwinder", "Manjit", "Baljit", "Inderjit", "Gurmeet",
          "Davinder", "Sukhdeep", "Ramandeep", "Jagdeep", "Harvinder", "Parminder", "Rupinder", "Amrit"]
SK_M = ["Gurdeep", "Jaswant", "Hardeep", "Ranjit", "Sandeep", "Tejinder", "Amrik", "Lakhvir", "Jagjit", "Harbhajan",
        "Gurnam", "Sarbjit", "Satnam", "Mandeep", "Karanveer", "Arjun", "Harjot", "Gurjot"]
SK_F = ["Simran", "Harleen", "Navneet", "Jasleen", "Kiranjit", "Sukhjeet", "Gurleen", "Balbir", "Surinder", "Charanjit",
        "Rajwant", "Mandeep", "Ravneet", "Prabhjot", "Jasmin", "Amanpreet"]
SK_FAM = ["Sandhu", "Gill", "Dhillon", "Sidhu", "Grewal", "Bains", "Johal", "Atwal", "Sahota", "Randhawa", "Cheema",
          "Dhaliwal", "Mann", "Virk", "Kang", "Hundal", "Sangha", "Bassi", "Chahal", "Aujla", "Basra", "Thind", "Toor",
          "Samra", "Brar", "Khaira", "Purewal", "Rai", "Uppal", "Kalsi", "Bhamra", "Bhogal", "Sohal", "Dosanjh", "Nijjar",
          "Sekhon", "Bhullar", "Pannu", "Deol", "Heer"]
SK_VAR = {"Gurpreet": ["Gurprit"], "Harpreet": ["Harprit"], "Jasvinder": ["Jaswinder", "Jasvindar"],
          "Kulwinder": ["Kulvinder"], "Sukhwinder": ["Sukhvinder"], "Harvinder": ["Harwinder"], "Davinder": ["Devinder", "Davindar"],
          "Rajinder": ["Rajindar", "Rajender"], "Manjit": ["Manjeet"], "Paramjit": ["Paramjeet"], "Baljit": ["Baljeet"],
          "Inderjit": ["Inderjeet", "Injit"], "Gurmeet": ["Gurmit"], "Sarbjit": ["Sarabjit"], "Harjinder": ["Harjindar"],
          "Dhillon": ["Dhilon"], "Sidhu": ["Sidhoo"], "Grewal": ["Grewall"], "Randhawa": ["Randhava"], "Dhaliwal": ["Dhaliwall"],
          "Sahota": ["Sahotta"], "Atwal": ["Athwal"], "Bhogal": ["Bhogel"], "Sekhon": ["Sekon"], "Sohal": ["Sohel"]}


def skv(r, s, p=0.2):
    return r.choice(SK_VAR[s]) if s in SK_VAR and r.random() < p else s


def shape_sikh(r, n):
    o = Out()
    o.source("custody", ["Custody Ref", "Surname", "Forename(s)", "DOB", "Sex", "Address", "Postcode", "Tel No"])
    o.source("ukvi", ["CID Person ID", "Family Name", "Given Names", "Date of Birth", "Gender", "Nationality", "UK Address", "UK Postcode"])
    o.source("council", ["Account No", "Title", "First Name", "Surname", "Date of Birth", "Address Line 1", "Address Line 2", "Postcode", "Phone"])
    nid = nidf()
    people = []
    while len(people) < n:
        fam = zipf(r, SK_FAM, 0.8)
        home, land = make_home(r), "01" + "".join(r.choice("0123456789") for _ in range(9))
        size = r.choice([1, 1, 2, 2, 2, 3, 4])
        for k in range(size):
            if k == 0: sex = "M" if r.random() < 0.6 else "F"
            elif k == 1: sex = "F" if people[-1]["sex"] == "M" else "M"
            else: sex = r.choice("MF")
            pool = SK_UNI + (SK_M if sex == "M" else SK_F)
            g = zipf(r, pool, 0.6)
            dob = rand_dob(r, 1955, 2006) if k < 2 else rand_dob(r, 1995, 2008)
            people.append({"sex": sex, "g": g, "fam": fam, "dob": dob, "home": home, "home2": make_home(r), "mob": mob(r),
                           "land": land, "born_in": r.random() < 0.55, "kh": "Singh" if sex == "M" else "Kaur"})
    for pid, p in enumerate(people[:n]):
        inA, inB, inC = include(r, [0.65, 0.0 if p["born_in"] else 0.75, 0.6])
        g, fam, kh, dob = p["g"], p["fam"], p["kh"], p["dob"]
        for k in range(1 + (r.random() < 0.06) if inA else 0):
            h = p["home"] if r.random() < 0.8 else p["home2"]
            fr = r.random()
            if fr < 0.45: sn, fn = kh, g                          # SINGH as the surname
            elif fr < 0.8: sn, fn = fam, g                        # family name
            else: sn, fn = fam, g + " " + kh                      # "Gurpreet Singh", SANDHU
            sn, fn = skv(r, sn), ty(r, skv(r, fn))
            d = derr(r, maybe(r, 0.95, dob, None))
            rid = nid("CU/")
            o.add("custody", {"Custody Ref": rid, "Surname": sn.upper(), "Forename(s)": fn, "DOB": fdate(d, "dmy"),
                              "Sex": maybe(r, 0.96, p["sex"]), "Address": maybe(r, 0.93, addr(h, r) + ", " + h["town"]),
                              "Postcode": maybe(r, 0.9, h["pc"]), "Tel No": maybe(r, 0.6, fmt_phone(p["mob"], r))},
                  pid, rid, fn.split()[0], sn, d)
        if inB:
            fr = r.random()
            if fr < 0.45: fam_n, giv = fam, g + " " + kh          # passport with family name
            elif fr < 0.7: fam_n, giv = kh, g                     # SINGH as surname on the passport
            elif fr < 0.85: fam_n, giv = "", g + " " + kh         # Indian passport: no surname
            else: fam_n, giv = kh + " " + fam, g                  # "SINGH SANDHU"
            d = dob
            if dob.year < 1985 and r.random() < 0.3: d = est(dob)  # 01/01 on older Indian documents
            d = derr(r, d, 0.02)
            h = p["home"] if r.random() < 0.75 else p["home2"]
            rid = "%d" % (4000000 + r.randrange(10 ** 6)) + "%02d" % (pid % 100)
            rid = nid("", 0) + "-" + rid
            o.add("ukvi", {"CID Person ID": rid, "Family Name": fam_n.upper(), "Given Names": ty(r, giv.upper(), 0.03),
                           "Date of Birth": fdate(d, "mon"), "Gender": p["sex"], "Nationality": "INDIA",
                           "UK Address": maybe(r, 0.9, addr(h, r, True).upper()), "UK Postcode": maybe(r, 0.9, h["pc"])},
                  pid, rid, giv.split()[0], fam_n, d)
        if inC:
            fr = r.random()
            if fr < 0.5: fn, sn = g, fam
            elif fr < 0.7: fn, sn = g, kh
            elif fr < 0.85: fn, sn = g + " " + kh, fam
            else: fn, sn = g, kh + " " + fam if r.random() < 0.6 else kh + "-" + fam
            fn, sn = ty(r, skv(r, fn, 0.1)), ty(r, sn, 0.02)
            d = derr(r, maybe(r, 0.7, dob, None))
            h = p["home"] if r.random() < 0.85 else p["home2"]
            title = ("Mr" if p["sex"] == "M" else r.choice(["Mrs", "Miss", "Ms"])) if r.random() < 0.85 else ""
            rid = nid("CT", 8)
            o.add("council", {"Account No": rid, "Title": title, "First Name": fn, "Surname": sn, "Date of Birth": fdate(d, "dmy"),
                              "Address Line 1": addr(h, r), "Address Line 2": h["town"], "Postcode": h["pc"],
                              "Phone": maybe(r, 0.5, p["land"] if r.random() < 0.5 else p["mob"])}, pid, rid, fn.split()[0], sn, d)
    return o, """sikh: Punjabi Sikh households (1-4 people at one home sharing a family name, a landline; 26 given names
used by both sexes); custody (Surname SINGH/KAUR 45%, the family name 35%, family name with `Gurpreet Singh` as the
forename 20%), ukvi (Indian nationals only, 45% of people: Family Name + Given Names `GURPREET SINGH` 45%, SINGH as
family name 25%, no family name 15%, `SINGH SANDHU` 15%; 01/01 dates for 30% of people born before 1985), council
(Title, First Name, Surname: family 50%, Singh/Kaur 20%, `Gurpreet Singh`+family 15%, `Singh Sandhu`/`Singh-Sandhu`
15%); spelling variants (Jaswinder/Jasvinder, -jit/-jeet, Dhillon/Dhilon)."""


# ---------------------------------------------------------------- 2. hokkien (Malaysian / Singaporean Chinese)
HK_SUR = [("Chen", ["Tan"]), ("Lin", ["Lim"]), ("Huang", ["Ng", "Wong", "Wee"]), ("Li", ["Lee"]), ("Wu", ["Goh", "Ng"]),
          ("Zhang", ["Teo", "Chong", "Cheong"]), ("Wang", ["Ong", "Wong"]), ("Xu", ["Koh", "Khoo"]), ("Zhou", ["Chew", "Chow"]),
          ("Zheng", ["Tay", "Cheng"]), ("Yang", ["Yeo", "Yong"]), ("Liu", ["Lau", "Low"]), ("Cai", ["Chua", "Choy"]),
          ("Guo", ["Kwek", "Kuek"]), ("Lu", ["Loh"]), ("He", ["Ho"]), ("Xie", ["Chia", "Seah"]), ("Luo", ["Loh", "Law"]),
          ("Liang", ["Leong", "Neo"]), ("Zhu", ["Choo", "Chu"]), ("Hu", ["Foo", "Woo"]), ("Song", ["Soong"]),
          ("Ye", ["Yap", "Yip"]), ("Jiang", ["Kang", "Chiang"]), ("Pan", ["Phua", "Poon"]), ("Lai", ["Lai"]), ("Sun", ["Soon"])]
HK_SYL = [("Wei", "Wei"), ("Ming", "Ming"), ("Kok", "Guo"), ("Leong", "Liang"), ("Siew", "Xiu"), ("Ling", "Ling"),
          ("Mei", "Mei"), ("Boon", "Wen"), ("Huat", "Fa"), ("Chee", "Zhi"), ("Keong", "Qiang"), ("Soo", "Su"),
          ("Yin", "Yin"), ("Jia", "Jia"), ("Hui", "Hui"), ("Kah", "Jia"), ("Wai", "Wei"), ("Yong", "Yong"),
          ("Sheng", "Sheng"), ("Jun", "Jun"), ("Kiat", "Jie"), ("Eng", "Ying"), ("Choon", "Chun"), ("Hock", "Fu"),
          ("Seng", "Sheng"), ("Kheng", "Qing"), ("Swee", "Rui"), ("Beng", "Ming"), ("Poh", "Bao"), ("Geok", "Yu"),
          ("Xin", "Xin"), ("Yi", "Yi"), ("Zhi", "Zhi"), ("Hao", "Hao"), ("Khai", "Kai"), ("Yee", "Yi")]
HK_EN_M = ["Jason", "Kelvin", "Alvin", "Melvin", "Eugene", "Desmond", "Vincent", "Kenneth", "Ivan", "Marcus", "Benjamin",
           "Daniel", "Gabriel", "Jonathan", "Terence", "Wilson", "Edwin", "Jeremy", "Darren", "Bryan"]
HK_EN_F = ["Vivian", "Joanne", "Cheryl", "Michelle", "Shirley", "Adeline", "Sharon", "Jasmine", "Rachel", "Grace",
           "Jolene", "Evelyn", "Audrey", "Charmaine", "Felicia", "Serene", "Germaine", "Crystal", "Natalie", "Elaine"]
UNI_TOWNS = [("Leeds", "LS"), ("Manchester", "M"), ("Nottingham", "NG"), ("Sheffield", "S"), ("Birmingham", "B"),
             ("Coventry", "CV"), ("Newcastle upon Tyne", "NE"), ("Bristol", "BS"), ("Southampton", "SO"), ("London", "WC")]


def uni_home(r):
    town, area = r.choice(UNI_TOWNS)
    return {"no": str(r.randint(1, 240)), "street": r.choice(["Hyde Park", "Clarendon", "Victoria", "Oxford", "Mill", "Park",
                                                               "University", "College", "Wellington", "Princess"]),
            "type": r.choice([("Road", "Rd"), ("Street", "St"), ("Place", "Pl"), ("Terrace", "Terr")]), "town": town,
            "pc": "%s%d %d%s%s" % (area, r.randint(1, 20), r.randint(1, 9), r.choice("ABDEFGHJLNPQRSTUWXYZ"), r.choice("ABDEFGHJLNPQRSTUWXYZ"))}


def shape_hokkien(r, n):
    o = Out()
    o.source("uni", ["Student ID", "Family Name", "Given Name", "Preferred Name", "DOB", "Gender", "Term Address", "Term Postcode", "Mobile", "Email"])
    o.source("brp", ["BRP Number", "Surname", "Forenames", "Date of Birth", "Sex", "Nationality", "Place of Birth"])
    o.source("police", ["URN", "Surname", "Forename", "Middle Name", "DOB", "Address", "Postcode", "Phone", "Interpreter"])
    nid = nidf()
    halls = [uni_home(r) for _ in range(max(4, n // 60))]
    for pid in range(n):
        sex = "M" if r.random() < 0.55 else "F"
        si = HK_SUR.index(zipf(r, HK_SUR, 0.9))
        py, dial = HK_SUR[si]
        sur = r.choice(dial)
        syl = [zipf(r, HK_SYL, 0.5) for _ in range(2)]
        if syl[0] == syl[1]: syl = syl[:1]
        giv = " ".join(s[0] for s in syl)
        giv_py = " ".join(s[1] for s in syl)
        en = r.choice(HK_EN_M if sex == "M" else HK_EN_F) if r.random() < 0.55 else ""
        dob = rand_dob(r, 1990, 2006)
        nat = r.choices(["MALAYSIAN", "SINGAPOREAN", "BRUNEIAN"], [65, 30, 5])[0]
        home = r.choice(halls) if r.random() < 0.5 else uni_home(r)
        home2 = uni_home(r)
        ph = mob(r)
        inA, inB, inC = include(r, [0.7, 0.7, 0.55])
        joined = lambda s: s.replace(" ", "") if r.random() < 0.5 else s.replace(" ", "-")
        if inA:
            gn = giv if r.random() < 0.7 else joined(giv)
            rid = "2%07d" % (pid * 7 + 1000003 % 97)
            rid = nid("S", 7)
            o.add("uni", {"Student ID": rid, "Family Name": sur.upper() if r.random() < 0.5 else sur, "Given Name": ty(r, gn, 0.02),
                          "Preferred Name": maybe(r, 0.85, en), "DOB": fdate(derr(r, dob, 0.015), "dmy"), "Gender": maybe(r, 0.9, sex),
                          "Term Address": addr(home, r), "Term Postcode": home["pc"], "Mobile": maybe(r, 0.9, fmt_phone(ph, r)),
                          "Email": "%s.%s@%s" % (strip_acc((en or giv.split()[0])).lower(), sur.lower(), r.choice(["student.ac.uk", "gmail.com"]))},
                  pid, rid, gn.split()[0], sur, dob)
        if inB:
            fns = (en + " " if en and r.random() < 0.6 else "") + giv
            rid = "ZU%07d" % r.randrange(10 ** 7)
            rid = rid[:-3] + "%03d" % (pid % 1000)
            rid = nid("ZU", 7)
            o.add("brp", {"BRP Number": rid, "Surname": sur.upper(), "Forenames": fns.upper(), "Date of Birth": fdate(dob, "mon"),
                          "Sex": sex, "Nationality": nat, "Place of Birth": r.choice(["KUALA LUMPUR", "PENANG", "JOHOR BAHRU", "IPOH", "SINGAPORE", "KUCHING"])},
                  pid, rid, fns.split()[0], sur, dob)
        for k in range(1 + (r.random() < 0.1) if inC else 0):
            interp = r.random() < 0.2  # names written from the characters by a Mandarin interpreter: pinyin
            s_, g_ = (py, giv_py) if interp else (sur, giv)
            fr = r.random()
            mid = ""
            if en and not interp and fr < 0.55: fn, mid = en, maybe(r, 0.4, g_)
            elif fr < 0.8: fn = g_ if r.random() < 0.5 else joined(g_)
            else: fn, mid = g_.split()[0], " ".join(g_.split()[1:])
            if r.random() < 0.07: s_, fn, mid = fn.split()[-1], s_ + " " + fn.split()[0], ""  # family name in the forename box
            d = derr(r, maybe(r, 0.93, dob, None), 0.04)
            h = home if r.random() < 0.75 else home2
            rid = nid("POL", 6)
            o.add("police", {"URN": rid, "Surname": ty(r, s_.upper(), 0.03), "Forename": fn, "Middle Name": mid, "DOB": fdate(d, "dmy"),
                             "Address": maybe(r, 0.92, addr(h, r) + ", " + h["town"]), "Postcode": maybe(r, 0.85, h["pc"]),
                             "Phone": maybe(r, 0.6, fmt_phone(ph, r)), "Interpreter": "Mandarin" if interp else maybe(r, 0.2, "Not required")},
                  pid, rid, fn.split()[0], s_, d)
    return o, """hokkien: Malaysian, Singaporean and Bruneian Chinese students (family name in Hokkien/Teochew/Cantonese
romanisation: Tan, Lim, Ng, Goh, Teo, Ong, Koh; two-syllable given names `Wei Ming`, 55% an English name); uni (Family
Name, Given Name spaced/joined/hyphenated, Preferred Name, halls of residence shared by many), brp (SURNAME, FORENAMES
`JASON WEI MING` when an English name, DD-MON-YYYY), police (English name as forename, given syllables in the middle
name; 20% written by a Mandarin interpreter in pinyin: Chen for Tan, `Zhi Qiang` for `Chee Keong`; 7% family name in
the forename box)."""


# ---------------------------------------------------------------- 3. bulgaria (Cyrillic reply, patronymics, EGN)
BG_M = [("Георги", "Georgi"), ("Иван", "Ivan"), ("Димитър", "Dimitar"), ("Николай", "Nikolay"), ("Петър", "Petar"),
        ("Христо", "Hristo"), ("Стоян", "Stoyan"), ("Тодор", "Todor"), ("Васил", "Vasil"), ("Кирил", "Kiril"),
        ("Пламен", "Plamen"), ("Венцислав", "Ventsislav"), ("Йордан", "Yordan"), ("Красимир", "Krasimir"),
        ("Живко", "Zhivko"), ("Цветан", "Tsvetan"), ("Ангел", "Angel"), ("Асен", "Asen"), ("Мартин", "Martin"),
        ("Стефан", "Stefan"), ("Ахмед", "Ahmed"), ("Мехмед", "Mehmed")]
BG_F = [("Мария", "Mariya"), ("Иванка", "Ivanka"), ("Елена", "Elena"), ("Йорданка", "Yordanka"), ("Десислава", "Desislava"),
        ("Гергана", "Gergana"), ("Цветелина", "Tsvetelina"), ("Живка", "Zhivka"), ("Росица", "Rositsa"), ("Светлана", "Svetlana"),
        ("Радка", "Radka"), ("Надежда", "Nadezhda"), ("Петя", "Petya"), ("Силвия", "Silviya"), ("Айше", "Ayshe")]
BG_S = ["Иванов", "Георгиев", "Димитров", "Петров", "Николов", "Христов", "Стоянов", "Тодоров", "Йорданов", "Илиев",
        "Ангелов", "Василев", "Атанасов", "Костов", "Маринов", "Колев", "Попов", "Стефанов", "Цветков", "Русев",
        "Михайлов", "Кирилов", "Младенов", "Славов", "Асенов", "Мехмедов", "Юсеинов", "Салиев", "Жеков", "Щерев"]
BG_OFF = {"А": "A", "Б": "B", "В": "V", "Г": "G", "Д": "D", "Е": "E", "Ж": "Zh", "З": "Z", "И": "I", "Й": "Y", "К": "K",
          "Л": "L", "М": "M", "Н": "N", "О": "O", "П": "P", "Р": "R", "С": "S", "Т": "T", "У": "U", "Ф": "F", "Х": "H",
          "Ц": "Ts", "Ч": "Ch", "Ш": "Sh", "Щ": "Sht", "Ъ": "A", "Ь": "Y", "Ю": "Yu", "Я": "Ya"}
BG_ALT = {"Ж": ["J", "Z"], "Х": ["Kh", "Ch"], "Ц": ["C", "Tz"], "Ъ": ["U", "E"], "Й": ["I", "J"], "Щ": ["Scht", "St"],
          "Я": ["Ia", "Ja"], "Ю": ["Iu", "Ju"], "В": ["W"]}
BG_TOWNS = ["София", "Пловдив", "Варна", "Бургас", "Русе", "Стара Загора", "Плевен", "Сливен", "Добрич", "Шумен", "Пазарджик", "Хасково"]
BG_STREETS = ["Витоша", "Раковски", "Цар Симеон", "Христо Ботев", "Васил Левски", "Шипка", "Оборище", "Г. С. Раковски"]


def bg_lat(s, r=None, p=0.0):
    out = []
    for i, ch in enumerate(s):
        up = ch.upper()
        if up not in BG_OFF: out.append(ch); continue
        t = BG_OFF[up]
        if r and up in BG_ALT and r.random() < p: t = r.choice(BG_ALT[up])
        if up == "И" and r and i + 1 < len(s) and s[i + 1] in "еЕ" and r.random() < p: t = "Iy"
        if ch != up: t = t.lower()
        elif len(t) > 1 and (i + 1 < len(s) and s[i + 1].islower()): t = t[0] + t[1:].lower()
        out.append(t)
    return "".join(out)


def bg_fem(s): return s + "а"


def shape_bulgaria(r, n):
    o = Out()
    o.source("mvr", ["Рег. №", "ИМЕ", "ПРЕЗИМЕ", "ФАМИЛИЯ", "ЕГН", "ДАТА НА РАЖДАНЕ", "ПОЛ", "ПОСТОЯНЕН АДРЕС"])
    o.source("agency", ["Worker ID", "First Name", "Last Name", "DOB", "National ID No", "NI Number", "Address", "Postcode", "Mobile"])
    o.source("custody", ["Custody No", "Surname", "Forenames", "DOB", "Sex", "Address", "Postcode", "Telephone"])
    nid = nidf()
    houses = [make_home(r) for _ in range(max(5, n // 12))]  # shared worker houses
    for pid in range(n):
        sex = "M" if r.random() < 0.65 else "F"
        gc, gl = zipf(r, BG_M if sex == "M" else BG_F, 0.7)
        fc = zipf(r, BG_M, 0.7)[0]
        pat = fc + ("ов" if fc[-1] not in "йь" else "ев")
        if fc.endswith("й"): pat = fc[:-1] + "ев"
        if fc.endswith("ър"): pat = fc[:-2] + "ров"
        fam = zipf(r, BG_S, 0.6)
        if sex == "F": pat, fam = bg_fem(pat), bg_fem(fam)
        dob = rand_dob(r, 1965, 2004)
        egn = "%02d%02d%02d%04d" % (dob.year % 100, dob.month + (40 if dob.year >= 2000 else 0), dob.day, r.randrange(10000))
        home = r.choice(houses) if r.random() < 0.55 else make_home(r)
        home2 = r.choice(houses)
        ph = mob(r) if r.random() < 0.7 else "+359 8" + "".join(r.choice("0123456789") for _ in range(8))
        inA, inB, inC = include(r, [0.55, 0.65, 0.6])
        if inA:
            caps = r.random() < 0.7
            f = lambda s: s.upper() if caps else s
            rid = nid("МВР-", 6)
            o.add("mvr", {"Рег. №": rid, "ИМЕ": f(gc), "ПРЕЗИМЕ": f(pat), "ФАМИЛИЯ": f(fam), "ЕГН": maybe(r, 0.9, egn),
                          "ДАТА НА РАЖДАНЕ": dob.strftime("%d.%m.%Y") + maybe(r, 0.5, " г."), "ПОЛ": "М" if sex == "M" else "Ж",
                          "ПОСТОЯНЕН АДРЕС": "гр. %s, ул. „%s“ № %d" % (r.choice(BG_TOWNS), r.choice(BG_STREETS), r.randint(1, 90))},
                  pid, rid, gl, bg_lat(fam), dob)
        if inB:
            fn, ln = bg_lat(gc, r, 0.3), bg_lat(fam, r, 0.3)
            if r.random() < 0.1: ln = bg_lat(pat, r, 0.3)          # the patronymic taken for the last name
            elif r.random() < 0.1: fn = fn + " " + bg_lat(pat, r, 0.3)
            d = derr(r, dob, 0.02)
            h = home if r.random() < 0.8 else home2
            rid = nid("W", 5)
            o.add("agency", {"Worker ID": rid, "First Name": ty(r, fn, 0.03), "Last Name": ty(r, ln, 0.03), "DOB": fdate(d, "dmy"),
                             "National ID No": maybe(r, 0.7, egn), "NI Number": maybe(r, 0.5, "S%s%06d%s" % (r.choice("JKLMNPRSTWXYZ"), r.randrange(10 ** 6), r.choice("ABCD"))),
                             "Address": addr(h, r), "Postcode": h["pc"], "Mobile": maybe(r, 0.85, fmt_phone(ph, r) if ph.startswith("07") else ph)},
                  pid, rid, fn, ln, d)
        for k in range(1 + (r.random() < 0.08) if inC else 0):
            fn, sn = bg_lat(gc, r, 0.45), bg_lat(fam, r, 0.45)
            if r.random() < 0.3: fn = fn + " " + bg_lat(pat, r, 0.45)
            if r.random() < 0.1 and sex == "M" and r.random() < 0.5: sn = sn[:-2] + "off" if sn.endswith("ov") else sn
            d = derr(r, maybe(r, 0.92, dob, None), 0.04)
            h = home if r.random() < 0.7 else home2
            rid = nid("CUS", 6)
            o.add("custody", {"Custody No": rid, "Surname": ty(r, sn.upper(), 0.03), "Forenames": ty(r, fn, 0.03), "DOB": fdate(d, "dmy"),
                              "Sex": maybe(r, 0.95, sex), "Address": maybe(r, 0.9, addr(h, r)), "Postcode": maybe(r, 0.85, h["pc"]),
                              "Telephone": maybe(r, 0.5, ph)}, pid, rid, fn.split()[0], sn, d)
    return o, """bulgaria: Bulgarian agency workers (55% in shared houses); mvr (a Bulgarian MVR reply as received, Cyrillic
headings ИМЕ / ПРЕЗИМЕ (patronymic) / ФАМИЛИЯ / ЕГН / ДАТА НА РАЖДАНЕ `dd.mm.yyyy г.` / ПОЛ М/Ж, names in Cyrillic 70%
capitals, a Bulgarian address), agency (official transliteration with 30% other forms per letter: Zh/J, Kh, Ts/C/Tz,
Ia/Ja; EGN as `National ID No`; 10% the patronymic as Last Name, 10% in the First Name), custody (45% other letter forms,
30% patronymic in Forenames, -off endings)."""


# ---------------------------------------------------------------- 4. dutch (tussenvoegsels, roepnaam, Dutch reply)
NL_M = [("Johannes", ["Jan", "Hans", "Johan", "Joop"]), ("Cornelis", ["Kees", "Cor"]), ("Hendrik", ["Henk", "Rik"]),
        ("Willem", ["Wim", "Willem"]), ("Pieter", ["Piet", "Peter"]), ("Gerardus", ["Gerard", "Gert"]),
        ("Jacobus", ["Jaap", "Koos"]), ("Adrianus", ["Ad", "Arie"]), ("Petrus", ["Peter", "Piet"]), ("Antonius", ["Ton", "Toon", "Anton"]),
        ("Franciscus", ["Frank", "Frans"]), ("Wilhelmus", ["Wim", "Willem"]), ("Martinus", ["Martin", "Tinus"]),
        ("Theodorus", ["Theo", "Ruud"]), ("Gijsbertus", ["Gijs", "Bert"]), ("Daan", ["Daan"]), ("Sem", ["Sem"]), ("Thijs", ["Thijs"]),
        ("Bram", ["Bram"]), ("Milan", ["Milan"]), ("Lucas", ["Luuk", "Lucas"]), ("Stijn", ["Stijn"]), ("Ruben", ["Ruben"])]
NL_F = [("Johanna", ["Joke", "Hanneke", "Anja", "Jo"]), ("Maria", ["Mies", "Ria", "Marja", "Marieke"]), ("Cornelia", ["Corrie", "Nel", "Cora"]),
        ("Wilhelmina", ["Willy", "Wilma", "Mien"]), ("Geertruida", ["Truus", "Trudy"]), ("Elisabeth", ["Lies", "Els", "Betty"]),
        ("Catharina", ["Toos", "Karin", "Trijntje"]), ("Hendrika", ["Riek", "Henny"]), ("Petronella", ["Nel", "Petra", "Ellie"]),
        ("Emma", ["Emma"]), ("Julia", ["Julia"]), ("Sanne", ["Sanne"]), ("Fleur", ["Fleur"]), ("Anouk", ["Anouk"]), ("Lotte", ["Lotte"])]
NL_S = [("van", "Dijk"), ("de", "Jong"), ("de", "Vries"), ("van den", "Berg"), ("van der", "Meer"), ("", "Bakker"), ("", "Visser"),
        ("", "Smit"), ("", "Meijer"), ("de", "Boer"), ("", "Mulder"), ("de", "Groot"), ("", "Bos"), ("", "Vos"), ("", "Peters"),
        ("van", "Leeuwen"), ("", "Dekker"), ("", "Brouwer"), ("de", "Wit"), ("", "Dijkstra"), ("de", "Graaf"), ("van der", "Linden"),
        ("", "Kok"), ("de", "Haan"), ("", "Vermeulen"), ("van den", "Heuvel"), ("van der", "Veen"), ("van den", "Broek"),
        ("de", "Bruijn"), ("van der", "Heijden"), ("", "Schouten"), ("van", "Beek"), ("", "Willems"), ("van", "Vliet"),
        ("van de", "Ven"), ("", "Hoekstra"), ("", "Maas"), ("", "Verhoeven"), ("", "Koster"), ("van", "Dam"), ("van der", "Wal"),
        ("", "Prins"), ("", "Blom"), ("", "Huisman"), ("van 't", "Hof"), ("in 't", "Veld"), ("ter", "Horst"), ("", "Bakker")]
BE_S = ["Peeters", "Janssens", "Maes", "Van den Bossche", "Claes", "Goossens", "Wouters", "De Smet", "Van Damme",
        "Vermeersch", "De Clercq", "Van Acker", "Dubois", "Lambert", "Mertens", "Willems", "Jacobs", "De Backer"]
NL_TOWNS = [("Amsterdam", "10"), ("Rotterdam", "30"), ("Den Haag", "25"), ("Utrecht", "35"), ("Eindhoven", "56"),
            ("Tilburg", "50"), ("Breda", "48"), ("Venlo", "59"), ("Almere", "13"), ("Zwolle", "80")]
NL_STR = ["Dorpsstraat", "Kerkstraat", "Molenweg", "Stationsweg", "Julianastraat", "Beatrixlaan", "Schoolstraat", "Nieuwstraat", "Markt", "Havenweg"]


def nl_ij(s, r, p):
    return s.replace("ij", "y").replace("IJ", "Y") if "ij" in s.lower() and r.random() < p else s


def shape_dutch(r, n):
    o = Out()
    o.source("politie", ["Registratienummer", "Geslachtsnaam", "Voorvoegsel", "Voornamen", "Geboortedatum", "Geslacht", "Straat", "Huisnummer", "Postcode", "Woonplaats"])
    o.source("custody", ["Custody Ref", "Surname", "Forename(s)", "DOB", "Sex", "Home Address", "Postcode", "Nationality", "Mobile"])
    o.source("ferry", ["Booking Ref", "Passenger Name", "Date of Birth", "Vehicle Registration", "Contact Number", "Sailing"])
    nid = nidf()
    for pid in range(n):
        sex = "M" if r.random() < 0.75 else "F"
        be = r.random() < 0.25
        dob = rand_dob(r, 1955, 2003)
        pool = NL_M if sex == "M" else NL_F
        off, calls = zipf(r, pool, 0.5)
        if dob.year > 1990 and r.random() < 0.5: off, calls = pool[-8 + r.randrange(8)]
        second = zipf(r, pool, 0.5)[0] if r.random() < 0.6 else ""
        if second == off: second = ""
        roep = calls[0] if len(calls) == 1 else r.choice(calls)
        if be: tv, gs = "", zipf(r, BE_S, 0.6); roep = off if r.random() < 0.8 else roep
        else: tv, gs = zipf(r, NL_S, 0.6)
        full_sur = (tv + " " + gs).strip()
        t = r.choice(NL_TOWNS)
        nl_home = {"street": r.choice(NL_STR), "no": str(r.randint(1, 200)), "pc": "%s%02d %s%s" % (t[1], r.randint(10, 99), r.choice("ABCDEGHJKLMNPRSTVWXZ"), r.choice("ABCDEGHJKLMNPRSTVWXZ")), "town": t[0]}
        uk_home = make_home(r)
        nlph = "+31 6 " + "".join(r.choice("0123456789") for _ in range(8))
        plate = "%02d-%s-%d" % (r.randint(1, 99), "".join(r.choice("BDFGHJKLNPRSTVXZ") for _ in range(3)), r.randint(1, 9))
        inA, inB, inC = include(r, [0.0 if be else 0.65, 0.7, 0.55])
        if inA:
            rid = nid("PL", 8)
            vn = off + (" " + second if second else "")
            d = derr(r, dob, 0.01)
            o.add("politie", {"Registratienummer": rid, "Geslachtsnaam": gs, "Voorvoegsel": tv, "Voornamen": vn,
                              "Geboortedatum": d.strftime("%d-%m-%Y"), "Geslacht": "M" if sex == "M" else "V",
                              "Straat": nl_home["street"], "Huisnummer": nl_home["no"], "Postcode": nl_home["pc"], "Woonplaats": nl_home["town"]},
                  pid, rid, off, full_sur, d)
        for k in range(1 + (r.random() < 0.08) if inB else 0):
            fr = r.random()
            if not tv: sn = gs.upper() if r.random() < 0.7 else gs
            elif fr < 0.45: sn = full_sur.upper()
            elif fr < 0.6: sn = full_sur.replace(" ", "").replace("'", "").upper()
            elif fr < 0.7: sn = gs.upper()
            elif fr < 0.85: sn = cap(full_sur)
            else: sn = (gs + ", " + tv).upper()
            sn = nl_ij(sn, r, 0.5)
            fr = r.random()
            fn = roep if fr < 0.6 else (off if fr < 0.85 else off + (" " + second if second else ""))
            d = derr(r, maybe(r, 0.95, dob, None), 0.03)
            if r.random() < 0.5:
                a, pc = "%s %s, %s, Netherlands" % (nl_home["street"], nl_home["no"], nl_home["town"]), nl_home["pc"]
                if be: a = a.replace("Netherlands", "Belgium")
            else: a, pc = addr(uk_home, r) + ", " + uk_home["town"], uk_home["pc"]
            rid = nid("CU", 7)
            o.add("custody", {"Custody Ref": rid, "Surname": ty(r, sn, 0.03), "Forename(s)": ty(r, fn, 0.03), "DOB": fdate(d, "dmy"),
                              "Sex": sex, "Home Address": maybe(r, 0.9, a), "Postcode": maybe(r, 0.8, pc),
                              "Nationality": "BELGIAN" if be else "DUTCH", "Mobile": maybe(r, 0.6, nlph.replace("+31 6 ", r.choice(["+31 6 ", "06-", "0031 6", "+316"])))},
                  pid, rid, fn.split()[0], sn, d)
        for k in range(r.choice([1, 1, 2, 3]) if inC else 0):
            ini = "".join(x[0] + "." for x in (off + (" " + second if second else "")).split())
            fr = r.random()
            if fr < 0.3: nm = "%s, %s%s" % (gs, ini, (" " + tv) if tv else "")          # Berg, J.C. van den
            elif fr < 0.5: nm = "%s %s" % (ini, full_sur)                               # J.C. van den Berg
            elif fr < 0.75: nm = ("%s %s" % (full_sur, off)).upper()                    # VAN DEN BERG JOHANNES
            else: nm = "%s %s" % (roep, full_sur)                                        # Jan van den Berg
            nm = nl_ij(nm, r, 0.3)
            rid = nid("BK", 7)
            d = maybe(r, 0.6, dob, None)
            o.add("ferry", {"Booking Ref": rid, "Passenger Name": ty(r, nm, 0.02), "Date of Birth": fdate(d, "dmy"),
                            "Vehicle Registration": maybe(r, 0.7, plate), "Contact Number": maybe(r, 0.7, nlph.replace(" ", "")),
                            "Sailing": r.choice(["HOOK-HARWICH", "ROTTERDAM-HULL", "ZEEBRUGGE-HULL", "IJMUIDEN-NEWCASTLE"])},
                  pid, rid, "", "", d)
    return o, """dutch: Dutch (75%) and Belgian nationals (couriers, drivers); politie (a Dutch police reply: Geslachtsnaam,
Voorvoegsel (the tussenvoegsel in its own column), Voornamen (official names `Johannes Cornelis`), Geboortedatum
dd-mm-jjjj, Geslacht M/V, Straat, Huisnummer, Postcode `1012 AB`, Woonplaats), custody (Surname `VAN DEN BERG` 45%,
`VANDENBERG` 15%, `BERG` 10%, `Van Den Berg` 15%, `BERG, VAN DEN` 15%; ij written y half the time; Forename the
roepnaam (called name: Kees for Cornelis, Henk for Hendrik, Truus for Geertruida) 60%, the first official name 25%,
all 15%; home in NL/BE half the time; +31 6 / 06- / 0031 phones), ferry (one `Passenger Name`: `Berg, J.C. van den`
30%, `J.C. van den Berg` 20%, `VAN DEN BERG JOHANNES` 25%, `Jan van den Berg` 25%; DOB 60%, NL plates, 1-3 bookings).
Belgians: particle part of the surname (`Van Damme`), mostly the official first name."""


# ---------------------------------------------------------------- 5. congo (DRC: nom, postnom, prénom)
CD_NOM = ["Mukendi", "Kabongo", "Tshibangu", "Ilunga", "Kalonji", "Mbuyi", "Kasongo", "Lukusa", "Mulumba", "Ngoy",
          "Mutombo", "Tshimanga", "Kanku", "Banza", "Mwamba", "Nzuzi", "Makiese", "Lutete", "Mavungu", "Nsimba", "Luzolo",
          "Matondo", "Mbala", "Kiese", "Lumbala", "Malu", "Mpiana", "Kabeya", "Kazadi", "Kapinga", "Musau", "Mayele",
          "Bokele", "Bolamba", "Nkongolo", "Tshilombo", "Kalala", "Mbombo", "Kitenge", "Lokwa", "Ndombe", "Ngalula"]
CD_PRE_M = ["Jean-Pierre", "Patrick", "Dieudonné", "Exaucé", "Héritier", "Trésor", "Glody", "Junior", "Fiston", "Cédric",
            "Jonathan", "Blaise", "Arsène", "Gloire", "Christian", "Jean-Claude", "Serge", "Papy", "Joseph", "Emmanuel", "Ben"]
CD_PRE_F = ["Merveille", "Grâce", "Christelle", "Rachel", "Sarah", "Chancelle", "Divine", "Bénédicte", "Carine", "Orly",
            "Plamedi", "Dorcas", "Esther", "Nadège", "Marie-Claire", "Ruth", "Gloria", "Mireille"]
CD_SP = [("Tsh", ["Ch", "Tch", "Sh"]), ("Mw", ["Mu"]), ("Nz", ["N'z"]), ("ji", ["dji"]), ("oy", ["oyi"]), ("uy", ["uyi"]),
         ("Ng", ["N'g"]), ("ny", ["gn"])]
BE_STR = ["Rue de Brabant", "Chaussée d'Ixelles", "Rue Haute", "Boulevard Anspach", "Rue de Matonge", "Avenue Louise", "Rue Malibran"]


def cd_var(s, r, p):
    if r.random() >= p: return s
    for a, bs in CD_SP:
        if a in s: return s.replace(a, r.choice(bs), 1)
    return s


def pren(s, r, accents_p=0.5, hy_p=0.3):
    if r.random() > accents_p: s = strip_acc(s)
    if "-" in s and r.random() < hy_p: s = s.replace("-", " ")
    return s


def shape_congo(r, n):
    o = Out()
    o.source("homeoffice", ["Person ID", "Surname", "Forenames", "DOB", "Gender", "Nationality", "Address", "Postcode"])
    o.source("police", ["Custody No", "Surname", "First Name", "Middle Name", "DOB", "Address", "Postcode", "Phone"])
    o.source("belgique", ["N° dossier", "NOM", "POSTNOM", "PRÉNOM", "Date de naissance", "Lieu de naissance", "Sexe", "Adresse"])
    nid = nidf()
    nass = [make_home(r) for _ in range(max(5, n // 30))]
    for pid in range(n):
        sex = "M" if r.random() < 0.62 else "F"
        nom = zipf(r, CD_NOM, 0.7)
        post = zipf(r, CD_NOM, 0.7)
        while post == nom: post = r.choice(CD_NOM)
        pre = zipf(r, CD_PRE_M if sex == "M" else CD_PRE_F, 0.6)
        dob = rand_dob(r, 1970, 2005)
        home = r.choice(nass) if r.random() < 0.4 else make_home(r)
        home2 = make_home(r)
        ph = mob(r)
        inA, inB, inC = include(r, [0.75, 0.6, 0.4])
        if inA:
            fr = r.random()
            if fr < 0.35: sn, fn = nom + " " + post, pre
            elif fr < 0.7: sn, fn = nom, pre
            elif fr < 0.8: sn, fn = post, pre
            else: sn, fn = nom, pre + " " + post
            d = est(dob) if r.random() < 0.15 else derr(r, dob, 0.03)
            h = home if r.random() < 0.8 else home2
            rid = nid("HO", 7)
            o.add("homeoffice", {"Person ID": rid, "Surname": cd_var(sn, r, 0.15).upper(), "Forenames": pren(fn, r, 0.2, 0.3).upper(),
                                 "DOB": fdate(d, "dmy"), "Gender": sex, "Nationality": r.choice(["CONGO (DEM. REP.)", "DRC", "CONGOLESE"]),
                                 "Address": maybe(r, 0.9, addr(h, r)), "Postcode": maybe(r, 0.9, h["pc"])}, pid, rid, fn.split()[0], sn, d)
        for k in range(1 + (r.random() < 0.12) if inB else 0):
            fr = r.random()
            mid = ""
            if fr < 0.4: sn = nom
            elif fr < 0.65: sn = post
            elif fr < 0.8: sn = nom + " " + post
            else: sn = nom + "-" + post
            if sn == nom and r.random() < 0.4: mid = post
            fn = pren(pre, r, 0.3, 0.4)
            if fn.startswith("Jean") and r.random() < 0.15: fn = "JP" if "Pierre" in fn else fn
            d = derr(r, maybe(r, 0.9, dob, None), 0.06)
            h = home if r.random() < 0.7 else home2
            rid = nid("CU", 7)
            o.add("police", {"Custody No": rid, "Surname": ty(r, cd_var(sn, r, 0.25).upper(), 0.04), "First Name": ty(r, fn, 0.03),
                             "Middle Name": mid, "DOB": fdate(d, "dmy"), "Address": maybe(r, 0.9, addr(h, r) + ", " + h["town"]),
                             "Postcode": maybe(r, 0.85, h["pc"]), "Phone": maybe(r, 0.5, fmt_phone(ph, r))}, pid, rid, fn.split()[0], sn, d)
        if inC:
            joined = r.random() < 0.4
            rid = nid("BE", 7)
            d = derr(r, dob, 0.02)
            o.add("belgique", {"N° dossier": rid, "NOM": (nom + " " + post).upper() if joined else nom.upper(),
                               "POSTNOM": "" if joined else post.upper(), "PRÉNOM": pren(pre, r, 0.9, 0.1),
                               "Date de naissance": fdate(d, "dmy"), "Lieu de naissance": r.choice(["Kinshasa", "Lubumbashi", "Mbuji-Mayi", "Kananga", "Kisangani"]),
                               "Sexe": sex, "Adresse": "%s %d, %s Bruxelles" % (r.choice(BE_STR), r.randint(1, 150), r.choice(["1000", "1030", "1050", "1060", "1080"]))},
                  pid, rid, pre, nom, d)
    return o, """congo: Congolese (DRC) nationals: nom + postnom + prénom (no family surname: siblings differ); homeoffice
(asylum: Surname `NOM POSTNOM` 35%, `NOM` 35%, `POSTNOM` 10%, NOM with the postnom in Forenames 20%; 15% 01/01 dates;
NASS houses shared by 40%), police (Surname NOM 40%, POSTNOM 25% (the last word), `NOM POSTNOM` / `NOM-POSTNOM` 35%; the
postnom as Middle Name; accents and hyphens of prénoms dropped, JP), belgique (a Belgian reply in French: NOM, POSTNOM,
PRÉNOM; NOM and POSTNOM joined in NOM 40%; a Brussels address); spellings Tsh/Ch/Tch, Mw/Mu, ji/dji."""


# ---------------------------------------------------------------- 6. tenancy (two people per row)
UK_M = ["David", "Michael", "John", "James", "Paul", "Mark", "Andrew", "Steven", "Robert", "Christopher", "Daniel", "Lee",
        "Craig", "Gary", "Darren", "Jason", "Ryan", "Kevin", "Wayne", "Dean", "Jamie", "Liam", "Carl", "Shaun", "Scott",
        "Anthony", "Thomas", "Matthew", "Adam", "Nathan", "Kyle", "Connor", "Jordan", "Callum", "Tyler", "Reece"]
UK_F = ["Sarah", "Emma", "Claire", "Lisa", "Nicola", "Kelly", "Michelle", "Rachel", "Gemma", "Laura", "Amy", "Donna",
        "Joanne", "Stacey", "Samantha", "Hayley", "Leanne", "Jade", "Chloe", "Danielle", "Kirsty", "Natalie", "Charlotte",
        "Zoe", "Tracey", "Karen", "Julie", "Amanda", "Katie", "Jessica"]
UK_S = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright", "Thompson",
        "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Patel", "Khan", "Lewis",
        "Harris", "Turner", "Hill", "Cooper", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison",
        "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Bennett", "Young", "Griffiths",
        "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox"]
NICK = {"David": "Dave", "Michael": "Mick", "James": "Jim", "Robert": "Rob", "Christopher": "Chris", "Daniel": "Danny",
        "Steven": "Steve", "Andrew": "Andy", "Anthony": "Tony", "Thomas": "Tom", "Matthew": "Matt", "Samantha": "Sam",
        "Nicola": "Nicky", "Rachel": "Rach", "Jessica": "Jess", "Katie": "Kate", "Natalie": "Nat", "Joanne": "Jo"}


def shape_tenancy(r, n):
    o = Out()
    o.source("housing", ["Tenancy Ref", "Property Ref", "Tenancy Start", "Tenancy End", "Lead Tenant Title", "Lead Tenant Forename",
                         "Lead Tenant Surname", "Lead Tenant DOB", "Joint Tenant Title", "Joint Tenant Forename", "Joint Tenant Surname",
                         "Joint Tenant DOB", "Property Address", "Postcode", "Contact Tel", "Email"])
    o.source("ctax", ["Account Ref", "Liable Party 1", "Liable Party 2", "Property", "Postcode", "Single Person Discount", "Account Start"])
    o.source("nominals", ["Nominal Ref", "Surname", "Forenames", "DOB", "Address", "Postcode", "Phone", "Warning Markers"])
    nid = nidf()
    P = []
    for i in range(n):
        sex = "M" if r.random() < 0.5 else "F"
        P.append({"sex": sex, "f": zipf(r, UK_M if sex == "M" else UK_F, 0.8), "s": zipf(r, UK_S, 0.7),
                  "dob": rand_dob(r, 1950, 2004), "mob": mob(r), "partner": None})
    idx = list(range(n)); r.shuffle(idx)
    for a, b in zip(idx[0:int(n * 0.5):2], idx[1:int(n * 0.5):2]):      # half the people in couples
        P[a]["partner"], P[b]["partner"] = b, a
        if P[a]["sex"] == P[b]["sex"]: pass
        if r.random() < 0.35: P[b]["s2"] = P[a]["s"]                      # one takes the other's surname (in some records)
    # homes: each person's sequence of 1-3 homes; a couple share theirs
    for i, p in enumerate(P):
        if "homes" in p: continue
        hs = [make_home(r) for _ in range(r.choice([1, 2, 2, 3]))]
        p["homes"] = hs
        if p["partner"] is not None: P[p["partner"]]["homes"] = hs
    def title(p): return "Mr" if p["sex"] == "M" else r.choice(["Mrs", "Ms", "Miss"])
    def sur(p): return p.get("s2", p["s"]) if r.random() < 0.5 else p["s"]
    def fname(p): return NICK.get(p["f"], p["f"]) if r.random() < 0.05 else p["f"]
    for pid, p in enumerate(P):
        partner = P[p["partner"]] if p["partner"] is not None else None
        lead = partner is None or pid < p["partner"] or r.random() < 0.25  # a couple's tenancy is led by one of them mostly
        inA, inB, inC = include(r, [0.7 if lead else 0.25, 0.55, 0.5])
        start = dt.date(2008, 1, 1) + dt.timedelta(days=r.randrange(3000))
        for k, h in enumerate(p["homes"]):
            s0 = start + dt.timedelta(days=k * r.randint(300, 1500))
            if inA and (k == len(p["homes"]) - 1 or r.random() < 0.6):
                j = partner if partner and r.random() < 0.8 else None
                s = sur(p); d = derr(r, maybe(r, 0.95, p["dob"], None), 0.02)
                rid = nid("T", 7)
                o.add("housing", {"Tenancy Ref": rid, "Property Ref": "P%05d" % (zlib.crc32((h["no"] + h["street"] + h["pc"]).encode()) % 99999),
                                  "Tenancy Start": fdate(s0, "dmy"), "Tenancy End": "" if k == len(p["homes"]) - 1 else fdate(s0 + dt.timedelta(days=300), "dmy"),
                                  "Lead Tenant Title": title(p), "Lead Tenant Forename": ty(r, fname(p), 0.03), "Lead Tenant Surname": ty(r, s, 0.03),
                                  "Lead Tenant DOB": fdate(d, "dmy"), "Joint Tenant Title": title(j) if j else "",
                                  "Joint Tenant Forename": j["f"] if j else "", "Joint Tenant Surname": sur(j) if j else "",
                                  "Joint Tenant DOB": fdate(maybe(r, 0.9, j["dob"], None), "dmy") if j else "",
                                  "Property Address": "%s %s %s" % (h["no"], h["street"], h["type"][0]) + ", " + h["town"], "Postcode": h["pc"],
                                  "Contact Tel": maybe(r, 0.8, fmt_phone(p["mob"], r)),
                                  "Email": maybe(r, 0.4, "%s.%s%d@gmail.com" % (p["f"].lower(), p["s"].lower(), p["dob"].year % 100))},
                      pid, rid, p["f"], s, d)
            if inB and (k == len(p["homes"]) - 1 or r.random() < 0.4):
                j = partner if partner and r.random() < 0.85 else None
                full = lambda q: ("%s %s %s" % (title(q), q["f"] if r.random() < 0.6 else q["f"][0], sur(q))).upper() if r.random() < 0.5 else "%s %s %s" % (title(q), q["f"], sur(q))
                rid = nid("CT", 8)
                nm = full(p)
                o.add("ctax", {"Account Ref": rid, "Liable Party 1": ty(r, nm, 0.02), "Liable Party 2": full(j) if j else "",
                               "Property": addr(h, r) + ", " + h["town"], "Postcode": h["pc"], "Single Person Discount": "N" if j else "Y",
                               "Account Start": fdate(s0, "dmy")}, pid, rid, nm.split()[1], nm.split()[-1], None)
        for k in range(r.choice([1, 1, 1, 2]) if inC else 0):
            h = r.choice(p["homes"])
            s = sur(p); d = derr(r, maybe(r, 0.93, p["dob"], None), 0.03)
            rid = nid("N", 7)
            o.add("nominals", {"Nominal Ref": rid, "Surname": ty(r, s.upper(), 0.03), "Forenames": ty(r, fname(p), 0.03), "DOB": fdate(d, "dmy"),
                               "Address": maybe(r, 0.9, addr(h, r) + ", " + h["town"]), "Postcode": maybe(r, 0.85, h["pc"]),
                               "Phone": maybe(r, 0.5, fmt_phone(p["mob"], r)),
                               "Warning Markers": maybe(r, 0.3, r.choice(["VIOLENT", "DRUGS", "WEAPONS", "MENTAL HEALTH", "SELF HARM"]))},
                  pid, rid, p["f"], s, d)
    return o, """tenancy: two people per row. housing (a housing association's tenancy export: one row per tenancy, Lead
Tenant Title/Forename/Surname/DOB then Joint Tenant Title/Forename/Surname/DOB (a partner, 80% of couples' tenancies),
Property Address, Postcode, Contact Tel (the lead's), Email; people move 0-2 times (one tenancy each)), ctax (council tax:
`Liable Party 1`, `Liable Party 2` whole names with titles (`MR J SMITH`, `Mrs Sarah Smith`), Property, no dob), nominals
(police: one of the person's homes). Half the people are in couples; one partner uses the other's surname in half their
records (35% of couples). The truth is the lead tenant / liable party 1; the joint tenant and party 2 are not scored."""


# ---------------------------------------------------------------- 7. subscriber (comms data subscriber checks)
def shape_subscriber(r, n):
    o = Out()
    o.source("csp", ["MSISDN", "Network", "Account Type", "Subscriber Name", "Subscriber DOB", "Billing Address", "Activation Date", "IMEI", "Email"])
    o.source("custody", ["Custody Ref", "Surname", "Forename", "DOB", "Address", "Postcode", "Mobile No", "Arrest Date"])
    o.source("intel", ["Log Ref", "Subject Surname", "Subject Forename", "Subject DOB", "AKA", "Subject Phone", "Location"])
    nid = nidf()
    P = []
    used = set()
    def newnum():
        while True:
            m = mob(r)
            if m not in used: used.add(m); return m
    for i in range(n):
        sex = "M" if r.random() < 0.7 else "F"
        P.append({"sex": sex, "f": zipf(r, UK_M if sex == "M" else UK_F, 0.8), "s": zipf(r, UK_S, 0.7), "dob": rand_dob(r, 1965, 2006),
                  "home": make_home(r), "home2": make_home(r), "nums": [newnum() for _ in range(r.choice([1, 1, 2, 2, 3, 4]))]})
    for pid, p in enumerate(P):
        inA, inB, inC = include(r, [0.75, 0.55, 0.5])
        if inA:
            for num in p["nums"]:
                if r.random() < 0.25 and len(p["nums"]) > 1: continue
                payg = r.random() < 0.55
                reg = not payg or r.random() < 0.45
                h = p["home"] if r.random() < 0.7 else p["home2"]
                if reg:
                    fr = r.random()
                    fn = p["f"] if fr < 0.7 else p["f"][0]
                    nm = "%s %s %s" % ("MR" if p["sex"] == "M" else r.choice(["MRS", "MS", "MISS"]), fn, p["s"]) if r.random() < 0.6 else "%s %s" % (fn, p["s"])
                    nm = ty(r, nm.upper(), 0.03)
                    if payg and r.random() < 0.15: nm = r.choice(["MICKEY MOUSE", "JOHN SMITH", "A USER", "DONALD DUCK", "BOB MARLEY"])
                else:
                    nm = r.choice(["", "", "NOT REGISTERED", "PAYG CUSTOMER", "UNREGISTERED PREPAY", "N/A"])
                d = p["dob"] if (not payg and r.random() < 0.7) or (payg and reg and r.random() < 0.15) else None
                ba = "%s, %s, %s" % (addr(h, r).upper(), h["town"].upper(), h["pc"]) if reg and r.random() < (0.95 if not payg else 0.5) else ""
                rid = str(len(o.src["csp"]["rows"]) + 2)   # no record id in a CSP return: the line number (the header is line 1)
                o.add("csp", {"MSISDN": "44" + num[1:], "Network": r.choice(["EE", "O2", "VODAFONE", "THREE", "LEBARA", "GIFFGAFF"]),
                              "Account Type": "PAYG" if payg else "CONTRACT", "Subscriber Name": nm, "Subscriber DOB": fdate(d, "iso"),
                              "Billing Address": ba, "Activation Date": fdate(dt.date(2018, 1, 1) + dt.timedelta(days=r.randrange(2000)), "iso"),
                              "IMEI": "35%013d" % r.randrange(10 ** 13),
                              "Email": maybe(r, 0.3 if not payg else 0.05, "%s%s%d@%s" % (p["f"].lower(), p["s"].lower()[:1], r.randint(1, 99), r.choice(["gmail.com", "hotmail.co.uk"])))},
                      pid, rid, (nm.split()[1] if nm.startswith(("MR ", "MRS ", "MS ", "MISS ")) else nm.split()[0]) if nm else "", nm.split()[-1] if nm else "", d)
        for k in range(r.choice([1, 1, 2, 3]) if inB else 0):
            h = p["home"] if r.random() < 0.65 else p["home2"]
            d = derr(r, maybe(r, 0.97, p["dob"], None), 0.03)
            rid = nid("CUS", 7)
            o.add("custody", {"Custody Ref": rid, "Surname": ty(r, p["s"].upper(), 0.03), "Forename": ty(r, p["f"], 0.03), "DOB": fdate(d, "dmy"),
                              "Address": maybe(r, 0.9, addr(h, r) + ", " + h["town"]), "Postcode": maybe(r, 0.85, h["pc"]),
                              "Mobile No": maybe(r, 0.7, fmt_phone(r.choice(p["nums"]), r)),
                              "Arrest Date": fdate(dt.date(2019, 1, 1) + dt.timedelta(days=r.randrange(1800)), "dmy")}, pid, rid, p["f"], p["s"], d)
        for k in range(r.choice([1, 1, 2]) if inC else 0):
            fr = r.random()
            fn = p["f"] if fr < 0.6 else (NICK.get(p["f"], p["f"]) if fr < 0.8 else "")
            sn = p["s"] if r.random() < 0.85 else ""
            d = maybe(r, 0.5, p["dob"], None)
            rid = nid("IL", 7)
            o.add("intel", {"Log Ref": rid, "Subject Surname": sn.upper(), "Subject Forename": fn, "Subject DOB": fdate(d, "dmy"),
                            "AKA": maybe(r, 0.2, r.choice(["Bugsy", "Tiny", "Rico", "Smudge", "Junior", "Kane", "Scrappy"])),
                            "Subject Phone": fmt_phone(r.choice(p["nums"]), r), "Location": maybe(r, 0.6, p["home"]["town"])},
                  pid, rid, fn, sn, d)
    return o, """subscriber: communications data subscriber checks; people hold 1-4 mobiles. csp (one row per number:
MSISDN `447...`, Network, Account Type CONTRACT / PAYG 55%, `Subscriber Name` whole (`MR JOHN SMITH`, `J SMITH`) when
registered (all contracts, 45% of PAYG; 15% of registered PAYG a false name like MICKEY MOUSE), otherwise empty or
`NOT REGISTERED`/`PAYG CUSTOMER`; Subscriber DOB for 70% of contracts and 15% of registered PAYG, ISO; `Billing Address`
one string with town and postcode; IMEI; no record id: truth.csv names a row by its line number, the header line 1; the truth of an unregistered number is its user), custody (Mobile No one of
the person's numbers 70%), intel (Subject Surname/Forename/DOB 50%, a nickname or no forename, `Subject Phone` always,
`Location` a town)."""


# ---------------------------------------------------------------- 8. vietnrm (Vietnamese NRM, diacritics, age assessment)
VN_FAM = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Vũ", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô", "Hồ", "Dương", "Lý", "Đinh"]
VN_FAM_W = [38, 11, 9, 7, 4, 3, 3, 2, 4, 2, 2, 2, 2, 2, 2, 2, 1, 2]
VN_MID_M = ["Văn", "Văn", "Văn", "Đức", "Minh", "Quốc", "Hữu", "Công", "Thanh", "Xuân"]
VN_MID_F = ["Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim"]
VN_G_M = ["Hùng", "Minh", "Nam", "Tuấn", "Dũng", "Long", "Hải", "Đức", "Thắng", "Cường", "Huy", "Khánh", "Phúc", "Quân", "Sơn",
          "Thành", "Trung", "Việt", "Tài", "Hiếu", "Linh", "Đạt", "Phong", "Tiến"]
VN_G_F = ["Lan", "Hương", "Mai", "Hoa", "Linh", "Ngọc", "Thảo", "Trang", "Hà", "Nga", "Phương", "Thủy", "Yến", "Anh", "Vy", "Nhung", "Hằng", "Dung"]
VN_PROV = ["Nghệ An", "Hà Tĩnh", "Quảng Bình", "Hải Phòng", "Thanh Hóa", "Quảng Ninh", "Hà Nội", "Nam Định"]


def vn_ascii(s):
    return strip_acc(s.replace("Đ", "D").replace("đ", "d"))


def vn_d_mojibake(s):  # systems that strip marks by NFD leave Đ untouched, or drop it
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def shape_vietnrm(r, n):
    o = Out()
    o.source("nrm", ["NRM Ref", "Referral Date", "Potential Victim Name", "DOB", "Age at Referral", "Nationality", "Exploitation Type",
                     "Location Found", "Location Postcode", "First Responder"])
    o.source("homeoffice", ["CID Ref", "Surname", "Forenames", "Date of Birth", "Age Dispute", "Sex", "Accommodation Address", "Postcode"])
    o.source("custody", ["Custody No", "Surname", "Forename", "DOB", "Address", "Postcode", "Interpreter"])
    o.source("embassy", ["Số hồ sơ", "Họ và tên", "Ngày sinh", "Giới tính", "Quê quán"])
    nid = nidf()
    farms = [make_home(r) for _ in range(max(10, n // 6))]
    hotels = [make_home(r) for _ in range(max(5, n // 80))]
    for pid in range(n):
        sex = "M" if r.random() < 0.7 else "F"
        fam = r.choices(VN_FAM, VN_FAM_W)[0]
        mid = r.choice(VN_MID_M if sex == "M" else VN_MID_F)
        giv = zipf(r, VN_G_M if sex == "M" else VN_G_F, 0.6)
        dob = rand_dob(r, 1985, 2008)
        claimed = dob
        if dob.year < 2006 and r.random() < 0.25:
            claimed = dt.date(min(2009, dob.year + r.choice([1, 2, 3, 4])), dob.month, min(dob.day, 28))
        assessed = dt.date(dob.year + r.choice([-2, -1, 0, 0, 1]), 1, 1)
        farm = r.choice(farms)
        hotel = r.choice(hotels)
        ref_date = dt.date(2020, 1, 1) + dt.timedelta(days=r.randrange(1500))
        inA, inB, inC, inD = include(r, [0.7, 0.6, 0.55, 0.3])
        A, F, M, G = vn_ascii(fam), vn_ascii(mid), vn_ascii(mid), vn_ascii(giv)
        if inA:
            fr = r.random()
            if fr < 0.55: nm = ("%s %s %s" % (A, M, G)).upper()
            elif fr < 0.8: nm = "%s %s %s" % (G, M, A)
            else: nm = "%s %s" % (G, A.upper())
            if r.random() < 0.15: nm = "%s %s %s" % (fam, mid, giv)           # as the victim wrote it
            fr = r.random()
            d = claimed if fr < 0.5 else (assessed if fr < 0.8 else None)
            rid = nid("NRM", 6)
            o.add("nrm", {"NRM Ref": rid, "Referral Date": fdate(ref_date, "dmy"), "Potential Victim Name": ty(r, nm, 0.03), "DOB": fdate(d, "dmy"),
                          "Age at Referral": str(age_at(claimed if d is None else d, ref_date)), "Nationality": "Vietnamese",
                          "Exploitation Type": r.choice(["Labour - cannabis cultivation", "Labour - nail bar", "Sexual", "Criminal - cannabis"]),
                          "Location Found": addr(farm, r) + ", " + farm["town"], "Location Postcode": maybe(r, 0.8, farm["pc"]),
                          "First Responder": r.choice(["Police", "Home Office", "Local Authority", "Salvation Army", "Barnardo's"])},
                  pid, rid, nm.split()[0], nm.split()[-1], d)
        if inB:
            fr = r.random()
            fns = "%s %s" % (M, G) if fr < 0.6 else (G if fr < 0.8 else "%s %s" % (G, M))
            d = assessed if r.random() < 0.4 else claimed
            h = hotel if r.random() < 0.7 else farm
            rid = nid("CID", 7)
            o.add("homeoffice", {"CID Ref": rid, "Surname": A.upper(), "Forenames": fns.upper(), "Date of Birth": fdate(d, "dmy"),
                                 "Age Dispute": "Y" if d != dob else "N", "Sex": sex, "Accommodation Address": addr(h, r), "Postcode": h["pc"]},
                  pid, rid, fns.split()[0], A, d)
        for k in range(1 + (r.random() < 0.1) if inC else 0):
            fr = r.random()
            if fr < 0.55: sn, fn = A, G
            elif fr < 0.75: sn, fn = A, M + " " + G
            elif fr < 0.9: sn, fn = G, A                                     # swapped
            else: sn, fn = A, G + " " + M
            d = claimed if r.random() < 0.85 else None
            h = farm if r.random() < 0.8 else hotel
            rid = nid("CU", 7)
            o.add("custody", {"Custody No": rid, "Surname": ty(r, sn.upper(), 0.03), "Forename": ty(r, fn, 0.03), "DOB": fdate(d, "dmy"),
                              "Address": maybe(r, 0.9, addr(h, r) + ", " + h["town"]), "Postcode": maybe(r, 0.8, h["pc"]),
                              "Interpreter": "Vietnamese"}, pid, rid, fn.split()[0], sn, d)
        if inD:
            nm = "%s %s %s" % (fam, mid, giv)
            fr = r.random()
            if fr < 0.5: nm = nm.upper()
            elif fr < 0.7: nm = vn_d_mojibake(nm)       # marks stripped by NFD: Đ kept
            rid = nid("VN-", 5)
            o.add("embassy", {"Số hồ sơ": rid, "Họ và tên": nm, "Ngày sinh": fdate(dob, "dmy"), "Giới tính": "Nam" if sex == "M" else "Nữ",
                              "Quê quán": r.choice(VN_PROV)}, pid, rid, giv, fam, dob)
    return o, """vietnrm: Vietnamese potential victims (Nguyen 38%, Van/Thi middle names; cannabis farms shared by ~6);
true, claimed (25% of those born before 2006 claim 1-4 years younger) and assessed (`01/01`, year -2..+1) dates of
birth. nrm (one `Potential Victim Name`: `NGUYEN VAN HUNG` 55%, `Hung Van Nguyen` 25%, `Hung NGUYEN` 20%; 15% with
diacritics; DOB claimed 50% / assessed 30% / empty, `Age at Referral`, the farm as `Location Found`), homeoffice
(Surname, Forenames `VAN HUNG` / `HUNG` / `HUNG VAN`, assessed 40% else claimed, an asylum hotel), custody (the farm,
claimed dob, 15% surname and given name swapped), embassy (a Vietnamese embassy's verification reply, Vietnamese
headings Họ và tên / Ngày sinh / Giới tính Nam/Nữ, the name with diacritics, true dob; 20% marks stripped with Đ kept)."""


SHAPES = {"sikh": shape_sikh, "hokkien": shape_hokkien, "bulgaria": shape_bulgaria, "dutch": shape_dutch, "congo": shape_congo,
          "tenancy": shape_tenancy, "subscriber": shape_subscriber, "vietnrm": shape_vietnrm}


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    shape, seed, outdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 3000
    for sh in (SHAPES if shape == "all" else [shape]):
        r = random.Random(seed * 1000003 + zlib.crc32(("gen6-" + sh).encode()))
        o, meta = SHAPES[sh](r, n)
        d = os.path.join(outdir, sh) if shape == "all" else outdir
        o.write(d, meta + "\nseed %d people %d\n" % (seed, n) +
                "".join("%s.csv: %d records\n" % (k, sum(1 for x in v["rows"] if x)) for k, v in o.src.items()))


if __name__ == "__main__":
    main()
