#!/usr/bin/env bash
# Runs `cfn-guard test` (cfn-guard 3.1.1) over the Guard rule and its test cases. cfn-guard has no npm
# package of its own; the npm package @cdklabs/cdk-validator-cfnguard ships its release binaries, so
# npm fetches it (integrity-checked) and nothing else is downloaded. Fails loudly when it cannot run.
set -euo pipefail
cd "$(dirname "$0")/.."

PKG=@cdklabs/cdk-validator-cfnguard
VERSION=0.0.62
GUARD_VERSION=3.1.1

case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) platform=ubuntu/x86_64 ;;
  Linux/aarch64) platform=ubuntu/aarch64 ;;
  Darwin/x86_64) platform=macos/x86_64 ;;
  Darwin/arm64) platform=macos/aarch64 ;;
  *) echo "cfn-guard-test: no cfn-guard binary for $(uname -s)/$(uname -m)" >&2; exit 1 ;;
esac

cache=node_modules/.cache/cfn-guard-$VERSION
guard=$cache/package/bin/$platform/cfn-guard
if [ ! -x "$guard" ]; then
  mkdir -p "$cache"
  tarball=$(cd "$cache" && npm pack --silent "$PKG@$VERSION")
  tar -xzf "$cache/$tarball" -C "$cache" "package/bin/$platform/cfn-guard"
  rm -f "$cache/$tarball"
fi

actual=$("$guard" --version)
if [ "$actual" != "cfn-guard $GUARD_VERSION" ]; then
  echo "cfn-guard-test: expected cfn-guard $GUARD_VERSION, got '$actual'" >&2
  exit 1
fi

"$guard" test -r rules/readonly-root-filesystem.guard -t rules/readonly-root-filesystem.test.yaml
