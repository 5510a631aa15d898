#include "util/secret.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

int secret_init(struct crix_error *err)
{
	if (sodium_init() < 0)
		return crix_error_set(err, CRIX_EIO, "libsodium could not initialise");
	return 0;
}

void secret_random(void *out, size_t n)
{
	randombytes_buf(out, n);
}

int secret_key_load(const char *path, unsigned char key[SECRET_KEY_LEN], struct crix_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t n = read(fd, key, SECRET_KEY_LEN);
		close(fd);
		if (n != SECRET_KEY_LEN)
			return crix_error_set(err, CRIX_EIO, "%s: a key file must hold %d bytes",
			                      path, SECRET_KEY_LEN);
		return 0;
	}
	if (errno != ENOENT)
		return crix_error_set(err, CRIX_EIO, "%s: %s", path, strerror(errno));
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return crix_error_set(err, CRIX_EIO, "%s: %s", path, strerror(errno));
	randombytes_buf(key, SECRET_KEY_LEN);
	int ok = write(fd, key, SECRET_KEY_LEN) == SECRET_KEY_LEN && fsync(fd) == 0;
	int e = errno;
	close(fd);
	if (!ok) {
		unlink(path);
		return crix_error_set(err, CRIX_EIO, "%s: %s", path, strerror(e));
	}
	/* The key protects every stored token: make its directory entry durable
	 * too before anything is hashed with it. */
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash != NULL)
		*slash = '\0';
	int dfd = open(slash != NULL ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

void secret_token(const char *prefix, char out[SECRET_TOKEN_MAX])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	size_t pl = strlen(prefix);
	if (pl > 16)
		pl = 16;
	memcpy(out, prefix, pl);
	sodium_bin2base64(out + pl, SECRET_TOKEN_MAX - pl, raw, sizeof raw,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

void secret_keyed_hash(const unsigned char key[SECRET_KEY_LEN], const char *s, size_t n,
                       char out[SECRET_HASH_HEX])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)s, n, key, SECRET_KEY_LEN);
	sodium_bin2hex(out, SECRET_HASH_HEX, h, sizeof h);
}

int secret_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return 0;
	return sodium_memcmp(a, b, la) == 0;
}

int secret_password_hash(const char *password, char out[SECRET_PWHASH_MAX], struct crix_error *err)
{
	size_t n = strlen(password);
	if (n < 8)
		return crix_error_set(err, CRIX_EINVAL, "password: must be at least 8 characters");
	if (n > 1024)
		return crix_error_set(err, CRIX_EINVAL, "password: longer than 1024 bytes");
	if (crypto_pwhash_str_alg(out, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                          crypto_pwhash_MEMLIMIT_INTERACTIVE,
	                          crypto_pwhash_ALG_ARGON2ID13) != 0)
		return crix_error_set(err, CRIX_ENOMEM, "password: out of memory hashing it");
	return 0;
}

int secret_password_verify(const char *hash, const char *password)
{
	size_t n = strlen(password);
	if (n > 1024)
		return 0;
	return crypto_pwhash_str_verify(hash, password, n) == 0;
}
