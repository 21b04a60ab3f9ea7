#!/usr/bin/env bash
# Install the front-end assets from the npm registry, pinned in package.json:
#  - axe-core (accessibility scans in browser tests) through npm install;
#  - the Europa Component Library's compiled dist/ (served as static files). Its npm package
#    depends on one package per component, which are not needed for the compiled files, so it
#    is fetched on its own with `npm pack` and checked against the pinned integrity hash.
set -euo pipefail
cd "$(dirname "$0")/.."

ecl_version=$(node -p "require('./package.json').config.ecl.version")
ecl_integrity=$(node -p "require('./package.json').config.ecl.integrity")

if [ ! -f node_modules/axe-core/axe.min.js ]; then
  npm install --no-audit --no-fund --loglevel=error
fi

if [ "$(cat vendor/ecl/VERSION 2>/dev/null)" != "$ecl_version" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "@ecl/preset-ec@${ecl_version}" >/dev/null)
  tarball=$(ls "$tmp"/*.tgz)
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  if [ "$actual" != "$ecl_integrity" ]; then
    echo "ECL package integrity mismatch: expected $ecl_integrity, got $actual" >&2
    exit 1
  fi
  rm -rf vendor/ecl
  mkdir -p vendor/ecl
  tar -xzf "$tarball" -C vendor/ecl --strip-components=1 package/dist package/LICENSE
  echo "$ecl_version" > vendor/ecl/VERSION
fi

# ECL's stylesheets ask webtools.europa.eu for the Inter font before their own copy; serve only
# the copy here, so that no page fetches anything from another host (and the site's
# Content-Security-Policy allows fonts from this site only).
sed -i -E 's#url\(https?://[^)]*\) format\("woff2"\),##g' vendor/ecl/dist/styles/*.css
