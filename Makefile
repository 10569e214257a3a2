# Casebook — the two commands of the README, and a few more.
#
#   make run     install what is missing, build, start Casebook
#   make check   install what is missing, build, run every test
#   make bench   optimised benchmarks at 1,000 / 10,000 / 156,000 cases
#   make fuzz    the CSV import fuzzer for a bounded time (FUZZ_SECONDS)
#   make valgrind every test program (model and UI) under valgrind memcheck

BUILD        ?= _build
ASAN_BUILD   ?= _build-asan
BENCH_BUILD  ?= _build-bench
VALGRIND_BUILD     ?= _build-valgrind
VALGRIND_GUI_BUILD ?= _build-valgrind-gui
FUZZ_SECONDS ?= 60
BENCH_SIZES  ?= 1000,10000,156000

# Debian 12 packages for building, running and testing.
PACKAGES = \
	gcc pkg-config meson ninja-build gettext \
	libgtk-4-dev libgtk-4-bin libadwaita-1-dev librsvg2-common \
	libsqlite3-dev sqlite3 libxlsxwriter-dev libglib-testing-0-dev \
	appstream desktop-file-utils xvfb xauth dbus \
	python3 python3-openpyxl python3-xlsxwriter poppler-utils \
	valgrind

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
XVFB := xvfb-run -a -s "-screen 0 1280x1024x24"

.PHONY: all deps build run check check-model check-asan bench fuzz clean
.PHONY: check-valgrind valgrind

all: build

# Installs only what is missing, so a set-up machine does no apt work.
deps:
	@missing=""; \
	for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja
	meson compile -C $(BUILD)

# Runs from the build folder: the schema compiled there, the real default
# database in $XDG_DATA_HOME/casebook.
run: build
	GSETTINGS_SCHEMA_DIR=$(BUILD)/data $(BUILD)/src/casebook

# Every test (model, data validation, templates, UI under Xvfb); then the
# model and UI tests again under AddressSanitizer and
# UndefinedBehaviorSanitizer, and the model tests under valgrind memcheck.
check: build
	$(XVFB) dbus-run-session -- meson test -C $(BUILD) --print-errorlogs --num-processes 2
	$(MAKE) check-asan
	$(MAKE) check-valgrind
	@logs="$(BUILD)/meson-logs/testlog.json $(ASAN_BUILD)/meson-logs/testlog.json \
	      $(ASAN_BUILD)/meson-logs/testlog-ui.json $(VALGRIND_BUILD)/meson-logs/testlog-valgrind.json"; \
	passed=$$(cat $$logs | grep -c '"result": "\(OK\|EXPECTEDFAIL\)"'); \
	failed=$$(cat $$logs | grep -c '"result": "\(FAIL\|ERROR\|TIMEOUT\|UNEXPECTEDPASS\)"'); \
	echo "check: $$passed passed, $$failed failed"

# The UI tests run under the sanitizers too, for invalid accesses and
# undefined behaviour; their leaks are memcheck's job (make valgrind), as
# LeakSanitizer cannot unwind through fontconfig's and Mesa's frames to
# tell their one-time allocations from ours.
check-asan: deps
	[ -f $(ASAN_BUILD)/build.ninja ] || \
	  meson setup $(ASAN_BUILD) -Db_sanitize=address,undefined -Db_lundef=false
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  meson test -C $(ASAN_BUILD) --suite model --print-errorlogs --num-processes 2
	ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  $(XVFB) dbus-run-session -- meson test -C $(ASAN_BUILD) --suite ui --no-suite templates \
	    --logbase testlog-ui --print-errorlogs --num-processes 2

# The model tests under valgrind memcheck (part of make check): a definite
# leak or an invalid access fails the test. The 'valgrind' test setup in
# tests/meson.build holds the options, suppressions and smaller sizes.
check-valgrind: deps
	[ -f $(VALGRIND_BUILD)/build.ninja ] || \
	  meson setup $(VALGRIND_BUILD) -Dgui=false -Dbuildtype=debug -Db_sanitize=none
	meson test -C $(VALGRIND_BUILD) --setup valgrind --suite model --print-errorlogs --num-processes 2

# Every test program under memcheck, the UI ones under Xvfb, and the
# programs they start (casebook-cli, a second casebook) too. Far too slow
# for make check: each UI test program takes minutes under memcheck.
valgrind: deps
	[ -f $(VALGRIND_GUI_BUILD)/build.ninja ] || \
	  meson setup $(VALGRIND_GUI_BUILD) -Dbuildtype=debug -Db_sanitize=none
	-$(XVFB) dbus-run-session -- \
	  meson test -C $(VALGRIND_GUI_BUILD) --setup valgrindall \
	    --suite model --suite ui --no-suite templates --print-errorlogs --num-processes 2
	@log=$(VALGRIND_GUI_BUILD)/meson-logs/testlog-valgrindall.json; \
	passed=$$(grep -c '"result": "\(OK\|EXPECTEDFAIL\)"' $$log); \
	failed=$$(grep -c '"result": "\(FAIL\|ERROR\|TIMEOUT\|UNEXPECTEDPASS\)"' $$log); \
	echo "valgrind: $$passed passed, $$failed failed"; [ "$$failed" = 0 ]

bench: deps
	[ -f $(BENCH_BUILD)/build.ninja ] || \
	  meson setup $(BENCH_BUILD) -Dgui=false -Dbench=true -Dbuildtype=release
	meson compile -C $(BENCH_BUILD)
	$(BENCH_BUILD)/tests/bench/casebook-bench --sizes $(BENCH_SIZES)

fuzz: deps
	@command -v clang >/dev/null || $(SUDO) apt-get install -y -qq clang libclang-rt-14-dev
	bash fuzz/build.sh $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(BENCH_BUILD)
	rm -rf $(VALGRIND_BUILD) $(VALGRIND_GUI_BUILD)
