# tmdiag: `make report` and `make test` each set up what they need on Debian/Ubuntu.
SWIFT      ?= swift
BIN_DIR    := .build/release
# The one place the version is kept; the build stamps it into the binary (Plugins/StampVersion).
VERSION    := $(shell cat VERSION)
# Release builds carry the Swift runtime, so the binary runs on a machine without Swift.
RELEASE    := -c release --static-swift-stdlib
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_RUN    := pkg-config libudev-dev libusb-1.0-0-dev udev usb.ids
# FoundationXML (the operator list is read with XMLParser) links libxml2.
APT_RUN    += libxml2-dev
APT_TEST   := umockdev libumockdev-dev usbutils mobile-broadband-provider-info libmbim-utils libqmi-utils
# Renders `show --html` pages headless in the HTML page test (skipped with a reason when absent).
APT_TEST   += chromium
# The history store's PostgreSQL tests run against a throwaway server (Tests/postgres/with-server.sh).
APT_TEST   += postgresql
APT_BENCH  := hyperfine
# Benchmarks/history: GNU time reports the peak memory of an import.
APT_BENCH  += time
# `make deb` and the package test in `make test`: dpkg-deb, dpkg-shlibdeps, lintian, man.
APT_DEB    := dpkg-dev fakeroot lintian man-db

# Installs only the packages that are missing, non-interactively.
define apt_ensure
	@missing=""; for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

.PHONY: deps deps-test deps-bench deps-deb build release report devices test test-tsan test-package demo bench bench-startup fuzz install deb clean

deps:
	$(call apt_ensure,$(APT_RUN))

deps-test: deps
	$(call apt_ensure,$(APT_TEST))

deps-bench: deps-test
	$(call apt_ensure,$(APT_BENCH))

deps-deb: deps
	$(call apt_ensure,$(APT_DEB))

build: deps
	$(SWIFT) build --product tmdiag

release: deps
	$(SWIFT) build $(RELEASE) --product tmdiag

## The main job: find the plugged-in phones and modems and write a report.
report: release
	@$(BIN_DIR)/tmdiag report; status=$$?; \
	if [ $$status -eq 2 ]; then echo "make report: no phone or modem found; plug one in (a data cable, the phone unlocked) and run it again"; \
	elif [ $$status -ne 0 ]; then exit $$status; fi

devices: release
	$(BIN_DIR)/tmdiag devices

## Every test, on emulated devices (umockdev) and fake modems; then the suites that spawn,
## probe or import on two threads once more under ThreadSanitizer (its own build folder);
## then the installed package, as a user gets it. The ThreadSanitizer build leaves out the
## PostgreSQL trait (postgres-nio, SwiftNIO, BoringSSL: minutes more to compile a third time);
## its store tests run on SQLite there and on both backends in the first pass.
TSAN_SUITES := ModemTests|EndToEndTests|DiscoveryTests|HistoryTests
# Tests that hold a fake modem's reply timing or the wall clock to bounds set for a normal
# build; ThreadSanitizer runs several times slower. They run in the first pass.
TSAN_SKIP   := silentPortEndsWithATimeoutWithinTheDeadline|floodingPortEndsWithAClearErrorWithinTheDeadline|pinRequiredDeniedAndSilent

test: deps-test deps-deb
	$(SWIFT) build --build-tests
	./Tests/postgres/with-server.sh $(SWIFT) test --skip-build
	$(MAKE) test-tsan
	$(MAKE) test-package

test-tsan: deps-test
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan --disable-default-traits
	TSAN_OPTIONS="halt_on_error=1 suppressions=$(CURDIR)/Tests/tsan-suppressions.txt" \
		./Tests/postgres/with-server.sh $(SWIFT) test --skip-build --sanitize=thread --scratch-path .build-tsan --disable-default-traits --filter '$(TSAN_SUITES)' --skip '$(TSAN_SKIP)'

## The installed package, as a user gets it: unpacked into a temporary root, run from `/`.
test-package: deb
	./Tests/package/run.sh $(DEB)

## What tmdiag does, on emulated devices, for a person without a modem.
demo: deps-test release
	$(SWIFT) build $(RELEASE) --product fakemodem-bed
	./Fixtures/demo.sh $(BIN_DIR)

## Benchmarks; figures are printed as ratios measured side by side in one run.
bench: deps-bench release
	$(SWIFT) build $(RELEASE) --product fakemodem-bed
	SWIFT="$(SWIFT)" ./Benchmarks/run.sh $(BIN_DIR)
	./Benchmarks/history/run.sh
	./Benchmarks/workflow/run.sh $(BIN_DIR)
	./Benchmarks/wwan/run.sh $(BIN_DIR)
	./Benchmarks/phones/run.sh $(BIN_DIR)
	./Benchmarks/queries/run.sh $(BIN_DIR)
	SWIFT="$(SWIFT)" ./Benchmarks/startup/run.sh $(BIN_DIR)/tmdiag

## Start-up time of this build beside the dynamic, folder-reading build of BASE (a commit).
bench-startup: deps-bench release
	SWIFT="$(SWIFT)" ./Benchmarks/startup/run.sh $(BIN_DIR)/tmdiag

## libFuzzer targets for the parsers (Fuzz/), FUZZ_SECONDS each; not part of `make test`.
FUZZ_SECONDS ?= 60
fuzz: deps-test
	SWIFT="$(SWIFT)" ./Fuzz/run.sh $(FUZZ_SECONDS)

## The binary (profiles built in), man page, completions and documents; the same files as the package.
PREFIX ?= /usr/local
install: release
	./Packaging/install-tree.sh $(BIN_DIR)/tmdiag "$(DESTDIR)" "$(PREFIX)"

## tmdiag_<version>_<arch>.deb in .build/, checked with lintian.
DEB = .build/tmdiag_$(VERSION)_$(shell dpkg --print-architecture 2>/dev/null || echo amd64).deb
deb: deps-deb release
	./Packaging/build-deb.sh $(BIN_DIR)/tmdiag $(DEB)

clean:
	rm -rf .build .build-tsan
