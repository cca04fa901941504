# tmdiag: `make report` and `make test` each set up what they need on Debian/Ubuntu.
SWIFT      ?= swift
BIN_DIR    := .build/release
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_RUN    := pkg-config libudev-dev libusb-1.0-0-dev udev usb.ids
APT_TEST   := umockdev libumockdev-dev usbutils mobile-broadband-provider-info
APT_BENCH  := hyperfine

# Installs only the packages that are missing, non-interactively.
define apt_ensure
	@missing=""; for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

.PHONY: deps deps-test deps-bench build release report devices test demo bench fuzz install clean

deps:
	$(call apt_ensure,$(APT_RUN))

deps-test: deps
	$(call apt_ensure,$(APT_TEST))

deps-bench: deps-test
	$(call apt_ensure,$(APT_BENCH))

build: deps
	$(SWIFT) build --product tmdiag

release: deps
	$(SWIFT) build -c release --product tmdiag

## The main job: find the plugged-in phones and modems and write a report.
report: release
	$(BIN_DIR)/tmdiag report

devices: release
	$(BIN_DIR)/tmdiag devices

## Every test, on emulated devices (umockdev) and fake modems.
test: deps-test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## What tmdiag does, on emulated devices, for a person without a modem.
demo: deps-test release
	$(SWIFT) build -c release --product fakemodem-bed
	./Fixtures/demo.sh $(BIN_DIR)

## Benchmarks; figures are printed as ratios measured side by side in one run.
bench: deps-bench release
	$(SWIFT) build -c release --product fakemodem-bed
	SWIFT="$(SWIFT)" ./Benchmarks/run.sh $(BIN_DIR)
	./Benchmarks/history/run.sh
	./Benchmarks/ticket/run.sh

## libFuzzer targets for the parsers (Fuzz/), FUZZ_SECONDS each; not part of `make test`.
FUZZ_SECONDS ?= 60
fuzz: deps-test
	SWIFT="$(SWIFT)" ./Fuzz/run.sh $(FUZZ_SECONDS)

PREFIX ?= /usr/local
install: release
	install -D -m 755 $(BIN_DIR)/tmdiag $(DESTDIR)$(PREFIX)/bin/tmdiag
	mkdir -p $(DESTDIR)$(PREFIX)/share/tmdiag
	cp -r Profiles $(DESTDIR)$(PREFIX)/share/tmdiag/

clean:
	rm -rf .build
