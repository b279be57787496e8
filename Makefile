# PipCanary - `make` builds build/pipcanary; `make check` runs every test;
# `make demo` scans the examples on the local fixture index.
# Dependencies are Debian packages: `make deps` installs them (as root).

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= gcc
SANITIZE ?=

PKGS     := libcurl jansson
WARN     := -Wall -Wextra -Wshadow -Wformat=2 -Werror
HARDEN   := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=gnu11 $(WARN) $(HARDEN) $(CFLAGS) -MMD -MP \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
	-DPIPCANARY_RULES_DIR='"$(RULES_DIR)"' -DPIPCANARY_PROBE_DIR='"$(PROBE_DIR)"'
LDFLAGS_ALL = -pie -Wl,-z,relro,-z,now $(LDFLAGS)
LIBS     := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lcurl -ljansson) -lm

ifeq ($(SANITIZE),1)
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -O1
LDFLAGS_ALL += -fsanitize=address,undefined
HARDEN   := -fstack-protector-strong -fPIE
endif

# Rules and the probe are found next to the source tree when run from it;
# `make install` builds with the installed paths.
RULES_DIR ?= $(CURDIR)/rules
PROBE_DIR ?= $(CURDIR)/probe

SRC      := $(sort $(wildcard src/*.c))
LIB_SRC  := $(filter-out src/main.c,$(SRC))
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# Fuzz targets (tests/fuzz/) built with replay.c's main: `make check`
# replays their seed corpus and crash regressions (scripts/fuzz.sh fuzzes).
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=$(BUILD)/fuzz/replay_%)

.PHONY: all deps check unit-tests integration demo install format lint \
	index bench fuzz clean
all: $(BUILD)/pipcanary

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libpipcanary.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/pipcanary: $(BUILD)/obj/main.o $(BUILD)/libpipcanary.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libpipcanary.a tests/unit/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-unused-parameter -Isrc -o $@ $< \
		$(BUILD)/libpipcanary.a $(LDFLAGS_ALL) -lcmocka $(LIBS)

$(BUILD)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(BUILD)/libpipcanary.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ tests/fuzz/fuzz_$*.c tests/fuzz/replay.c \
		$(BUILD)/libpipcanary.a $(LDFLAGS_ALL) $(LIBS)

unit-tests: $(UNIT_BIN) $(FUZZ_BIN)

deps:
	@scripts/deps.sh install

# Every test: unit (plain and sanitizer), lint, the fixture index,
# integration. Ends with one line "N passed, N failed".
check:
	@scripts/deps.sh ensure
	@$(MAKE) --no-print-directory all unit-tests
	@$(MAKE) --no-print-directory BUILD=build/asan SANITIZE=1 all unit-tests
	@scripts/check.sh

# The fixture index (tests/fixtures/): built once, reused while its inputs
# are unchanged.
index:
	@python3 tests/fixtures/build_index.py --out $(BUILD)/index

demo:
	@scripts/deps.sh ensure
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

bench:
	@scripts/deps.sh ensure
	@$(MAKE) --no-print-directory all
	@scripts/bench.sh

fuzz:
	@scripts/fuzz.sh $(FUZZ_SECONDS)

install:
	@$(MAKE) --no-print-directory BUILD=build/install \
		RULES_DIR=$(PREFIX)/share/pipcanary/rules \
		PROBE_DIR=$(PREFIX)/share/pipcanary/probe all
	install -D -m 0755 build/install/pipcanary $(DESTDIR)$(PREFIX)/bin/pipcanary
	install -D -m 0644 rules/default.rules $(DESTDIR)$(PREFIX)/share/pipcanary/rules/default.rules
	install -d $(DESTDIR)$(PREFIX)/share/pipcanary/probe
	install -m 0644 probe/*.py $(DESTDIR)$(PREFIX)/share/pipcanary/probe/
	install -D -m 0644 docs/pipcanary.1 $(DESTDIR)$(PREFIX)/share/man/man1/pipcanary.1
	install -D -m 0644 completions/pipcanary.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/pipcanary
	install -D -m 0644 completions/_pipcanary $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_pipcanary

format:
	clang-format -i src/*.c src/*.h tests/unit/*.c tests/unit/*.h

lint:
	@cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
		--inline-suppr --std=c11 -D__GNUC__ -Isrc \
		--suppress=missingIncludeSystem --suppress=varFuncNullUB src tests/unit tests/fuzz
	@echo "lint: clean"

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(BUILD)/obj/main.d
