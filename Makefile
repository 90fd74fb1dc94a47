# iom: `make run` and `make test` are the two commands a newcomer needs (see README.md).
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build
ASAN_BUILD ?= build-asan
DEMO_DB ?= demo/iom.db
FRESH ?= 0
# The PostgreSQL run waits on round trips to the cluster more than on the CPU: one test more
# than the cores keeps them busy (2 cores: -j2 545 s, -j3 377 s; docs/performance.md).
PG_JOBS ?= $(shell echo $$(( $(JOBS) + 1 )))

.PHONY: all deps build build-asan test test-fast test-pg run demo bench fuzz clean screenshots

all: build

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

build-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-g -O1" -DIOM_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)

# Test databases live in memory-backed /dev/shm when there is one: the tests commit
# thousands of small transactions, each an fsync on disk. Same code, faster storage.
TEST_TMP ?= $(shell [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm || echo /tmp)

# Every test, then the whole suite again under ASan + UBSan, then on PostgreSQL (a throw-away
# cluster: scripts/test-pg.sh) with the PostgreSQL schema's own checks.
test: build build-asan
	@echo "== ctest (release build)"
	@TMPDIR=$(TEST_TMP) ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)
	@echo "== ctest (AddressSanitizer + UndefinedBehaviorSanitizer build)"
	@TMPDIR=$(TEST_TMP) ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)
	@echo "== ctest on PostgreSQL (release build, throw-away cluster)"
	@TMPDIR=$(TEST_TMP) bash scripts/test-pg.sh $(BUILD) -j $(PG_JOBS)
	@echo "== PostgreSQL schema checks"
	@TMPDIR=$(TEST_TMP) bash tests/pg/schema_check.sh $(BUILD)/iom

# The suite on PostgreSQL only (release build).
test-pg: build
	@TMPDIR=$(TEST_TMP) bash scripts/test-pg.sh $(BUILD) -j $(PG_JOBS)

test-fast: build
	@TMPDIR=$(TEST_TMP) ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

run: build
	@mkdir -p $(dir $(DEMO_DB))
	@FRESH=$(FRESH) bash scripts/run-demo.sh $(BUILD)/iom $(DEMO_DB)

# The web UI's main pages as PNG (docs/screenshots/, shown in README.md): a fresh demo database,
# iom serve and headless chromium (tests/web/screenshots.mjs). Not part of `make test`.
screenshots: build
	@node tests/web/screenshots.mjs $(BUILD)/iom docs/screenshots

bench: build
	@bash scripts/install-deps.sh bench
	@cmake --build $(BUILD) --target benches -j $(JOBS)
	@bash scripts/run-benches.sh $(BUILD)

fuzz:
	@bash scripts/install-deps.sh fuzz
	@bash scripts/run-fuzz.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
