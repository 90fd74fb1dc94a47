/*
 * synth.c: seeded synthetic people for `iom conflate` (see synth.h and
 * docs/conflate-synthetic.md, which documents every rate and table used here).
 *
 * Determinism: every random draw comes from a splitmix64 stream keyed by
 * (seed, purpose, person, source, copy); probabilities are compared as 53-bit integers, and
 * weighted choices use integer cumulative tables, so a seed gives the same bytes everywhere.
 * Each decision draws a fixed number of values whatever the outcome, so changing one rate
 * changes only what that rate governs.
 */
#include "synth/synth.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

/* ---- random numbers --------------------------------------------------------------- */

#define GOLDEN 0x9e3779b97f4a7c15ULL

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A key for one stream: the seed, a purpose tag and up to three integers. */
static uint64_t key4(uint64_t seed, uint64_t tag, uint64_t a, uint64_t b)
{
    uint64_t h = mix64(seed + GOLDEN * (tag + 1));
    h = mix64(h ^ (a + GOLDEN));
    return mix64(h ^ (b * GOLDEN + 0x632be59bd9b4e019ULL));
}

/* A splitmix64 stream: the state steps by the golden gamma and each output is mix64 of it.
 * Seeding is free (state = key), which matters as every record opens its own stream. */
typedef struct rng {
    uint64_t s;
} rng;

static void rng_seed(rng *r, uint64_t key) { r->s = key; }

static uint64_t rng_u64(rng *r)
{
    r->s += GOLDEN;
    return mix64(r->s);
}

/* Uniform in [0, n) for n < 2^32 (multiply-shift on the top 32 bits). */
static uint32_t below(uint64_t u, uint32_t n) { return (uint32_t)(((u >> 32) * (uint64_t)n) >> 32); }

static uint32_t rng_below(rng *r, uint32_t n) { return below(rng_u64(r), n); }

/* Threshold for probability p on a 53-bit draw. */
static uint64_t prob53(double p)
{
    if (p <= 0.0)
        return 0;
    if (p >= 1.0)
        return 1ULL << 53;
    return (uint64_t)(p * 9007199254740992.0);
}

static bool hit(uint64_t u, uint64_t thr) { return (u >> 11) < thr; }

/* ---- reference data ---------------------------------------------------------------- */
/*
 * Names are listed most common first (after ONS baby-name and surname counts across the
 * birth cohorts 1935-2009); weights are Zipf-like, w(rank) = 10^6 / (rank + K).
 * Nicknames follow "|" and are the only forms the nickname corruption produces.
 */
typedef struct name_entry {
    const char *name;
    const char *nicks; /* "Bob|Rob|Bobby" or NULL */
} name_entry;

static const name_entry MALE[] = {
    {"James", "Jim|Jimmy|Jamie"}, {"John", "Jack|Johnny"}, {"David", "Dave|Davy"},
    {"Michael", "Mike|Mick|Micky"}, {"Robert", "Bob|Rob|Bobby|Robbie"},
    {"William", "Bill|Will|Billy|Liam"}, {"Paul", NULL}, {"Mark", NULL},
    {"Richard", "Rich|Rick|Dick|Richie"}, {"Peter", "Pete"}, {"Thomas", "Tom|Tommy"},
    {"Christopher", "Chris|Kit"}, {"Daniel", "Dan|Danny"}, {"Andrew", "Andy|Drew"},
    {"Stephen", "Steve|Stevie"}, {"Anthony", "Tony|Ant"}, {"Matthew", "Matt"},
    {"Joseph", "Joe|Joey"}, {"George", NULL}, {"Steven", "Steve"}, {"Jack", NULL},
    {"Ian", NULL}, {"Gary", NULL}, {"Kevin", "Kev"}, {"Simon", "Si"}, {"Jonathan", "Jon|Jonny"},
    {"Alan", "Al"}, {"Martin", "Marty"}, {"Ryan", NULL}, {"Adam", NULL}, {"Samuel", "Sam|Sammy"},
    {"Benjamin", "Ben|Benny"}, {"Lee", NULL}, {"Luke", NULL}, {"Craig", NULL}, {"Scott", NULL},
    {"Jason", NULL}, {"Neil", NULL}, {"Harry", NULL}, {"Oliver", "Ollie|Olly"},
    {"Charles", "Charlie|Chas|Chuck"}, {"Edward", "Ed|Eddie|Ted|Ned"},
    {"Alexander", "Alex|Sandy|Xander"}, {"Nicholas", "Nick|Nicky"}, {"Brian", NULL},
    {"Keith", NULL}, {"Colin", NULL}, {"Graham", NULL}, {"Stuart", "Stu"}, {"Philip", "Phil"},
    {"Darren", NULL}, {"Dean", NULL}, {"Wayne", NULL}, {"Shaun", NULL}, {"Carl", NULL},
    {"Liam", NULL}, {"Jamie", NULL}, {"Callum", "Cal"}, {"Connor", NULL}, {"Kieran", NULL},
    {"Nathan", "Nate|Nat"}, {"Jordan", NULL}, {"Lewis", "Lew"}, {"Joshua", "Josh"},
    {"Jake", NULL}, {"Aaron", NULL}, {"Sean", NULL}, {"Patrick", "Pat|Paddy"},
    {"Kenneth", "Ken|Kenny"}, {"Ronald", "Ron|Ronnie"}, {"Derek", "Del"},
    {"Terence", "Terry|Tel"}, {"Raymond", "Ray"}, {"Gordon", NULL}, {"Barry", "Baz"},
    {"Roger", NULL}, {"Trevor", "Trev"}, {"Malcolm", "Mal"}, {"Geoffrey", "Geoff"},
    {"Dennis", NULL}, {"Leonard", "Len|Lenny"}, {"Frederick", "Fred|Freddie"},
    {"Albert", "Bert|Bertie"}, {"Arthur", "Art"}, {"Henry", "Harry|Hal"}, {"Frank", NULL},
    {"Harold", "Harry"}, {"Stanley", "Stan"}, {"Ernest", "Ernie"}, {"Walter", "Wally"},
    {"Leslie", "Les"}, {"Douglas", "Doug|Dougie"}, {"Gerald", "Gerry|Ged"}, {"Nigel", NULL},
    {"Timothy", "Tim|Timmy"}, {"Russell", "Russ"}, {"Jeremy", "Jez"}, {"Tony", NULL},
    {"Glen", NULL}, {"Marcus", NULL}, {"Dominic", "Dom"}, {"Tom", NULL}, {"Max", NULL},
    {"Alfie", NULL}, {"Charlie", NULL}, {"Ethan", NULL}, {"Mohammed", "Mo"},
    {"Muhammad", "Mo"}, {"Ali", NULL}, {"Ahmed", NULL}, {"Imran", NULL}, {"Hassan", NULL},
    {"Usman", NULL}, {"Bilal", NULL}, {"Arjun", NULL}, {"Rahul", NULL}, {"Sanjay", NULL},
    {"Rajesh", "Raj"}, {"Amir", NULL}, {"Kwame", NULL}, {"Tyrone", NULL}, {"Dylan", NULL},
    {"Rhys", NULL}, {"Gareth", NULL}, {"Owen", NULL}, {"Evan", NULL}, {"Dafydd", "Dai"},
    {"Ewan", NULL}, {"Angus", "Gus"}, {"Hamish", NULL}, {"Fraser", NULL}, {"Niall", NULL},
    {"Declan", NULL}, {"Ciaran", NULL}, {"Seán", NULL}, {"Conor", NULL}, {"Piotr", NULL},
    {"Tomasz", "Tomek"}, {"Krzysztof", NULL}, {"Mateusz", NULL}, {"Luca", NULL},
    {"Marco", NULL}, {"Reece", NULL}, {"Bradley", "Brad"}, {"Kyle", NULL}, {"Elliot", NULL},
    {"Mason", NULL}, {"Logan", NULL}, {"Leo", NULL}, {"Noah", NULL}, {"Theo", NULL},
    {"Freddie", NULL}, {"Archie", NULL}, {"Toby", NULL}, {"Joel", NULL}, {"Vincent", "Vince|Vinny"},
    {"Francis", "Frank|Frankie"}, {"Lawrence", "Larry|Laurie"}, {"Maurice", "Mo"},
    {"Bernard", "Bernie"}, {"Cyril", NULL}, {"Eric", NULL}, {"Norman", "Norm"},
};

static const name_entry FEMALE[] = {
    {"Margaret", "Peggy|Maggie|Meg|Maisie"}, {"Susan", "Sue|Susie|Suzy"}, {"Sarah", "Sally|Sadie"},
    {"Elizabeth", "Liz|Beth|Betty|Lizzie|Eliza"}, {"Mary", "Molly|Polly|Mae"},
    {"Patricia", "Pat|Trish|Patsy"}, {"Linda", "Lin"}, {"Karen", NULL}, {"Julie", "Jules"},
    {"Helen", "Nell"}, {"Jennifer", "Jen|Jenny"}, {"Emma", NULL}, {"Claire", NULL},
    {"Nicola", "Nicky|Nic"}, {"Rebecca", "Becky|Becca"}, {"Laura", NULL},
    {"Michelle", "Shelley"}, {"Jacqueline", "Jackie|Jacqui"}, {"Lisa", NULL},
    {"Amanda", "Mandy"}, {"Deborah", "Debbie|Debs"}, {"Joanne", "Jo"},
    {"Catherine", "Cath|Cathy|Kate"}, {"Christine", "Chris|Chrissie|Tina"}, {"Janet", "Jan"},
    {"Barbara", "Babs|Barbie"}, {"Dorothy", "Dot|Dolly|Dottie"}, {"Jean", NULL},
    {"Joan", NULL}, {"Pauline", NULL}, {"Sandra", "Sandy"}, {"Gillian", "Gill|Jill"},
    {"Alison", "Ali"}, {"Angela", "Angie"}, {"Caroline", "Caz|Carrie"}, {"Rachel", NULL},
    {"Kelly", NULL}, {"Lucy", NULL}, {"Hannah", NULL}, {"Charlotte", "Lottie|Charlie"},
    {"Jessica", "Jess|Jessie"}, {"Sophie", NULL}, {"Amy", NULL}, {"Katie", NULL},
    {"Gemma", NULL}, {"Stacey", NULL}, {"Samantha", "Sam|Sammy"}, {"Victoria", "Vicky|Tori"},
    {"Kirsty", NULL}, {"Natalie", "Nat"}, {"Hayley", NULL}, {"Danielle", "Dani"},
    {"Jade", NULL}, {"Chloe", NULL}, {"Emily", "Em|Emmy"}, {"Olivia", "Liv|Livvy"},
    {"Amelia", "Millie"}, {"Grace", NULL}, {"Ellie", NULL}, {"Megan", "Meg"}, {"Lauren", NULL},
    {"Bethany", "Beth"}, {"Holly", NULL}, {"Georgia", "Georgie"}, {"Abigail", "Abby|Gail"},
    {"Isabella", "Bella|Izzy|Isla"}, {"Mia", NULL}, {"Ava", NULL}, {"Isla", NULL},
    {"Poppy", NULL}, {"Lily", NULL}, {"Evie", NULL}, {"Freya", NULL}, {"Ruby", NULL},
    {"Jasmine", "Jas|Jazz"}, {"Zoe", NULL}, {"Ella", NULL}, {"Phoebe", NULL},
    {"Eleanor", "Ellie|Nell|Nora"}, {"Anne", "Annie"}, {"Ann", "Annie"}, {"Carol", NULL},
    {"Diane", "Di"}, {"Wendy", NULL}, {"Lorraine", NULL}, {"Tracey", NULL}, {"Dawn", NULL},
    {"Donna", NULL}, {"Kathleen", "Kath|Kathy|Kay"}, {"Valerie", "Val"}, {"Sheila", NULL},
    {"Brenda", NULL}, {"Maureen", "Mo"}, {"Doreen", NULL}, {"Irene", "Renie"},
    {"Sylvia", NULL}, {"Shirley", NULL}, {"Marion", NULL}, {"Rita", NULL}, {"Joyce", NULL},
    {"Beryl", NULL}, {"Edna", NULL}, {"Vera", NULL}, {"Hilda", NULL}, {"Gladys", "Glad"},
    {"Elsie", NULL}, {"Winifred", "Winnie|Freda"}, {"Iris", NULL}, {"Rose", "Rosie"},
    {"Alice", "Ally"}, {"Florence", "Flo|Florrie"}, {"Annie", NULL}, {"Ethel", NULL},
    {"Lilian", "Lily|Lil"}, {"Josephine", "Jo|Josie"}, {"Frances", "Fran|Frankie"},
    {"Teresa", "Tess|Terri"}, {"Katherine", "Kate|Kathy|Katie|Kitty"}, {"Kathryn", "Kate|Kath"},
    {"Louise", "Lou"}, {"Anna", NULL}, {"Sophia", "Sophie"}, {"Fatima", NULL}, {"Aisha", NULL},
    {"Ayesha", NULL}, {"Zainab", NULL}, {"Maryam", NULL}, {"Priya", NULL}, {"Sunita", NULL},
    {"Anjali", NULL}, {"Nadia", NULL}, {"Yasmin", NULL}, {"Shabana", NULL}, {"Parveen", NULL},
    {"Siân", NULL}, {"Rhiannon", NULL}, {"Cerys", NULL}, {"Bethan", NULL}, {"Niamh", NULL},
    {"Siobhan", NULL}, {"Aoife", NULL}, {"Mhairi", NULL}, {"Fiona", "Fi"}, {"Kirsten", NULL},
    {"Agnieszka", "Aga"}, {"Katarzyna", "Kasia"}, {"Magdalena", "Magda"}, {"Zoë", NULL},
    {"Chantelle", NULL}, {"Shannon", NULL}, {"Leanne", NULL}, {"Kerry", NULL}, {"Tanya", NULL},
    {"Sharon", "Shaz"}, {"Tina", NULL}, {"Pamela", "Pam"}, {"Beverley", "Bev"},
    {"Marjorie", "Marge|Margie"}, {"Theresa", "Tess|Tessa"}, {"Abbie", NULL},
};

static const char *const SURNAME[] = {
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards",
    "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood",
    "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King",
    "Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis",
    "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter",
    "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards",
    "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson",
    "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain",
    "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd",
    "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey",
    "Graham", "Pearson", "Ahmed", "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews",
    "Stewart", "Elliott", "Reynolds", "Saunders", "Payne", "Fox", "Ford", "Pearce", "Day",
    "Brooks", "West", "Lawrence", "Cole", "Atkinson", "Bradley", "Spencer", "Gill", "Dawson",
    "Ball", "Burton", "O'Brien", "Watts", "Rose", "Booth", "Perry", "Ryan", "Grant", "Wells",
    "Armstrong", "Francis", "Rees", "Hayes", "Hart", "Hudson", "Newman", "Barrett", "Webster",
    "Hunter", "Gregory", "Carr", "Lowe", "Page", "Marsh", "Riley", "Dunn", "Woods", "Parsons",
    "Berry", "Stone", "Reid", "Holland", "Hawkins", "Harding", "Porter", "Robertson", "Newton",
    "Oliver", "Reed", "Kennedy", "Williamson", "Bird", "Gardner", "Shah", "Dean", "Lane",
    "Cooke", "Bates", "Henderson", "Parry", "Burgess", "Bishop", "Walton", "Burns",
    "Nicholson", "Shepherd", "Ross", "Cross", "Long", "Freeman", "Warren", "Nicholls",
    "Hamilton", "Byrne", "Sutton", "McDonald", "Yates", "Hodgson", "Robson", "Curtis",
    "Hopkins", "O'Connor", "Harper", "Coleman", "Watkins", "Moss", "McCarthy", "Chambers",
    "O'Neill", "Griffin", "Sharp", "Hardy", "Wheeler", "Potter", "Osborne", "Johnston",
    "Gordon", "Doyle", "Wallace", "George", "Jordan", "Hutchinson", "Rowe", "Burke", "May",
    "Pritchard", "Gilbert", "Willis", "Higgins", "Read", "Miles", "Stevenson", "Stephenson",
    "Hammond", "Arnold", "Buckley", "Walters", "Hewitt", "Barber", "Nelson", "Slater",
    "Austin", "Sullivan", "Whitehead", "Mann", "Frost", "Lambert", "Stephens", "Blake",
    "Akhtar", "Lynch", "Goodwin", "Barton", "Woodward", "Thomson", "Cunningham", "Quinn",
    "Barnett", "Baxter", "Bibi", "Clayton", "Nash", "Greenwood", "Jennings", "Holt", "Kemp",
    "Poole", "Gallagher", "Bond", "Stokes", "Tucker", "Davidson", "Fowler", "Heath", "Norman",
    "Middleton", "Lawson", "Banks", "French", "Stanley", "Jarvis", "Gibbs", "Ferguson",
    "Hayward", "Carroll", "Douglas", "Dickinson", "Todd", "Barlow", "Peters", "Lucas",
    "Knowles", "Hartley", "Miah", "Simmons", "Morton", "Alexander", "Field", "Morrison",
    "Norris", "Townsend", "Preston", "Hancock", "Thornton", "Baldwin", "Burrows", "Briggs",
    "Storey", "Pugh", "Little", "Duncan", "Kowalski", "Nowak", "Wisniewski", "Okafor",
    "Mensah", "Chowdhury", "Rahman", "Islam", "Iqbal", "Mahmood", "Sharma", "Kumar",
    "Nguyen", "Chen", "Wong", "Fitzgerald", "MacLeod", "McKenzie", "Fraser", "Sinclair",
};

/* Names with Latin-1 accents (the accent_rate shape). Source C writes them without accents. */
static const char *const ACCENT_MALE[] = {"José", "André", "René", "Jürgen", "Björn", "François",
                                          "Joël", "Émile", "Ángel", "Sören", "Stéphane", "Raúl"};
static const char *const ACCENT_FEMALE[] = {"Zoë", "Chloé", "Renée", "Inés", "María", "Noémie",
                                            "Hélène", "Áine", "Aoibhín", "Léa", "Mónica", "Siân"};
static const char *const ACCENT_SURNAME[] = {"Müller", "Núñez", "García", "Gómez", "Pérez",
                                             "Sánchez", "Böhm", "Jääskeläinen", "Ó Briain",
                                             "Lefèvre", "Fernández", "Schröder", "Gonçalves",
                                             "Østergaard", "Ní Bhriain", "Dúnlaing"};

/* The namesake pool (namesake_rate): the four commonest first names of each sex and these
 * surnames, indexes into SURNAME: Smith, Jones, Williams, Taylor, Brown, Davies, Patel, Khan. */
static const int NAMESAKE_SURNAME[] = {0, 1, 2, 3, 4, 5, 23, 63};

/* Towns with their postcode area, district range and weight (about the population in
 * thousands served). Postcodes are area + district + " " + sector digit + two unit letters. */
typedef struct town_entry {
    const char *town;
    const char *area;
    int dmin, dmax;
    int weight;
} town_entry;

static const town_entry TOWN[] = {
    {"London", "E", 1, 18, 900},      {"London", "N", 1, 22, 800},
    {"London", "SE", 1, 28, 1000},    {"London", "SW", 1, 20, 900},
    {"London", "NW", 1, 11, 600},     {"London", "W", 2, 14, 500},
    {"Birmingham", "B", 1, 48, 1100}, {"Leeds", "LS", 1, 29, 800},
    {"Manchester", "M", 1, 40, 550},  {"Liverpool", "L", 1, 38, 500},
    {"Sheffield", "S", 1, 36, 580},   {"Bristol", "BS", 1, 16, 470},
    {"Bradford", "BD", 1, 15, 540},   {"Newcastle upon Tyne", "NE", 1, 15, 300},
    {"Nottingham", "NG", 1, 16, 330}, {"Leicester", "LE", 1, 5, 350},
    {"Coventry", "CV", 1, 6, 370},    {"Hull", "HU", 1, 9, 260},
    {"Stoke-on-Trent", "ST", 1, 8, 250}, {"Wolverhampton", "WV", 1, 14, 260},
    {"Derby", "DE", 1, 24, 260},      {"Southampton", "SO", 14, 19, 250},
    {"Portsmouth", "PO", 1, 6, 210},  {"Plymouth", "PL", 1, 9, 260},
    {"Reading", "RG", 1, 6, 160},     {"Sunderland", "SR", 1, 6, 275},
    {"Middlesbrough", "TS", 1, 8, 140}, {"Huddersfield", "HD", 1, 9, 160},
    {"Wakefield", "WF", 1, 4, 110},   {"Doncaster", "DN", 1, 12, 110},
    {"York", "YO", 1, 32, 200},       {"Preston", "PR", 1, 5, 140},
    {"Blackpool", "FY", 1, 5, 140},   {"Bolton", "BL", 1, 7, 200},
    {"Oldham", "OL", 1, 9, 100},      {"Cardiff", "CF", 3, 24, 360},
    {"Swansea", "SA", 1, 7, 240},     {"Newport", "NP", 10, 20, 150},
    {"Glasgow", "G", 1, 53, 630},     {"Edinburgh", "EH", 1, 17, 520},
    {"Aberdeen", "AB", 10, 25, 200},  {"Dundee", "DD", 1, 5, 150},
    {"Belfast", "BT", 1, 17, 340},    {"Norwich", "NR", 1, 7, 140},
    {"Ipswich", "IP", 1, 4, 140},     {"Cambridge", "CB", 1, 5, 145},
    {"Oxford", "OX", 1, 4, 150},      {"Milton Keynes", "MK", 1, 15, 230},
    {"Luton", "LU", 1, 4, 210},       {"Northampton", "NN", 1, 5, 220},
    {"Peterborough", "PE", 1, 7, 200}, {"Brighton", "BN", 1, 3, 230},
    {"Exeter", "EX", 1, 4, 130},      {"Gloucester", "GL", 1, 4, 130},
    {"Swindon", "SN", 1, 5, 180},     {"Chelmsford", "CM", 1, 3, 110},
    {"Colchester", "CO", 1, 4, 120},  {"Lincoln", "LN", 1, 6, 100},
    {"Carlisle", "CA", 1, 3, 75},     {"Warrington", "WA", 1, 5, 210},
    {"Stockport", "SK", 1, 7, 290},   {"Wigan", "WN", 1, 6, 100},
    {"Rotherham", "S", 60, 66, 110},  {"Bournemouth", "BH", 1, 11, 190},
    {"Halifax", "HX", 1, 7, 90},      {"Darlington", "DL", 1, 3, 90},
};

static const char *const STREET[] = {
    "High", "Station", "Church", "Park", "Victoria", "Green", "Manor", "Mill", "School",
    "Queens", "Kings", "New", "North", "South", "West", "London", "Albert", "Grange", "Chapel",
    "Windsor", "York", "Springfield", "Highfield", "Alexandra", "Richmond", "Meadow",
    "Orchard", "Woodland", "Forest", "Oak", "Elm", "Beech", "Ash", "Willow", "Cedar",
    "Chestnut", "Hawthorn", "Holly", "Rose", "Cherry", "Lime", "Farm", "Hill", "Bridge",
    "Brook", "Riverside", "Lake", "Castle", "Abbey", "Priory", "Mount Pleasant", "St Mary's",
    "Market", "Water", "Cross", "Well", "Moor", "Heath", "Broad", "Long", "Hall", "Albion",
    "Wellington", "Nelson", "Trafalgar", "Waterloo", "Stanley", "Clarence", "Cambridge",
    "Oxford", "Devonshire", "Cavendish", "Grosvenor", "Salisbury", "Marlborough", "Blenheim",
    "Osborne", "Balmoral", "Sandringham", "Kensington", "Belmont", "Fairfield", "Westfield",
    "Ashfield", "Mayfield", "Greenfield", "Beechwood", "Oakwood", "Elmwood", "Coronation",
    "Jubilee", "Princess", "Regent", "Derby", "Lancaster", "Carlton", "Stafford", "Warwick",
    "Cromwell", "Clifton", "Hampton", "St John's",
};

typedef struct stype_entry {
    const char *full;
    const char *abbr;
    int weight;
} stype_entry;

static const stype_entry STYPE[] = {
    {"Road", "Rd", 30},    {"Street", "St", 25},  {"Lane", "Ln", 12},     {"Avenue", "Ave", 10},
    {"Close", "Cl", 8},    {"Drive", "Dr", 6},    {"Way", "Way", 4},      {"Crescent", "Cres", 4},
    {"Gardens", "Gdns", 3}, {"Grove", "Gr", 3},   {"Terrace", "Terr", 3}, {"Place", "Pl", 2},
    {"Court", "Ct", 2},    {"Walk", "Wlk", 1},    {"Mews", "Mews", 1},
};

typedef struct domain_entry {
    const char *domain;
    int weight;
} domain_entry;

static const domain_entry EMAIL_DOMAIN[] = {
    {"gmail.com", 35},   {"hotmail.co.uk", 20}, {"yahoo.co.uk", 10},   {"outlook.com", 10},
    {"hotmail.com", 8},  {"icloud.com", 7},     {"btinternet.com", 5}, {"live.co.uk", 5},
};

static const char *const MONTH_ABBR[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Letters allowed in the two-letter unit of a UK postcode (not C, I, K, M, O, V). */
static const char UNIT_LETTERS[] = "ABDEFGHJLNPQRSTUWXYZ";

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define N_MALE NELEM(MALE)
#define N_FEMALE NELEM(FEMALE)
#define N_SURNAME NELEM(SURNAME)
#define N_TOWN NELEM(TOWN)
#define N_STREET NELEM(STREET)
#define N_STYPE NELEM(STYPE)
#define N_DOMAIN NELEM(EMAIL_DOMAIN)

/* ---- weighted tables -------------------------------------------------------------- */

typedef struct cumtab {
    uint32_t cum[512]; /* cum[i] = sum of weights 0..i */
    uint32_t n;
    uint16_t guide[257]; /* guide[b]: first i with cum[i] > b * total / 256 */
} cumtab;

static void cumtab_guide(cumtab *t)
{
    uint64_t total = t->cum[t->n - 1];
    uint32_t i = 0;
    for (uint32_t b = 0; b <= 256; b++) {
        uint64_t x = b * total / 256;
        while (i + 1 < t->n && t->cum[i] <= x)
            i++;
        t->guide[b] = (uint16_t)i;
    }
}

static void cumtab_zipf(cumtab *t, size_t n, uint32_t k)
{
    uint32_t acc = 0;
    for (size_t i = 0; i < n; i++) {
        acc += 1000000u / (uint32_t)(i + 1 + k);
        t->cum[i] = acc;
    }
    t->n = (uint32_t)n;
}

static uint32_t cumtab_pick(const cumtab *t, uint64_t u)
{
    uint32_t total = t->cum[t->n - 1];
    uint32_t x = below(u, total);
    uint32_t i = t->guide[(uint64_t)x * 256 / total];
    while (t->cum[i] <= x)
        i++;
    return i;
}

typedef struct tables {
    cumtab male, female, surname, town, street, stype, domain;
} tables;

static void tables_init(tables *t)
{
    cumtab_zipf(&t->male, N_MALE, 8);
    cumtab_zipf(&t->female, N_FEMALE, 8);
    cumtab_zipf(&t->surname, N_SURNAME, 10);
    cumtab_zipf(&t->street, N_STREET, 15);
    uint32_t acc = 0;
    for (size_t i = 0; i < N_TOWN; i++)
        t->town.cum[i] = acc += (uint32_t)TOWN[i].weight;
    t->town.n = N_TOWN;
    acc = 0;
    for (size_t i = 0; i < N_STYPE; i++)
        t->stype.cum[i] = acc += (uint32_t)STYPE[i].weight;
    t->stype.n = N_STYPE;
    acc = 0;
    for (size_t i = 0; i < N_DOMAIN; i++)
        t->domain.cum[i] = acc += (uint32_t)EMAIL_DOMAIN[i].weight;
    t->domain.n = N_DOMAIN;
    cumtab *all[] = {&t->male, &t->female, &t->surname, &t->town, &t->street, &t->stype,
                     &t->domain};
    for (size_t i = 0; i < NELEM(all); i++)
        cumtab_guide(all[i]);
}

/* ---- true people ------------------------------------------------------------------ */

typedef struct address {
    int flat;   /* 0 = none */
    int number;
    int street, stype, town;
    char postcode[10]; /* "LS1 4AP" */
} address;

typedef struct synth_person {
    uint64_t id;        /* 1-based */
    uint64_t family_id; /* 0 = none */
    int sex;            /* 0 male, 1 female */
    int first, middle;  /* index into MALE/FEMALE; middle -1 = none */
    int surname;
    int year, month, day;
    address home;
    uint64_t phone[1]; /* 10 digits after the leading 0: 7xxxxxxxxx */
    char email[96];
    /* shapes: */
    int fam_month, fam_day;   /* > 0: the date of birth a twin shares (family part) */
    int surname2;             /* second part of a double-barrelled surname; -1 = none */
    const char *accent_first; /* a first name with accents instead of first; NULL = none */
    const char *accent_sur;   /* a surname with accents instead of surname; NULL = none */
} synth_person;

typedef struct gen {
    const conflate_synth_config *cfg;
    tables tab;
    uint64_t thr_missing[CONFLATE_SYNTH_NFIELDS], thr_typo[CONFLATE_SYNTH_NFIELDS];
    uint64_t thr_nick, thr_swap, thr_moved, thr_phone, thr_dobswap, thr_family, thr_dup;
    uint64_t thr_src1, thr_src2; /* cumulative sources_p */
    /* shapes */
    uint64_t thr_mover, thr_namesake, thr_dbarrel, thr_accent, thr_placeholder;
    uint64_t thr_src_missing[CONFLATE_SYNTH_NSOURCES][CONFLATE_SYNTH_NFIELDS];
    uint64_t thr_kind[CONFLATE_SYNTH_FAMILY_KINDS]; /* cumulative family_kind_p */
    bool kinds;   /* some family_kind_p is set */
    unsigned ns;  /* sources in use: 2 or 3 */
} gen;

static const name_entry *first_entry(int sex, int idx)
{
    return sex ? &FEMALE[idx] : &MALE[idx];
}

static int pick_first(const gen *g, int sex, uint64_t u)
{
    return (int)cumtab_pick(sex ? &g->tab.female : &g->tab.male, u);
}

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* Ages 16..90 in 2025, skewed to 18..50 as police records are. */
static int pick_year(uint64_t u)
{
    uint32_t x = below(u, 100);
    uint64_t v = mix64(u);
    if (x < 70)
        return 1975 + (int)below(v, 33); /* 1975..2007 */
    return 1935 + (int)below(v, 40);     /* 1935..1974 */
}

static void make_address(const gen *g, rng *r, address *a, int town)
{
    uint64_t u = rng_u64(r);
    a->town = town >= 0 ? town : (int)cumtab_pick(&g->tab.town, u);
    a->street = (int)cumtab_pick(&g->tab.street, rng_u64(r));
    a->stype = (int)cumtab_pick(&g->tab.stype, rng_u64(r));
    /* House numbers: small numbers are commoner (min of two uniforms in 1..200). */
    uint64_t v = rng_u64(r);
    int n1 = 1 + (int)below(v, 200), n2 = 1 + (int)below(mix64(v), 200);
    a->number = n1 < n2 ? n1 : n2;
    a->flat = below(rng_u64(r), 100) < 8 ? 1 + (int)below(mix64(u ^ v), 24) : 0;
    /* The postcode is a function of (town, street, type, number / 30): one street keeps one
     * district and sector, as real unit postcodes cover a stretch of a street. */
    const town_entry *t = &TOWN[a->town];
    uint64_t h = mix64(((uint64_t)a->town << 40) ^ ((uint64_t)a->street << 24) ^
                       ((uint64_t)a->stype << 16) ^ (uint64_t)(a->number / 30) ^ g->cfg->seed);
    int district = t->dmin + (int)below(h, (uint32_t)(t->dmax - t->dmin + 1));
    uint64_t h2 = mix64(h);
    int sector = (int)below(h2, 10);
    char u1 = UNIT_LETTERS[below(mix64(h2), 20)];
    char u2 = UNIT_LETTERS[below(mix64(h2 + 1), 20)];
    char *pc = a->postcode;
    for (const char *q = t->area; *q; q++)
        *pc++ = *q;
    if (district >= 10)
        *pc++ = (char)('0' + district / 10);
    *pc++ = (char)('0' + district % 10);
    *pc++ = ' ';
    *pc++ = (char)('0' + sector);
    *pc++ = u1;
    *pc++ = u2;
    *pc = '\0';
}

static uint64_t make_phone(rng *r)
{
    /* 07 then one of the mobile ranges 071-075, 077-079, then 8 digits. */
    static const int second[] = {1, 2, 3, 4, 5, 7, 8, 9};
    uint64_t u = rng_u64(r);
    return 7000000000ULL + (uint64_t)second[below(u, 8)] * 100000000ULL +
           (uint64_t)below(mix64(u), 100000000);
}

/* Appends the ASCII, lower-case, letters-only form of a name (Seán -> sean). */
static size_t ascii_fold(char *out, size_t cap, const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && n + 1 < cap; p++) {
        unsigned char c = *p;
        if (c >= 'A' && c <= 'Z')
            out[n++] = (char)(c - 'A' + 'a');
        else if (c >= 'a' && c <= 'z')
            out[n++] = (char)c;
        else if (c == 0xC3 && p[1]) {
            unsigned char d = *++p | 0x20; /* fold capitals of U+00C0..U+00DE to small */
            char m = d >= 0xE0 && d <= 0xE5   ? 'a'
                     : d >= 0xE8 && d <= 0xEB ? 'e'
                     : d >= 0xEC && d <= 0xEF ? 'i'
                     : d >= 0xF2 && d <= 0xF6 ? 'o'
                     : d >= 0xF9 && d <= 0xFC ? 'u'
                     : d == 0xE7              ? 'c'
                     : d == 0xF1              ? 'n'
                                              : 0;
            if (m)
                out[n++] = m;
        }
    }
    out[n] = '\0';
    return n;
}

/* Appends s to out (capacity cap, kept NUL-terminated); returns the new length. */
static size_t cat(char *out, size_t n, size_t cap, const char *s)
{
    while (*s && n + 1 < cap)
        out[n++] = *s++;
    out[n] = '\0';
    return n;
}

static void make_email(const gen *g, rng *r, synth_person *p)
{
    char f[48], s[48], num[4], yy[4];
    ascii_fold(f, sizeof f, p->accent_first ? p->accent_first : first_entry(p->sex, p->first)->name);
    ascii_fold(s, sizeof s, p->accent_sur ? p->accent_sur : SURNAME[p->surname]);
    uint64_t u = rng_u64(r);
    const char *dom = EMAIL_DOMAIN[cumtab_pick(&g->tab.domain, mix64(u))].domain;
    int v = (int)below(mix64(u + 1), 100);
    num[0] = (char)('0' + v / 10);
    num[1] = (char)('0' + v % 10);
    num[2] = '\0';
    yy[0] = (char)('0' + p->year / 10 % 10);
    yy[1] = (char)('0' + p->year % 10);
    yy[2] = '\0';
    char fi[2] = {f[0], '\0'};
    const char *parts[6];
    switch (below(u, 6)) {
    case 0: parts[0] = f; parts[1] = "."; parts[2] = s; parts[3] = ""; break;
    case 1: parts[0] = f; parts[1] = ""; parts[2] = s; parts[3] = ""; break;
    case 2: parts[0] = fi; parts[1] = "."; parts[2] = s; parts[3] = num; break;
    case 3: parts[0] = s; parts[1] = "."; parts[2] = f; parts[3] = ""; break;
    case 4: parts[0] = f; parts[1] = "_"; parts[2] = s; parts[3] = yy; break;
    default: parts[0] = f; parts[1] = ""; parts[2] = s; parts[3] = num; break;
    }
    parts[4] = "@";
    parts[5] = dom;
    size_t n = 0;
    p->email[0] = '\0';
    for (int i = 0; i < 6; i++)
        n = cat(p->email, n, sizeof p->email, parts[i]);
}

/*
 * Family of person p (0-based): persons are grouped in blocks of 4 consecutive ids; with
 * probability family_rate the first 2..4 of a block (uniform size) form a family that shares
 * surname, home address and birth year, with distinct first names.
 */
static void make_family_part(const gen *g, uint64_t p, synth_person *out, bool *in_family)
{
    uint64_t block = p / 4, j = p % 4;
    rng r;
    rng_seed(&r, key4(g->cfg->seed, 'F', block, 0));
    bool fam = hit(rng_u64(&r), g->thr_family);
    uint64_t size = 2 + rng_below(&r, 3);
    uint64_t left = g->cfg->n_people - block * 4;
    if (size > left)
        size = left;
    *in_family = fam && size >= 2 && j < size;
    if (!*in_family)
        return;
    out->family_id = block + 1;
    out->surname = (int)cumtab_pick(&g->tab.surname, rng_u64(&r));
    out->year = pick_year(rng_u64(&r));
    make_address(g, &r, &out->home, -1);
    int names[4][2];
    for (uint64_t m = 0; m <= j; m++) {
        int sex = (int)rng_below(&r, 2), first = 0;
        for (int tries = 0; tries < 16; tries++) {
            first = pick_first(g, sex, rng_u64(&r));
            bool dup = false;
            for (uint64_t k = 0; k < m; k++)
                dup |= names[k][0] == sex && names[k][1] == first;
            if (!dup)
                break;
        }
        names[m][0] = sex;
        names[m][1] = first;
    }
    out->sex = names[j][0];
    out->first = names[j][1];
    if (!g->kinds || j > 1)
        return;
    /* The kind of family, from its own stream (the defaults never draw from it). */
    rng k;
    rng_seed(&k, key4(g->cfg->seed, 'K', block, 0));
    uint64_t u = rng_u64(&k) >> 11;
    int kind = 0;
    while (kind + 1 < CONFLATE_SYNTH_FAMILY_KINDS && u >= g->thr_kind[kind])
        kind++;
    uint64_t u1 = rng_u64(&k), u2 = rng_u64(&k);
    switch (kind) {
    case CONFLATE_SYNTH_FAMILY_TWINS: /* members 0 and 1: one date of birth */
        out->fam_month = 1 + (int)below(u1, 12);
        out->fam_day = 1 + (int)below(u2, (uint32_t)month_days(out->year, out->fam_month));
        break;
    case CONFLATE_SYNTH_FAMILY_JUNIOR: /* member 1: member 0's child, of the same first name */
        if (j == 0) {
            out->year = 1940 + (int)below(u1, 40);
        } else {
            out->sex = names[0][0];
            out->first = names[0][1];
            out->year = 1940 + (int)below(u1, 40) + 20 + (int)below(u2, 16);
        }
        break;
    case CONFLATE_SYNTH_FAMILY_SPOUSES: /* member 1: member 0's spouse */
        if (j == 1) {
            out->sex = 1 - names[0][0];
            out->first = pick_first(g, out->sex, u1);
            out->year += (int)below(u2, 13) - 6;
        }
        break;
    default:
        break;
    }
}

/* Shapes that change a person's names (each from its own stream, so the defaults never draw
 * from them): the namesake pool, double-barrelled surnames and names with accents. Family
 * members keep the family's surname (a double-barrelled or accented one is the family's). */
static void person_shapes(const gen *g, uint64_t p, bool fam, synth_person *out)
{
    out->surname2 = -1;
    uint64_t who = fam ? p / 4 : p, tag = fam ? 1 : 0; /* the family's surname is shared */
    if (g->thr_namesake && !fam) {
        rng r;
        rng_seed(&r, key4(g->cfg->seed, 'N', p, 0));
        if (hit(rng_u64(&r), g->thr_namesake)) {
            out->first = (int)rng_below(&r, 4);
            out->surname = NAMESAKE_SURNAME[rng_below(&r, (uint32_t)NELEM(NAMESAKE_SURNAME))];
            out->year = 1975 + (int)rng_below(&r, 20);
            if (out->middle == out->first)
                out->middle = -1;
        }
    }
    if (g->thr_dbarrel) {
        rng r;
        rng_seed(&r, key4(g->cfg->seed, 'D', who, tag));
        if (hit(rng_u64(&r), g->thr_dbarrel)) {
            int s2 = (int)cumtab_pick(&g->tab.surname, rng_u64(&r));
            out->surname2 = s2 == out->surname ? (s2 + 1) % (int)N_SURNAME : s2;
        }
    }
    if (g->thr_accent) {
        rng r;
        rng_seed(&r, key4(g->cfg->seed, 'L', p, 0));
        if (hit(rng_u64(&r), g->thr_accent))
            out->accent_first = out->sex ? ACCENT_FEMALE[rng_below(&r, NELEM(ACCENT_FEMALE))]
                                         : ACCENT_MALE[rng_below(&r, NELEM(ACCENT_MALE))];
        rng_seed(&r, key4(g->cfg->seed, 'L', who, 2 + tag));
        if (hit(rng_u64(&r), g->thr_accent) && out->surname2 < 0)
            out->accent_sur = ACCENT_SURNAME[rng_below(&r, NELEM(ACCENT_SURNAME))];
    }
}

static void make_person(const gen *g, uint64_t p, synth_person *out)
{
    bool fam;
    memset(out, 0, sizeof *out);
    out->id = p + 1;
    make_family_part(g, p, out, &fam);
    rng r;
    rng_seed(&r, key4(g->cfg->seed, 'P', p, 0));
    /* Fixed draw order whether or not the family part already set a value. */
    uint64_t u_sex = rng_u64(&r), u_first = rng_u64(&r), u_sur = rng_u64(&r);
    uint64_t u_year = rng_u64(&r);
    if (!fam) {
        out->sex = (int)below(u_sex, 2);
        out->first = pick_first(g, out->sex, u_first);
        out->surname = (int)cumtab_pick(&g->tab.surname, u_sur);
        out->year = pick_year(u_year);
    }
    uint64_t u_mid = rng_u64(&r);
    out->middle = -1;
    if (below(u_mid, 100) < 60) {
        int m = pick_first(g, out->sex, mix64(u_mid));
        if (m == out->first)
            m = (m + 1) % (int)(out->sex ? N_FEMALE : N_MALE);
        out->middle = m;
    }
    out->month = 1 + (int)rng_below(&r, 12);
    out->day = 1 + (int)rng_below(&r, (uint32_t)month_days(out->year, out->month));
    if (out->fam_month) { /* a twin */
        out->month = out->fam_month;
        out->day = out->fam_day;
    }
    person_shapes(g, p, fam, out);
    if (out->day > month_days(out->year, out->month)) /* 29 February of a namesake's year */
        out->day = 28;
    address home;
    make_address(g, &r, &home, -1);
    if (!fam)
        out->home = home;
    out->phone[0] = make_phone(&r);
    make_email(g, &r, out);
}

/* The person's other address (60% in the same town, 40% anywhere): made only for the records
 * that show it, from its own stream. */
static void make_other_address(const gen *g, const synth_person *p, address *out)
{
    rng r;
    rng_seed(&r, key4(g->cfg->seed, 'A', p->id, 0));
    bool same_town = rng_below(&r, 100) < 60;
    make_address(g, &r, out, same_town ? p->home.town : -1);
}

/* The person's other phone number k (1 or 2), from its own stream. */
static uint64_t make_other_phone(const gen *g, const synth_person *p, int k)
{
    rng r;
    rng_seed(&r, key4(g->cfg->seed, 'T', p->id, (uint64_t)k));
    return make_phone(&r);
}

/* ---- records ---------------------------------------------------------------------- */

#define FIELD_CAP 128

typedef struct recbuf {
    char f[CONFLATE_SYNTH_NFIELDS][FIELD_CAP];
    char id[16];
} recbuf;

/* Small string builder on a fixed buffer (values are far below FIELD_CAP). */
typedef struct sb {
    char *p;
    size_t n;
} sb;

static void sb_puts(sb *b, const char *s)
{
    size_t l = strlen(s);
    if (b->n + l >= FIELD_CAP - 2)
        l = FIELD_CAP - 2 - b->n;
    memcpy(b->p + b->n, s, l);
    b->n += l;
    b->p[b->n] = '\0';
}

static void sb_putc(sb *b, char c)
{
    if (b->n + 1 < FIELD_CAP - 2) {
        b->p[b->n++] = c;
        b->p[b->n] = '\0';
    }
}

/* Appends v in decimal with at least `width` digits. */
static void sb_uint(sb *b, uint64_t v, int width)
{
    char t[24];
    int n = 0;
    do {
        t[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < width)
        t[n++] = '0';
    while (n)
        sb_putc(b, t[--n]);
}

static sb sb_on(char *p)
{
    p[0] = '\0';
    return (sb){p, 0};
}

static void ascii_upper(char *s)
{
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z')
            *s = (char)(*s - 'a' + 'A');
}

/* Upper case for our tables: ASCII plus the Latin-1 small letters (U+00E0..U+00FE). */
static void name_upper(char *s)
{
    unsigned char *p = (unsigned char *)s;
    for (; *p; p++) {
        if (*p >= 'a' && *p <= 'z')
            *p = (unsigned char)(*p - 'a' + 'A');
        else if (*p == 0xC3 && p[1] >= 0xA0 && p[1] <= 0xBE && p[1] != 0xB7) {
            p[1] = (unsigned char)(p[1] - 0x20);
            p++;
        }
    }
}

static void name_lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

/* Drops the accents of the Latin-1 letters of our tables, keeping case (José -> Jose). */
static void strip_accents(char *s)
{
    static const char BASE[64] = "AAAAAAACEEEEIIIIDNOOOOO*OUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty";
    char *o = s;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF) {
            *o++ = BASE[p[1] - 0x80];
            p++;
        } else {
            *o++ = (char)*p;
        }
    }
    *o = '\0';
}

/* Picks nickname number k (mod count) of a "|"-separated list into out. */
static void pick_nick(char *out, const char *nicks, uint64_t u)
{
    int count = 1;
    for (const char *q = nicks; *q; q++)
        count += *q == '|';
    int k = (int)below(u, (uint32_t)count);
    const char *s = nicks;
    while (k--)
        s = strchr(s, '|') + 1;
    const char *e = strchr(s, '|');
    size_t l = e ? (size_t)(e - s) : strlen(s);
    memcpy(out, s, l);
    out[l] = '\0';
}

static void format_address(char *out, const address *a, bool abbr)
{
    sb b = sb_on(out);
    if (a->flat) {
        sb_puts(&b, "Flat ");
        sb_uint(&b, (uint64_t)a->flat, 1);
        sb_puts(&b, ", ");
    }
    sb_uint(&b, (uint64_t)a->number, 1);
    sb_putc(&b, ' ');
    sb_puts(&b, STREET[a->street]);
    sb_putc(&b, ' ');
    sb_puts(&b, abbr ? STYPE[a->stype].abbr : STYPE[a->stype].full);
}

/* Formats of each source: see docs/conflate-synthetic.md, "Source formats". */
static void format_dob(char *out, int source, int y, int m, int d, uint64_t u)
{
    sb b = sb_on(out);
    if (source == 0) { /* 1985-03-12 */
        sb_uint(&b, (uint64_t)y, 4);
        sb_putc(&b, '-');
        sb_uint(&b, (uint64_t)m, 2);
        sb_putc(&b, '-');
        sb_uint(&b, (uint64_t)d, 2);
    } else if (source == 1) { /* 12/03/1985 */
        sb_uint(&b, (uint64_t)d, 2);
        sb_putc(&b, '/');
        sb_uint(&b, (uint64_t)m, 2);
        sb_putc(&b, '/');
        sb_uint(&b, (uint64_t)y, 4);
    } else if (below(u, 2) == 0) { /* 12 Mar 1985 */
        sb_uint(&b, (uint64_t)d, 2);
        sb_putc(&b, ' ');
        sb_puts(&b, MONTH_ABBR[m - 1]);
        sb_putc(&b, ' ');
        sb_uint(&b, (uint64_t)y, 4);
    } else { /* 12031985 */
        sb_uint(&b, (uint64_t)d, 2);
        sb_uint(&b, (uint64_t)m, 2);
        sb_uint(&b, (uint64_t)y, 4);
    }
}

static void format_phone(char *out, int source, uint64_t ph, uint64_t u)
{
    sb b = sb_on(out);
    uint64_t head = ph / 1000000, tail = ph % 1000000; /* 7xxx, xxxxxx */
    if (source == 0) { /* 07700 900123 */
        sb_putc(&b, '0');
        sb_uint(&b, head, 4);
        sb_putc(&b, ' ');
        sb_uint(&b, tail, 6);
    } else if (source == 1) { /* +44 7700 900123 */
        sb_puts(&b, "+44 ");
        sb_uint(&b, head, 4);
        sb_putc(&b, ' ');
        sb_uint(&b, tail, 6);
    } else if (below(u, 10) < 7) { /* 07700900123 */
        sb_putc(&b, '0');
        sb_uint(&b, ph, 10);
    } else { /* +447700900123 */
        sb_puts(&b, "+44");
        sb_uint(&b, ph, 10);
    }
}

/* QWERTY neighbours, for substitutions and insertions. */
static const char *const KEY_NEAR[26] = {
    "qwsz", "vghn", "xdfv", "serfcx", "wrsd", "drtgvc", "ftyhbv", "gyujnb", "uojk", "huikmn",
    "jiolm", "kop", "njk", "bhjm", "ipkl", "ol", "wa", "etdf", "awedxz", "ryfg", "yihj", "cfgb",
    "qeas", "zsdc", "tugh", "asx",
};
static const char *const DIGIT_NEAR[10] = {"9", "2", "13", "24", "35", "46", "57", "68", "79", "80"};

static bool is_alnum_ascii(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char near_key(char c, uint64_t u)
{
    const char *set;
    bool upper = c >= 'A' && c <= 'Z';
    if (c >= '0' && c <= '9')
        set = DIGIT_NEAR[c - '0'];
    else
        set = KEY_NEAR[(upper ? c - 'A' : c - 'a')];
    char k = set[below(u, (uint32_t)strlen(set))];
    return upper && k >= 'a' ? (char)(k - 'a' + 'A') : k;
}

/*
 * Applies one keyboard typo to s, touching only ASCII letters and digits so that UTF-8 stays
 * valid: substitute with a neighbour key (40%), delete (25%), insert a neighbour key after
 * (20%), transpose with the next character when it differs (15%; else substitute).
 * Returns false (s unchanged) when s has no ASCII letter or digit.
 */
static bool apply_typo(char *s, uint64_t u)
{
    size_t len = strlen(s);
    uint16_t pos[FIELD_CAP];
    size_t np = 0;
    for (size_t i = 0; i < len; i++)
        if (is_alnum_ascii((unsigned char)s[i]))
            pos[np++] = (uint16_t)i;
    if (np == 0)
        return false;
    size_t i = pos[below(mix64(u), (uint32_t)np)];
    uint32_t op = (uint32_t)(u & 0xff) * 100 / 256;
    uint64_t k = mix64(u ^ GOLDEN);
    if (op >= 85 && i + 1 < len && is_alnum_ascii((unsigned char)s[i + 1]) && s[i] != s[i + 1]) {
        char t = s[i];
        s[i] = s[i + 1];
        s[i + 1] = t;
    } else if (op >= 65 && op < 85 && len + 1 < FIELD_CAP) {
        memmove(s + i + 2, s + i + 1, len - i); /* includes the NUL */
        s[i + 1] = near_key(s[i], k);
    } else if (op >= 40 && op < 65 && len > 1) {
        memmove(s + i, s + i + 1, len - i);
    } else {
        s[i] = near_key(s[i], k);
    }
    return true;
}

static const char *const SOURCE_FILE[CONFLATE_SYNTH_NSOURCES] = {"source_a.csv", "source_b.csv",
                                                                 "source_c.csv"};

/* Builds record `copy` (0, or 1 for a duplicate) of person p in source s. */
static void make_record(const gen *g, const synth_person *p, int s, int copy, recbuf *rb,
                        conflate_synth_record *rec)
{
    rng r;
    rng_seed(&r, key4(g->cfg->seed, 'R', p->id, (uint64_t)(s * 2 + copy)));
    uint64_t u_nick = rng_u64(&r), u_moved = rng_u64(&r), u_phone = rng_u64(&r);
    uint64_t u_dob = rng_u64(&r), u_swap = rng_u64(&r), u_fmt = rng_u64(&r);
    memset(rec, 0, sizeof *rec);
    rec->source = s;
    rec->input = SOURCE_FILE[s];
    rec->record_id = rb->id;
    rec->person_id = p->id;
    rec->family_id = p->family_id;
    if (copy)
        rec->flags |= CONFLATE_SYNTH_C_DUPLICATE;

    /* Names. */
    const name_entry *fe = first_entry(p->sex, p->first);
    rec->nickname_eligible = fe->nicks != NULL && !p->accent_first;
    if (p->accent_first) {
        strcpy(rb->f[CONFLATE_SYNTH_FIRST_NAME], p->accent_first);
    } else if (fe->nicks && hit(u_nick, g->thr_nick)) {
        pick_nick(rb->f[CONFLATE_SYNTH_FIRST_NAME], fe->nicks, mix64(u_nick));
        rec->flags |= CONFLATE_SYNTH_C_NICKNAME;
    } else {
        strcpy(rb->f[CONFLATE_SYNTH_FIRST_NAME], fe->name);
    }
    if (p->middle >= 0)
        strcpy(rb->f[CONFLATE_SYNTH_MIDDLE_NAME], first_entry(p->sex, p->middle)->name);
    else
        rb->f[CONFLATE_SYNTH_MIDDLE_NAME][0] = '\0';
    strcpy(rb->f[CONFLATE_SYNTH_SURNAME], p->accent_sur ? p->accent_sur : SURNAME[p->surname]);
    if (p->surname2 >= 0) { /* double-barrelled: written whole, with a space, or one part */
        rng v;
        rng_seed(&v, key4(g->cfg->seed, 'V', p->id, (uint64_t)(s * 2 + copy)));
        uint32_t x = rng_below(&v, 100);
        sb b = sb_on(rb->f[CONFLATE_SYNTH_SURNAME]);
        if (x < 85)
            sb_puts(&b, SURNAME[p->surname]);
        if (x < 70)
            sb_putc(&b, x < 50 ? '-' : ' ');
        if (x < 70 || x >= 85)
            sb_puts(&b, SURNAME[p->surname2]);
    }
    if (s == 2 && (p->accent_first || p->accent_sur)) { /* the local system has no accents */
        strip_accents(rb->f[CONFLATE_SYNTH_FIRST_NAME]);
        strip_accents(rb->f[CONFLATE_SYNTH_SURNAME]);
    }
    if (s == 1) {
        name_upper(rb->f[CONFLATE_SYNTH_SURNAME]);
    } else if (s == 2 && below(u_fmt, 10) == 0) {
        name_lower(rb->f[CONFLATE_SYNTH_FIRST_NAME]);
        name_lower(rb->f[CONFLATE_SYNTH_MIDDLE_NAME]);
        name_lower(rb->f[CONFLATE_SYNTH_SURNAME]);
    }

    /* Date of birth. */
    int d = p->day, m = p->month;
    rec->dob_swap_eligible = d <= 12 && d != m;
    if (rec->dob_swap_eligible && hit(u_dob, g->thr_dobswap)) {
        d = p->month;
        m = p->day;
        rec->flags |= CONFLATE_SYNTH_C_DOB_SWAP;
    }
    format_dob(rb->f[CONFLATE_SYNTH_DOB], s, p->year, m, d, mix64(u_fmt));
    static const char *const SEX[3][2] = {{"M", "F"}, {"Male", "Female"}, {"M", "F"}};
    strcpy(rb->f[CONFLATE_SYNTH_SEX], SEX[s][p->sex]);

    /* Address, postcode, town. */
    const address *a = &p->home;
    address other;
    if (hit(u_moved, g->thr_moved)) {
        make_other_address(g, p, &other);
        a = &other;
        rec->flags |= CONFLATE_SYNTH_C_MOVED;
    }
    bool abbr = s == 1 || (s == 2 && below(mix64(u_fmt + 1), 2) == 0);
    format_address(rb->f[CONFLATE_SYNTH_ADDRESS], a, abbr);
    char *pc = rb->f[CONFLATE_SYNTH_POSTCODE];
    strcpy(pc, a->postcode);
    if (s == 2 && below(mix64(u_fmt + 2), 2) == 0) { /* "LS14AP" */
        char *sp = strchr(pc, ' ');
        memmove(sp, sp + 1, strlen(sp));
    }
    strcpy(rb->f[CONFLATE_SYNTH_TOWN], TOWN[a->town].town);
    if (s == 1)
        ascii_upper(rb->f[CONFLATE_SYNTH_TOWN]);

    /* Phone: a new phone is one of the person's two other numbers. */
    uint64_t ph = p->phone[0];
    if (hit(u_phone, g->thr_phone)) {
        ph = make_other_phone(g, p, 1 + (int)below(mix64(u_phone), 2));
        rec->flags |= CONFLATE_SYNTH_C_NEW_PHONE;
    }
    if (g->thr_mover) { /* a fresh address and phone of this record alone */
        rng v;
        rng_seed(&v, key4(g->cfg->seed, 'W', p->id, (uint64_t)(s * 2 + copy)));
        if (hit(rng_u64(&v), g->thr_mover)) {
            bool same_town = rng_below(&v, 100) < 60;
            make_address(g, &v, &other, same_town ? p->home.town : -1);
            format_address(rb->f[CONFLATE_SYNTH_ADDRESS], &other, abbr);
            strcpy(pc, other.postcode);
            if (s == 2 && below(mix64(u_fmt + 2), 2) == 0) {
                char *sp = strchr(pc, ' ');
                memmove(sp, sp + 1, strlen(sp));
            }
            strcpy(rb->f[CONFLATE_SYNTH_TOWN], TOWN[other.town].town);
            if (s == 1)
                ascii_upper(rb->f[CONFLATE_SYNTH_TOWN]);
            ph = make_phone(&v);
            rec->flags |= CONFLATE_SYNTH_C_MOVER;
        }
    }
    format_phone(rb->f[CONFLATE_SYNTH_PHONE], s, ph, mix64(u_fmt + 3));
    strcpy(rb->f[CONFLATE_SYNTH_EMAIL], p->email);

    /* Per field, one draw: its low 26 bits decide blanking, the next 26 a typo (rates are
     * thus exact to 2^-26); the typo's own parameters come from mixing the draw. */
    for (int f = 0; f < CONFLATE_SYNTH_NFIELDS; f++) {
        uint64_t u = rng_u64(&r);
        char *v = rb->f[f];
        if (v[0] == '\0')
            continue;
        rec->eligible_mask |= 1u << f;
        if ((u & 0x3ffffff) < g->thr_missing[f]) {
            v[0] = '\0';
            rec->missing_mask |= 1u << f;
        } else if (((u >> 26) & 0x3ffffff) < g->thr_typo[f] && apply_typo(v, mix64(u))) {
            rec->typo_mask |= 1u << f;
        }
    }

    /* A source that mostly lacks a field: blanked from a stream of its own. */
    for (int f = 0; f < CONFLATE_SYNTH_NFIELDS; f++)
        if (g->thr_src_missing[s][f] && rb->f[f][0]) {
            rng v;
            rng_seed(&v, key4(g->cfg->seed, 'B', p->id, (uint64_t)((s * 2 + copy) * 64 + f)));
            if (hit(rng_u64(&v), g->thr_src_missing[s][f])) {
                rb->f[f][0] = '\0';
                rec->missing_mask |= 1u << f;
                rec->typo_mask &= ~(1u << f);
            }
        }

    /* Placeholders, as police extracts hold them for unknowns: in 1-4 of the date of birth,
     * phone, postcode and name (over what corruption left, blank or not). */
    if (g->thr_placeholder) {
        rng v;
        rng_seed(&v, key4(g->cfg->seed, 'Q', p->id, (uint64_t)(s * 2 + copy)));
        if (hit(rng_u64(&v), g->thr_placeholder)) {
            unsigned which = (unsigned)rng_below(&v, 15) + 1; /* a non-empty subset of 4 */
            uint64_t u = rng_u64(&v);
            if (which & 1)
                format_dob(rb->f[CONFLATE_SYNTH_DOB], s, 1900 + (int)(u & 1), 1, 1, 0);
            if (which & 2)
                strcpy(rb->f[CONFLATE_SYNTH_PHONE], (u >> 1) & 1 ? "07000000000" : "00000000000");
            if (which & 4)
                strcpy(rb->f[CONFLATE_SYNTH_POSTCODE], (u >> 2) & 1 ? "NFA" : "ZZ99 3VZ");
            if (which & 8) {
                uint32_t k = below(mix64(u), 3);
                strcpy(rb->f[CONFLATE_SYNTH_FIRST_NAME], k == 0 ? "UNKNOWN" : k == 1 ? "NK" : "PERSON");
                if (k == 2)
                    strcpy(rb->f[CONFLATE_SYNTH_SURNAME], "UNKNOWN");
            }
            rec->flags |= CONFLATE_SYNTH_C_PLACEHOLDER;
        }
    }

    /* Swapped first name and surname (after everything else: the columns are exchanged). */
    if (hit(u_swap, g->thr_swap)) {
        char t[FIELD_CAP];
        memcpy(t, rb->f[CONFLATE_SYNTH_FIRST_NAME], FIELD_CAP);
        memcpy(rb->f[CONFLATE_SYNTH_FIRST_NAME], rb->f[CONFLATE_SYNTH_SURNAME], FIELD_CAP);
        memcpy(rb->f[CONFLATE_SYNTH_SURNAME], t, FIELD_CAP);
        rec->flags |= CONFLATE_SYNTH_C_SWAP_NAMES;
    }
    for (int f = 0; f < CONFLATE_SYNTH_NFIELDS; f++) {
        if (g->cfg->omit_fields[s] & (1u << f)) { /* the source has no such column */
            rb->f[f][0] = '\0';
            rec->eligible_mask &= ~(1u << f);
            rec->missing_mask &= ~(1u << f);
            rec->typo_mask &= ~(1u << f);
        }
        rec->field[f] = rb->f[f];
    }
}

/* ---- configuration ---------------------------------------------------------------- */

static const char *const FIELD_NAME[CONFLATE_SYNTH_NFIELDS] = {
    "first_name", "middle_name", "surname", "dob", "sex",
    "address", "postcode", "town", "phone", "email",
};

const char *conflate_synth_field_name(conflate_synth_field f)
{
    return (unsigned)f < CONFLATE_SYNTH_NFIELDS ? FIELD_NAME[f] : NULL;
}

const char *conflate_synth_source_file(int source)
{
    return source >= 0 && source < CONFLATE_SYNTH_NSOURCES ? SOURCE_FILE[source] : NULL;
}

conflate_synth_config conflate_synth_config_default(void)
{
    /* Order: first, middle, surname, dob, sex, address, postcode, town, phone, email. */
    static const double missing[CONFLATE_SYNTH_NFIELDS] = {0.05, 0.15, 0.05, 0.05, 0.05,
                                                           0.10, 0.10, 0.10, 0.15, 0.15};
    static const double typo[CONFLATE_SYNTH_NFIELDS] = {0.15, 0.10, 0.15, 0.10, 0.00,
                                                        0.20, 0.10, 0.10, 0.10, 0.10};
    conflate_synth_config c;
    memset(&c, 0, sizeof c);
    c.n_people = 1000;
    c.seed = 1;
    memcpy(c.missing_rate, missing, sizeof missing);
    memcpy(c.typo_rate, typo, sizeof typo);
    c.nickname_rate = 0.15;
    c.swap_names_rate = 0.03;
    c.moved_rate = 0.20;
    c.new_phone_rate = 0.30;
    c.dob_swap_rate = 0.03;
    c.family_rate = 0.20;
    c.duplicate_rate = 0.05;
    c.sources_p[0] = 0.30;
    c.sources_p[1] = 0.40;
    c.sources_p[2] = 0.30;
    return c;
}

/* ---- shapes (issue 15) ------------------------------------------------------------ */

static const char *const SHAPES[] = {"default",   "movers",    "fieldsets", "missing10",
                                     "missing25", "missing40", "sparsedob", "families",
                                     "namesakes", "names",     "placeholders", "small"};

const char *const *conflate_synth_shape_names(size_t *n)
{
    *n = NELEM(SHAPES);
    return SHAPES;
}

#define BIT(f) (1u << CONFLATE_SYNTH_##f)

iom_err conflate_synth_shape(const char *name, uint64_t n_people, uint64_t seed,
                             conflate_synth_config *out, iom_error *err)
{
    conflate_synth_config c = conflate_synth_config_default();
    c.n_people = n_people;
    c.seed = seed;
    if (!name || !strcmp(name, "default")) {
    } else if (!strcmp(name, "movers")) {
        /* 35% of the pairs of a person's records differ in address, postcode and phone:
         * 1 - (1 - r)^2 = 0.35. The default moves and new phones are replaced by these. */
        c.moved_rate = 0;
        c.new_phone_rate = 0;
        c.mover_rate = 1.0 - 0.8062257748298549; /* 1 - sqrt(0.65) */
    } else if (!strcmp(name, "fieldsets")) {
        c.omit_fields[0] = BIT(ADDRESS) | BIT(POSTCODE) | BIT(TOWN);
        c.omit_fields[1] = BIT(PHONE);
        c.omit_fields[2] = BIT(MIDDLE_NAME) | BIT(SEX) | BIT(ADDRESS) | BIT(POSTCODE) | BIT(TOWN) |
                           BIT(PHONE) | BIT(EMAIL);
    } else if (!strncmp(name, "missing", 7) && (!strcmp(name + 7, "10") ||
                                                !strcmp(name + 7, "25") || !strcmp(name + 7, "40"))) {
        double r = atoi(name + 7) / 100.0;
        for (int f = 0; f < CONFLATE_SYNTH_NFIELDS; f++)
            c.missing_rate[f] = r;
    } else if (!strcmp(name, "sparsedob")) {
        /* source B without a date of birth in 70% of its records (A and C keep theirs),
         * among the namesakes of the namesakes shape: only a date tells those apart */
        c.source_missing_rate[1][CONFLATE_SYNTH_DOB] = 0.70;
        c.namesake_rate = 0.4;
    } else if (!strcmp(name, "families")) {
        c.family_rate = 0.5;
        for (int k = 0; k < CONFLATE_SYNTH_FAMILY_KINDS; k++)
            c.family_kind_p[k] = 0.25;
    } else if (!strcmp(name, "namesakes")) {
        c.namesake_rate = 0.4;
    } else if (!strcmp(name, "names")) {
        c.swap_names_rate = 0.10;
        c.nickname_rate = 0.40;
        c.double_barrel_rate = 0.15;
        c.accent_rate = 0.10;
    } else if (!strcmp(name, "placeholders")) {
        c.placeholder_rate = 0.05;
    } else if (!strcmp(name, "small")) {
        /* two sources, 20-200 records: n_people within 10..100 */
        c.n_people = n_people < 10 ? 10 : n_people > 100 ? 100 : n_people;
        c.nsources = 2;
        c.sources_p[0] = 0.2;
        c.sources_p[1] = 0.8;
        c.sources_p[2] = 0;
        c.nickname_rate = 0.5;
        c.family_rate = 0.5;
        for (int k = 0; k < CONFLATE_SYNTH_FAMILY_KINDS; k++)
            c.family_kind_p[k] = 0.25;
        c.namesake_rate = 0.2;
    } else {
        return iom_fail(err, IOM_EINVAL, "synthetic shape '%s': unknown (default, movers, "
                        "fieldsets, missing10, missing25, missing40, sparsedob, families, namesakes, names, "
                        "placeholders, small)", name);
    }
    *out = c;
    return IOM_OK;
}

static iom_err check_rate(const char *name, double v, iom_error *err)
{
    if (!(v >= 0.0 && v <= 1.0))
        return iom_fail(err, IOM_EINVAL, "synthetic config: %s = %g is not a rate in [0, 1]",
                        name, v);
    return IOM_OK;
}

#define SYNTH_MAX_PEOPLE 300000000ULL

iom_err conflate_synth_config_check(const conflate_synth_config *cfg, iom_error *err)
{
    if (!cfg)
        return iom_fail(err, IOM_EINVAL, "synthetic config: NULL");
    if (cfg->n_people == 0 || cfg->n_people > SYNTH_MAX_PEOPLE)
        return iom_fail(err, IOM_EINVAL,
                        "synthetic config: n_people = %llu is outside 1..%llu",
                        (unsigned long long)cfg->n_people, (unsigned long long)SYNTH_MAX_PEOPLE);
    char name[64];
    iom_err rc;
    for (int f = 0; f < CONFLATE_SYNTH_NFIELDS; f++) {
        snprintf(name, sizeof name, "missing_rate[%s]", FIELD_NAME[f]);
        if ((rc = check_rate(name, cfg->missing_rate[f], err)) != IOM_OK)
            return rc;
        snprintf(name, sizeof name, "typo_rate[%s]", FIELD_NAME[f]);
        if ((rc = check_rate(name, cfg->typo_rate[f], err)) != IOM_OK)
            return rc;
    }
    const struct {
        const char *name;
        double v;
    } rates[] = {
        {"nickname_rate", cfg->nickname_rate},   {"swap_names_rate", cfg->swap_names_rate},
        {"moved_rate", cfg->moved_rate},         {"new_phone_rate", cfg->new_phone_rate},
        {"dob_swap_rate", cfg->dob_swap_rate},   {"family_rate", cfg->family_rate},
        {"duplicate_rate", cfg->duplicate_rate}, {"sources_p[0]", cfg->sources_p[0]},
        {"sources_p[1]", cfg->sources_p[1]},     {"sources_p[2]", cfg->sources_p[2]},
    };
    for (size_t i = 0; i < NELEM(rates); i++)
        if ((rc = check_rate(rates[i].name, rates[i].v, err)) != IOM_OK)
            return rc;
    double sum = cfg->sources_p[0] + cfg->sources_p[1] + cfg->sources_p[2];
    if (sum < 0.999999 || sum > 1.000001)
        return iom_fail(err, IOM_EINVAL, "synthetic config: sources_p sums to %g, not 1", sum);
    const struct {
        const char *name;
        double v;
    } shapes[] = {
        {"mover_rate", cfg->mover_rate},         {"namesake_rate", cfg->namesake_rate},
        {"double_barrel_rate", cfg->double_barrel_rate}, {"accent_rate", cfg->accent_rate},
        {"placeholder_rate", cfg->placeholder_rate},
        {"family_kind_p[0]", cfg->family_kind_p[0]}, {"family_kind_p[1]", cfg->family_kind_p[1]},
        {"family_kind_p[2]", cfg->family_kind_p[2]}, {"family_kind_p[3]", cfg->family_kind_p[3]},
    };
    for (size_t i = 0; i < NELEM(shapes); i++)
        if ((rc = check_rate(shapes[i].name, shapes[i].v, err)) != IOM_OK)
            return rc;
    for (int src = 0; src < CONFLATE_SYNTH_NSOURCES; src++)
        for (int f = 0; f < CONFLATE_SYNTH_NFIELDS; f++) {
            char what[64];
            snprintf(what, sizeof what, "source_missing_rate[%d][%s]", src, FIELD_NAME[f]);
            if ((rc = check_rate(what, cfg->source_missing_rate[src][f], err)) != IOM_OK)
                return rc;
        }
    double ks = 0;
    for (int k = 0; k < CONFLATE_SYNTH_FAMILY_KINDS; k++)
        ks += cfg->family_kind_p[k];
    if (ks != 0 && (ks < 0.999999 || ks > 1.000001))
        return iom_fail(err, IOM_EINVAL, "synthetic config: family_kind_p sums to %g, not 0 or 1", ks);
    if (cfg->nsources != 0 && cfg->nsources != 2 && cfg->nsources != 3)
        return iom_fail(err, IOM_EINVAL, "synthetic config: nsources = %u is not 2 or 3",
                        cfg->nsources);
    if (cfg->nsources == 2 && cfg->sources_p[2] != 0)
        return iom_fail(err, IOM_EINVAL, "synthetic config: two sources, but sources_p[2] = %g",
                        cfg->sources_p[2]);
    for (int src = 0; src < CONFLATE_SYNTH_NSOURCES; src++)
        if (cfg->omit_fields[src] >= 1u << CONFLATE_SYNTH_NFIELDS)
            return iom_fail(err, IOM_EINVAL, "synthetic config: omit_fields[%d] = %#x names no "
                            "field", src, cfg->omit_fields[src]);
    return IOM_OK;
}

static void gen_init(gen *g, const conflate_synth_config *cfg)
{
    memset(g, 0, sizeof *g);
    g->cfg = cfg;
    tables_init(&g->tab);
    for (int f = 0; f < CONFLATE_SYNTH_NFIELDS; f++) {
        g->thr_missing[f] = prob53(cfg->missing_rate[f]) >> 27; /* 26-bit thresholds */
        g->thr_typo[f] = prob53(cfg->typo_rate[f]) >> 27;
    }
    g->thr_nick = prob53(cfg->nickname_rate);
    g->thr_swap = prob53(cfg->swap_names_rate);
    g->thr_moved = prob53(cfg->moved_rate);
    g->thr_phone = prob53(cfg->new_phone_rate);
    g->thr_dobswap = prob53(cfg->dob_swap_rate);
    g->thr_family = prob53(cfg->family_rate);
    g->thr_dup = prob53(cfg->duplicate_rate);
    g->thr_src1 = prob53(cfg->sources_p[0]);
    g->thr_src2 = prob53(cfg->sources_p[0] + cfg->sources_p[1]);
    g->thr_mover = prob53(cfg->mover_rate);
    g->thr_namesake = prob53(cfg->namesake_rate);
    g->thr_dbarrel = prob53(cfg->double_barrel_rate);
    g->thr_accent = prob53(cfg->accent_rate);
    g->thr_placeholder = prob53(cfg->placeholder_rate);
    for (int src = 0; src < CONFLATE_SYNTH_NSOURCES; src++)
        for (int f = 0; f < CONFLATE_SYNTH_NFIELDS; f++)
            g->thr_src_missing[src][f] = prob53(cfg->source_missing_rate[src][f]);
    double acc = 0;
    for (int k = 0; k < CONFLATE_SYNTH_FAMILY_KINDS; k++) {
        acc += cfg->family_kind_p[k];
        g->thr_kind[k] = prob53(acc);
        g->kinds |= cfg->family_kind_p[k] > 0 && k > 0;
    }
    g->ns = cfg->nsources == 2 ? 2 : 3;
}

/* ---- membership and order --------------------------------------------------------- */

/*
 * Which sources hold person p (bit s of *in) and where a duplicate exists (bit s of *dup).
 * The number of sources follows sources_p; the subset of that size is uniform.
 */
static unsigned membership(const gen *g, uint64_t p)
{
    uint64_t z = key4(g->cfg->seed, 'M', p, 0);
    uint64_t u_k = mix64(z + GOLDEN), u_sub = mix64(z + 2 * GOLDEN);
    unsigned k = hit(u_k, g->thr_src1) ? 1 : hit(u_k, g->thr_src2) ? 2 : 3;
    uint32_t pick = below(u_sub, g->ns);
    unsigned all = (1u << g->ns) - 1;
    if (k > g->ns)
        k = g->ns;
    unsigned in = k == 1 ? 1u << pick : k == g->ns ? all : all & ~(1u << pick);
    unsigned dup = 0;
    for (unsigned s = 0; s < 3; s++)
        if (hit(mix64(z + (3 + s) * GOLDEN), g->thr_dup))
            dup |= 1u << s;
    return in | (dup & in) << 3; /* bits 0-2: in source s; bits 3-5: duplicate in s */
}

/* A keyed permutation of [0, m): a balanced 4-round Feistel network on 2h bits, with cycle
 * walking back into range. */
typedef struct perm {
    uint64_t m, mask;
    int half;
    uint64_t key[4];
} perm;

static void perm_init(perm *pm, uint64_t m, uint64_t key)
{
    int bits = 2;
    while (bits < 64 && (1ULL << bits) < m)
        bits += 2;
    pm->m = m;
    pm->half = bits / 2;
    pm->mask = (1ULL << pm->half) - 1;
    for (int i = 0; i < 4; i++)
        pm->key[i] = mix64(key + (uint64_t)(i + 1) * GOLDEN);
}

static uint64_t perm_apply(const perm *pm, uint64_t x)
{
    do {
        uint64_t l = x >> pm->half, r = x & pm->mask;
        for (int i = 0; i < 4; i++) {
            /* Round function: the top bits of a multiply, keyed; cheap and well mixed. */
            uint64_t t = l ^ ((((r ^ pm->key[i]) * 0xd6e8feb86659fd93ULL) >> 32 ^ pm->key[i]) &
                              pm->mask);
            l = r;
            r = t;
        }
        x = (l << pm->half) | r;
    } while (x >= pm->m);
    return x;
}

/* ---- generation ------------------------------------------------------------------- */

iom_err conflate_synth_generate(const conflate_synth_config *cfg, conflate_synth_record_fn fn,
                                void *ud, iom_error *err)
{
    iom_err rc = conflate_synth_config_check(cfg, err);
    if (rc != IOM_OK)
        return rc;
    if (!fn)
        return iom_fail(err, IOM_EINVAL, "synthetic generate: no record callback");
    gen *g = malloc(sizeof *g);
    recbuf *rb = malloc(sizeof *rb);
    synth_person *pp = malloc(sizeof *pp);
    if (!g || !rb || !pp) {
        free(g);
        free(rb);
        free(pp);
        return iom_fail(err, IOM_ENOMEM, "synthetic generate: out of memory");
    }
    gen_init(g, cfg);
    /* One byte per person: which sources hold a record (and a duplicate) of it. */
    uint8_t *mem = malloc(cfg->n_people);
    if (!mem) {
        free(g);
        free(rb);
        free(pp);
        return iom_fail(err, IOM_ENOMEM, "synthetic generate: out of memory for %llu people",
                        (unsigned long long)cfg->n_people);
    }
    for (uint64_t p = 0; p < cfg->n_people; p++)
        mem[p] = (uint8_t)membership(g, p);
    conflate_synth_record rec;
    uint64_t slots = cfg->n_people * 2; /* (person, copy) */
    for (int s = 0; s < (int)g->ns && rc == IOM_OK; s++) {
        perm pm;
        perm_init(&pm, slots, key4(cfg->seed, 'O', (uint64_t)s, 0));
        uint64_t row = 0;
        for (uint64_t k = 0; k < slots; k++) {
            uint64_t slot = perm_apply(&pm, k);
            uint64_t p = slot >> 1;
            int copy = (int)(slot & 1);
            if (!(mem[p] & (1u << (s + 3 * copy))))
                continue;
            make_person(g, p, pp);
            rb->id[0] = (char)('A' + s);
            uint64_t v = row + 1;
            for (int i = 9; i >= 1; i--, v /= 10)
                rb->id[i] = (char)('0' + v % 10);
            rb->id[10] = '\0';
            make_record(g, pp, s, copy, rb, &rec);
            rec.row = row++;
            if ((rc = fn(ud, &rec, err)) != IOM_OK)
                break;
        }
    }
    free(mem);
    free(g);
    free(rb);
    free(pp);
    return rc;
}

void conflate_synth_stats_add(conflate_synth_stats *st, const conflate_synth_record *rec)
{
    st->records++;
    if (rec->source >= 0 && rec->source < CONFLATE_SYNTH_NSOURCES)
        st->records_by_source[rec->source]++;
    for (int f = 0; f < CONFLATE_SYNTH_NFIELDS; f++) {
        st->field_eligible[f] += (rec->eligible_mask >> f) & 1;
        st->field_missing[f] += (rec->missing_mask >> f) & 1;
        st->field_typo[f] += (rec->typo_mask >> f) & 1;
    }
    st->nickname_eligible += rec->nickname_eligible != 0;
    st->nickname += (rec->flags & CONFLATE_SYNTH_C_NICKNAME) != 0;
    st->dob_swap_eligible += rec->dob_swap_eligible != 0;
    st->dob_swap += (rec->flags & CONFLATE_SYNTH_C_DOB_SWAP) != 0;
    st->swap_names += (rec->flags & CONFLATE_SYNTH_C_SWAP_NAMES) != 0;
    st->moved += (rec->flags & CONFLATE_SYNTH_C_MOVED) != 0;
    st->new_phone += (rec->flags & CONFLATE_SYNTH_C_NEW_PHONE) != 0;
    st->duplicates += (rec->flags & CONFLATE_SYNTH_C_DUPLICATE) != 0;
    st->movers += (rec->flags & CONFLATE_SYNTH_C_MOVER) != 0;
    st->placeholders += (rec->flags & CONFLATE_SYNTH_C_PLACEHOLDER) != 0;
}

/* ---- files ------------------------------------------------------------------------ */

#define OUT_BUF (1u << 20)

typedef struct outfile {
    FILE *fp;
    char *path;
    char *buf;
    size_t n;
    bool failed;
    int saved_errno;
} outfile;

static void out_flush(outfile *o)
{
    if (o->n && !o->failed && fwrite(o->buf, 1, o->n, o->fp) != o->n) {
        o->failed = true;
        o->saved_errno = errno;
    }
    o->n = 0;
}

static void out_put(outfile *o, const char *s, size_t l)
{
    if (o->n + l > OUT_BUF)
        out_flush(o);
    memcpy(o->buf + o->n, s, l);
    o->n += l;
}

static void out_c(outfile *o, char c)
{
    if (o->n + 1 > OUT_BUF)
        out_flush(o);
    o->buf[o->n++] = c;
}

/* One RFC 4180 field: quoted only when it holds a comma, quote, CR or LF. */
static void out_field(outfile *o, const char *s)
{
    size_t l = strcspn(s, ",\"\r\n");
    if (s[l] == '\0') {
        out_put(o, s, l);
        return;
    }
    out_c(o, '"');
    for (; *s; s++) {
        if (*s == '"')
            out_c(o, '"');
        out_c(o, *s);
    }
    out_c(o, '"');
}

static void out_uint(outfile *o, uint64_t v)
{
    char t[24];
    int n = 0;
    do {
        t[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        out_c(o, t[--n]);
}

typedef struct writer {
    outfile src[CONFLATE_SYNTH_NSOURCES];
    outfile truth;
    conflate_synth_stats *st;
    const unsigned *omit; /* per source: columns not written */
} writer;

static iom_err out_open(outfile *o, const char *dir, const char *name, iom_error *err)
{
    memset(o, 0, sizeof *o);
    size_t l = strlen(dir) + strlen(name) + 2;
    o->path = malloc(l);
    o->buf = malloc(OUT_BUF);
    if (!o->path || !o->buf)
        return iom_fail(err, IOM_ENOMEM, "synthetic write: out of memory");
    snprintf(o->path, l, "%s/%s", dir, name);
    o->fp = fopen(o->path, "wb");
    if (!o->fp)
        return iom_fail(err, IOM_EIO, "synthetic write: cannot create %s: %s", o->path,
                        strerror(errno));
    return IOM_OK;
}

/* Flushes and closes; reports the first failure if rc is still IOM_OK. */
static iom_err out_close(outfile *o, iom_err rc, iom_error *err)
{
    if (o->fp) {
        out_flush(o);
        if (fclose(o->fp) != 0 && !o->failed) {
            o->failed = true;
            o->saved_errno = errno;
        }
        if (o->failed && rc == IOM_OK)
            rc = iom_fail(err, IOM_EIO, "synthetic write: writing %s: %s", o->path,
                          strerror(o->saved_errno));
    }
    free(o->path);
    free(o->buf);
    memset(o, 0, sizeof *o);
    return rc;
}

static iom_err write_record(void *ud, const conflate_synth_record *rec, iom_error *err)
{
    writer *w = ud;
    outfile *o = &w->src[rec->source];
    out_put(o, rec->record_id, strlen(rec->record_id));
    for (int f = 0; f < CONFLATE_SYNTH_NFIELDS; f++) {
        if (w->omit[rec->source] & (1u << f))
            continue;
        out_c(o, ',');
        out_field(o, rec->field[f]);
    }
    out_c(o, '\n');
    outfile *t = &w->truth;
    out_put(t, rec->input, strlen(rec->input));
    out_c(t, ',');
    out_put(t, rec->record_id, strlen(rec->record_id));
    out_c(t, ',');
    out_uint(t, rec->person_id);
    out_c(t, ',');
    out_uint(t, rec->family_id);
    out_c(t, '\n');
    if (w->st)
        conflate_synth_stats_add(w->st, rec);
    if (o->failed || t->failed)
        return iom_fail(err, IOM_EIO, "synthetic write: writing %s: %s",
                        o->failed ? o->path : t->path,
                        strerror(o->failed ? o->saved_errno : t->saved_errno));
    return IOM_OK;
}

static uint64_t count_family_people(const gen *g)
{
    uint64_t n = 0;
    for (uint64_t p = 0; p < g->cfg->n_people; p += 4) {
        synth_person tmp;
        bool fam;
        memset(&tmp, 0, sizeof tmp);
        make_family_part(g, p, &tmp, &fam); /* member 0 is in the family iff the block is */
        if (fam) {
            uint64_t left = g->cfg->n_people - p;
            for (uint64_t j = 1; j < 4 && j < left; j++) {
                bool f2;
                make_family_part(g, p + j, &tmp, &f2);
                n += f2;
            }
            n++;
        }
    }
    return n;
}

iom_err conflate_synth_write(const conflate_synth_config *cfg, const char *outdir,
                             conflate_synth_stats *out_stats, iom_error *err)
{
    iom_err rc = conflate_synth_config_check(cfg, err);
    if (rc != IOM_OK)
        return rc;
    if (!outdir)
        return iom_fail(err, IOM_EINVAL, "synthetic write: no output directory");
    writer w;
    memset(&w, 0, sizeof w);
    if (out_stats) {
        memset(out_stats, 0, sizeof *out_stats);
        w.st = out_stats;
    }
    static const char THEADER[] = "input,record_id,person_id,family_id\n";
    w.omit = cfg->omit_fields;
    int ns = cfg->nsources == 2 ? 2 : 3;
    for (int s = 0; s < ns && rc == IOM_OK; s++)
        if ((rc = out_open(&w.src[s], outdir, SOURCE_FILE[s], err)) == IOM_OK) {
            out_put(&w.src[s], "record_id", 9);
            for (int f = 0; f < CONFLATE_SYNTH_NFIELDS; f++)
                if (!(cfg->omit_fields[s] & (1u << f))) {
                    out_c(&w.src[s], ',');
                    out_put(&w.src[s], FIELD_NAME[f], strlen(FIELD_NAME[f]));
                }
            out_c(&w.src[s], '\n');
        }
    if (rc == IOM_OK && (rc = out_open(&w.truth, outdir, "truth.csv", err)) == IOM_OK)
        out_put(&w.truth, THEADER, sizeof THEADER - 1);
    if (rc == IOM_OK)
        rc = conflate_synth_generate(cfg, write_record, &w, err);
    for (int s = 0; s < CONFLATE_SYNTH_NSOURCES; s++)
        rc = out_close(&w.src[s], rc, err);
    rc = out_close(&w.truth, rc, err);
    if (rc == IOM_OK && out_stats) {
        gen *g = malloc(sizeof *g);
        if (!g)
            return iom_fail(err, IOM_ENOMEM, "synthetic write: out of memory");
        gen_init(g, cfg);
        out_stats->people = cfg->n_people;
        out_stats->family_people = count_family_people(g);
        free(g);
    }
    return rc;
}

/* ---- pairwise accuracy ------------------------------------------------------------ */

typedef struct pc {
    uint64_t person, cluster;
} pc;

/* Stable LSD radix sort of v[0..n) by the given key, 8 bits a pass, skipping passes in
 * which every key has the same byte. tmp has room for n. */
static void radix_sort(pc *v, pc *tmp, size_t n, bool by_cluster)
{
    for (int shift = 0; shift < 64; shift += 8) {
        size_t count[256] = {0};
        for (size_t i = 0; i < n; i++)
            count[((by_cluster ? v[i].cluster : v[i].person) >> shift) & 0xff]++;
        bool trivial = false;
        for (int b = 0; b < 256; b++)
            trivial |= count[b] == n;
        if (trivial)
            continue;
        size_t pos = 0;
        for (int b = 0; b < 256; b++) {
            size_t c = count[b];
            count[b] = pos;
            pos += c;
        }
        for (size_t i = 0; i < n; i++)
            tmp[count[((by_cluster ? v[i].cluster : v[i].person) >> shift) & 0xff]++] = v[i];
        memcpy(v, tmp, n * sizeof *v);
    }
}

static uint64_t pairs_of(uint64_t k) { return k * (k - 1) / 2; }

static void finish_score(conflate_synth_score *o)
{
    o->precision = o->predicted_pairs ? (double)o->correct_pairs / (double)o->predicted_pairs : 1.0;
    o->recall = o->true_pairs ? (double)o->correct_pairs / (double)o->true_pairs : 1.0;
    double s = o->precision + o->recall;
    o->f1 = s > 0.0 ? 2.0 * o->precision * o->recall / s : 0.0;
}

iom_err conflate_synth_pairwise(const uint64_t *person, const uint64_t *cluster, size_t n,
                                conflate_synth_score *out, iom_error *err)
{
    if (!out)
        return iom_fail(err, IOM_EINVAL, "pairwise score: no output");
    memset(out, 0, sizeof *out);
    if (n > 0 && (!person || !cluster))
        return iom_fail(err, IOM_EINVAL, "pairwise score: NULL array for %zu records", n);
    out->records = n;
    if (n == 0) {
        finish_score(out);
        return IOM_OK;
    }
    pc *v = malloc(n * sizeof *v), *tmp = malloc(n * sizeof *tmp);
    if (!v || !tmp) {
        free(v);
        free(tmp);
        return iom_fail(err, IOM_ENOMEM, "pairwise score: out of memory for %zu records", n);
    }
    for (size_t i = 0; i < n; i++)
        v[i] = (pc){person[i], cluster[i]};
    /* By person: true pairs. Then stably by cluster: groups of (cluster, person). */
    radix_sort(v, tmp, n, false);
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && v[j].person == v[i].person; j++)
            ;
        out->true_pairs += pairs_of(j - i);
    }
    radix_sort(v, tmp, n, true);
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && v[j].cluster == v[i].cluster; j++)
            ;
        out->predicted_pairs += pairs_of(j - i);
        for (size_t a = i, b; a < j; a = b) {
            for (b = a + 1; b < j && v[b].person == v[a].person; b++)
                ;
            out->correct_pairs += pairs_of(b - a);
        }
    }
    free(v);
    free(tmp);
    finish_score(out);
    return IOM_OK;
}

/* ---- truth ------------------------------------------------------------------------ */

struct conflate_synth_truth {
    uint64_t *person[CONFLATE_SYNTH_NSOURCES]; /* by row; 0 = no such row */
    uint64_t *family[CONFLATE_SYNTH_NSOURCES];
    size_t rows[CONFLATE_SYNTH_NSOURCES], cap[CONFLATE_SYNTH_NSOURCES];
    size_t count;
};

/* "A000000001" -> source 0, row 0. False when not of that shape. */
static bool parse_record_id(const char *s, size_t len, int *source, size_t *row)
{
    if (len != 10 || s[0] < 'A' || s[0] >= 'A' + CONFLATE_SYNTH_NSOURCES)
        return false;
    uint64_t v = 0;
    for (size_t i = 1; i < 10; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v == 0)
        return false;
    *source = s[0] - 'A';
    *row = (size_t)(v - 1);
    return true;
}

static bool parse_u64(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    if (len == 0 || len > 19)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return true;
}

void conflate_synth_truth_free(conflate_synth_truth *t)
{
    if (!t)
        return;
    for (int s = 0; s < CONFLATE_SYNTH_NSOURCES; s++) {
        free(t->person[s]);
        free(t->family[s]);
    }
    free(t);
}

size_t conflate_synth_truth_count(const conflate_synth_truth *t) { return t ? t->count : 0; }

uint64_t conflate_synth_truth_person(const conflate_synth_truth *t, const char *record_id)
{
    int s;
    size_t row;
    if (!t || !record_id || !parse_record_id(record_id, strlen(record_id), &s, &row))
        return 0;
    return row < t->rows[s] ? t->person[s][row] : 0;
}

static bool truth_put(conflate_synth_truth *t, int s, size_t row, uint64_t person, uint64_t fam)
{
    if (row >= t->cap[s]) {
        size_t nc = t->cap[s] ? t->cap[s] : 1024;
        while (nc <= row)
            nc *= 2;
        uint64_t *np = realloc(t->person[s], nc * sizeof *np);
        if (!np)
            return false;
        t->person[s] = np;
        uint64_t *nf = realloc(t->family[s], nc * sizeof *nf);
        if (!nf)
            return false;
        t->family[s] = nf;
        memset(np + t->cap[s], 0, (nc - t->cap[s]) * sizeof *np);
        memset(nf + t->cap[s], 0, (nc - t->cap[s]) * sizeof *nf);
        t->cap[s] = nc;
    }
    t->person[s][row] = person;
    t->family[s][row] = fam;
    if (row + 1 > t->rows[s])
        t->rows[s] = row + 1;
    return true;
}

/* Reads a whole file into malloc'd memory (NUL-terminated). */
static iom_err slurp(const char *path, char **out, size_t *len, iom_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return iom_fail(err, IOM_EIO, "cannot open %s: %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    while (b) {
        if (n + 1 >= cap) {
            char *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
        size_t got = fread(b + n, 1, cap - n - 1, fp);
        n += got;
        if (got == 0)
            break;
    }
    bool bad = ferror(fp);
    int e = errno;
    fclose(fp);
    if (!b)
        return iom_fail(err, IOM_ENOMEM, "out of memory reading %s", path);
    if (bad) {
        free(b);
        return iom_fail(err, IOM_EIO, "cannot read %s: %s", path, strerror(e));
    }
    b[n] = '\0';
    *out = b;
    *len = n;
    return IOM_OK;
}

iom_err conflate_synth_truth_load(conflate_synth_truth **out, const char *truth_csv,
                                  iom_error *err)
{
    if (!out || !truth_csv)
        return iom_fail(err, IOM_EINVAL, "truth: no output or path");
    *out = NULL;
    char *data = NULL;
    size_t len = 0;
    iom_err rc = slurp(truth_csv, &data, &len, err);
    if (rc != IOM_OK)
        return rc;
    conflate_synth_truth *t = calloc(1, sizeof *t);
    if (!t) {
        free(data);
        return iom_fail(err, IOM_ENOMEM, "truth: out of memory");
    }
    static const char THEADER[] = "input,record_id,person_id,family_id";
    char *line = data, *end = data + len;
    size_t lineno = 1;
    char *nl = memchr(line, '\n', (size_t)(end - line));
    size_t hl = nl ? (size_t)(nl - line) : (size_t)(end - line);
    if (hl > 0 && line[hl - 1] == '\r')
        hl--;
    if (hl != sizeof THEADER - 1 || memcmp(line, THEADER, hl) != 0)
        rc = iom_fail(err, IOM_EINVAL, "%s:1: header is not `%s`", truth_csv, THEADER);
    line = nl ? nl + 1 : end;
    while (rc == IOM_OK && line < end) {
        lineno++;
        nl = memchr(line, '\n', (size_t)(end - line));
        char *le = nl ? nl : end;
        if (le > line && le[-1] == '\r')
            le--;
        if (le == line) { /* blank line: allowed only at the end */
            line = nl ? nl + 1 : end;
            continue;
        }
        /* input,record_id,person_id,family_id: our own file, never quoted. */
        char *c[4];
        size_t cl[4];
        int nc = 0;
        for (char *q = line; nc < 4;) {
            char *comma = memchr(q, ',', (size_t)(le - q));
            c[nc] = q;
            cl[nc++] = (size_t)((comma ? comma : le) - q);
            if (!comma)
                break;
            q = comma + 1;
        }
        int s;
        size_t row;
        uint64_t person, fam;
        if (nc != 4 || c[3] + cl[3] != le || !parse_record_id(c[1], cl[1], &s, &row) ||
            !parse_u64(c[2], cl[2], &person) || person == 0 || !parse_u64(c[3], cl[3], &fam)) {
            rc = iom_fail(err, IOM_EINVAL, "%s:%zu: malformed truth row", truth_csv, lineno);
        } else if (row < t->rows[s] && t->person[s][row] != 0) {
            rc = iom_fail(err, IOM_EINVAL, "%s:%zu: duplicate record_id %.10s", truth_csv,
                          lineno, c[1]);
        } else if (!truth_put(t, s, row, person, fam)) {
            rc = iom_fail(err, IOM_ENOMEM, "truth: out of memory");
        } else {
            t->count++;
        }
        line = nl ? nl + 1 : end;
    }
    free(data);
    for (int s = 0; rc == IOM_OK && s < CONFLATE_SYNTH_NSOURCES; s++)
        for (size_t r = 0; r < t->rows[s]; r++)
            if (t->person[s][r] == 0) {
                rc = iom_fail(err, IOM_EINVAL, "%s: record %c%09zu is missing (rows of %s are "
                              "not contiguous)", truth_csv, 'A' + s, r + 1, SOURCE_FILE[s]);
                break;
            }
    if (rc != IOM_OK) {
        conflate_synth_truth_free(t);
        return rc;
    }
    *out = t;
    return IOM_OK;
}

/* ---- scoring an engine's CLUSTERS.csv ------------------------------------------------- */

/* Interns cluster id strings as 1, 2, 3, ... (open addressing, FNV-1a + mix). */
typedef struct strmap {
    uint64_t *hash;  /* 0 = empty slot */
    uint64_t *id;
    size_t *off;     /* offset of the string in pool */
    uint32_t *len;
    size_t cap, used;
    char *pool;
    size_t pool_len, pool_cap;
} strmap;

static uint64_t str_hash(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    h = mix64(h);
    return h ? h : 1;
}

static void strmap_free(strmap *m)
{
    free(m->hash);
    free(m->id);
    free(m->off);
    free(m->len);
    free(m->pool);
    memset(m, 0, sizeof *m);
}

static bool strmap_grow(strmap *m)
{
    size_t nc = m->cap ? m->cap * 2 : 1024;
    strmap n = *m;
    n.cap = nc;
    n.hash = calloc(nc, sizeof *n.hash);
    n.id = malloc(nc * sizeof *n.id);
    n.off = malloc(nc * sizeof *n.off);
    n.len = malloc(nc * sizeof *n.len);
    if (!n.hash || !n.id || !n.off || !n.len) {
        free(n.hash);
        free(n.id);
        free(n.off);
        free(n.len);
        return false;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->hash[i])
            continue;
        size_t j = m->hash[i] & (nc - 1);
        while (n.hash[j])
            j = (j + 1) & (nc - 1);
        n.hash[j] = m->hash[i];
        n.id[j] = m->id[i];
        n.off[j] = m->off[i];
        n.len[j] = m->len[i];
    }
    free(m->hash);
    free(m->id);
    free(m->off);
    free(m->len);
    *m = n;
    return true;
}

/* Id of s (new ids from 1 upward); 0 on out of memory. */
static uint64_t strmap_intern(strmap *m, const char *s, size_t n)
{
    if ((m->used + 1) * 2 > m->cap && !strmap_grow(m))
        return 0;
    uint64_t h = str_hash(s, n);
    size_t j = h & (m->cap - 1);
    for (; m->hash[j]; j = (j + 1) & (m->cap - 1))
        if (m->hash[j] == h && m->len[j] == n && memcmp(m->pool + m->off[j], s, n) == 0)
            return m->id[j];
    if (m->pool_len + n > m->pool_cap) {
        size_t nc = m->pool_cap ? m->pool_cap : 1 << 16;
        while (m->pool_len + n > nc)
            nc *= 2;
        char *np = realloc(m->pool, nc);
        if (!np)
            return 0;
        m->pool = np;
        m->pool_cap = nc;
    }
    if (n)
        memcpy(m->pool + m->pool_len, s, n);
    m->hash[j] = h;
    m->off[j] = m->pool_len;
    m->len[j] = (uint32_t)n;
    m->id[j] = ++m->used;
    m->pool_len += n;
    return m->id[j];
}

typedef struct cscan {
    const conflate_synth_truth *t;
    const char *path;
    size_t offset[CONFLATE_SYNTH_NSOURCES]; /* dense index of row 0 of each source */
    uint64_t *cluster;                      /* by dense index; 0 = not seen */
    strmap clusters;
    size_t line, col;
    int col_record, col_cluster;
    char rid[16];
    size_t rid_len;
    bool rid_long;
    char *cid;
    size_t cid_len, cid_cap;
    bool have_rid, have_cid;
    iom_err rc;
    iom_error *err;
} cscan;

static void cs_field(void *data, size_t len, void *ud)
{
    cscan *c = ud;
    const char *s = data ? data : "";
    if (c->rc != IOM_OK)
        return;
    if (c->line == 1) {
        if (len == 9 && memcmp(s, "record_id", 9) == 0)
            c->col_record = (int)c->col;
        else if (len == 10 && memcmp(s, "cluster_id", 10) == 0)
            c->col_cluster = (int)c->col;
    } else if ((int)c->col == c->col_record) {
        c->rid_long = len >= sizeof c->rid;
        c->rid_len = c->rid_long ? sizeof c->rid - 1 : len;
        memcpy(c->rid, s, c->rid_len);
        c->rid[c->rid_len] = '\0';
        c->have_rid = true;
    } else if ((int)c->col == c->col_cluster) {
        if (len + 1 > c->cid_cap) {
            size_t nc = (len + 1) * 2;
            char *nb = realloc(c->cid, nc);
            if (!nb) {
                c->rc = iom_fail(c->err, IOM_ENOMEM, "clusters: out of memory");
                return;
            }
            c->cid = nb;
            c->cid_cap = nc;
        }
        memcpy(c->cid, s, len);
        c->cid_len = len;
        c->have_cid = true;
    }
    c->col++;
}

static void cs_row(int term, void *ud)
{
    (void)term;
    cscan *c = ud;
    if (c->rc != IOM_OK)
        return;
    if (c->line == 1) {
        if (c->col_record < 0 || c->col_cluster < 0)
            c->rc = iom_fail(c->err, IOM_EINVAL,
                             "%s:1: header lacks record_id or cluster_id", c->path);
    } else {
        int s;
        size_t row;
        if (!c->have_rid || !c->have_cid) {
            c->rc = iom_fail(c->err, IOM_EINVAL, "%s:%zu: row has %zu fields", c->path, c->line,
                             c->col);
        } else if (c->rid_long || !parse_record_id(c->rid, c->rid_len, &s, &row) ||
                   row >= c->t->rows[s]) {
            c->rc = iom_fail(c->err, IOM_EINVAL, "%s:%zu: record_id %s is not in the truth",
                             c->path, c->line, c->rid);
        } else {
            size_t i = c->offset[s] + row;
            if (c->cluster[i]) {
                c->rc = iom_fail(c->err, IOM_EINVAL, "%s:%zu: record_id %s appears twice",
                                 c->path, c->line, c->rid);
            } else if (!(c->cluster[i] = strmap_intern(&c->clusters, c->cid, c->cid_len))) {
                c->rc = iom_fail(c->err, IOM_ENOMEM, "clusters: out of memory");
            }
        }
    }
    c->line++;
    c->col = 0;
    c->have_rid = c->have_cid = false;
}

iom_err conflate_synth_score_clusters_csv(const conflate_synth_truth *t, const char *clusters_csv,
                                          conflate_synth_score *out, iom_error *err)
{
    if (!t || !clusters_csv || !out)
        return iom_fail(err, IOM_EINVAL, "clusters score: NULL argument");
    memset(out, 0, sizeof *out);
    cscan c;
    memset(&c, 0, sizeof c);
    c.t = t;
    c.path = clusters_csv;
    c.line = 1;
    c.col_record = c.col_cluster = -1;
    c.err = err;
    size_t n = 0;
    for (int s = 0; s < CONFLATE_SYNTH_NSOURCES; s++) {
        c.offset[s] = n;
        n += t->rows[s];
    }
    c.cluster = calloc(n ? n : 1, sizeof *c.cluster);
    uint64_t *person = malloc((n ? n : 1) * sizeof *person);
    FILE *fp = fopen(clusters_csv, "rb");
    char *buf = malloc(1 << 16);
    struct csv_parser p;
    bool parser = csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) == 0;
    if (!c.cluster || !person || !buf || !parser)
        c.rc = iom_fail(err, IOM_ENOMEM, "clusters score: out of memory");
    else if (!fp)
        c.rc = iom_fail(err, IOM_EIO, "cannot open %s: %s", clusters_csv, strerror(errno));
    while (c.rc == IOM_OK) {
        size_t got = fread(buf, 1, 1 << 16, fp);
        if (got == 0) {
            if (ferror(fp))
                c.rc = iom_fail(err, IOM_EIO, "cannot read %s", clusters_csv);
            else if (csv_fini(&p, cs_field, cs_row, &c) != 0 && c.rc == IOM_OK)
                c.rc = iom_fail(err, IOM_EINVAL, "%s:%zu: %s", clusters_csv, c.line,
                                csv_strerror(csv_error(&p)));
            break;
        }
        if (csv_parse(&p, buf, got, cs_field, cs_row, &c) != got && c.rc == IOM_OK)
            c.rc = iom_fail(err, IOM_EINVAL, "%s:%zu: %s", clusters_csv, c.line,
                            csv_strerror(csv_error(&p)));
    }
    if (c.rc == IOM_OK && c.line == 1)
        c.rc = iom_fail(err, IOM_EINVAL, "%s: empty file", clusters_csv);
    if (c.rc == IOM_OK) {
        size_t absent = 0, first = 0;
        for (int s = 0; s < CONFLATE_SYNTH_NSOURCES; s++)
            for (size_t r = 0; r < t->rows[s]; r++) {
                size_t i = c.offset[s] + r;
                person[i] = t->person[s][r];
                if (!c.cluster[i] && absent++ == 0)
                    first = i;
            }
        if (absent) {
            int s = 0;
            while (s + 1 < CONFLATE_SYNTH_NSOURCES && first >= c.offset[s + 1])
                s++;
            c.rc = iom_fail(err, IOM_EINVAL, "%s: %zu truth records are absent, first %c%09zu",
                            clusters_csv, absent, 'A' + s, first - c.offset[s] + 1);
        }
    }
    if (c.rc == IOM_OK)
        c.rc = conflate_synth_pairwise(person, c.cluster, n, out, err);
    if (parser)
        csv_free(&p);
    if (fp)
        fclose(fp);
    free(buf);
    free(person);
    free(c.cluster);
    free(c.cid);
    strmap_free(&c.clusters);
    return c.rc;
}
