/*
 * nicknames.c: the nickname table (data), nickname -> canonical first name.
 *
 * Kept as C source so the table is inside the binary: found the same way from a build tree
 * and from an installed `iom`, with no data path to configure. To add a name, insert a row
 * keeping the rows sorted by nickname in byte order (LC_ALL=C sort); the unit test
 * test_conflate_norm checks the order (by nickname, then canonical name). Canonical names
 * are the common formal forms; a nickname of several formal names (al: alan, albert, alfred;
 * mo: maurice, mohammed) has a row for each, and spelling variants map to one form
 * (katherine, kathryn: catherine; steven: stephen), so "kate" and "kathryn" meet. Two names
 * are related (the comparison level "close": a partial match, never exact) when they share a
 * canonical name, a name being its own. The rows are common British diminutives and variants
 * from general knowledge, across the cohorts police records hold.
 */
#include "conflate/norm.h"

#include <string.h>

static const struct {
    const char *nick, *canon;
} table[] = {
    {"abbie", "abigail"},
    {"abby", "abigail"},
    {"abe", "abraham"},
    {"abi", "abigail"},
    {"aga", "agnieszka"},
    {"al", "alan"},
    {"al", "albert"},
    {"al", "alfred"},
    {"alex", "alexander"},
    {"alf", "alfred"},
    {"alfie", "alfred"},
    {"ali", "alison"},
    {"ali", "alistair"},
    {"allie", "alice"},
    {"andy", "andrew"},
    {"angie", "angela"},
    {"ann", "anne"},
    {"anna", "anne"},
    {"annie", "anne"},
    {"ant", "anthony"},
    {"archie", "archibald"},
    {"art", "arthur"},
    {"babs", "barbara"},
    {"barb", "barbara"},
    {"barbie", "barbara"},
    {"bart", "bartholomew"},
    {"baz", "barry"},
    {"bea", "beatrice"},
    {"beattie", "beatrice"},
    {"becca", "rebecca"},
    {"becky", "rebecca"},
    {"bella", "isabella"},
    {"ben", "benjamin"},
    {"benji", "benjamin"},
    {"benny", "benjamin"},
    {"bernie", "bernard"},
    {"bert", "albert"},
    {"bert", "herbert"},
    {"bertie", "albert"},
    {"beth", "bethany"},
    {"beth", "elizabeth"},
    {"betsy", "elizabeth"},
    {"betty", "elizabeth"},
    {"bev", "beverley"},
    {"bill", "william"},
    {"billy", "william"},
    {"bob", "robert"},
    {"bobbie", "roberta"},
    {"bobby", "robert"},
    {"brad", "bradley"},
    {"bridie", "bridget"},
    {"cal", "callum"},
    {"carrie", "caroline"},
    {"cass", "cassandra"},
    {"cath", "catherine"},
    {"cathy", "catherine"},
    {"caz", "caroline"},
    {"charlie", "charles"},
    {"charlie", "charlotte"},
    {"chas", "charles"},
    {"chris", "christina"},
    {"chris", "christine"},
    {"chris", "christopher"},
    {"chrissie", "christine"},
    {"chrissy", "christine"},
    {"chuck", "charles"},
    {"cindy", "cynthia"},
    {"cliff", "clifford"},
    {"connie", "constance"},
    {"cris", "christopher"},
    {"dafydd", "david"},
    {"dai", "david"},
    {"dan", "daniel"},
    {"dani", "danielle"},
    {"danny", "daniel"},
    {"dave", "david"},
    {"davey", "david"},
    {"davy", "david"},
    {"deb", "deborah"},
    {"debbie", "deborah"},
    {"debs", "deborah"},
    {"del", "derek"},
    {"di", "diana"},
    {"di", "diane"},
    {"dick", "richard"},
    {"dickie", "richard"},
    {"dolly", "dorothy"},
    {"dom", "dominic"},
    {"dot", "dorothy"},
    {"dottie", "dorothy"},
    {"doug", "douglas"},
    {"dougie", "douglas"},
    {"drew", "andrew"},
    {"ed", "edward"},
    {"eddie", "edward"},
    {"eddie", "edwin"},
    {"eddy", "edward"},
    {"eliza", "elizabeth"},
    {"elle", "eleanor"},
    {"ellie", "eleanor"},
    {"ellie", "elizabeth"},
    {"elsie", "elizabeth"},
    {"em", "emily"},
    {"emmy", "emily"},
    {"ernie", "ernest"},
    {"eve", "evelyn"},
    {"fi", "fiona"},
    {"flo", "florence"},
    {"florrie", "florence"},
    {"fran", "frances"},
    {"frank", "francis"},
    {"frankie", "frances"},
    {"frankie", "francis"},
    {"fred", "frederick"},
    {"freda", "winifred"},
    {"freddie", "frederick"},
    {"freddy", "frederick"},
    {"gabby", "gabrielle"},
    {"gail", "abigail"},
    {"gaz", "gareth"},
    {"ged", "gerald"},
    {"gene", "eugene"},
    {"geoff", "geoffrey"},
    {"georgie", "george"},
    {"georgie", "georgia"},
    {"gerry", "gerald"},
    {"gerry", "geraldine"},
    {"gill", "gillian"},
    {"ginny", "virginia"},
    {"glad", "gladys"},
    {"greg", "gregory"},
    {"greta", "margaret"},
    {"gus", "angus"},
    {"hal", "henry"},
    {"hank", "henry"},
    {"harry", "harold"},
    {"harry", "henry"},
    {"hattie", "harriet"},
    {"isabella", "isabel"},
    {"isla", "isabel"},
    {"isobel", "isabel"},
    {"issy", "isabel"},
    {"izzy", "isabel"},
    {"jack", "john"},
    {"jackie", "jacqueline"},
    {"jacqui", "jacqueline"},
    {"jake", "jacob"},
    {"jamie", "james"},
    {"jan", "janet"},
    {"jas", "jasmine"},
    {"jaz", "jasmine"},
    {"jazz", "jasmine"},
    {"jeff", "geoffrey"},
    {"jeffrey", "geoffrey"},
    {"jen", "jennifer"},
    {"jenny", "jennifer"},
    {"jess", "jessica"},
    {"jessie", "jessica"},
    {"jez", "jeremy"},
    {"jill", "gillian"},
    {"jim", "james"},
    {"jimmy", "james"},
    {"jo", "joanna"},
    {"jo", "joanne"},
    {"jo", "josephine"},
    {"jod", "joseph"},
    {"joe", "joseph"},
    {"joey", "joseph"},
    {"johnny", "john"},
    {"jon", "jonathan"},
    {"jonny", "jonathan"},
    {"josh", "joshua"},
    {"josie", "josephine"},
    {"judy", "judith"},
    {"jules", "julia"},
    {"jules", "julian"},
    {"jules", "julie"},
    {"kasia", "katarzyna"},
    {"kate", "catherine"},
    {"kate", "katherine"},
    {"kath", "catherine"},
    {"kath", "kathleen"},
    {"katherine", "catherine"},
    {"kathleen", "catherine"},
    {"kathryn", "catherine"},
    {"kathy", "catherine"},
    {"kathy", "kathleen"},
    {"katie", "catherine"},
    {"katie", "katherine"},
    {"kay", "kathleen"},
    {"ken", "kenneth"},
    {"kenny", "kenneth"},
    {"kev", "kevin"},
    {"kim", "kimberley"},
    {"kit", "christopher"},
    {"kit", "katherine"},
    {"kitty", "catherine"},
    {"kitty", "katherine"},
    {"larry", "lawrence"},
    {"laurie", "lawrence"},
    {"len", "leonard"},
    {"lenny", "leonard"},
    {"leo", "leonard"},
    {"les", "leslie"},
    {"lew", "lewis"},
    {"liam", "william"},
    {"libby", "elizabeth"},
    {"lil", "lilian"},
    {"lillian", "lilian"},
    {"lily", "lilian"},
    {"lin", "linda"},
    {"liv", "olivia"},
    {"livvy", "olivia"},
    {"liz", "elizabeth"},
    {"lizzie", "elizabeth"},
    {"lottie", "charlotte"},
    {"lou", "louis"},
    {"lou", "louise"},
    {"lucy", "lucille"},
    {"maddie", "madeline"},
    {"madge", "margaret"},
    {"mae", "mary"},
    {"magda", "magdalena"},
    {"maggie", "margaret"},
    {"mags", "margaret"},
    {"maisie", "margaret"},
    {"mal", "malcolm"},
    {"mandy", "amanda"},
    {"marge", "margaret"},
    {"marge", "marjorie"},
    {"margie", "margaret"},
    {"margie", "marjorie"},
    {"marty", "martin"},
    {"matt", "matthew"},
    {"matty", "matthew"},
    {"max", "maximilian"},
    {"meg", "margaret"},
    {"meg", "megan"},
    {"mel", "melanie"},
    {"mel", "melissa"},
    {"mick", "michael"},
    {"micky", "michael"},
    {"mike", "michael"},
    {"mikey", "michael"},
    {"millie", "amelia"},
    {"millie", "mildred"},
    {"mo", "maureen"},
    {"mo", "maurice"},
    {"mo", "mohammed"},
    {"mohamed", "mohammed"},
    {"mohammad", "mohammed"},
    {"molly", "mary"},
    {"muhammad", "mohammed"},
    {"nan", "anne"},
    {"nancy", "anne"},
    {"nat", "natalie"},
    {"nat", "nathan"},
    {"nat", "nathaniel"},
    {"nate", "nathan"},
    {"ned", "edward"},
    {"nell", "eleanor"},
    {"nell", "ellen"},
    {"nell", "helen"},
    {"nellie", "eleanor"},
    {"nic", "nicola"},
    {"nick", "nicholas"},
    {"nicky", "nicholas"},
    {"nicky", "nicola"},
    {"nico", "nicholas"},
    {"nicola", "nicole"},
    {"nikki", "nicole"},
    {"nora", "eleanor"},
    {"norm", "norman"},
    {"ollie", "oliver"},
    {"olly", "oliver"},
    {"ozzie", "oswald"},
    {"paddy", "patrick"},
    {"pam", "pamela"},
    {"pat", "patricia"},
    {"pat", "patrick"},
    {"patsy", "patricia"},
    {"patty", "patricia"},
    {"peg", "margaret"},
    {"peggy", "margaret"},
    {"penny", "penelope"},
    {"pete", "peter"},
    {"phil", "philip"},
    {"phillip", "philip"},
    {"polly", "mary"},
    {"rab", "robert"},
    {"raj", "rajesh"},
    {"ray", "raymond"},
    {"reenie", "irene"},
    {"reg", "reginald"},
    {"reggie", "reginald"},
    {"renie", "irene"},
    {"rich", "richard"},
    {"richie", "richard"},
    {"rick", "richard"},
    {"ricky", "richard"},
    {"rob", "robert"},
    {"robbie", "robert"},
    {"rod", "rodney"},
    {"ron", "ronald"},
    {"ronnie", "ronald"},
    {"rosie", "rose"},
    {"russ", "russell"},
    {"sadie", "sarah"},
    {"sally", "sarah"},
    {"sam", "samantha"},
    {"sam", "samuel"},
    {"sammy", "samantha"},
    {"sammy", "samuel"},
    {"sandy", "alexander"},
    {"sandy", "alexandra"},
    {"sandy", "sandra"},
    {"shaz", "sharon"},
    {"shelley", "michelle"},
    {"si", "simon"},
    {"sid", "sidney"},
    {"sophia", "sophie"},
    {"stan", "stanley"},
    {"steve", "stephen"},
    {"steven", "stephen"},
    {"stevie", "stephen"},
    {"stevie", "steven"},
    {"stu", "stuart"},
    {"sue", "susan"},
    {"susie", "susan"},
    {"suzy", "susan"},
    {"syd", "sidney"},
    {"ted", "edward"},
    {"ted", "theodore"},
    {"teddy", "edward"},
    {"tel", "terence"},
    {"terri", "teresa"},
    {"terry", "terence"},
    {"tess", "teresa"},
    {"tess", "theresa"},
    {"tessa", "teresa"},
    {"tessa", "theresa"},
    {"theo", "theodore"},
    {"theresa", "teresa"},
    {"tim", "timothy"},
    {"timmy", "timothy"},
    {"tina", "christine"},
    {"tom", "thomas"},
    {"tomek", "tomasz"},
    {"tommy", "thomas"},
    {"tony", "anthony"},
    {"tori", "victoria"},
    {"trev", "trevor"},
    {"trish", "patricia"},
    {"val", "valerie"},
    {"vic", "victor"},
    {"vicky", "victoria"},
    {"vikki", "victoria"},
    {"vince", "vincent"},
    {"vinny", "vincent"},
    {"viv", "vivian"},
    {"wally", "walter"},
    {"walt", "walter"},
    {"will", "william"},
    {"willie", "william"},
    {"winnie", "winifred"},
    {"xander", "alexander"},
    {"zach", "zachary"},
    {"zack", "zachary"},
};

#define NTABLE (sizeof table / sizeof table[0])

static int cmp_tok(const char *k, const char *tok, size_t n)
{
    size_t kn = strlen(k);
    int c = memcmp(k, tok, kn < n ? kn : n);
    return c ? c : (kn > n) - (kn < n);
}

/* The first row of nickname tok, or NTABLE. */
static size_t first_row(const char *tok, size_t n)
{
    size_t lo = 0, hi = NTABLE;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cmp_tok(table[mid].nick, tok, n) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < NTABLE && cmp_tok(table[lo].nick, tok, n) == 0 ? lo : NTABLE;
}

const char *conflate_nickname_canon(const char *tok, size_t n)
{
    size_t r = first_row(tok, n);
    return r < NTABLE ? table[r].canon : NULL;
}

int conflate_nickname_multi(const char *tok, size_t n)
{
    size_t r = first_row(tok, n);
    return r + 1 < NTABLE && cmp_tok(table[r + 1].nick, tok, n) == 0;
}

/* Whether canonical name c (NUL-terminated) is among those of token (t, n): the token
 * itself or one of its rows. */
static int has_canon(const char *t, size_t n, const char *c)
{
    if (cmp_tok(c, t, n) == 0)
        return 1;
    for (size_t r = first_row(t, n); r < NTABLE && cmp_tok(table[r].nick, t, n) == 0; r++)
        if (!strcmp(table[r].canon, c))
            return 1;
    return 0;
}

int conflate_nickname_related(const char *a, size_t na, const char *b, size_t nb)
{
    size_t ta = 0, tb = 0;
    while (ta < na && a[ta] != ' ')
        ta++;
    while (tb < nb && b[tb] != ' ')
        tb++;
    if (ta == tb && !memcmp(a, b, ta))
        return 1;
    char bt[64];
    if (tb >= sizeof bt)
        return 0;
    memcpy(bt, b, tb);
    bt[tb] = 0;
    if (has_canon(a, ta, bt))
        return 1;
    for (size_t r = first_row(b, tb); r < NTABLE && cmp_tok(table[r].nick, b, tb) == 0; r++)
        if (has_canon(a, ta, table[r].canon))
            return 1;
    return 0;
}

size_t conflate_nickname_count(void) { return NTABLE; }

void conflate_nickname_entry(size_t i, const char **nick, const char **canon)
{
    *nick = i < NTABLE ? table[i].nick : NULL;
    *canon = i < NTABLE ? table[i].canon : NULL;
}
