/*
 * wallet.c - Bitcoin and Ethereum addresses, with their checksums verified.
 *
 * Bitcoin: base58check P2PKH ("1...") and P2SH ("3...") kept as written,
 * since base58 is case-sensitive; segwit bech32 (BIP-173) and bech32m
 * (BIP-350) with the mainnet prefix "bc", kept in lower case.  Testnet
 * addresses are refused: they move no real money.
 *
 * Ethereum: "0x" + 40 hex digits, stored in lower case.  A mixed-case address
 * carries an EIP-55 checksum (the case of each letter is a bit of the
 * Keccak-256 of the lower-case address), which must then match.
 */
#include "ioc/ioc_int.h"

#include <string.h>

#include <nettle/sha2.h>
#include <nettle/sha3.h>

#define B58_PAYLOAD     25 /* version byte, 20-byte hash, 4-byte checksum */
#define B58_MIN         25
#define B58_MAX         35
#define BECH32_MAX      90
#define BECH32_CHECKSUM 6
#define BECH32_CONST    1u
#define BECH32M_CONST   0x2bc830a3u
#define KECCAK256_RATE  136
#define ETH_HEX         40

/* ------------------------------------------------------------ base58 --- */

static const char b58_alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/* The value of a base58 digit, or -1 ('0', 'O', 'I' and 'l' are not digits). */
static int b58_value(unsigned char c)
{
	if (c == 0)
		return -1;
	const char *p = strchr(b58_alphabet, c);
	return p != NULL ? (int)(p - b58_alphabet) : -1;
}

/*
 * "1..." or "3...": decodes into exactly 25 bytes, the way Bitcoin Core does
 * (each leading '1' is one leading zero byte, then the number big-endian),
 * and checks the double-SHA-256 checksum and the version byte.
 */
static int parse_base58(const char *s, size_t n, struct ioc_value *out, struct crix_error *err)
{
	if (n < B58_MIN || n > B58_MAX)
		return crix_error_set(err, CRIX_EINVAL,
		                      "btc: base58 address has %zu characters, expected %d to %d",
		                      n, B58_MIN, B58_MAX);
	uint8_t b[B58_PAYLOAD] = {0};
	size_t zeros = 0;
	while (zeros < n && s[zeros] == '1')
		zeros++;
	for (size_t i = 0; i < n; i++) {
		int v = b58_value((unsigned char)s[i]);
		if (v < 0)
			return crix_error_set(err, CRIX_EINVAL,
			                      "btc: invalid base58 character at position %zu",
			                      i + 1);
		unsigned carry = (unsigned)v;
		for (size_t j = B58_PAYLOAD; j-- > 0;) {
			carry += 58u * b[j];
			b[j] = (uint8_t)carry;
			carry >>= 8;
		}
		if (carry != 0)
			return crix_error_set(err, CRIX_EINVAL,
			                      "btc: base58 value is longer than %d bytes",
			                      B58_PAYLOAD);
	}
	/* Exactly `zeros` leading zero bytes, one per leading '1', as in the
	 * variable-length decoding: a number spilling into them makes more than
	 * 25 bytes, one that leaves more of them zero makes fewer. */
	bool spill = zeros > B58_PAYLOAD;
	for (size_t j = 0; j < zeros && j < B58_PAYLOAD; j++)
		spill |= b[j] != 0;
	if (spill)
		return crix_error_set(err, CRIX_EINVAL, "btc: base58 value is longer than %d bytes",
		                      B58_PAYLOAD);
	if (zeros < B58_PAYLOAD && b[zeros] == 0)
		return crix_error_set(err, CRIX_EINVAL,
		                      "btc: base58 value is shorter than %d bytes", B58_PAYLOAD);
	uint8_t h[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	sha256_update(&ctx, B58_PAYLOAD - 4, b);
	sha256_digest(&ctx, sizeof h, h);
	sha256_init(&ctx);
	sha256_update(&ctx, sizeof h, h);
	sha256_digest(&ctx, sizeof h, h);
	if (memcmp(h, b + B58_PAYLOAD - 4, 4) != 0)
		return crix_error_set(err, CRIX_EINVAL, "btc: base58 checksum does not match");
	if (b[0] != 0x00 && b[0] != 0x05)
		return crix_error_set(err, CRIX_EINVAL,
		                      "btc: version byte 0x%02x is not mainnet P2PKH (0x00) "
		                      "or P2SH (0x05)",
		                      b[0]);
	return ioc_value_set(out, IOC_BTC, s, n, err);
}

/* ------------------------------------------------------------ bech32 --- */

static const char bech32_charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/* The BCH checksum of BIP-173 over values of 5 bits. */
static uint32_t bech32_polymod(const uint8_t *v, size_t n, uint32_t chk)
{
	static const uint32_t gen[5] = {0x3b6a57b2u, 0x26508e6du, 0x1ea119fau, 0x3d4233ddu,
	                                0x2a1462b3u};
	for (size_t i = 0; i < n; i++) {
		uint32_t top = chk >> 25;
		chk = ((chk & 0x1ffffffu) << 5) ^ v[i];
		for (unsigned k = 0; k < 5; k++)
			if ((top >> k) & 1u)
				chk ^= gen[k];
	}
	return chk;
}

/*
 * "bc1..." in one case: the checksum decides between bech32 and bech32m,
 * which must agree with the witness version (BIP-350), and the program
 * must be a whole number of bytes of an allowed length (BIP-141).
 */
static int parse_bech32(const char *s, size_t n, struct ioc_value *out, struct crix_error *err)
{
	if (n > BECH32_MAX)
		return crix_error_set(err, CRIX_EINVAL,
		                      "btc: bech32 address has %zu characters, at most %d", n,
		                      BECH32_MAX);
	bool lower = false, upper = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		lower |= c >= 'a' && c <= 'z';
		upper |= c >= 'A' && c <= 'Z';
	}
	if (lower && upper)
		return crix_error_set(err, CRIX_EINVAL, "btc: bech32 mixes upper and lower case");

	/* hrp "bc", separator, then the data part; the checksum covers
	 * the expanded hrp (high bits, 0, low bits) and the data. */
	uint8_t v[5 + BECH32_MAX];
	size_t nv = 0;
	v[nv++] = 'b' >> 5;
	v[nv++] = 'c' >> 5;
	v[nv++] = 0;
	v[nv++] = 'b' & 31;
	v[nv++] = 'c' & 31;
	size_t data = nv;
	for (size_t i = 3; i < n; i++) {
		unsigned char c = ioc_lower((unsigned char)s[i]);
		const char *p = c != 0 ? strchr(bech32_charset, c) : NULL;
		if (p == NULL)
			return crix_error_set(err, CRIX_EINVAL,
			                      "btc: invalid bech32 character at position %zu",
			                      i + 1);
		v[nv++] = (uint8_t)(p - bech32_charset);
	}
	size_t ndata = nv - data;
	if (ndata < BECH32_CHECKSUM + 1)
		return crix_error_set(err, CRIX_EINVAL, "btc: bech32 data part is empty");
	uint32_t chk = bech32_polymod(v, nv, 1);
	if (chk != BECH32_CONST && chk != BECH32M_CONST)
		return crix_error_set(err, CRIX_EINVAL, "btc: invalid bech32 checksum");

	unsigned version = v[data];
	if (version > 16)
		return crix_error_set(err, CRIX_EINVAL, "btc: witness version %u is above 16",
		                      version);
	if (version == 0 && chk != BECH32_CONST)
		return crix_error_set(err, CRIX_EINVAL,
		                      "btc: witness v0 must use bech32, not bech32m");
	if (version != 0 && chk != BECH32M_CONST)
		return crix_error_set(err, CRIX_EINVAL,
		                      "btc: witness v%u must use bech32m, not bech32", version);

	/* Regroup the program from 5-bit to 8-bit values: at most 4 bits of
	 * padding may be left over and they must be zero. */
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t prog = 0;
	for (size_t i = data + 1; i < nv - BECH32_CHECKSUM; i++) {
		acc = (acc << 5) | v[i];
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			prog++;
		}
	}
	if (bits > 4 || (acc & ((1u << bits) - 1)) != 0)
		return crix_error_set(err, CRIX_EINVAL, "btc: witness program has invalid padding");
	if (prog < 2 || prog > 40)
		return crix_error_set(err, CRIX_EINVAL,
		                      "btc: witness program of %zu bytes, expected 2 to 40", prog);
	if (version == 0 && prog != 20 && prog != 32)
		return crix_error_set(err, CRIX_EINVAL,
		                      "btc: witness v0 program must be 20 or 32 bytes, not %zu",
		                      prog);

	for (size_t i = 0; i < n; i++)
		out->v[i] = (char)ioc_lower((unsigned char)s[i]);
	out->v[n] = '\0';
	out->len = n;
	out->type = IOC_BTC;
	return 0;
}

/*
 * A mainnet Bitcoin address.  The first characters choose the encoding;
 * testnet and regtest prefixes get their own message.
 */
int ioc_parse_btc(const char *s, size_t n, struct ioc_value *out, struct crix_error *err)
{
	if (n >= 3 && ioc_lower((unsigned char)s[0]) == 'b' &&
	    ioc_lower((unsigned char)s[1]) == 'c' && s[2] == '1')
		return parse_bech32(s, n, out, err);
	if (n >= 1 && (s[0] == '1' || s[0] == '3'))
		return parse_base58(s, n, out, err);
	if (n >= 1 &&
	    (s[0] == 'm' || s[0] == 'n' || s[0] == '2' ||
	     (n >= 3 && ioc_lower((unsigned char)s[0]) == 't' &&
	      ioc_lower((unsigned char)s[1]) == 'b' && s[2] == '1') ||
	     (n >= 5 && ioc_lower((unsigned char)s[0]) == 'b' &&
	      ioc_lower((unsigned char)s[1]) == 'c' && ioc_lower((unsigned char)s[2]) == 'r' &&
	      ioc_lower((unsigned char)s[3]) == 't' && s[4] == '1')))
		return crix_error_set(err, CRIX_EINVAL,
		                      "btc: testnet and regtest addresses are not accepted");
	return crix_error_set(err, CRIX_EINVAL,
	                      "btc: expected an address starting with 1, 3 or bc1");
}

/* --------------------------------------------------------- keccak256 --- */

/* XORs one 136-byte block into the state, lanes little-endian. */
static void keccak_absorb(struct sha3_state *st, const uint8_t *block)
{
	for (size_t i = 0; i < KECCAK256_RATE / 8; i++) {
		uint64_t lane = 0;
		for (unsigned k = 0; k < 8; k++)
			lane |= (uint64_t)block[8 * i + k] << (8 * k);
		st->a[i] ^= lane;
	}
	sha3_permute(st);
}

/*
 * The original Keccak-256 that Ethereum adopted before SHA-3 was
 * standardised: the same permutation as SHA3-256 but padding 0x01..0x80
 * instead of 0x06..0x80, so nettle's sha3_256 gives other digests.
 */
void ioc_keccak256(const void *data, size_t n, uint8_t digest[32])
{
	const uint8_t *p = data;
	struct sha3_state st;
	uint8_t block[KECCAK256_RATE];
	memset(&st, 0, sizeof st);
	for (; n >= KECCAK256_RATE; p += KECCAK256_RATE, n -= KECCAK256_RATE)
		keccak_absorb(&st, p);
	memset(block, 0, sizeof block);
	if (n > 0)
		memcpy(block, p, n);
	block[n] ^= 0x01;
	block[KECCAK256_RATE - 1] ^= 0x80;
	keccak_absorb(&st, block);
	for (unsigned i = 0; i < 32; i++)
		digest[i] = (uint8_t)(st.a[i / 8] >> (8 * (i % 8)));
}

/* ---------------------------------------------------------- ethereum --- */

/*
 * "0x" + 40 hex digits.  One-case addresses carry no checksum and are
 * accepted as they are; mixed case must be exactly the EIP-55 spelling.
 */
int ioc_parse_eth(const char *s, size_t n, struct ioc_value *out, struct crix_error *err)
{
	if (n != 2 + ETH_HEX || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return crix_error_set(err, CRIX_EINVAL, "eth: expected 0x and 40 hex digits");
	char hex[ETH_HEX];
	bool lower = false, upper = false;
	for (size_t i = 0; i < ETH_HEX; i++) {
		unsigned char c = (unsigned char)s[2 + i];
		if (!ioc_is_hex(c))
			return crix_error_set(
			        err, CRIX_EINVAL,
			        "eth: expected 0x and 40 hex digits (invalid character "
			        "at position %zu)",
			        i + 3);
		lower |= c >= 'a' && c <= 'f';
		upper |= c >= 'A' && c <= 'F';
		hex[i] = (char)ioc_lower(c);
	}
	if (lower && upper) {
		uint8_t h[32];
		ioc_keccak256(hex, sizeof hex, h);
		for (size_t i = 0; i < ETH_HEX; i++) {
			unsigned char c = (unsigned char)s[2 + i];
			if (ioc_is_digit(c))
				continue;
			unsigned nibble = (i % 2 == 0) ? h[i / 2] >> 4 : h[i / 2] & 15u;
			bool want_upper = nibble >= 8;
			if (want_upper != (c >= 'A' && c <= 'F'))
				return crix_error_set(err, CRIX_EINVAL,
				                      "eth: EIP-55 checksum does not match "
				                      "(mixed case)");
		}
	}
	out->v[0] = '0';
	out->v[1] = 'x';
	memcpy(out->v + 2, hex, sizeof hex);
	out->v[2 + ETH_HEX] = '\0';
	out->len = 2 + ETH_HEX;
	out->type = IOC_ETH;
	return 0;
}
