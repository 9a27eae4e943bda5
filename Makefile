# access-audit: build, install and package (modelled on SwiftLint's Makefile).
#
#   make                      release binary (static Swift runtime), man page, completions
#   make install PREFIX=DIR   DIR/bin/access-audit, DIR/share/man/man1/access-audit.1, and the
#                             bash, zsh and fish completions under DIR/share
#   make uninstall PREFIX=DIR removes exactly what install put there
#   make deb                  a Debian package (Scripts/package-deb.sh)
#
# DESTDIR is honoured for staged installs (packaging). The binary links the Swift runtime and
# Foundation statically (--static-swift-stdlib), so it runs where Swift is not installed; it
# needs only the C library, libstdc++ and libsqlite3.

PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift

BINDIR = $(DESTDIR)$(PREFIX)/bin
MANDIR = $(DESTDIR)$(PREFIX)/share/man/man1
BASHDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHDIR = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d

RELEASE_FLAGS = -c release --static-swift-stdlib
RELEASE_DIR = .build/release
BINARY = $(RELEASE_DIR)/access-audit
GENERATED = .build/install
MANPAGE = $(GENERATED)/access-audit.1
PLUGIN_MANPAGE = .build/plugins/GenerateManual/outputs/access-audit/access-audit.1

.PHONY: all build manual completions install uninstall deb clean-install

all: build manual completions

# The man page comes from the command definitions (swift-argument-parser's generate-manual
# plugin, which needs no network). The plugin builds the package itself and reads the built
# tool's --experimental-dump-help; a debug build says the same and is the one the tests need
# anyway, so the release build below stays the only release build.
manual: $(MANPAGE)

$(MANPAGE): Package.swift $(wildcard Sources/access-audit/*.swift)
	$(SWIFT) package plugin generate-manual --configuration debug --section 1
	mkdir -p $(GENERATED)
	cp $(PLUGIN_MANPAGE) $(MANPAGE)

build: manual
	$(SWIFT) build $(RELEASE_FLAGS) --product access-audit

completions: build
	mkdir -p $(GENERATED)
	$(BINARY) --generate-completion-script bash > $(GENERATED)/access-audit.bash
	$(BINARY) --generate-completion-script zsh > $(GENERATED)/_access-audit
	$(BINARY) --generate-completion-script fish > $(GENERATED)/access-audit.fish

install: all
	install -d $(BINDIR) $(MANDIR) $(BASHDIR) $(ZSHDIR) $(FISHDIR)
	install -m 0755 $(BINARY) $(BINDIR)/access-audit
	install -m 0644 $(MANPAGE) $(MANDIR)/access-audit.1
	install -m 0644 $(GENERATED)/access-audit.bash $(BASHDIR)/access-audit
	install -m 0644 $(GENERATED)/_access-audit $(ZSHDIR)/_access-audit
	install -m 0644 $(GENERATED)/access-audit.fish $(FISHDIR)/access-audit.fish

uninstall:
	rm -f $(BINDIR)/access-audit $(MANDIR)/access-audit.1 $(BASHDIR)/access-audit \
		$(ZSHDIR)/_access-audit $(FISHDIR)/access-audit.fish

deb: all
	bash Scripts/package-deb.sh
