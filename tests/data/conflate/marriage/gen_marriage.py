import os, sys, random; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
# usage: gen_marriage.py N SEED OUTDIR
N=int(sys.argv[1]); rng=random.Random(int(sys.argv[2])); out=sys.argv[3]; os.makedirs(out,exist_ok=True)
H=["id","first_name","surname","dob","sex","address","postcode","town","phone","email"]
srcs={"a":[],"b":[],"c":[]}; truth=[]; cnt=collections.Counter(); kinds=collections.Counter()
def emit(pid, src, rec, kind):
    cnt[src]+=1; rid="%s%06d"%(src.upper(),cnt[src]); rec['id']=rid; srcs[src].append(rec); truth.append((src,rid,pid)); 
for p in range(N):
    sex=rng.choice("MF"); fn=zipf(rng, MALE if sex=="M" else FEMALE); sn=zipf(rng,SURN); dob=rdob(rng,1950,2000)
    a1=addr(rng); ph=mobile(rng); em=email(rng,fn,sn)
    kind = rng.random()
    # states: list of (surname, address, phone, email)
    states=[(sn,a1,ph,em)]
    if kind<0.35:  # marriage: new surname (of spouse), new address, phone kept 60%, email kept 50%
        sn2=zipf(rng,SURN)
        while sn2==sn: sn2=zipf(rng,SURN)
        a2=addr(rng, a1['tinfo'] if rng.random()<0.6 else None)
        states.append((sn2,a2, ph if rng.random()<0.6 else mobile(rng), em if rng.random()<0.5 else email(rng,fn,sn2)))
        if rng.random()<0.3: # divorce: back to maiden name, another address
            a3=addr(rng); states.append((sn,a3, states[-1][2] if rng.random()<0.6 else mobile(rng), states[-1][3] if rng.random()<0.5 else email(rng,fn,sn)))
        k="marriage"
    elif kind<0.50: # double-barrelled
        sn2=zipf(rng,SURN)
        while sn2==sn: sn2=zipf(rng,SURN)
        full=sn+"-"+sn2
        variants=[full, sn+" "+sn2, sn2, sn, full]
        states=[(v,a1 if rng.random()<0.7 else addr(rng),ph,em) for v in variants]
        k="dbl"
    else: k="plain"
    kinds[k]+=1
    nrec = rng.choice([2,2,3,3,4]) if k!="plain" else rng.choice([1,2,2,3])
    for i in range(nrec):
        st = states[i % len(states)] if k!="dbl" else rng.choice(states)
        s2,a,pp,ee=st
        src=rng.choice("abc")
        r=dict(first_name=fn, surname=s2, dob=dob.strftime("%d/%m/%Y"), sex=sex, address=fmt_addr(a, rng.random()<0.5), postcode=a['postcode'], town=a['town'], phone=pp, email=ee)
        if rng.random()<0.10: r['first_name']=typo(rng,fn)
        if rng.random()<0.05: r['dob']=""
        for f in ("phone","email"):
            if rng.random()<0.3: r[f]=""
        emit(p, src, r, k)
    if k=="marriage" and rng.random()<0.7:
        # spouse: person with sn2 at a2, different first name/dob (hard negative sharing new surname+address)
        q=N+p; s2,a2,_,_=states[1]; sx="M" if sex=="F" else "F"
        f2=zipf(rng, MALE if sx=="M" else FEMALE); d2=rdob(rng, dob.year-5, min(dob.year+5,2005)); ph2=mobile(rng)
        for i in range(rng.choice([1,2])):
            r=dict(first_name=f2, surname=s2, dob=d2.strftime("%d/%m/%Y"), sex=sx, address=fmt_addr(a2), postcode=a2['postcode'], town=a2['town'], phone=ph2 if rng.random()<0.7 else "", email="")
            emit(q, rng.choice("abc"), r, "spouse")
for s,rows in srcs.items(): write(os.path.join(out,s+".csv"),H,rows)
write_truth(os.path.join(out,"truth.csv"),truth)
print(kinds, sum(cnt.values()))
