/*
 * test_wallet.c - Bitcoin (base58check, bech32, bech32m) and Ethereum
 * (EIP-55) addresses, with the published test vectors of BIP-173, BIP-350
 * and EIP-55.  Cases are tables: input in, canonical value or reason out.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ioc/ioc_int.h"

typedef int (*parse_fn)(const char *s, size_t n, struct ioc_value *out, struct crix_error *err);

struct valid_case {
	const char *in;
	const char *want;
};

struct invalid_case {
	const char *in;
	const char *reason;
};

static const struct valid_case btc_valid[] = {
        /* base58check, kept as written */
        {"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"},
        {"3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"},
        {"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"},
        {"1111111111111111111114oLvT2", "1111111111111111111114oLvT2"}, /* hash of zeros */
        /* bech32, v0 */
        {"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
         "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"},
        {"BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
         "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"},
        {"bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3",
         "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3"},
        /* bech32m, v1..v16 (BIP-350) */
        {"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
         "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y"},
        {"BC1SW50QGDZ25J", "bc1sw50qgdz25j"},
        {"bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs"},
        {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
         "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"},
};

static const struct invalid_case btc_invalid[] = {
        /* base58check */
        {"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", "btc: base58 checksum does not match"},
        {"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNA", "btc: base58 checksum does not match"},
        {"3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz", "btc: base58 checksum does not match"},
        {"1A1zP1eP5QGefi2DMPTfTL5SLmv7Divf0a", "invalid base58 character at position 33"},
        {"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivflNa", "invalid base58 character"},
        {"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNaa", "btc: base58 value is longer than 25 bytes"},
        {"1A1zP1eP5QGefi2DMPTfTL5SLmv7Divf", "btc: base58 value is shorter than 25 bytes"},
        {"1A1zP1eP5QGefi2DMP", "expected 25 to 35"},
        {"mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn", "btc: testnet"},
        {"2MzQwSSnBHWHqSAqtTVQ6v47XtaisrJa1Vc", "btc: testnet"},
        {"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "btc: expected an address starting"},
        {"", "btc: expected an address starting"},
        /* bech32: a changed character */
        {"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr", "btc: invalid bech32 checksum"},
        /* BIP-173 invalid addresses (those of v1+ fail the bech32m rule of BIP-350 first) */
        {"tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty", "btc: expected an address starting"},
        {"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", "btc: invalid bech32 checksum"},
        {"BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2", "btc: witness version 17 is above 16"},
        {"bc1rw5uspcuh", "btc: witness v3 must use bech32m, not bech32"},
        {"bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90",
         "btc: witness v15 must use bech32m, not bech32"},
        {"BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", "btc: witness v0 program must be 20 or 32 bytes"},
        {"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7", "btc: testnet"},
        {"bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du", "btc: witness v2 must use bech32m, not bech32"},
        {"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv", "btc: testnet"},
        {"bc1gmk9yu", "btc: bech32 data part is empty"},
        /* BIP-350 invalid addresses */
        {"tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut", "btc: expected"},
        {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
         "btc: witness v1 must use bech32m, not bech32"},
        {"tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf", "btc: testnet"},
        {"BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
         "btc: witness v16 must use bech32m, not bech32"},
        {"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
         "btc: witness v0 must use bech32, not bech32m"},
        {"bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",
         "btc: invalid bech32 character at position 60"},
        {"BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",
         "btc: witness version 17 is above 16"},
        {"bc1pw5dgrnzv", "btc: witness program of 1 bytes"},
        {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
         "btc: witness program of 41 bytes"},
        {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",
         "btc: witness program has invalid padding"},
        /* bech32m, v1, built with a reference encoder: 5 bits of zero padding
         * (one 5-bit group too many), then 4 bits of non-zero padding */
        {"bc1prrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrqlzy92y",
         "btc: witness program has invalid padding"},
        {"bc1prrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrp64tchl",
         "btc: witness program has invalid padding"},
        /* case, length */
        {"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdQ", "btc: bech32 mixes upper and lower case"},
        {"BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7Kv8f3t4", "btc: bech32 mixes upper and lower case"},
        /* 91 characters */
        {"bc1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"
         "qq",
         "at most 90"},
        {"bc1", "btc: bech32 data part is empty"},
        {"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5md b", "invalid bech32 character at position 42"},
};

static const struct valid_case eth_valid[] = {
        /* EIP-55 */
        {"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
         "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"},
        {"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
         "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359"},
        {"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
         "0xdbf03b407c01e7cd3cbea99509d93f8dddc8c6fb"},
        {"0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
         "0xd1220a0cf47c7b9be7a2e6ba89f429762e7b9adb"},
        {"0x52908400098527886E0F7030069857D2E4169EE7",
         "0x52908400098527886e0f7030069857d2e4169ee7"},
        {"0xde709f2102306220921060314715629080e2fb77",
         "0xde709f2102306220921060314715629080e2fb77"},
        /* one case: no checksum to verify */
        {"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
         "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"},
        {"0X5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED",
         "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"},
        {"0x0000000000000000000000000000000000000000",
         "0x0000000000000000000000000000000000000000"},
};

static const struct invalid_case eth_invalid[] = {
        {"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",
         "eth: EIP-55 checksum does not match (mixed case)"},
        {"0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
         "eth: EIP-55 checksum does not match (mixed case)"},
        {"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5D359",
         "eth: EIP-55 checksum does not match (mixed case)"},
        {"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe", "eth: expected 0x and 40 hex digits"},
        {"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedd", "eth: expected 0x and 40 hex digits"},
        {"5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed00", "eth: expected 0x and 40 hex digits"},
        {"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg", "eth: expected 0x and 40 hex digits"},
        {"1x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "eth: expected 0x and 40 hex digits"},
        {"", "eth: expected 0x and 40 hex digits"},
};

static void check_valid(parse_fn parse, enum ioc_type type, const struct valid_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct ioc_value out;
		struct crix_error err = {0};
		int rc = parse(c[i].in, strlen(c[i].in), &out, &err);
		if (rc != 0)
			fail_msg("%s: %s", c[i].in, err.msg);
		assert_int_equal(out.type, type);
		assert_string_equal(out.v, c[i].want);
		assert_int_equal(out.len, strlen(c[i].want));
	}
}

/* Reports every failing case before failing, so one run shows them all. */
static void check_invalid(parse_fn parse, const struct invalid_case *c, size_t n)
{
	size_t bad = 0;
	for (size_t i = 0; i < n; i++) {
		struct ioc_value out;
		struct crix_error err = {0};
		int rc = parse(c[i].in, strlen(c[i].in), &out, &err);
		if (rc != CRIX_EINVAL) {
			print_error("%s: accepted or wrong code %d\n", c[i].in, rc);
			bad++;
		} else if (strstr(err.msg, c[i].reason) == NULL) {
			print_error("%s: message \"%s\" lacks \"%s\"\n", c[i].in, err.msg,
			            c[i].reason);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void test_btc_valid(void **state)
{
	(void)state;
	check_valid(ioc_parse_btc, IOC_BTC, btc_valid, sizeof btc_valid / sizeof btc_valid[0]);
}

static void test_btc_invalid(void **state)
{
	(void)state;
	check_invalid(ioc_parse_btc, btc_invalid, sizeof btc_invalid / sizeof btc_invalid[0]);
}

/* Every single-character change of a valid address must be refused: the
 * checksums catch any one substitution. */
static void test_btc_every_substitution(void **state)
{
	(void)state;
	static const char *addrs[] = {
	        "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
	        "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
	        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
	        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
	};
	static const char subst[] =
	        "qpzry9x8gf2tvdw0s3jn54khce6mua7l123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
	for (size_t a = 0; a < sizeof addrs / sizeof addrs[0]; a++) {
		char buf[128];
		size_t n = strlen(addrs[a]);
		size_t first = addrs[a][0] == 'b' ? 4 : 1; /* keep the prefix and version */
		for (size_t i = first; i < n; i++)
			for (const char *c = subst; *c != '\0'; c++) {
				if (*c == addrs[a][i])
					continue;
				memcpy(buf, addrs[a], n + 1);
				buf[i] = *c;
				struct ioc_value out;
				if (ioc_parse_btc(buf, n, &out, NULL) == 0)
					fail_msg("accepted %s", buf);
			}
	}
}

static void test_eth_valid(void **state)
{
	(void)state;
	check_valid(ioc_parse_eth, IOC_ETH, eth_valid, sizeof eth_valid / sizeof eth_valid[0]);
}

static void test_eth_invalid(void **state)
{
	(void)state;
	check_invalid(ioc_parse_eth, eth_invalid, sizeof eth_invalid / sizeof eth_invalid[0]);
}

/* Flipping the case of any one letter of an EIP-55 address breaks it. */
static void test_eth_every_case_flip(void **state)
{
	(void)state;
	const char *addr = "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB";
	size_t n = strlen(addr);
	size_t flips = 0;
	for (size_t i = 2; i < n; i++) {
		char buf[64];
		memcpy(buf, addr, n + 1);
		if (buf[i] >= 'a' && buf[i] <= 'f')
			buf[i] = (char)(buf[i] - 32);
		else if (buf[i] >= 'A' && buf[i] <= 'F')
			buf[i] = (char)(buf[i] + 32);
		else
			continue;
		struct ioc_value out;
		struct crix_error err = {0};
		assert_int_equal(ioc_parse_eth(buf, n, &out, &err), CRIX_EINVAL);
		assert_non_null(strstr(err.msg, "EIP-55"));
		flips++;
	}
	assert_true(flips > 10);
}

static void hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* Keccak-256, not SHA3-256 (whose digest of "" begins a7ffc6f8). */
static void test_keccak256(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		const char *want;
	} cases[] = {
	        {"", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"},
	        {"abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"},
	        {"The quick brown fox jumps over the lazy dog",
	         "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint8_t d[32];
		char got[65];
		ioc_keccak256(cases[i].in, strlen(cases[i].in), d);
		hex(d, sizeof d, got);
		assert_string_equal(got, cases[i].want);
	}
}

/* Inputs of 135, 136 and 137 bytes: the padding fits in the last block,
 * needs a block of its own, and follows one full block. */
static void test_keccak256_block_edges(void **state)
{
	(void)state;
	static const struct {
		size_t n;
		const char *want;
	} cases[] = {
	        {135, "34367dc248bbd832f4e3e69dfaac2f92638bd0bbd18f2912ba4ef454919cf446"},
	        {136, "a6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e"},
	        {137, "d869f639c7046b4929fc92a4d988a8b22c55fbadb802c0c66ebcd484f1915f39"},
	};
	uint8_t in[137];
	memset(in, 'a', sizeof in);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint8_t d[32];
		char got[65];
		ioc_keccak256(in, cases[i].n, d);
		hex(d, sizeof d, got);
		assert_string_equal(got, cases[i].want);
	}
}

/* Through the public entry point: trimming and dispatch. */
static void test_dispatch(void **state)
{
	(void)state;
	struct ioc_value out;
	struct crix_error err = {0};
	const char *btc = " BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4\n";
	assert_int_equal(ioc_parse(NULL, IOC_BTC, btc, strlen(btc), NULL, &out, &err), 0);
	assert_string_equal(out.v, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4");
	const char *eth = "\t0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed ";
	assert_int_equal(ioc_parse(NULL, IOC_ETH, eth, strlen(eth), NULL, &out, &err), 0);
	assert_string_equal(out.v, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_btc_valid),
	        cmocka_unit_test(test_btc_invalid),
	        cmocka_unit_test(test_btc_every_substitution),
	        cmocka_unit_test(test_eth_valid),
	        cmocka_unit_test(test_eth_invalid),
	        cmocka_unit_test(test_eth_every_case_flip),
	        cmocka_unit_test(test_keccak256),
	        cmocka_unit_test(test_keccak256_block_edges),
	        cmocka_unit_test(test_dispatch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
