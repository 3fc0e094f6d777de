#!/usr/bin/env bash
# The package as a stranger meets it: pack kprod, install the tarball into a fresh folder (from the
# registry, as `npm install ./kprod-x.tgz` does), run the CLI on a TypeScript fleet with no
# `typescript` installed, then type-check that fleet against the package's types.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d "${TMPDIR:-/tmp}/kprod-consumer-XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "== npm pack (runs the build through prepare)"
tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
tar -tzf "$work/$tarball" | sed 's#^package/##' | sort > "$work/contents"
for must in LICENSE README.md package.json build/bin/kprod.js build/index.d.ts docs/stacks.md examples/clusters/edge-lab.yaml; do
  grep -qx "$must" "$work/contents" || { echo "consumer-test: $must is missing from $tarball" >&2; exit 1; }
done
if grep -E '^build/stacks/testing/|^build/test/|\.test\.(js|ts)$' "$work/contents"; then
  echo "consumer-test: test helpers are in $tarball" >&2
  exit 1
fi
# Every repository-relative link of the README must ship.
for link in $(grep -oE '\]\((docs|examples)/[^)#]+' README.md | sed 's/^](//' | sort -u); do
  grep -qx "$link" "$work/contents" || { echo "consumer-test: README links $link, which $tarball does not contain" >&2; exit 1; }
done
echo "$(wc -l < "$work/contents") files in $tarball"

echo "== install the tarball into a fresh folder"
mkdir "$work/consumer"
cd "$work/consumer"
npm init -y > /dev/null
npm install --no-audit --no-fund --loglevel=error "$work/$tarball"
if [ -d node_modules/typescript ]; then echo "consumer-test: typescript came with kprod; the .ts check below proves nothing" >&2; exit 1; fi

cat > fleet.ts <<'TS'
import { defineFleet, type FleetInput } from 'kprod';

const sku = { cpu: 8, memory: '32Gi', flavor: 'm1.xlarge' } satisfies FleetInput['skus'][string];

export default defineFleet({
  name: 'consumer',
  skus: { general: sku, cp: { cpu: 4, memory: '16Gi', flavor: 'm1.large' } },
  environments: [
    {
      name: 'lab',
      gitops: { repoURL: 'https://git.example.com/fleet.git' },
      clusters: [
        {
          name: 'c1',
          kubernetesVersion: '__VERSION__',
          infrastructure: { provider: 'openstack', imageName: 'ubuntu-2404-kube-v__VERSION__' },
          failureDomains: ['az1', 'az2', 'az3'],
          network: { nodeCidr: '10.30.0.0/22' },
          controlPlane: { endpoint: { mode: 'loadbalancer', dnsNames: ['api.c1.example.com'] } },
          nodePools: [{ name: 'general', sku: 'general', replicas: 3 }],
        },
      ],
    },
  ],
});
TS
# A supported version: the one the packaged YAML example runs (the support window moves with kprod).
k8s_version=$(grep -oE 'kubernetesVersion: [0-9.]+' "$root/examples/clusters/edge-lab.yaml" | head -n 1 | cut -d' ' -f2)
sed -i "s/__VERSION__/$k8s_version/g" fleet.ts

echo "== kprod --version, validate and synth of a .ts fleet without typescript"
version=$(npx --no-install kprod --version)
expected=$(node -p "require('$root/package.json').version")
[ "$version" = "$expected" ] || { echo "consumer-test: kprod --version printed '$version', expected '$expected'" >&2; exit 1; }
npx --no-install kprod validate --spec fleet.ts
npx --no-install kprod synth --spec fleet.ts --out dist
test -f dist/lab/argocd/root.yaml -o -n "$(ls dist/lab/argocd)" || { echo "consumer-test: no Argo CD folder in dist/lab" >&2; exit 1; }
echo "$(find dist -type f | wc -l) files synthesized"

echo "== type-check the fleet against the package's types"
ts_version=$(node -p "require('$root/node_modules/typescript/package.json').version")
npm install --no-audit --no-fund --loglevel=error "typescript@$ts_version" "@types/node@20"
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "strict": true, "module": "commonjs", "moduleResolution": "node", "target": "ES2022", "esModuleInterop": true, "skipLibCheck": true, "noEmit": true }, "files": ["fleet.ts"] }
JSON
npx --no-install tsc -p tsconfig.json
# A typo must fail the type check: the types are really checked, not `any`.
sed 's/replicas: 3/replicaz: 3/' fleet.ts > typo.ts
if npx --no-install tsc --strict --noEmit --skipLibCheck --esModuleInterop --module commonjs --moduleResolution node --target ES2022 typo.ts > /dev/null; then
  echo "consumer-test: a misspelt field type-checked" >&2
  exit 1
fi
echo "consumer-test: ok ($version)"
