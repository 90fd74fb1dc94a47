/*
 * demo.h: the demo scenario (`iom demo`, `make run`): users named by role and agency in
 * several regions, and threats on the SOC master list, created through the ordinary
 * use-cases (so everything is validated and audited like real work).
 */
#ifndef IOM_APP_DEMO_H
#define IOM_APP_DEMO_H

#include "app/app.h"

typedef struct app_demo_result {
    size_t users;
    size_t threats;
    size_t taskings;
    size_t disruptions;
    const char *admin;   /* name of the demo admin */
} app_demo_result;

/* On an initialised store with no users: creates the demo users, every one with `password`
   (12..256 bytes), and the demo threats. */
iom_err app_demo(iom_ctx *c, const char *password, app_demo_result *out);

#endif
