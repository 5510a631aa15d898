#!/usr/bin/env bash
# normalize.sh - drives `crix normalize` and checks it against docs/cli.md:
# a valid value of each type prints its canonical form (exit 0), an invalid
# one a reason on stderr (exit 1), an unknown type exits 2, and "auto" prints
# "TYPE VALUE".
#     env CRIX=$PWD/build/crix bash tests/system/normalize.sh
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/system/lib.sh
. "$ROOT/tests/system/lib.sh"
cd "$T" || fail "cannot cd to $T"

# ok TYPE VALUE CANONICAL [OPTION...]: normalize prints CANONICAL, exit 0.
ok()
{
	local type=$1 value=$2 want=$3
	shift 3
	expect_exit 0 normalize "$@" "$type" "$value"
	expect_eq "$(cat "$OUT")" "$want" "crix normalize $* $type '$value'"
	[ "$(wc -l <"$OUT")" -eq 1 ] || fail "crix normalize $type '$value': want one line of output"
}

# bad TYPE VALUE [WORD]: normalize refuses VALUE with exit 1 and a reason
# "crix normalize: ..." on stderr (mentioning WORD when given), nothing on stdout.
bad()
{
	expect_exit 1 normalize "$1" "$2"
	expect_empty "$OUT" "stdout of crix normalize $1 '$2'"
	expect_contains "$ERR" "crix normalize: " "stderr of crix normalize $1 '$2'"
	[ $# -lt 3 ] || expect_contains "$ERR" "$3" "stderr of crix normalize $1 '$2'"
}

check "help"
expect_exit 0 normalize --help
expect_contains "$OUT" auto "crix normalize --help"
expect_contains "$OUT" --country "crix normalize --help"
cp "$OUT" help.txt
expect_exit 0 help normalize
expect_same_file "$OUT" help.txt "crix help normalize"

check "ipv4"
ok ipv4 198.51.100.7 198.51.100.7
bad ipv4 01.2.3.4 "leading zero"
bad ipv4 256.1.1.1
bad ipv4 1.2.3
bad ipv4 1.2.3.4.5
check "ipv6"
ok ipv6 2001:0DB8:0000:0000:0000:0000:0000:0001 2001:db8::1
ok ipv6 2001:db8:0:0:1:0:0:1 2001:db8::1:0:0:1
ok ipv6 ::ffff:192.0.2.1 ::ffff:192.0.2.1
bad ipv6 12:30:45
bad ipv6 2001:db8::1::2
check "cidr4"
ok cidr4 10.1.2.3/8 10.0.0.0/8
ok cidr4 198.51.100.7/32 198.51.100.7/32
bad cidr4 10.0.0.0/33
bad cidr4 2001:db8::/32
check "cidr6"
ok cidr6 2001:DB8:1::/32 2001:db8::/32
bad cidr6 2001:db8::/129
check "domain"
ok domain EVIL.COM evil.com
ok domain www.example.com. www.example.com
ok domain a.b.example.co.uk a.b.example.co.uk
ok domain bücher.de xn--bcher-kva.de
bad domain co.uk
bad domain localhost
bad domain -evil.com
bad domain evil_host.com
check "url"
ok url http://Evil.COM http://evil.com/
ok url HTTP://Evil.COM:80/a/./b/../c http://evil.com/a/c
ok url https://evil.com:443/%7e%2f?q=1#Frag https://evil.com/~%2F?q=1#Frag
ok url https://evil.com:8443/x https://evil.com:8443/x
bad url 'javascript:alert(1)'
bad url http://
check "email"
ok email Bob.Smith@Example.COM Bob.Smith@example.com
bad email user@localhost
bad email bob@@evil.com
bad email bob..smith@evil.com
check "hashes"
ok md5 D41D8CD98F00B204E9800998ECF8427E d41d8cd98f00b204e9800998ecf8427e
ok sha1 DA39A3EE5E6B4B0D3255BFEF95601890AFD80709 da39a3ee5e6b4b0d3255bfef95601890afd80709
ok sha256 E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855 \
	e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
sha512=cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e
ok sha512 "${sha512^^}" "$sha512"
bad md5 d41d8cd98f00b204e9800998ecf8427 # 31 digits
bad sha1 da39a3ee5e6b4b0d3255bfef95601890afd8070g
bad sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85
check "phone"
ok phone '+44 20 7946 0958' +442079460958
ok phone '+1 (555) 123-4567' +15551234567
ok phone '0044 20 7946 0958' +442079460958
ok phone '020 7946 0958' +442079460958 --country GB
bad phone '020 7946 0958'
bad phone 12345
check "iban"
ok iban GB82WEST12345698765432 GB82WEST12345698765432
ok iban 'GB82 WEST 1234 5698 7654 32' GB82WEST12345698765432
bad iban GB83WEST12345698765432
check "card"
ok card 4111111111111111 411111******1111
ok card '4111 1111 1111 1111' 411111******1111
bad card 4111111111111112
check "btc"
ok btc 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa
ok btc BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4 bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4
bad btc 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb
bad btc bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5
check "eth"
ok eth 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed
ok eth 0x52908400098527886E0F7030069857D2E4169EE7 0x52908400098527886e0f7030069857d2e4169ee7
bad eth 0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed
bad eth 0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea
check "asn"
ok asn AS13335 AS13335
ok asn 'ASN 13335' AS13335
ok asn asn13335 AS13335
bad asn AS0
bad asn ASAP
bad asn AS4294967295
check "cve"
ok cve cve-2021-44228 CVE-2021-44228
ok cve CVE-2024-123456 CVE-2024-123456
bad cve CVE-1998-1234
bad cve CVE-2021-123

check "unknown type"
expect_exit 2 normalize bogotype 198.51.100.7
expect_empty "$OUT" "stdout of crix normalize bogotype"
expect_contains "$ERR" bogotype "stderr of crix normalize bogotype"

check "missing VALUE"
run normalize ipv4
[ "$RC" -ne 0 ] || fail "crix normalize ipv4 (no VALUE) exited 0"
[ -s "$ERR" ] || fail "crix normalize ipv4 (no VALUE) gave no message on stderr"

check "bad --country"
expect_exit 2 normalize --country GBR phone '020 7946 0958'
[ -s "$ERR" ] || fail "crix normalize --country GBR gave no message on stderr"

check "auto"
ok auto 198.51.100.7 'ipv4 198.51.100.7'
ok auto 2001:DB8::1 'ipv6 2001:db8::1'
ok auto 10.1.2.3/8 'cidr4 10.0.0.0/8'
ok auto EVIL.COM 'domain evil.com'
ok auto http://Evil.COM 'url http://evil.com/'
ok auto Bob@Example.COM 'email Bob@example.com'
ok auto D41D8CD98F00B204E9800998ECF8427E 'md5 d41d8cd98f00b204e9800998ecf8427e'
ok auto da39a3ee5e6b4b0d3255bfef95601890afd80709 'sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709'
ok auto 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed 'eth 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed'
ok auto '+44 20 7946 0958' 'phone +442079460958'
ok auto 'GB82 WEST 1234 5698 7654 32' 'iban GB82WEST12345698765432'
ok auto 4111111111111111 'card 411111******1111'
ok auto 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa 'btc 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'
ok auto AS13335 'asn AS13335'
ok auto cve-2021-44228 'cve CVE-2021-44228'

check "auto does not refang"
bad auto 'hxxp://evil[.]com/'
bad auto 'evil[.]com'
bad auto 'not an indicator'

done_ok
