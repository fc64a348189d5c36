# Thin front door: dependencies, build, demo, tests. The build is Meson.
BUILD ?= build
ASAN_BUILD ?= build-asan
# Debian packages the build and tests need.
DEB_PKGS = meson ninja-build pkg-config gcc libexpat1-dev libjansson-dev \
	libpcap-dev zlib1g-dev libbz2-dev liblzma-dev libzstd-dev libcmocka-dev \
	libxml2-utils python3-jsonschema mandoc libarchive-dev libssl-dev
# pkg-config names (or headers) that prove each package is there
.PHONY: all deps build demo check asan-check lab bench clean

all: build

deps:
	@tools/install-deps $(DEB_PKGS)

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

# exit 1 means "findings": the demo has faults planted on purpose
demo: build
	./$(BUILD)/ipsecdiag demo || [ $$? -eq 1 ]

check: build
	tests/run $(BUILD)

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) -Db_sanitize=address,undefined -Db_lundef=false

asan-check: deps $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		tests/run $(ASAN_BUILD)

lab: build
	tests/lab/run $(BUILD)

# the helpers some areas need are built with -Dbench=true
bench: build
	meson configure $(BUILD) -Dbench=true
	ninja -C $(BUILD)
	bench/run --build $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
