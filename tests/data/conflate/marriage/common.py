import random, csv, os, sys, itertools, collections, subprocess, time
MALE = "Oliver George Harry Jack Jacob Noah Charlie Muhammad Thomas Oscar William James Henry Leo Alfie Joshua Freddie Archie Ethan Isaac Alexander Joseph Edward Samuel Max Daniel Arthur Lucas Mohammed Logan Theo Harrison Benjamin Mason Sebastian Finley Adam Dylan Zachary Riley Teddy Theodore David Toby Jake Louie Elijah Reuben Arlo Hugo Luca Jaxon Matthew Harvey Reggie Michael Harley Jude Albert Tommy Luke Stanley Jenson Frankie Jayden Gabriel Elliot Mohammad Ronnie Kai Rory Ollie Louis Hunter Carter Ryan Bobby Tyler Nathan Callum Kyle Connor Liam Jordan Aaron Craig Lee Wayne Darren Paul Mark Stephen Andrew Christopher Robert Richard Peter Anthony Kevin Gary Dean Scott Shaun Jamie Ben Sam Kieran Declan Reece Brandon Bradley Ashley Marcus Tyrone Leon Dwayne Imran Bilal Usman Hamza Omar Ali Hassan Tariq Asif Zain Kamran Piotr Tomasz Marek Krzysztof".split()
FEMALE = "Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Willow Freya Florence Emily Ella Poppy Evie Elsie Charlotte Evelyn Sienna Sofia Daisy Phoebe Sophie Alice Harper Matilda Ruby Emilia Maya Millie Isabelle Eva Luna Layla Esme Aria Arabella Elizabeth Chloe Jessica Lucy Bella Holly Scarlett Erin Hannah Megan Lauren Rebecca Amy Laura Emma Sarah Rachel Gemma Kelly Nicola Claire Michelle Lisa Joanne Samantha Natalie Stacey Danielle Jade Kirsty Leanne Kayleigh Chelsea Courtney Shannon Paige Chantelle Jasmine Aaliyah Amina Fatima Ayesha Zainab Maryam Hafsa Sana Noor Iqra Mariam Khadija Anna Katarzyna Agnieszka Joanna Karen Susan Julie Helen Tracey Donna Dawn Angela Deborah Janet Patricia Margaret".split()
SURN = "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham Pearson Ahmed Fletcher Walsh Kaur Gibson Howard Andrews Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks West Lawrence Cole Atkinson Bradley Spencer Gill Dawson Ball Burton O'Brien Watts Rose Booth Perry Ryan Grant Wells Armstrong Francis Rees Hayes Hart Hudson Newman Barrett Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid Holland Hawkins Harding Porter Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner Shah Dean Lane Cooke Bates Henderson Parry Burgess Bishop Walton Burns Nicholson Shepherd Ross Cross Long Freeman Warren Nicholls Hamilton Byrne Sutton McDonald Yates Hodgson Robson Curtis Hopkins O'Connor Harper Coleman Watkins Moss McCarthy Chambers O'Neill Griffin Sharp Hardy Wheeler Potter Osborne Johnston Gordon Doyle Wallace George Jordan Hutchinson Rowe Burke May Pritchard Gilbert Willis Higgins Read Miah Nowak Kowalski Wojcik Okafor Adeyemi Mensah Nguyen Chen Wong".split()
STREETS = "High Church Station Park Victoria Green Manor Kings Queens Mill New School London York Albert Grange Springfield Chapel Windsor Richmond Alexandra Main North South West Stanley Highfield Broadway Elm Oak Cedar Beech Willow Ash Meadow Brook Hill Castle Bridge Market George Princes Clarence Nelson Wellington Cromwell Chester Lancaster".split()
STYPES = [("Road","Rd"),("Street","St"),("Lane","Ln"),("Avenue","Ave"),("Close","Cl"),("Drive","Dr"),("Crescent","Cres"),("Gardens","Gdns")]
TOWNS = [("Leeds","LS",1,29),("Bradford","BD",1,24),("Manchester","M",1,40),("Birmingham","B",1,48),("Sheffield","S",1,36),("Liverpool","L",1,38),("Bristol","BS",1,41),("Cardiff","CF",3,24),("Nottingham","NG",1,25),("Leicester","LE",1,19),("Coventry","CV",1,12),("Newcastle","NE",1,30),("Hull","HU",1,20),("Stoke","ST",1,21),("Wolverhampton","WV",1,16),("Derby","DE",1,24),("Southampton","SO",14,19),("Portsmouth","PO",1,9),("Plymouth","PL",1,9),("Reading","RG",1,31)]
UNIT="ABDEFGHJLNPQRSTUWXYZ"
def zipf(rng, lst, s=8):
    # weight 1/(r+s)
    w = [1.0/(i+s) for i in range(len(lst))]
    return rng.choices(lst, w)[0]
def rdob(rng, lo=1950, hi=2005):
    import datetime
    d = datetime.date(lo,1,1) + datetime.timedelta(days=rng.randrange((datetime.date(hi,12,31)-datetime.date(lo,1,1)).days))
    return d
def addr(rng, town=None):
    t = town or rng.choice(TOWNS)
    num = rng.randint(1,200); st = rng.choice(STREETS); ty = rng.choice(STYPES)
    pc = "%s%d %d%s%s" % (t[1], rng.randint(t[2],t[3]), rng.randint(1,9), rng.choice(UNIT), rng.choice(UNIT))
    return dict(num=num, street=st, stype=ty, town=t[0], postcode=pc, tinfo=t)
def fmt_addr(a, abbrev=False):
    return "%d %s %s" % (a['num'], a['street'], a['stype'][1] if abbrev else a['stype'][0])
def mobile(rng):
    return "07" + rng.choice("12345789") + "".join(rng.choice("0123456789") for _ in range(8))
def email(rng, f, s):
    return "%s.%s%d@%s" % (f.lower(), s.lower().replace("'",""), rng.randint(1,99), rng.choice(["gmail.com","hotmail.co.uk","yahoo.co.uk","outlook.com"]))
def typo(rng, s):
    if len(s) < 3: return s
    i = rng.randrange(1, len(s)-1); k = rng.randrange(3)
    if k==0: return s[:i]+s[i+1:]
    if k==1: return s[:i]+s[i+1]+s[i]+s[i+2:]
    return s[:i]+rng.choice("aeiounrst")+s[i+1:]
def write(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f); w.writerow(header)
        for r in rows: w.writerow([r.get(h,"") for h in header])
def write_truth(path, truth):
    with open(path,"w",newline="") as f:
        w=csv.writer(f); w.writerow(["input","record_id","person_id"])
        for t in truth: w.writerow(t)
