# crix - build, test and benchmark.  `make run` and `make check` are the two
# commands a newcomer needs; both install missing Debian packages first.

CC      ?= gcc
FUZZCC  ?= clang-14
PKGS    := libidn2 libpsl nettle zlib jansson libmicrohttpd sqlite3 libsodium libmagic libcurl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wvla -Wpointer-arith -Wundef -Wnull-dereference -Wimplicit-fallthrough
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
OPT     ?= -O2 -g
CFLAGS_ALL = $(CSTD) $(OPT) $(WARN) -Isrc $(PKG_CFLAGS) $(CFLAGS)
LDLIBS_ALL = $(PKG_LIBS) -lpthread -lm $(LDLIBS)

B       := build
LIB_SRC := $(shell find src -name '*.c' ! -path 'src/crix.c' | sort)
CLI_SRC := src/crix.c
HDRS    := $(shell find src -name '*.h')
UNIT_SRC := $(shell find tests/unit -name 'test_*.c' | sort)
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)

OBJ      := $(LIB_SRC:%.c=$(B)/obj/%.o)
UNIT_BIN := $(UNIT_SRC:%.c=$(B)/%)
ASAN_OBJ := $(LIB_SRC:%.c=$(B)/asan/%.o)
ASAN_UNIT := $(UNIT_SRC:%.c=$(B)/asan/%)
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=$(B)/fuzz/%)
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

FUZZ_SECONDS ?= 5

.PHONY: all deps run check unit system fuzz asan lint format bench clean
all: $(B)/crix

deps:
	@./scripts/install-deps

$(B)/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

# The OpenAPI document is built into the binary (src/api/meta.c).
$(B)/obj/src/api/meta.o $(B)/asan/src/api/meta.o: docs/openapi.json

$(B)/libcrix.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/crix: $(CLI_SRC) $(B)/libcrix.a
	$(CC) $(CFLAGS_ALL) $(CLI_SRC) $(B)/libcrix.a $(LDLIBS_ALL) -o $@

$(B)/tests/%: tests/%.c $(B)/libcrix.a $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests $< $(B)/libcrix.a $(LDLIBS_ALL) -lcmocka -o $@

# The same library and unit tests under AddressSanitizer + UBSan.
$(B)/asan/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -O1 $(SAN) -c $< -o $@

$(B)/asan/libcrix.a: $(ASAN_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/asan/tests/%: tests/%.c $(B)/asan/libcrix.a $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -O1 $(SAN) -Itests $< $(B)/asan/libcrix.a $(LDLIBS_ALL) -lcmocka -o $@

$(B)/asan/crix: $(CLI_SRC) $(B)/asan/libcrix.a
	$(CC) $(CFLAGS_ALL) -O1 $(SAN) $(CLI_SRC) $(B)/asan/libcrix.a $(LDLIBS_ALL) -o $@

# libFuzzer targets: clang-14 with ASan + UBSan, library sources compiled in.
$(B)/fuzz/%: fuzz/%.c $(LIB_SRC) $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZCC) $(CSTD) -O1 -g -Isrc $(PKG_CFLAGS) -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=all $< $(LIB_SRC) $(PKG_LIBS) -lpthread -lm -o $@

run: deps $(B)/crix
	./scripts/run-demo

check: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory $(UNIT_BIN) $(FUZZ_BIN) $(ASAN_UNIT) $(B)/asan/crix
	@B=$(B) ./tests/run-all

unit: $(UNIT_BIN)
	@B=$(B) ./tests/run-all unit

lint:
	@./scripts/lint

format:
	clang-format -i $$(find src tests fuzz bench -name '*.[ch]')

bench: deps $(B)/crix
	@$(MAKE) --no-print-directory -C . $(B)/bench/gen-text $(B)/bench/gen-iocs \
	  $(B)/bench/gen-access-log
	@B=$(B) ./bench/run
	@B=$(B) ./bench/scan-run
	@$(MAKE) --no-print-directory -C . $(B)/bench/gen-reports $(B)/bench/sqlite-floor
	@B=$(B) ./bench/intake-run
	@$(MAKE) --no-print-directory -C . $(B)/bench/corr-bench $(B)/bench/stats-bench
	@$(B)/bench/corr-bench
	@$(B)/bench/stats-bench
	@CRIX=$(B)/crix node bench/share-bench.mjs

$(B)/bench/%: bench/%.c bench/rng.h
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) -O2 -Wall -Wextra -Werror $< -o $@

# The correlation and statistics benchmarks run the library itself.
$(B)/bench/corr-bench $(B)/bench/stats-bench $(B)/bench/scan-bench: $(B)/bench/%: bench/%.c bench/rng.h $(B)/libcrix.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Ibench $< $(B)/libcrix.a $(LDLIBS_ALL) -o $@

# The durable-commit peer of bench/intake-run links SQLite.
$(B)/bench/sqlite-floor: bench/sqlite-floor.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) -O2 -Wall -Wextra -Werror $< -o $@ -lsqlite3

clean:
	rm -rf $(B)
