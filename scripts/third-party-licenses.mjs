// The licences of the packages bundled into dist/: the bundles carry their code (esbuild drops its
// comments), so every package shipped in them is listed with its licence text, as their licences ask.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join, sep } from 'node:path';

export const NOTICES_FILE = 'THIRD-PARTY-LICENSES.txt';

const LICENSE_FILE = /^(licen[cs]e|copying|notice)(\.(md|txt|markdown))?$/i;

/**
 * The package directory a bundled input belongs to (the path up to its name after the last
 * node_modules/). Inputs are relative to the project, or absolute behind a plugin's namespace.
 */
function packageDir(root, input) {
  const path = input.replace(/^[a-z-]+:(?=[\\/]|[A-Za-z]:)/, '');
  const parts = (isAbsolute(path) ? path : join(root, path)).split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return undefined;
  const length = parts[at + 1]?.startsWith('@') ? 2 : 1;
  return parts.slice(0, at + 1 + length).join(sep);
}

/**
 * The notices for `metafiles` (esbuild's, one per build): each package with its version, declared
 * licence, the bundles that carry it and the text of its licence (and NOTICE) files. Fails when a
 * bundled package has neither a licence file nor a declared licence.
 */
export function thirdPartyLicenses(root, metafiles) {
  const packages = new Map();
  for (const metafile of metafiles) {
    for (const [output, info] of Object.entries(metafile.outputs)) {
      if (!output.endsWith('.js')) continue;
      for (const input of Object.keys(info.inputs)) {
        const dir = packageDir(root, input);
        if (dir === undefined) continue;
        const entry = packages.get(dir) ?? { bundles: new Set() };
        entry.bundles.add(basename(output));
        packages.set(dir, entry);
      }
    }
  }
  // Packages whose licence files read the same (the AWS SDK's, under one Apache-2.0 text) share one copy.
  const groups = new Map();
  for (const [dir, { bundles }] of packages) {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const declared = typeof manifest.license === 'string' ? manifest.license : 'not declared';
    const files = readdirSync(dir).filter((f) => LICENSE_FILE.test(f)).sort();
    if (files.length === 0 && declared === 'not declared') throw new Error(`${manifest.name}: bundled, with no licence file and no declared licence`);
    const text = files.length
      ? files.map((f) => readFileSync(join(dir, f), 'utf8').trim()).join(`\n\n${'-'.repeat(78)}\n\n`)
      : `No licence file in the package; its package.json declares ${declared}.`;
    const group = groups.get(text) ?? new Set();
    group.add(`${manifest.name} ${manifest.version} (${declared}), in ${[...bundles].sort().join(', ')}`);
    groups.set(text, group);
  }
  const sections = [...groups].map(([text, names]) => `${[...names].sort().join('\n')}\n\n${text}\n`).sort();
  const rule = `\n${'='.repeat(78)}\n\n`;
  return `Packages bundled into the files of dist/, with their licences.${rule}${sections.join(rule)}`;
}
