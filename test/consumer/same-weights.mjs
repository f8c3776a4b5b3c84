// Usage: node same-weights.mjs a.json b.json: exit 0 when two model files hold bitwise the same weights.
import { readFileSync } from 'node:fs';
const [a, b] = process.argv.slice(2).map((p) => JSON.parse(readFileSync(p, 'utf8')));
const wa = JSON.stringify(a.weights);
const wb = JSON.stringify(b.weights);
if (wa === undefined || wa !== wb) {
  console.error(`model weights differ between ${process.argv[2]} and ${process.argv[3]}`);
  process.exit(1);
}
console.log(`same weights (${wa.length} characters of JSON) in both model files`);
