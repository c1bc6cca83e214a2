# Makefile - the entry point: `make run` and `make test` on a fresh Debian
# machine.  CMake does the real build; this file installs what is missing,
# configures and drives it.
#
#   make deps   install the Debian packages below if any is missing
#   make build  configure build/ (RelWithDebInfo) and build
#   make run    build, then analyse fixtures/demo into out/ (its cache too)
#   make test   sanitized, -Werror build in build-test/, then ctest
#   make clean  remove build/, build-test/, out/, .cleave-cache/ and the
#               caches left in fixtures/ by scans without --cache-dir

BUILD_DIR := build
TEST_DIR := build-test
OUT_DIR := out
JOBS := $(shell nproc 2>/dev/null || echo 2)

# python3-jsonschema and python3-rfc3987 (its "uri" formats): the tests
# validate SARIF output against tests/data/sarif-schema-2.1.0.json.
# chromium, chromium-driver and python3-selenium: the HTML report is tested
# in a headless browser (tests/e2e/report_browser.py).
DEBIAN_PACKAGES := cmake make gcc pkg-config libclang-dev libcjson-dev \
	libgraphviz-dev graphviz python3 python3-jsonschema python3-rfc3987 \
	chromium chromium-driver python3-selenium

# cmake --build runs make again; its "Entering directory" lines are noise.
MAKEFLAGS += --no-print-directory

.PHONY: all deps build run test clean
all: build

# dpkg-query reports each package that is not fully installed; apt-get runs
# only then, as root or through sudo.
deps:
	@command -v dpkg-query >/dev/null || { \
		echo "make deps: not a Debian system; install the equivalents of: $(DEBIAN_PACKAGES)"; \
		exit 0; }; \
	missing=""; \
	for p in $(DEBIAN_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' "$$p" 2>/dev/null | grep -q '^install ok installed$$' \
			|| missing="$$missing $$p"; \
	done; \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" -eq 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null; then sudo="sudo"; \
	else echo "make deps: missing Debian packages:$$missing; run make as root or install sudo" >&2; exit 1; fi; \
	echo "make deps: installing missing Debian packages:$$missing"; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update && \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing

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
test: deps
	cmake -S . -B $(TEST_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g" \
		-DCLEAVE_SANITIZE=ON -DCLEAVE_WERROR=ON
	cmake --build $(TEST_DIR) -j $(JOBS)
	cd $(TEST_DIR) && ctest --output-on-failure -j2

clean:
	rm -rf $(BUILD_DIR) $(TEST_DIR) $(OUT_DIR) .cleave-cache fixtures/*/.cleave-cache
