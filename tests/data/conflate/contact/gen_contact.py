#!/usr/bin/env python3
"""gen_contact.py N SEED DIR: people of whom many live in households that share a family mobile
and a family e-mail, in three sources: a.csv and c.csv (custody-like files: names, date of
birth, home, phone, e-mail) and b.csv (a comms log: a first name, often a nickname, a phone, an
e-mail on half). Planted at the end: Andrew Khan (a personal mobile and e-mail, "Andy" in b), and the
Jacksons: Lee (1966), Sarah and their son Lee (1994), one family mobile and e-mail.
truth.csv: input,record_id,person_id. Written for review 85 H2 / L3 (tests/unit
test_conflate_engine.c, test_contact_values); the output is the same on every run."""
import csv, os, random, sys

MALE = ["Andrew", "Robert", "Christopher", "William", "James", "Michael", "Thomas", "Daniel",
        "David", "Richard", "Matthew", "Steven", "Paul", "Mark", "Gary", "Kevin", "Jason", "Craig",
        "Stuart", "Neil", "Simon", "Peter", "Anthony", "Joseph", "Samuel", "Benjamin", "Jack",
        "Harry", "Oliver", "George", "Ryan", "Adam", "Liam", "Connor", "Nathan", "Dean", "Scott"]
FEMALE = ["Elizabeth", "Katherine", "Rebecca", "Jennifer", "Margaret", "Susan", "Sarah", "Emma",
          "Laura", "Rachel", "Claire", "Nicola", "Michelle", "Lisa", "Helen", "Karen", "Joanne",
          "Amy", "Hannah", "Sophie", "Chloe", "Lucy", "Emily", "Charlotte", "Jessica", "Natalie",
          "Victoria", "Gemma", "Louise", "Zoe", "Kelly", "Donna", "Stacey", "Megan", "Holly"]
NICK = {"Andrew": "Andy", "Robert": "Bob", "Christopher": "Chris", "William": "Bill",
        "James": "Jim", "Michael": "Mike", "Thomas": "Tom", "Daniel": "Dan", "David": "Dave",
        "Richard": "Rick", "Matthew": "Matt", "Steven": "Steve", "Elizabeth": "Liz",
        "Katherine": "Kate", "Rebecca": "Becky", "Jennifer": "Jenny", "Margaret": "Maggie",
        "Susan": "Sue", "Samuel": "Sam", "Benjamin": "Ben", "Anthony": "Tony", "Joseph": "Joe"}
SUR = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
       "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood",
       "Clarke", "Jackson", "Harris", "Lewis", "Hughes", "Edwards", "Turner", "Hill", "Moore",
       "Cooper", "Ward", "Morris", "King", "Watson", "Baker", "Harrison", "Morgan", "Patel",
       "Young", "Allen", "Mitchell", "James", "Anderson", "Phillips", "Lee", "Bell", "Parker",
       "Davis", "Quinn", "Doyle", "Murphy", "Kelly", "Price", "Bennett", "Griffiths", "Kennedy"]
STREETS = ["Oak", "Church", "Station", "Victoria", "Park", "Mill", "Queens", "Grange", "Manor",
           "Cedar", "Derby", "Windsor", "Highfield", "Orchard", "Broad", "New", "Albert", "Hill"]
TYPES = ["Road", "Street", "Lane", "Avenue", "Close", "Drive", "Way", "Grove"]
TOWNS = [("Leeds", "LS"), ("Sheffield", "S"), ("Manchester", "M"), ("Bristol", "BS"),
         ("Cardiff", "CF"), ("Leicester", "LE"), ("Coventry", "CV"), ("Nottingham", "NG")]
DOMAINS = ["gmail.com", "hotmail.co.uk", "yahoo.co.uk", "outlook.com", "icloud.com"]


def main():
    n, seed, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    R = random.Random(seed)
    used = set()

    def mobile():
        while True:
            p = "07%d%08d" % (R.choice([4, 5, 7, 8, 9]), R.randrange(10 ** 8))
            if p not in used:
                used.add(p)
                return p

    def home():
        town, area = R.choice(TOWNS)
        return ("%d %s %s" % (R.randint(1, 200), R.choice(STREETS), R.choice(TYPES)),
                "%s%d %d%s%s" % (area, R.randint(1, 20), R.randint(1, 9), R.choice("ABDEFGHJLNPQRSTUWXYZ"),
                                 R.choice("ABDEFGHJLNPQRSTUWXYZ")), town)

    def dob(lo=1950, hi=2004):
        return "%02d/%02d/%d" % (R.randint(1, 28), R.randint(1, 12), R.randint(lo, hi))

    people = []
    for i in range(n):
        sex = R.choice("MF")
        first = R.choice(MALE if sex == "M" else FEMALE)
        people.append(dict(pid="P%05d" % i, sex=sex, first=first, sur=R.choice(SUR), dob=dob(),
                           home=home(), phone=mobile(), fam=None))
    i = 0
    while i < n:  # 35% of people in households of 2-4: one home, surname, family mobile and e-mail
        if R.random() < 0.35:
            k = R.randint(2, 4)
            grp = people[i:i + k]
            fam = (mobile(), "the%sfamily%d@%s" % (grp[0]["sur"].lower(), i, R.choice(DOMAINS)))
            for q in grp:
                q.update(sur=grp[0]["sur"], home=grp[0]["home"], fam=fam)
            i += k
        else:
            i += 1
    for p in people:
        p["email"] = "%s.%s%d@%s" % (p["first"].lower(), p["sur"].lower(), R.randint(1, 99), R.choice(DOMAINS))
    # planted
    khan = dict(pid="KHAN", sex="M", first="Andrew", sur="Khan", dob="28/12/1978",
                home=("86 Oak Close", "S17 3AR", "Sheffield"), phone="07560388185", fam=None,
                email="andrew.khan78@hotmail.co.uk")
    jfam = ("07806474257", "thejacksonfamily35@outlook.com")
    jhome = ("183 Broad Grove", "M6 2JA", "Manchester")
    lee = dict(pid="LEE66", sex="M", first="Lee", sur="Jackson", dob="20/01/1966", home=jhome,
               phone="07806111222", fam=jfam, email="lee.jackson66@yahoo.co.uk")
    sarah = dict(pid="SARAH", sex="F", first="Sarah", sur="Jackson", dob="03/07/1968", home=jhome,
                 phone="07806333444", fam=jfam, email="sarah.jackson@gmail.com")
    son = dict(pid="LEE94", sex="M", first="Lee", sur="Jackson", dob="15/11/1994", home=jhome,
               phone="07806555666", fam=jfam, email="lee.jackson94@outlook.com")
    rows = {"a": [], "b": [], "c": []}
    truth = []

    def add(src, rid, p, rec):
        rec["id"] = rid
        rows[src].append(rec)
        truth.append((src, rid, p["pid"]))

    for p in people:
        for src, pr in (("a", 0.85), ("b", 0.75), ("c", 0.6)):
            if R.random() >= pr:
                continue
            phone = p["fam"][0] if p["fam"] and R.random() < 0.7 else p["phone"]
            mail = p["fam"][1] if p["fam"] and R.random() < 0.5 else p["email"]
            if src != "b":
                rec = dict(first_name=p["first"], surname=p["sur"], dob=p["dob"], sex=p["sex"],
                           address=p["home"][0], postcode=p["home"][1], town=p["home"][2],
                           phone=phone if R.random() < 0.85 else "", email=mail if R.random() < 0.6 else "")
            else:
                rec = dict(first_name=NICK.get(p["first"], p["first"]) if R.random() < 0.4 else p["first"],
                           surname=p["sur"] if R.random() < 0.3 else "", phone=phone,
                           email=mail if R.random() < 0.5 else "")
            add(src, "%s%05d" % (src.upper(), len(rows[src]) + 1), p, rec)
    full = lambda p, phone, mail: dict(first_name=p["first"], surname=p["sur"], dob=p["dob"], sex=p["sex"],
                                       address=p["home"][0], postcode=p["home"][1], town=p["home"][2],
                                       phone=phone, email=mail)
    add("a", "A_KHAN", khan, full(khan, "07560 388185", khan["email"]))
    add("b", "B_ANDY", khan, dict(first_name="Andy", phone="07560388185", email=khan["email"]))
    add("a", "A_LEE66", lee, full(lee, jfam[0], jfam[1]))
    add("a", "A_SARAH", sarah, full(sarah, jfam[0], sarah["email"]))
    add("a", "A_LEE94", son, full(son, jfam[0], son["email"]))
    add("b", "B_SARAH", sarah, dict(first_name="Sarah", phone=jfam[0], email=""))
    add("b", "B_LEE94", son, dict(first_name="Lee", phone=jfam[0], email=jfam[1]))
    cols = ["id", "first_name", "surname", "dob", "sex", "address", "postcode", "town", "phone", "email"]
    os.makedirs(out, exist_ok=True)
    for src in "abc":
        R.shuffle(rows[src])
        with open(os.path.join(out, src + ".csv"), "w", newline="") as f:
            w = csv.DictWriter(f, cols, lineterminator="\n")
            w.writeheader()
            for r in rows[src]:
                w.writerow({c: r.get(c, "") for c in cols})
    with open(os.path.join(out, "truth.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["input", "record_id", "person_id"])
        w.writerows(truth)


main()
