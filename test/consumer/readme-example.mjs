// Runs README's library example literally: the first ```js block of the "## Library" section of the
// installed package's README is written to example.mjs in this folder and run with plain node; its output
// must equal the README's next fenced block. Usage: node readme-example.mjs <README.md>
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const readme = readFileSync(process.argv[2], 'utf8');
const section = readme.slice(readme.indexOf('## Library'));
const code = /```js\n([\s\S]*?)```/.exec(section);
if (code === null) throw new Error("README: no ```js block in the '## Library' section");
const after = section.slice(code.index + code[0].length);
const printed = /```\n([\s\S]*?)```/.exec(after);
if (printed === null) throw new Error('README: no block with the printed output after the example');
writeFileSync('example.mjs', code[1]);
const out = execFileSync(process.execPath, ['example.mjs'], { encoding: 'utf8' });
if (out !== printed[1]) {
  console.error(`README example printed:\n${out}\nREADME says:\n${printed[1]}`);
  process.exit(1);
}
console.log(`consumer check: README's library example runs as written with plain node and prints what README says (${out.trimEnd().split('\n').length} lines)`);
