/*
 * tlp.h - the Traffic Light Protocol (TLP 2.0) and THE one function that
 * decides who may see a shared object.  Every read path of shared data (REST,
 * TAXII, exports, lookups, search, statistics drill-downs) asks
 * tlp_may_see; there is no second path.
 *
 *   CLEAR         anyone, the public and anonymous feeds included
 *   GREEN         any signed-in member of any organisation
 *   AMBER         the owner organisation, and the organisations and sharing
 *                 groups it was shared with
 *   AMBER+STRICT  as AMBER, and never passed on (not federated onward, not
 *                 re-shared)
 *   RED           the owner (the user who shared it) and the named users only
 *
 * No role lifts TLP: an instance administrator sees what their own
 * organisation may see, like everyone else (they administer accounts, not
 * intelligence).  A victim's personal data is never part of a shared object.
 */
#ifndef CRIX_SHARE_TLP_H
#define CRIX_SHARE_TLP_H

#include "model/account.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tlp { TLP_CLEAR = 1, TLP_GREEN, TLP_AMBER, TLP_AMBER_STRICT, TLP_RED };

/* "clear", "green", "amber", "amber+strict", "red", any case, with or
 * without "TLP:"; TLP 1.0 "white" is CLEAR.  0 if unknown. */
enum tlp tlp_parse(const char *s);
/* "clear", ..., "amber+strict", "red"; "" for 0. */
const char *tlp_name(enum tlp t);
/* The STIX 2.1 id of the standard TLP 2.0 marking definition. */
const char *tlp_marking_id(enum tlp t);
/* The TLP of a standard marking-definition id (TLP 2.0, or STIX 2.1's TLP
 * 1.0 ones, WHITE read as CLEAR); 0 if it is none of them. */
enum tlp tlp_from_marking(const char *id);

/* A shared object as the decision needs it. */
struct share_object {
	enum tlp tlp;
	int64_t owner_org;   /* the organisation that shared it */
	int64_t owner_user;  /* the user who shared it */
	const int64_t *orgs; /* AMBER: organisations it was shared with */
	size_t n_orgs;
	const int64_t *groups; /* AMBER: sharing groups it was shared with */
	size_t n_groups;
	const int64_t *users; /* RED: the named users */
	size_t n_users;
};

/* The sharing groups the caller's organisation belongs to. */
struct share_membership {
	const int64_t *groups;
	size_t n_groups;
};

/* May p see o?  m may be NULL (no group memberships).  An object with an
 * unknown TLP is seen by nobody but its owner user. */
bool tlp_may_see(const struct principal *p, const struct share_membership *m,
                 const struct share_object *o);

/* May o leave this instance or be re-shared by a recipient (federation,
 * exports to third parties)?  Never for AMBER+STRICT and RED. */
bool tlp_may_pass_on(const struct share_object *o);

#endif
