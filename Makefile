# Makefile - the entry point: `make run` and `make test` on a fresh Debian
# machine.  CMake does the real build; this file installs what is missing,
# configures and drives it.
#
#   make deps        install the Debian packages below if any is missing
#   make build-deps  only those that building cleave needs (the GitHub
#                    Action runs it; EXTRA_PACKAGES=... adds more)
#   make build       configure build/ (RelWithDebInfo) and build
#   make run         build, then analyse fixtures/demo into out/ (its cache too)
#   make test        sanitized, -Werror build in build-test/, then ctest
#                    (which also runs each fuzz target of build-fuzz/ for a
#                    few seconds)
#   make fuzz        the fuzz build in build-fuzz/ (clang, libFuzzer), then
#                    each target for FUZZ_SECONDS (default 600) on its kept
#                    corpus
#   make install     build, then install under PREFIX (default /usr/local;
#                    DESTDIR=... stages it elsewhere): the program, man
#                    pages, bash and zsh completion, JSON Schemas, docs
#   make uninstall   remove what the last `make install` wrote, from
#                    build/install_manifest.txt (give the same DESTDIR)
#   make deb         the Debian package, build-deb/cleave_<version>_<arch>.deb
#                    (`apt install ./build-deb/cleave_*.deb` installs it)
#   make clean       remove build/, build-test/, build-fuzz/, build-deb/, out/, .cleave-cache/
#                    and the caches left in fixtures/ by scans without --cache-dir

BUILD_DIR := build
TEST_DIR := build-test
OUT_DIR := out
JOBS := $(shell nproc 2>/dev/null || echo 2)
PREFIX := /usr/local
DESTDIR :=

# What building cleave needs.
BUILD_PACKAGES := cmake make gcc pkg-config libclang-dev libcjson-dev libgraphviz-dev
# What CPack's DEB generator runs (make deb, the deb_package test):
# dpkg-shlibdeps (dpkg-dev) and file.
DEB_PACKAGES := dpkg-dev file
# What the tests need: Python 3; graphviz (dot reads cleave's DOT back);
# python3-jsonschema and python3-rfc3987 (its "uri" formats) to validate
# SARIF against tests/data/sarif-schema-2.1.0.json and every JSON file
# against docs/*.schema.json; python3-yaml (action.yml and the workflow
# example); zsh (the completion test); groff-base (man pages render);
# chromium, chromium-driver and python3-selenium (the HTML report is tested
# in a headless browser, tests/e2e/report_browser.py).
TEST_PACKAGES := python3 graphviz python3-jsonschema python3-rfc3987 python3-yaml zsh groff-base \
	chromium chromium-driver python3-selenium
# The fuzz build (tests/fuzz/, docs/security.md#fuzzing), which `make test`
# runs too: clang and its libFuzzer and sanitizer runtimes, of the LLVM
# that libclang-dev is.
FUZZ_PACKAGES := clang-14 libclang-rt-14-dev
DEBIAN_PACKAGES := $(BUILD_PACKAGES) $(DEB_PACKAGES) $(TEST_PACKAGES) $(FUZZ_PACKAGES)
EXTRA_PACKAGES :=

# The fuzz build is a CMake build of its own with clang; `make test` runs
# each target FUZZ_TEST_SECONDS, `make fuzz` FUZZ_SECONDS.
FUZZ_DIR := build-fuzz
FUZZ_CC := clang-14
FUZZ_SECONDS := 600
FUZZ_TEST_SECONDS := 5

# cmake --build runs make again; its "Entering directory" lines are noise.
MAKEFLAGS += --no-print-directory

.PHONY: all deps build-deps build run test fuzz-build fuzz install uninstall deb clean
all: build

# $(call install_missing,PACKAGES): dpkg-query reports each package that is
# not fully installed; apt-get runs only then, as root or through sudo.
define install_missing
	@command -v dpkg-query >/dev/null || { \
		echo "make: not a Debian system; install the equivalents of: $(1)"; \
		exit 0; }; \
	missing=""; \
	for p in $(1); do \
		dpkg-query -W -f='$${Status}\n' "$$p" 2>/dev/null | grep -q '^install ok installed$$' \
			|| missing="$$missing $$p"; \
	done; \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" -eq 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null; then sudo="sudo"; \
	else echo "make: missing Debian packages:$$missing; run make as root or install sudo" >&2; exit 1; fi; \
	echo "make: installing missing Debian packages:$$missing"; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update && \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing
endef

deps:
	$(call install_missing,$(DEBIAN_PACKAGES) $(EXTRA_PACKAGES))

build-deps:
	$(call install_missing,$(BUILD_PACKAGES) $(EXTRA_PACKAGES))

build: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The scan, then the plan from its graph (plan.json, the diagrams beside
# it); the ls fails the target when an output was not written.  The cache
# goes to out/ too: the default would be fixtures/demo/.cleave-cache.
run: build
	mkdir -p $(OUT_DIR)
	$(BUILD_DIR)/cleave scan fixtures/demo -o $(OUT_DIR)/graph.json --cache-dir $(OUT_DIR)/.cleave-cache
	$(BUILD_DIR)/cleave plan --graph $(OUT_DIR)/graph.json -o $(OUT_DIR)/plan
	@echo "outputs (graph.json: the dependency graph of fixtures/demo; plan/: its split plan and diagrams):"
	@ls -l $(OUT_DIR)/graph.json $(OUT_DIR)/plan/plan.json $(OUT_DIR)/plan/services.svg

# Optimised like `make build` (-O2 -g) but without -DNDEBUG, so assert()
# stays on in tests.  The sanitizer runtime options are set per test by
# tests/CMakeLists.txt.  gcc skips some -O2 warnings under sanitizers
# (-Wformat-truncation): `make build` can still show a warning this misses.
test: deps fuzz-build
	cmake -S . -B $(TEST_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g" \
		-DCLEAVE_SANITIZE=ON -DCLEAVE_WERROR=ON \
		-DCLEAVE_FUZZ_BUILD=$(CURDIR)/$(FUZZ_DIR) -DCLEAVE_FUZZ_TEST_SECONDS=$(FUZZ_TEST_SECONDS)
	cmake --build $(TEST_DIR) -j $(JOBS)
	cd $(TEST_DIR) && ctest --output-on-failure -j2

# -O1 -g as libFuzzer's documentation builds, without -DNDEBUG: asserts
# stay on.
fuzz-build:
	$(call install_missing,$(BUILD_PACKAGES) $(FUZZ_PACKAGES))
	CC=$(FUZZ_CC) cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g" -DCLEAVE_FUZZ=ON
	cmake --build $(FUZZ_DIR) -j $(JOBS)

fuzz: fuzz-build
	tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS)

# The prefix is given at configure time (it chooses the zsh directory too:
# cmake/CleaveInstall.cmake); reconfiguring build/ with another prefix
# recompiles nothing.  cmake --install records every file it writes in
# build/install_manifest.txt, which `make uninstall` reads.
install: build
	cmake -S . -B $(BUILD_DIR) -DCMAKE_INSTALL_PREFIX=$(PREFIX)
	DESTDIR=$(DESTDIR) cmake --install $(BUILD_DIR)

uninstall:
	DESTDIR=$(DESTDIR) cmake --build $(BUILD_DIR) --target uninstall

# The package build: the same three commands as the README's "Installing"
# section and the Dockerfile's build stage (tests/e2e/dockerfile.py checks
# that all three agree).
deb: build-deps
	$(call install_missing,$(DEB_PACKAGES))
	cmake -S . -B build-deb -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr -DBUILD_TESTING=OFF
	cmake --build build-deb -j"$$(nproc)"
	cpack --config build-deb/CPackConfig.cmake -B build-deb
	@ls -l build-deb/cleave_*.deb

clean:
	rm -rf $(BUILD_DIR) $(TEST_DIR) $(FUZZ_DIR) build-deb $(OUT_DIR) .cleave-cache fixtures/*/.cleave-cache
