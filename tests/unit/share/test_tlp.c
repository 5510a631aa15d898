/*
 * test_tlp.c - the one visibility function (src/share/tlp.c): who sees a
 * shared object, for every TLP, every relation of the caller to the object,
 * every role and every organisation kind.  The expectations are written out
 * as a table (not recomputed with the same logic); roles and kinds must not
 * change the answer (no role lifts TLP).  Also parsing, names, the STIX
 * marking ids and what may be passed on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "share/tlp.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

enum rel {
	ANON,         /* not signed in */
	OWNER_USER,   /* the user who shared it */
	COLLEAGUE,    /* another user of the owner organisation */
	SHARED_ORG,   /* a user of an organisation it was shared with */
	GROUP_MEMBER, /* a user of an organisation in a sharing group it was shared with */
	NAMED_USER,   /* a user of another organisation, named on it */
	UNRELATED     /* a user of an organisation with no relation to it */
};

static const char *const rel_names[] = {"anonymous",    "owner user", "colleague", "shared org",
                                        "group member", "named user", "unrelated"};

/* Who sees what: [relation][CLEAR, GREEN, AMBER, AMBER+STRICT, RED]. */
static const int expect[][5] = {
        [ANON] = {1, 0, 0, 0, 0},         [OWNER_USER] = {1, 1, 1, 1, 1},
        [COLLEAGUE] = {1, 1, 1, 1, 0},    [SHARED_ORG] = {1, 1, 1, 1, 0},
        [GROUP_MEMBER] = {1, 1, 1, 1, 0}, [NAMED_USER] = {1, 1, 0, 0, 1},
        [UNRELATED] = {1, 1, 0, 0, 0},
};

/* The object: shared by user 10 of org 1, with org 2, with group 70, and
 * (for RED) naming user 40 of org 4. */
static const int64_t shared_orgs[] = {2}, shared_groups[] = {70}, named[] = {40};

static void caller(enum rel r, enum role role, enum org_kind kind, struct principal *p,
                   struct share_membership *m)
{
	static const int64_t member_of_70[] = {70}, member_of_other[] = {71};
	memset(p, 0, sizeof *p);
	m->groups = member_of_other;
	m->n_groups = 1;
	if (r == ANON) {
		account_principal_public(p);
		return;
	}
	p->authenticated = true;
	p->role = role;
	p->org_kind = kind;
	switch (r) {
	case OWNER_USER: p->user_id = 10, p->org_id = 1; break;
	case COLLEAGUE: p->user_id = 11, p->org_id = 1; break;
	case SHARED_ORG: p->user_id = 20, p->org_id = 2; break;
	case GROUP_MEMBER:
		p->user_id = 30, p->org_id = 3;
		m->groups = member_of_70;
		break;
	case NAMED_USER: p->user_id = 40, p->org_id = 4; break;
	default: p->user_id = 50, p->org_id = 5; break;
	}
}

static void test_matrix(void **state)
{
	(void)state;
	static const enum role roles[] = {ROLE_VIEWER, ROLE_ANALYST, ROLE_INVESTIGATOR,
	                                  ROLE_ORG_ADMIN, ROLE_ADMIN};
	static const enum org_kind kinds[] = {ORG_LAW_ENFORCEMENT, ORG_CERT, ORG_BUSINESS,
	                                      ORG_PUBLIC_SECTOR, ORG_NGO};
	size_t checked = 0;
	for (int t = TLP_CLEAR; t <= TLP_RED; t++) {
		struct share_object o = {.tlp = (enum tlp)t,
		                         .owner_org = 1,
		                         .owner_user = 10,
		                         .orgs = shared_orgs,
		                         .n_orgs = 1,
		                         .groups = shared_groups,
		                         .n_groups = 1,
		                         .users = named,
		                         .n_users = 1};
		for (size_t r = 0; r < COUNT(expect); r++)
			for (size_t ro = 0; ro < COUNT(roles); ro++)
				for (size_t k = 0; k < COUNT(kinds); k++) {
					struct principal p;
					struct share_membership m;
					caller((enum rel)r, roles[ro], kinds[k], &p, &m);
					bool got = tlp_may_see(&p, &m, &o);
					if (got != (expect[r][t - 1] != 0))
						fail_msg("TLP:%s, %s, role %s, kind %s: sees %d, "
						         "want %d",
						         tlp_name((enum tlp)t), rel_names[r],
						         account_role_name(roles[ro]),
						         account_kind_name(kinds[k]), got,
						         expect[r][t - 1]);
					checked++;
					if (r == ANON)
						break; /* the public has no role or kind */
				}
	}
	assert_int_equal(checked, 5 * (1 * 5 + 6 * 25));
}

static void test_edges(void **state)
{
	(void)state;
	struct principal p;
	account_principal_user(&p, &(struct store_user){.id = 11, .org_id = 1, .role = "analyst"},
	                       &(struct store_org){.id = 1, .kind = "cert"});
	/* AMBER with no membership passed at all */
	struct share_object amber = {.tlp = TLP_AMBER,
	                             .owner_org = 9,
	                             .owner_user = 90,
	                             .groups = shared_groups,
	                             .n_groups = 1};
	assert_false(tlp_may_see(&p, NULL, &amber));
	amber.owner_org = 1;
	assert_true(tlp_may_see(&p, NULL, &amber));
	/* a user without a role (a disabled or half-made account) is no member */
	p.role = ROLE_NONE;
	struct share_object green = {.tlp = TLP_GREEN, .owner_org = 9};
	assert_false(tlp_may_see(&p, NULL, &green));
	/* unknown TLP: only its owner user */
	p.role = ROLE_ANALYST;
	struct share_object odd = {.tlp = 0, .owner_org = 1, .owner_user = 10};
	assert_false(tlp_may_see(&p, NULL, &odd));
	p.user_id = 10;
	assert_true(tlp_may_see(&p, NULL, &odd));
	/* the command line (an admin of no organisation) sees only CLEAR */
	struct principal cli;
	account_principal_cli(&cli);
	assert_false(tlp_may_see(&cli, NULL, &green));
}

static void test_pass_on(void **state)
{
	(void)state;
	static const int want[] = {1, 1, 1, 0, 0};
	for (int t = TLP_CLEAR; t <= TLP_RED; t++) {
		struct share_object o = {.tlp = (enum tlp)t};
		assert_int_equal(tlp_may_pass_on(&o), want[t - 1]);
	}
}

static void test_names_and_markings(void **state)
{
	(void)state;
	assert_int_equal(tlp_parse("clear"), TLP_CLEAR);
	assert_int_equal(tlp_parse("TLP:AMBER+STRICT"), TLP_AMBER_STRICT);
	assert_int_equal(tlp_parse("tlp:white"), TLP_CLEAR);
	assert_int_equal(tlp_parse("Red"), TLP_RED);
	assert_int_equal(tlp_parse("amber strict"), 0);
	assert_int_equal(tlp_parse(NULL), 0);
	assert_string_equal(tlp_name(TLP_AMBER_STRICT), "amber+strict");
	assert_string_equal(tlp_name(0), "");
	/* the standard ids of the STIX TLP 2.0 marking definitions */
	assert_string_equal(tlp_marking_id(TLP_CLEAR),
	                    "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487");
	assert_string_equal(tlp_marking_id(TLP_RED),
	                    "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1");
	for (int t = TLP_CLEAR; t <= TLP_RED; t++)
		assert_int_equal(tlp_from_marking(tlp_marking_id((enum tlp)t)), t);
	/* STIX 2.1's TLP 1.0 ids */
	assert_int_equal(
	        tlp_from_marking("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"),
	        TLP_CLEAR);
	assert_int_equal(
	        tlp_from_marking("marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"),
	        TLP_AMBER);
	assert_int_equal(
	        tlp_from_marking("marking-definition--00000000-0000-0000-0000-000000000000"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_matrix),
	        cmocka_unit_test(test_edges),
	        cmocka_unit_test(test_pass_on),
	        cmocka_unit_test(test_names_and_markings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
