#include "domain/refdata.h"

const refdata_region refdata_regions[] = {
    {"north-east", "North East"},
    {"north-west", "North West"},
    {"yorkshire-humber", "Yorkshire and the Humber"},
    {"east-midlands", "East Midlands"},
    {"west-midlands", "West Midlands"},
    {"eastern", "Eastern"},
    {"south-east", "South East"},
    {"south-west", "South West"},
    {"southern-wales", "Southern Wales"},
    {"london", "London"},
};
const size_t refdata_region_count = sizeof refdata_regions / sizeof refdata_regions[0];

#define F IOM_AGENCY_FORCE
#define R IOM_AGENCY_ROCU
const refdata_agency refdata_agencies[] = {
    {"nersou", "North East Regional Special Operations Unit (NERSOU)", R, "north-east"},
    {"cleveland", "Cleveland Police", F, "north-east"},
    {"durham", "Durham Constabulary", F, "north-east"},
    {"northumbria", "Northumbria Police", F, "north-east"},

    {"titan", "TITAN North West Regional Organised Crime Unit", R, "north-west"},
    {"cheshire", "Cheshire Constabulary", F, "north-west"},
    {"cumbria", "Cumbria Constabulary", F, "north-west"},
    {"greater-manchester", "Greater Manchester Police", F, "north-west"},
    {"lancashire", "Lancashire Constabulary", F, "north-west"},
    {"merseyside", "Merseyside Police", F, "north-west"},
    {"north-wales", "North Wales Police", F, "north-west"},

    {"yhrocu", "Yorkshire and Humber Regional Organised Crime Unit", R, "yorkshire-humber"},
    {"humberside", "Humberside Police", F, "yorkshire-humber"},
    {"north-yorkshire", "North Yorkshire Police", F, "yorkshire-humber"},
    {"south-yorkshire", "South Yorkshire Police", F, "yorkshire-humber"},
    {"west-yorkshire", "West Yorkshire Police", F, "yorkshire-humber"},

    {"emsou", "East Midlands Special Operations Unit", R, "east-midlands"},
    {"derbyshire", "Derbyshire Constabulary", F, "east-midlands"},
    {"leicestershire", "Leicestershire Police", F, "east-midlands"},
    {"lincolnshire", "Lincolnshire Police", F, "east-midlands"},
    {"northamptonshire", "Northamptonshire Police", F, "east-midlands"},
    {"nottinghamshire", "Nottinghamshire Police", F, "east-midlands"},

    {"wmrocu", "West Midlands Regional Organised Crime Unit", R, "west-midlands"},
    {"staffordshire", "Staffordshire Police", F, "west-midlands"},
    {"warwickshire", "Warwickshire Police", F, "west-midlands"},
    {"west-mercia", "West Mercia Police", F, "west-midlands"},
    {"west-midlands", "West Midlands Police", F, "west-midlands"},

    {"ersou", "Eastern Region Special Operations Unit", R, "eastern"},
    {"bedfordshire", "Bedfordshire Police", F, "eastern"},
    {"cambridgeshire", "Cambridgeshire Constabulary", F, "eastern"},
    {"essex", "Essex Police", F, "eastern"},
    {"hertfordshire", "Hertfordshire Constabulary", F, "eastern"},
    {"kent", "Kent Police", F, "eastern"},
    {"norfolk", "Norfolk Constabulary", F, "eastern"},
    {"suffolk", "Suffolk Constabulary", F, "eastern"},

    {"serocu", "South East Regional Organised Crime Unit", R, "south-east"},
    {"hampshire", "Hampshire and Isle of Wight Constabulary", F, "south-east"},
    {"surrey", "Surrey Police", F, "south-east"},
    {"sussex", "Sussex Police", F, "south-east"},
    {"thames-valley", "Thames Valley Police", F, "south-east"},

    {"swrocu", "South West Regional Organised Crime Unit", R, "south-west"},
    {"avon-and-somerset", "Avon and Somerset Constabulary", F, "south-west"},
    {"devon-and-cornwall", "Devon and Cornwall Police", F, "south-west"},
    {"dorset", "Dorset Police", F, "south-west"},
    {"gloucestershire", "Gloucestershire Constabulary", F, "south-west"},
    {"wiltshire", "Wiltshire Police", F, "south-west"},

    {"tarian", "TARIAN Southern Wales Regional Organised Crime Unit", R, "southern-wales"},
    {"dyfed-powys", "Dyfed-Powys Police", F, "southern-wales"},
    {"gwent", "Gwent Police", F, "southern-wales"},
    {"south-wales", "South Wales Police", F, "southern-wales"},

    {"met", "Metropolitan Police Service", F, "london", true},
    {"city-of-london", "City of London Police", F, "london"},

    {"nca", "National Crime Agency", IOM_AGENCY_NATIONAL, NULL},
    {REFDATA_TOEX, "TOEX (Tackling Organised Exploitation)", IOM_AGENCY_CAPABILITY, NULL},
};
#undef F
#undef R
const size_t refdata_agency_count = sizeof refdata_agencies / sizeof refdata_agencies[0];
