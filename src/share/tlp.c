#include "share/tlp.h"

#include <string.h>
#include <strings.h>

static const char *const names[] = {"", "clear", "green", "amber", "amber+strict", "red"};

/* The TLP 2.0 marking definitions of the STIX TLP 2.0 extension. */
static const char *const markings[] = {"",
                                       "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
                                       "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
                                       "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
                                       "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
                                       "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"};

enum tlp tlp_parse(const char *s)
{
	if (s == NULL)
		return 0;
	if (strncasecmp(s, "tlp:", 4) == 0)
		s += 4;
	if (strcasecmp(s, "white") == 0)
		return TLP_CLEAR;
	for (int i = TLP_CLEAR; i <= TLP_RED; i++)
		if (strcasecmp(s, names[i]) == 0)
			return (enum tlp)i;
	return 0;
}

const char *tlp_name(enum tlp t)
{
	return t >= TLP_CLEAR && t <= TLP_RED ? names[t] : "";
}

const char *tlp_marking_id(enum tlp t)
{
	return t >= TLP_CLEAR && t <= TLP_RED ? markings[t] : "";
}

enum tlp tlp_from_marking(const char *id)
{
	static const struct {
		const char *id;
		enum tlp tlp;
	} v1[] = {
	        /* STIX 2.1's own TLP 1.0 definitions */
	        {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", TLP_CLEAR},
	        {"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", TLP_GREEN},
	        {"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", TLP_AMBER},
	        {"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", TLP_RED},
	};
	for (int i = TLP_CLEAR; i <= TLP_RED; i++)
		if (strcmp(id, markings[i]) == 0)
			return (enum tlp)i;
	for (size_t i = 0; i < sizeof v1 / sizeof v1[0]; i++)
		if (strcmp(id, v1[i].id) == 0)
			return v1[i].tlp;
	return 0;
}

static bool in(int64_t x, const int64_t *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == x)
			return true;
	return false;
}

bool tlp_may_see(const struct principal *p, const struct share_membership *m,
                 const struct share_object *o)
{
	bool member = p->authenticated && p->role != ROLE_NONE && p->org_id > 0;
	switch (o->tlp) {
	case TLP_CLEAR: return true;
	case TLP_GREEN: return member;
	case TLP_AMBER:
	case TLP_AMBER_STRICT:
		if (!member)
			return false;
		if (p->org_id == o->owner_org || in(p->org_id, o->orgs, o->n_orgs))
			return true;
		for (size_t i = 0; m != NULL && i < m->n_groups; i++)
			if (in(m->groups[i], o->groups, o->n_groups))
				return true;
		return false;
	case TLP_RED:
		return member &&
		       (p->user_id == o->owner_user || in(p->user_id, o->users, o->n_users));
	default: return member && p->user_id == o->owner_user;
	}
}

bool tlp_may_pass_on(const struct share_object *o)
{
	return o->tlp == TLP_CLEAR || o->tlp == TLP_GREEN || o->tlp == TLP_AMBER;
}
