#!/usr/bin/env node
/**
 * Refreshes the chart pin of the example capability (examples/extensions/cert-manager.ts): the
 * newest stable cert-manager release tag (the jetstack chart's version is the tag) and the date it
 * was checked. Reads the tags from a git source: the upstream URL by default, or a local clone.
 *
 * Usage: node scripts/refresh-example-pins.mjs [--source <git url or dir>] [--date YYYY-MM-DD]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.join(root, 'examples/extensions/cert-manager.ts');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const source = arg('--source', 'https://github.com/cert-manager/cert-manager.git');
const date = arg('--date', new Date().toISOString().slice(0, 10));

const tags = execFileSync('git', ['ls-remote', '--tags', '--refs', source], { encoding: 'utf8' })
  .split('\n')
  .map((line) => line.split('refs/tags/')[1])
  .filter((t) => t && /^v\d+\.\d+\.\d+$/.test(t));
const key = (t) => t.slice(1).split('.').map(Number);
tags.sort((a, b) => {
  const [x, y] = [key(a), key(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
});
const latest = tags.at(-1);
if (!latest) throw new Error(`no release tags found in ${source}`);

const text = readFileSync(file, 'utf8')
  .replace(/version: 'v\d+\.\d+\.\d+' \}/, `version: '${latest}' }`)
  .replace(/\(jetstack\/cert-manager tag v\d+\.\d+\.\d+, released [\d-]+; checked [\d-]+\)/, (m) => m.replace(/tag v[\d.]+/, `tag ${latest}`).replace(/checked [\d-]+/, `checked ${date}`));
writeFileSync(file, text);
console.log(`cert-manager ${latest} (checked ${date}); update the release date in the comment if it changed`);
