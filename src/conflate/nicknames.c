/*
 * nicknames.c: the nickname table (data), nickname -> canonical first name.
 *
 * Kept as C source so the table is inside the binary: found the same way from a build tree
 * and from an installed `iom`, with no data path to configure. To add a name, insert a row
 * keeping the rows sorted by nickname in byte order (LC_ALL=C sort); the unit test
 * test_conflate_norm checks the order (by nickname, then canonical name). Canonical names
 * are the common formal forms; a nickname of several formal names (al: alan, albert, alfred;
 * mo: maurice, mohammed) has a row for each, and spelling variants map to one form
 * (katherine, kathryn: catherine; steven: stephen), so "kate" and "kathryn" meet. A canonical
 * name is never a nickname (the test checks it): the engine keys a name on its first row's
 * canonical name, and a chain (kay -> kathleen -> catherine) left Kay and Kathleen unrelated
 * there (review 121). Two names
 * are related (the comparison level "close": a partial match, never exact) when they share a
 * canonical name, a name being its own. The rows are common British diminutives and variants
 * from general knowledge, across the cohorts police records hold, with the Irish, Scottish
 * Gaelic and Welsh forms of given names and their English equivalents (Ciarán / Kieran,
 * Pádraig / Patrick, Eilidh / Helen, Huw / Hugh: accents are stripped before the look-up), and
 * the short forms and transliterations most met in UK records of Polish, Russian, Ukrainian,
 * Yoruba, Igbo and Arabic given names (Gosia / Malgorzata, Aleksandr / Oleksandr / Alexander,
 * Seun / Oluwaseun, Emeka / Chukwuemeka, Youssef / Yusuf: review 52), and more Polish and
 * Romanian diminutives (Grzesiek / Grzegorz, Przemek / Przemyslaw, Costel / Constantin,
 * Ionut / Ion: review 98). A short form of a
 * man's and a woman's name (Sasha, Zhenya), or one that is a given name of its own elsewhere
 * (Ira, Ola, Asia), is left out: a record of it would join a brother and a sister, or two
 * people, through itself (review 53).
 *
 * Review 121 (held-out shapes of review 119: one person's given name in two languages):
 * - East Slavic: about 60 common Ukrainian and Russian given names, each as the Ukrainian
 *   passport spelling (KMU-2010: Olena, Halyna, Oleksii, Mykola, Viktoriia), the Russian-style
 *   transliterations (Elena, Yelena, Galina, Aleksei, Nikolai), the English equivalent where
 *   there is one (Helen, Alexei, Nicholas, Victoria) and the unambiguous diminutives (Lena,
 *   Galya, Lyosha, Kolya, Vika, Luda). Groups that had a Russian canonical and an English one
 *   were merged under the English (elena, nikolai, yevgeny, ekaterina, mikhail, pyotr, natalia,
 *   irina -> helen, nicholas, eugene, catherine, michael, peter, natalie, irene). Max is short
 *   for Maksym too, under the Latin "maximus" (Maxim's own formal name), so that Max's first
 *   row stays "maximilian": a name is blocked on the Soundex of its first row's canonical
 *   name, and "maxim" put Max with Mason and Megan (bench F1 0.9906 -> 0.9905). Alex is short
 *   for Oleksii too. Left out: Sasha, Zhenya, Valya, Slava, Shura (both sexes); Ira, Lara,
 *   Mila, Sonya, Lesya, Anya, Liza, Vlad, Pasha and Hanna / Anna (names of their own); Ivan /
 *   John and Yuri / George (in use apart).
 * - Irish: the Irish-language form of a given name and its English equivalent (Cathal /
 *   Charles, Tadhg / Teague / Timothy, Tomás / Thomas, Mairéad / Margaret, Eibhlín / Eileen).
 *   Left out: Seán / John, Eoin / John and Siobhán / Joan (a father John may have a son Seán,
 *   of one surname and home; in bench_conflate's British records the row joined a John Jenkins
 *   born 1963 to a Sean Jenkins; Seán stays with Shaun and Shawn, Eoin with Owen), Niall /
 *   Neil (given apart in Britain: bench_conflate's records hold both), Shay (a name of
 *   its own, of either sex), Áine / Anne, Sorcha / Sarah, Gráinne / Grace, Róisín / Rose,
 *   Caitlín / Kathleen (native names given beside the English ones, not one name in two
 *   spellings).
 * - Arabic: the common transliterations of about 45 Arabic given names met in UK records
 *   (Abdullah / Abdallah, Aicha / Aisha, Tareq / Tariq, Walid / Oualid, Noor / Nour, Hossein /
 *   Hussein), Turkish forms where they are the same name (Mehmet, Zeynep). Names of one root
 *   that are different names stay apart: Hassan / Hussein, Salih / Salah / Salim, Jamal /
 *   Jamil, Amin / Amina, Said / Sayed, Nasser / Nasir; nor is Maryam joined to Mary, Yusuf to
 *   Joseph or Musa to Moses. Left out: Osman / Othman / Usman / Uthman: often a surname (a
 *   father's name), and a row moves a first name's Soundex to its canonical name's, where the
 *   surname's stays, so a record with the names swapped was no longer a candidate (review
 *   105's agedispute shape 0.8988 -> 0.8948).
 * Spanish and Portuguese pet forms (stop 60, review 124): Pepe / José, Paco, Pancho, Curro and
 * Chico / Francisco, Nacho / Ignacio, Manolo / Manuel, Quique / Enrique, Concha / Concepción,
 * Charo / Rosario, Nando / Fernando; not Lola (a given name of its own in UK records).
 * Hungarian diminutives (stop 60, review 126): Laci / László, Pisti / István, Feri / Ferenc,
 * Gyuri / György, Józsi / József, Zsuzsa / Zsuzsanna, Kati / Katalin, Marika / Mária
 * (Mary); not Gabi (Gábor and Gabriella) nor Tomi (a Yoruba name too).
 * Ali is no short form here (stop 59): it was Alison's and Alistair's, a woman's and a man's
 * name (the rule above), and in UK records it is mostly the Arabic name of its own, which
 * was "close" to Alison.
 */
#include "conflate/norm.h"

#include <string.h>

static const struct {
    const char *nick, *canon;
} table[] = {
    {"abbie", "abigail"},
    {"abby", "abigail"},
    {"abdalla", "abdullah"},
    {"abdallah", "abdullah"},
    {"abdollah", "abdullah"},
    {"abdulla", "abdullah"},
    {"abe", "abraham"},
    {"abi", "abigail"},
    {"adil", "adel"},
    {"adjoa", "adwoa"}, /* review 128 */
    {"aga", "agnieszka"},
    {"ahmad", "ahmed"},
    {"ahmet", "ahmed"},
    {"aicha", "aisha"},
    {"aishah", "aisha"},
    {"akuah", "akua"}, /* review 128 */
    {"al", "alan"},
    {"al", "albert"},
    {"al", "alfred"},
    {"alek", "alexander"},
    {"aleksander", "alexander"},
    {"aleksandr", "alexander"},
    {"aleksandra", "alexandra"},
    {"aleksei", "alexei"},
    {"aleksey", "alexei"},
    {"alex", "alexander"},
    {"alex", "alexei"},
    {"alexandr", "alexander"},
    {"alexey", "alexei"},
    {"alf", "alfred"},
    {"alfie", "alfred"},
    {"allie", "alice"},
    {"alyosha", "alexei"},
    {"ameena", "amina"},
    {"ameer", "amir"},
    {"aminah", "amina"},
    {"amma", "ama"}, /* review 128 */
    {"anastasiia", "anastasia"},
    {"anastasiya", "anastasia"},
    {"anatolii", "anatoly"},
    {"anatoliy", "anatoly"},
    {"andrei", "andrew"},
    {"andrey", "andrew"},
    {"andrii", "andrew"},
    {"andrij", "andrew"},
    {"andriy", "andrew"},
    {"andy", "andrew"},
    {"angie", "angela"},
    {"ania", "anne"},
    {"ann", "anne"},
    {"anna", "anne"},
    {"annie", "anne"},
    {"anouar", "anwar"},
    {"ant", "anthony"},
    {"antoin", "anthony"},
    {"anton", "anthony"},
    {"aodh", "hugh"},
    {"aodhan", "aidan"},
    {"aoife", "eva"},
    {"archie", "archibald"},
    {"arsenii", "arseny"},
    {"arseniy", "arseny"},
    {"art", "arthur"},
    {"artiom", "artem"},
    {"artyom", "artem"},
    {"asmaa", "asma"},
    {"attis", "attila"}, /* Hungarian (review 126) */
    {"ayesha", "aisha"},
    {"ayisha", "aisha"},
    {"ayoub", "ayub"},
    {"aysha", "aisha"},
    {"ayyub", "ayub"},
    {"babs", "barbara"},
    {"bandi", "andras"}, /* Hungarian (review 126) */
    {"barb", "barbara"},
    {"barbie", "barbara"},
    {"bart", "bartholomew"},
    {"bartek", "bartlomiej"},
    {"bayo", "adebayo"},
    {"baz", "barry"},
    {"bea", "beatrice"},
    {"beattie", "beatrice"},
    {"becca", "rebecca"},
    {"becky", "rebecca"},
    {"belal", "bilal"},
    {"bella", "isabel"},
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
    {"bisi", "olabisi"}, /* review 128 */
    {"bisi", "olubisi"},
    {"bob", "robert"},
    {"bobbie", "roberta"},
    {"bobby", "robert"},
    {"bohdan", "bogdan"},
    {"borys", "boris"},
    {"brad", "bradley"},
    {"brahim", "ibrahim"},
    {"breandan", "brendan"},
    {"brid", "bridget"},
    {"bridie", "bridget"},
    {"brighid", "bridget"},
    {"caitriona", "catherine"},
    {"cal", "callum"},
    {"caoimhe", "keeva"},
    {"caoimhin", "kevin"},
    {"carrie", "caroline"},
    {"cass", "cassandra"},
    {"cath", "catherine"},
    {"cathal", "charles"},
    {"cathy", "catherine"},
    {"catriona", "catherine"},
    {"caz", "caroline"},
    {"charlie", "charles"},
    {"charlie", "charlotte"},
    {"charo", "rosario"}, /* Spanish, Portuguese (review 124) */
    {"chas", "charles"},
    {"chevonne", "siobhan"},
    {"chico", "francisco"}, /* Spanish, Portuguese (review 124) */
    {"chidi", "chidiebere"},
    {"chris", "christina"},
    {"chris", "christine"},
    {"chris", "christopher"},
    {"chrissie", "christine"},
    {"chrissy", "christine"},
    {"chuck", "charles"},
    {"ciaran", "kieran"},
    {"cindy", "cynthia"},
    {"cliff", "clifford"},
    {"concha", "concepcion"}, /* Spanish, Portuguese (review 124) */
    {"conchita", "concepcion"}, /* Spanish, Portuguese (review 124) */
    {"conchobhar", "conor"},
    {"conchubhar", "conor"},
    {"conchur", "conor"},
    {"connie", "constance"},
    {"costel", "constantin"},
    {"costi", "constantin"},
    {"criostoir", "christopher"},
    {"cris", "christopher"},
    {"cristi", "cristian"}, /* review 128 */
    {"curro", "francisco"}, /* Spanish, Portuguese (review 124) */
    {"dafydd", "david"},
    {"dai", "david"},
    {"daithi", "david"},
    {"dan", "daniel"},
    {"dani", "danielle"},
    {"daniil", "daniel"},
    {"danny", "daniel"},
    {"danylo", "daniel"},
    {"dapo", "oladapo"},
    {"darek", "dariusz"},
    {"dariia", "daria"},
    {"darya", "daria"},
    {"dasha", "daria"},
    {"dave", "david"},
    {"davey", "david"},
    {"davy", "david"},
    {"dayo", "adedayo"}, /* review 128 */
    {"deb", "deborah"},
    {"debbie", "deborah"},
    {"debs", "deborah"},
    {"del", "derek"},
    {"denys", "denis"},
    {"di", "diana"},
    {"di", "diane"},
    {"diarmaid", "dermot"},
    {"diarmait", "dermot"},
    {"diarmuid", "dermot"},
    {"dick", "richard"},
    {"dickie", "richard"},
    {"dima", "dmitri"},
    {"dimitri", "dmitri"},
    {"dimitry", "dmitri"},
    {"dmitrii", "dmitri"},
    {"dmitrij", "dmitri"},
    {"dmitriy", "dmitri"},
    {"dmitry", "dmitri"},
    {"dmytro", "dmitri"},
    {"dolly", "dorothy"},
    {"dom", "dominic"},
    {"domhnall", "donald"},
    {"donal", "donald"},
    {"dot", "dorothy"},
    {"dottie", "dorothy"},
    {"doug", "douglas"},
    {"dougie", "douglas"},
    {"drew", "andrew"},
    {"eamon", "edmund"},
    {"eamonn", "edmund"},
    {"ebrahim", "ibrahim"},
    {"ebuka", "chukwuebuka"}, /* review 128 */
    {"ed", "edward"},
    {"eddie", "edward"},
    {"eddie", "edwin"},
    {"eddy", "edward"},
    {"efua", "afua"}, /* review 128 */
    {"eibhlin", "eileen"},
    {"eilidh", "helen"},
    {"eilis", "elizabeth"},
    {"ekaterina", "catherine"},
    {"elena", "helen"},
    {"eliza", "elizabeth"},
    {"elizaveta", "elizabeth"},
    {"elle", "eleanor"},
    {"ellie", "eleanor"},
    {"ellie", "elizabeth"},
    {"elsie", "elizabeth"},
    {"em", "emily"},
    {"eman", "iman"},
    {"emeka", "chukwuemeka"},
    {"emmy", "emily"},
    {"eoghan", "owen"},
    {"eoin", "owen"},
    {"ernie", "ernest"},
    {"erzsi", "erzsebet"}, /* Hungarian (review 126) */
    {"esmail", "ismail"},
    {"eve", "evelyn"},
    {"evgenia", "eugenia"},
    {"evgenii", "eugene"},
    {"evgeniy", "eugene"},
    {"evgeniya", "eugenia"},
    {"evgeny", "eugene"},
    {"ewka", "ewa"},
    {"fatema", "fatima"},
    {"fatemeh", "fatima"},
    {"fatimah", "fatima"},
    {"fatma", "fatima"},
    {"faysal", "faisal"},
    {"fedir", "theodore"},
    {"fedor", "theodore"},
    {"fedya", "theodore"},
    {"feisal", "faisal"},
    {"femi", "oluwafemi"},
    {"feri", "ferenc"}, /* Hungarian (review 126) */
    {"fi", "fiona"},
    {"fiodor", "theodore"},
    {"flo", "florence"},
    {"florinel", "florin"},
    {"florrie", "florence"},
    {"fran", "frances"},
    {"frank", "francis"},
    {"frankie", "frances"},
    {"frankie", "francis"},
    {"fred", "frederick"},
    {"freda", "winifred"},
    {"freddie", "frederick"},
    {"freddy", "frederick"},
    {"funmi", "olufunmilayo"},
    {"funmilayo", "olufunmilayo"}, /* review 128 */
    {"fyodor", "theodore"},
    {"gabby", "gabrielle"},
    {"gabi", "gabriel"}, /* review 128 */
    {"gabi", "gabriela"}, /* review 128 */
    {"gail", "abigail"},
    {"galya", "galina"},
    {"galyna", "galina"},
    {"gamal", "jamal"},
    {"gaz", "gareth"},
    {"ged", "gerald"},
    {"gene", "eugene"},
    {"gennadii", "gennady"},
    {"gennadiy", "gennady"},
    {"geoff", "geoffrey"},
    {"georgie", "george"},
    {"georgie", "georgia"},
    {"georgii", "george"},
    {"georgiy", "george"},
    {"georgy", "george"},
    {"gerry", "gerald"},
    {"gerry", "geraldine"},
    {"geta", "georgeta"}, /* review 128 */
    {"ghita", "gheorghe"},
    {"gigi", "gheorghe"}, /* review 128 */
    {"gill", "gillian"},
    {"gina", "georgiana"}, /* review 128 */
    {"ginny", "virginia"},
    {"glad", "gladys"},
    {"gosia", "malgorzata"},
    {"greg", "gregory"},
    {"greta", "margaret"},
    {"grigorii", "gregory"},
    {"grigoriy", "gregory"},
    {"grigory", "gregory"},
    {"grisha", "gregory"},
    {"grzes", "grzegorz"},
    {"grzesiek", "grzegorz"},
    {"gus", "angus"},
    {"gwilym", "william"},
    {"gyuri", "gyorgy"}, /* Hungarian (review 126) */
    {"hal", "henry"},
    {"halina", "galina"},
    {"halya", "galina"},
    {"halyna", "galina"},
    {"hamed", "hamid"},
    {"hamish", "james"},
    {"hamzah", "hamza"},
    {"hank", "henry"},
    {"harry", "harold"},
    {"harry", "henry"},
    {"hasan", "hassan"},
    {"hattie", "harriet"},
    {"heba", "hiba"},
    {"helena", "helen"},
    {"heniek", "henryk"},
    {"hennadii", "gennady"},
    {"hennadiy", "gennady"},
    {"heorhii", "george"},
    {"heorhiy", "george"},
    {"hoda", "huda"},
    {"hossein", "hussein"},
    {"houssein", "hussein"},
    {"hryhorii", "gregory"},
    {"hryhoriy", "gregory"},
    {"husain", "hussein"},
    {"husein", "hussein"},
    {"huseyin", "hussein"},
    {"hussain", "hussein"},
    {"huw", "hugh"},
    {"hywel", "howell"},
    {"iain", "ian"},
    {"iakov", "jacob"},
    {"ibraheem", "ibrahim"},
    {"ibrahima", "ibrahim"},
    {"ieuan", "evan"},
    {"ievgen", "eugene"},
    {"ievgenii", "eugene"},
    {"ihor", "igor"},
    {"ildi", "ildiko"}, /* Hungarian (review 126) */
    {"ilia", "ilya"},
    {"illia", "ilya"},
    {"illya", "ilya"},
    {"imi", "imre"}, /* Hungarian (review 126) */
    {"ioan", "john"},
    {"ion", "john"},
    {"ionel", "john"},
    {"ionut", "john"},
    {"iosif", "joseph"},
    {"irina", "irene"},
    {"iryna", "irene"},
    {"isabella", "isabel"},
    {"isla", "isabel"},
    {"ismaeel", "ismail"},
    {"ismael", "ismail"},
    {"isobel", "isabel"},
    {"issy", "isabel"},
    {"iuliia", "julia"},
    {"iurii", "yuri"},
    {"iwan", "evan"},
    {"izzy", "isabel"},
    {"jack", "john"},
    {"jackie", "jacqueline"},
    {"jacqui", "jacqueline"},
    {"jake", "jacob"},
    {"jamie", "james"},
    {"jan", "janet"},
    {"jancsi", "janos"}, /* Hungarian (review 126) */
    {"jarek", "jaroslaw"},
    {"jas", "jasmine"},
    {"javi", "javier"}, /* Spanish, Portuguese (review 124) */
    {"jaz", "jasmine"},
    {"jazz", "jasmine"},
    {"jeff", "geoffrey"},
    {"jeffrey", "geoffrey"},
    {"jen", "jennifer"},
    {"jenny", "jennifer"},
    {"jess", "jessica"},
    {"jessie", "jessica"},
    {"jez", "jeremy"},
    {"jide", "babajide"},
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
    {"jozsi", "jozsef"}, /* Hungarian (review 126) */
    {"judy", "judith"},
    {"jules", "julia"},
    {"jules", "julian"},
    {"jules", "julie"},
    {"jurek", "jerzy"},
    {"kareem", "karim"},
    {"kasia", "katarzyna"},
    {"kate", "catherine"},
    {"katerina", "catherine"},
    {"kateryna", "catherine"},
    {"kath", "catherine"},
    {"katherine", "catherine"},
    {"kathleen", "catherine"},
    {"kathryn", "catherine"},
    {"kathy", "catherine"},
    {"kati", "katalin"}, /* Hungarian (review 126) */
    {"katia", "catherine"},
    {"katie", "catherine"},
    {"katya", "catherine"},
    {"kay", "catherine"},
    {"keira", "ciara"},
    {"keiran", "kieran"},
    {"kemal", "kamal"},
    {"kemi", "olukemi"}, /* review 128 */
    {"kemi", "oluwakemi"},
    {"ken", "kenneth"},
    {"kenny", "kenneth"},
    {"kev", "kevin"},
    {"khadeeja", "khadija"},
    {"khadidja", "khadija"},
    {"khadijah", "khadija"},
    {"khaled", "khalid"},
    {"khaleel", "khalil"},
    {"khristina", "christina"},
    {"khrystyna", "christina"},
    {"kiera", "ciara"},
    {"kieron", "kieran"},
    {"kim", "kimberley"},
    {"kiril", "cyril"},
    {"kirill", "cyril"},
    {"kit", "catherine"},
    {"kit", "christopher"},
    {"kitty", "catherine"},
    {"kojo", "kwadwo"}, /* review 128 */
    {"kolya", "nicholas"},
    {"konstantin", "constantin"},
    {"kostiantyn", "constantin"},
    {"kostya", "constantin"},
    {"kristina", "christina"},
    {"kristine", "christine"},
    {"kriszti", "krisztina"}, /* Hungarian (review 126) */
    {"krystyna", "christina"},
    {"ksenia", "xenia"},
    {"kseniia", "xenia"},
    {"kseniya", "xenia"},
    {"ksyusha", "xenia"},
    {"kuba", "jakub"},
    {"kunle", "olakunle"},
    {"kwamena", "kwame"}, /* review 128 */
    {"kweku", "kwaku"}, /* review 128 */
    {"kwesi", "kwasi"}, /* review 128 */
    {"kyrylo", "cyril"},
    {"laci", "laszlo"}, /* Hungarian (review 126) */
    {"lacika", "laszlo"}, /* Hungarian (review 126) */
    {"laila", "layla"},
    {"lailah", "layla"},
    {"larry", "lawrence"},
    {"larysa", "larisa"},
    {"laurie", "lawrence"},
    {"leila", "layla"},
    {"len", "leonard"},
    {"lena", "helen"},
    {"lenny", "leonard"},
    {"lenuta", "helen"}, /* review 128: Elena */
    {"leo", "leonard"},
    {"les", "leslie"},
    {"lew", "lewis"},
    {"leyla", "layla"},
    {"liam", "william"},
    {"libby", "elizabeth"},
    {"lil", "lilian"},
    {"liliia", "lilia"},
    {"lillian", "lilian"},
    {"lily", "lilian"},
    {"lin", "linda"},
    {"liubov", "lyubov"},
    {"liuda", "ludmila"},
    {"liudmyla", "ludmila"},
    {"liv", "olivia"},
    {"livvy", "olivia"},
    {"liz", "elizabeth"},
    {"lizzie", "elizabeth"},
    {"lottie", "charlotte"},
    {"lou", "louis"},
    {"lou", "louise"},
    {"luba", "lyubov"},
    {"lucy", "lucille"},
    {"luda", "ludmila"},
    {"ludmilla", "ludmila"},
    {"ludmyla", "ludmila"},
    {"lupe", "guadalupe"}, /* Spanish, Portuguese (review 124) */
    {"lyosha", "alexei"},
    {"lyuba", "lyubov"},
    {"lyuda", "ludmila"},
    {"lyudmila", "ludmila"},
    {"lyudmyla", "ludmila"},
    {"maciek", "maciej"},
    {"mada", "magdalena"}, /* review 128 */
    {"maddie", "madeline"},
    {"madge", "margaret"},
    {"mae", "mary"},
    {"magda", "magdalena"},
    {"maggie", "margaret"},
    {"mags", "margaret"},
    {"mahmood", "mahmoud"},
    {"mahmud", "mahmoud"},
    {"mahmut", "mahmoud"},
    {"maire", "mary"},
    {"mairead", "margaret"},
    {"mairi", "mary"},
    {"maisie", "margaret"},
    {"maitiu", "matthew"},
    {"majed", "majid"},
    {"maks", "maximus"},
    {"maksim", "maximus"},
    {"maksym", "maximus"},
    {"mal", "malcolm"},
    {"malgosia", "malgorzata"},
    {"mandy", "amanda"},
    {"manolo", "manuel"}, /* Spanish, Portuguese (review 124) */
    {"margarita", "margaret"},
    {"marge", "margaret"},
    {"marge", "marjorie"},
    {"margie", "margaret"},
    {"margie", "marjorie"},
    {"marharyta", "margaret"},
    {"maria", "mary"},
    {"mariia", "mary"},
    {"marija", "mary"},
    {"marika", "mary"}, /* Hungarian (review 126) */
    {"mariya", "mary"},
    {"mariyam", "mariam"},
    {"marty", "martin"},
    {"maryam", "mariam"},
    {"maryem", "mariam"},
    {"masha", "mary"},
    {"matt", "matthew"},
    {"matty", "matthew"},
    {"matvei", "matthew"},
    {"matvey", "matthew"},
    {"matvii", "matthew"},
    {"max", "maximilian"},
    {"max", "maximus"},
    {"maxim", "maximus"},
    {"md", "mohammed"}, /* Md Abdul Karim: a Bangladeshi abbreviation */
    {"meg", "margaret"},
    {"meg", "megan"},
    {"mehdi", "mahdi"},
    {"mehmet", "mohammed"},
    {"mehmood", "mahmoud"},
    {"mel", "melanie"},
    {"mel", "melissa"},
    {"meriem", "mariam"},
    {"meryem", "mariam"},
    {"mhd", "mohammed"},
    {"micheal", "michael"},
    {"mick", "michael"},
    {"micky", "michael"},
    {"mihaita", "mihai"},
    {"mike", "michael"},
    {"mikey", "michael"},
    {"mikhael", "michael"},
    {"mikhail", "michael"},
    {"millie", "amelia"},
    {"millie", "mildred"},
    {"mirek", "miroslaw"},
    {"misha", "michael"},
    {"mitica", "dumitru"}, /* review 128 */
    {"mitu", "dumitru"}, /* review 128 */
    {"mo", "maureen"},
    {"mo", "maurice"},
    {"mo", "mohammed"},
    {"mohamad", "mohammed"},
    {"mohamed", "mohammed"},
    {"mohammad", "mohammed"},
    {"mohamud", "mohammed"},
    {"mohd", "mohammed"},
    {"molly", "mary"},
    {"moni", "monika"}, /* Hungarian (review 126) */
    {"mostafa", "mustafa"},
    {"mostapha", "mustafa"},
    {"mousa", "musa"},
    {"moussa", "musa"},
    {"moustafa", "mustafa"},
    {"moustapha", "mustafa"},
    {"muhamad", "mohammed"},
    {"muhammad", "mohammed"},
    {"muhammed", "mohammed"},
    {"muhd", "mohammed"},
    {"mustapha", "mustafa"},
    {"mykhailo", "michael"},
    {"mykhaylo", "michael"},
    {"mykola", "nicholas"},
    {"mykyta", "nikita"},
    {"nabeel", "nabil"},
    {"nacho", "ignacio"}, /* Spanish, Portuguese (review 124) */
    {"nadezhda", "nadia"},
    {"nadiia", "nadia"},
    {"nadiya", "nadia"},
    {"nadya", "nadia"},
    {"nan", "anne"},
    {"nancy", "anne"},
    {"nando", "fernando"}, /* Spanish, Portuguese (review 124) */
    {"nastia", "anastasia"},
    {"nastya", "anastasia"},
    {"nat", "natalie"},
    {"nat", "nathan"},
    {"nat", "nathaniel"},
    {"natalia", "natalie"},
    {"nataliia", "natalie"},
    {"nataliya", "natalie"},
    {"natalja", "natalie"},
    {"natalya", "natalie"},
    {"natasha", "natalie"},
    {"nate", "nathan"},
    {"ned", "edward"},
    {"nell", "eleanor"},
    {"nell", "ellen"},
    {"nell", "helen"},
    {"nellie", "eleanor"},
    {"niamh", "neve"},
    {"nic", "nicole"},
    {"nick", "nicholas"},
    {"nicky", "nicholas"},
    {"nicky", "nicole"},
    {"nico", "nicholas"},
    {"nicola", "nicole"},
    {"nicolae", "nicholas"},
    {"nicu", "nicholas"}, /* review 128: Nicolae */
    {"nikki", "nicole"},
    {"nikolai", "nicholas"},
    {"nikolaj", "nicholas"},
    {"nikolay", "nicholas"},
    {"nioclas", "nicholas"},
    {"noor", "nour"},
    {"nora", "eleanor"},
    {"norm", "norman"},
    {"nur", "nour"},
    {"oleh", "oleg"},
    {"olek", "alexander"},
    {"oleksandr", "alexander"},
    {"oleksandra", "alexandra"},
    {"oleksii", "alexei"},
    {"oleksij", "alexei"},
    {"oleksiy", "alexei"},
    {"olena", "helen"},
    {"olexandr", "alexander"},
    {"olha", "olga"},
    {"ollie", "oliver"},
    {"olly", "oliver"},
    {"olya", "olga"},
    {"omer", "omar"},
    {"orlagh", "orla"},
    {"oualid", "walid"},
    {"oussama", "osama"},
    {"oxana", "oksana"},
    {"ozzie", "oswald"},
    {"paco", "francisco"}, /* Spanish, Portuguese (review 124) */
    {"paddy", "patrick"},
    {"padraic", "patrick"},
    {"padraig", "patrick"},
    {"padraigin", "patricia"},
    {"pam", "pamela"},
    {"pancho", "francisco"}, /* Spanish, Portuguese (review 124) */
    {"pat", "patricia"},
    {"pat", "patrick"},
    {"patsy", "patricia"},
    {"patty", "patricia"},
    {"pavel", "paul"},
    {"pavlo", "paul"},
    {"peadar", "peter"},
    {"peg", "margaret"},
    {"peggy", "margaret"},
    {"penny", "penelope"},
    {"pepe", "jose"}, /* Spanish, Portuguese (review 124) */
    {"pete", "peter"},
    {"peti", "peter"}, /* Hungarian (review 126) */
    {"petr", "peter"},
    {"petre", "petru"}, /* review 128 */
    {"petro", "peter"},
    {"petya", "peter"},
    {"phil", "philip"},
    {"phillip", "philip"},
    {"pili", "pilar"}, /* Spanish, Portuguese (review 124) */
    {"pilib", "philip"},
    {"piotrek", "piotr"},
    {"pisti", "istvan"}, /* Hungarian (review 126) */
    {"polly", "mary"},
    {"proinsias", "francis"},
    {"przemek", "przemyslaw"},
    {"pyotr", "peter"},
    {"quim", "joaquim"}, /* Spanish, Portuguese (review 124) */
    {"quique", "enrique"}, /* Spanish, Portuguese (review 124) */
    {"rab", "robert"},
    {"rafa", "rafael"}, /* Spanish, Portuguese (review 124) */
    {"raj", "rajesh"},
    {"ramy", "rami"},
    {"rasheed", "rashid"},
    {"ray", "raymond"},
    {"reece", "rhys"},
    {"reenie", "irene"},
    {"rees", "rhys"},
    {"reg", "reginald"},
    {"reggie", "reginald"},
    {"renie", "irene"},
    {"rich", "richard"},
    {"richie", "richard"},
    {"rick", "richard"},
    {"ricky", "richard"},
    {"risteard", "richard"},
    {"rob", "robert"},
    {"robbie", "robert"},
    {"robi", "robert"}, /* Hungarian (review 126) */
    {"rod", "rodney"},
    {"ron", "ronald"},
    {"ronnie", "ronald"},
    {"rosie", "rose"},
    {"ruairi", "rory"},
    {"ruari", "rory"},
    {"ruaridh", "rory"},
    {"russ", "russell"},
    {"rysiek", "ryszard"},
    {"sade", "folasade"},
    {"sadie", "sarah"},
    {"saeed", "said"},
    {"saleh", "salih"},
    {"sally", "sarah"},
    {"sam", "samantha"},
    {"sam", "samuel"},
    {"sameer", "samir"},
    {"sameera", "samira"},
    {"sammy", "samantha"},
    {"sammy", "samuel"},
    {"sandy", "alexander"},
    {"sandy", "alexandra"},
    {"sandy", "sandra"},
    {"sanyi", "sandor"}, /* Hungarian (review 126) */
    {"seamus", "james"},
    {"searlas", "charles"},
    {"sebi", "sebastian"}, /* review 128 */
    {"segun", "olusegun"}, /* review 128 */
    {"seoirse", "george"},
    {"seonaid", "janet"},
    {"seosamh", "joseph"},
    {"serge", "sergei"},
    {"sergey", "sergei"},
    {"sergii", "sergei"},
    {"sergiy", "sergei"},
    {"serhii", "sergei"},
    {"serhiy", "sergei"},
    {"seryozha", "sergei"},
    {"seumas", "james"},
    {"seun", "oluwaseun"},
    {"shamus", "james"},
    {"shaun", "sean"},
    {"shawn", "sean"},
    {"shaz", "sharon"},
    {"shelley", "michelle"},
    {"shevaun", "siobhan"},
    {"si", "simon"},
    {"sid", "sidney"},
    {"sile", "sheila"},
    {"sinead", "janet"},
    {"slawek", "slawomir"},
    {"sofia", "sophie"},
    {"sofiia", "sophie"},
    {"sofiya", "sophie"},
    {"sola", "olusola"},
    {"soliman", "sulaiman"},
    {"sophia", "sophie"},
    {"stan", "stanley"},
    {"stanislav", "stanislaw"},
    {"stas", "stanislaw"},
    {"staszek", "stanislaw"},
    {"stepan", "stephen"},
    {"steve", "stephen"},
    {"steven", "stephen"},
    {"stevie", "stephen"},
    {"stiofan", "stephen"},
    {"stu", "stuart"},
    {"sue", "susan"},
    {"sulayman", "sulaiman"},
    {"suleiman", "sulaiman"},
    {"suleyman", "sulaiman"},
    {"susie", "susan"},
    {"suzy", "susan"},
    {"sveta", "svetlana"},
    {"svitlana", "svetlana"},
    {"syd", "sidney"},
    {"tadhg", "timothy"},
    {"tania", "tatiana"},
    {"tanya", "tatiana"},
    {"tarek", "tariq"},
    {"tareq", "tariq"},
    {"tarik", "tariq"},
    {"tatjana", "tatiana"},
    {"tatyana", "tatiana"},
    {"teague", "timothy"},
    {"ted", "edward"},
    {"ted", "theodore"},
    {"teddy", "edward"},
    {"tel", "terence"},
    {"terri", "teresa"},
    {"terry", "terence"},
    {"tess", "teresa"},
    {"tessa", "teresa"},
    {"tetiana", "tatiana"},
    {"tetyana", "tatiana"},
    {"theo", "theodore"},
    {"theresa", "teresa"},
    {"tim", "timothy"},
    {"timmy", "timothy"},
    {"tina", "christine"},
    {"tobi", "oluwatobi"},
    {"tolya", "anatoly"},
    {"tom", "thomas"},
    {"tomas", "thomas"},
    {"tomek", "tomasz"},
    {"tommy", "thomas"},
    {"tonho", "antonio"}, /* Spanish, Portuguese (review 124) */
    {"tono", "antonio"}, /* Spanish, Portuguese (review 124) */
    {"tony", "anthony"},
    {"tori", "victoria"},
    {"tosin", "oluwatosin"}, /* review 128 */
    {"treasa", "teresa"},
    {"trev", "trevor"},
    {"trish", "patricia"},
    {"tunde", "babatunde"},
    {"uche", "uchenna"},
    {"uilliam", "william"},
    {"umar", "omar"},
    {"umer", "omar"},
    {"usama", "osama"},
    {"vadym", "vadim"},
    {"val", "valerie"},
    {"valentyna", "valentina"},
    {"valeria", "valerie"},
    {"valeriia", "valerie"},
    {"valeriya", "valerie"},
    {"vali", "valentin"}, /* review 128 */
    {"vanya", "ivan"},
    {"vasili", "vasily"},
    {"vasilii", "vasily"},
    {"vasiliy", "vasily"},
    {"vassili", "vasily"},
    {"vasya", "vasily"},
    {"vasyl", "vasily"},
    {"veronika", "veronica"},
    {"viacheslav", "vyacheslav"},
    {"vic", "victor"},
    {"vicky", "victoria"},
    {"vika", "victoria"},
    {"vikki", "victoria"},
    {"viktor", "victor"},
    {"viktoria", "victoria"},
    {"viktoriia", "victoria"},
    {"viktoriya", "victoria"},
    {"vince", "vincent"},
    {"vinny", "vincent"},
    {"vira", "vera"},
    {"vitali", "vitaly"},
    {"vitalii", "vitaly"},
    {"vitalik", "vitaly"},
    {"vitaliy", "vitaly"},
    {"vitya", "victor"},
    {"vitya", "vitaly"},
    {"viv", "vivian"},
    {"vladyslav", "vladislav"},
    {"volodia", "vladimir"},
    {"volodya", "vladimir"},
    {"volodymyr", "vladimir"},
    {"vova", "vladimir"},
    {"wale", "olawale"},
    {"waleed", "walid"},
    {"wally", "walter"},
    {"walt", "walter"},
    {"will", "william"},
    {"willie", "william"},
    {"winnie", "winifred"},
    {"wladek", "wladyslaw"},
    {"wladimir", "vladimir"},
    {"wlodek", "wlodzimierz"},
    {"wojtek", "wojciech"},
    {"xander", "alexander"},
    {"yakiv", "jacob"},
    {"yakov", "jacob"},
    {"yaser", "yasser"},
    {"yasir", "yasser"},
    {"yasmeen", "yasmin"},
    {"yasmine", "yasmin"},
    {"yekaterina", "catherine"},
    {"yelena", "helen"},
    {"yelizaveta", "elizabeth"},
    {"yelyzaveta", "elizabeth"},
    {"yemi", "adeyemi"},
    {"yemi", "oluwayemi"},
    {"yevgen", "eugene"},
    {"yevgenia", "eugenia"},
    {"yevgenii", "eugene"},
    {"yevgeniy", "eugene"},
    {"yevgeniya", "eugenia"},
    {"yevgeny", "eugene"},
    {"yevhen", "eugene"},
    {"yevheniia", "eugenia"},
    {"yosyp", "joseph"},
    {"youcef", "yusuf"},
    {"younes", "yunus"},
    {"younis", "yunus"},
    {"yousef", "yusuf"},
    {"yousif", "yusuf"},
    {"youssef", "yusuf"},
    {"yousuf", "yusuf"},
    {"yulia", "julia"},
    {"yuliia", "julia"},
    {"yuliya", "julia"},
    {"yulya", "julia"},
    {"yunis", "yunus"},
    {"yura", "yuri"},
    {"yurii", "yuri"},
    {"yuriy", "yuri"},
    {"yury", "yuri"},
    {"yusef", "yusuf"},
    {"yusif", "yusuf"},
    {"yussuf", "yusuf"},
    {"zach", "zachary"},
    {"zack", "zachary"},
    {"zaineb", "zainab"},
    {"zakariya", "zakaria"},
    {"zakariyya", "zakaria"},
    {"zakarya", "zakaria"},
    {"zaynab", "zainab"},
    {"zbyszek", "zbigniew"},
    {"zeinab", "zainab"},
    {"zeynep", "zainab"},
    {"zoia", "zoya"},
    {"zoli", "zoltan"}, /* Hungarian (review 126) */
    {"zosia", "zofia"},
    {"zsofi", "zsofia"}, /* Hungarian (review 126) */
    {"zsuzsa", "zsuzsanna"}, /* Hungarian (review 126) */
    {"zsuzsi", "zsuzsanna"}, /* Hungarian (review 126) */
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

/* Surnames in more than one romanisation (review 126: Korean family names, of which a few are
   held by most Koreans, written as each passport or form had them; review 128: Chinese family
   names in their Cantonese forms, as Hong Kong documents write them, against pinyin), variant ->
   one form, sorted by variant; since stop 63, Hokkien and Teochew forms as Malaysian and
   Singaporean documents write them (review 136: Goh, Koh, Ong, Teo against pinyin Wu, Xu, Wang,
   Zhang were "different"). Chinese surnames in Wade-Giles and pinyin are romanise.c's; Wong
   (Huang or Wang), Cheng (a pinyin name too), Tan (Chen in Hokkien, also Vietnamese), Lim (Lin
   in Hokkien, a Korean name) and Low (an English name) are left out: each is two names; Ng is
   kept as Wu, its Cantonese form (Huang in Hokkien). */
static const struct {
    const char *var, *canon;
} sur[] = {
    {"ang", "hong"},
    {"bak", "park"},
    {"boey", "mei"},
    {"chan", "chen"},
    {"cheung", "zhang"},
    {"chia", "xie"},
    {"choe", "choi"},
    {"chow", "zhou"},
    {"chua", "cai"},
    {"chwe", "choi"},
    {"foo", "hu"},
    {"fung", "feng"},
    {"gim", "kim"},
    {"goh", "wu"},
    {"jeong", "jung"},
    {"joung", "jung"},
    {"khoo", "qiu"},
    {"koh", "xu"},
    {"kwan", "guan"},
    {"kwek", "guo"},
    {"kwok", "guo"},
    {"lam", "lin"},
    {"lau", "liu"},
    {"leung", "liang"},
    {"mak", "mai"},
    {"ng", "wu"},
    {"ong", "wang"},
    {"pak", "park"},
    {"quek", "guo"},
    {"rhee", "lee"},
    {"ri", "lee"},
    {"rim", "lim"},
    {"seah", "xie"},
    {"sim", "shen"},
    {"tay", "zheng"},
    {"teo", "zhang"},
    {"teoh", "zhang"},
    {"tey", "zheng"},
    {"toh", "du"},
    {"tsang", "zeng"},
    {"tse", "xie"},
    {"yeo", "yang"},
    {"yeung", "yang"},
    {"yi", "lee"},
    {"yoon", "yun"},
};

const char *conflate_surname_canon(const char *tok, size_t n)
{
    size_t lo = 0, hi = sizeof sur / sizeof sur[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = cmp_tok(sur[mid].var, tok, n);
        if (c == 0)
            return sur[mid].canon;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
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
