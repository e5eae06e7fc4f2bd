# One bundle (dist/handlers.js and what it loads from beside it: dist/network.js, dist/stack.js,
# dist/models.js, and dist/decrypt.js, which the network half loads for encrypted credentials), three ways in:
# - `cfn submit` runs the buildCommand of .rpdk-config (`make`) with " TypeFunction" appended,
#   then zips build/TypeFunction/ as ResourceProvider.zip: no SAM, no Docker.
# - `sam build` (for `sam local` and `cfn test`) runs build-<LogicalId> with ARTIFACTS_DIR set.
# - `npm run package` builds the registration package itself (scripts/package.mjs).
# BUNDLE_DIR (relative) lets a caller bundle somewhere other than dist/.
BUNDLE_DIR ?= dist

.PHONY: TypeFunction build-TypeFunction build-TestEntrypoint artifacts-dir bundle

TypeFunction:
	rm -rf build/TypeFunction
	$(MAKE) build-TypeFunction ARTIFACTS_DIR="$(CURDIR)/build/TypeFunction"

build-TypeFunction build-TestEntrypoint: artifacts-dir bundle
	mkdir -p "$(ARTIFACTS_DIR)/dist"
	cp "$(BUNDLE_DIR)/handlers.js" "$(ARTIFACTS_DIR)/dist/handlers.js"
	cp "$(BUNDLE_DIR)/network.js" "$(ARTIFACTS_DIR)/dist/network.js"
	cp "$(BUNDLE_DIR)/decrypt.js" "$(ARTIFACTS_DIR)/dist/decrypt.js"
	cp "$(BUNDLE_DIR)/stack.js" "$(ARTIFACTS_DIR)/dist/stack.js"
	cp "$(BUNDLE_DIR)/models.js" "$(ARTIFACTS_DIR)/dist/models.js"

artifacts-dir:
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set: sam build sets it; or run make TypeFunction" >&2; exit 1; }

bundle: | node_modules
	node scripts/build.mjs "$(BUNDLE_DIR)"

# Installed only when absent, so a build never reinstalls under someone's feet.
node_modules:
	npm ci
