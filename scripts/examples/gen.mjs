import { healthy } from './healthy.mjs';
import { helm } from './helm.mjs';
import { imageAutomation } from './images.mjs';
import { kustomize } from './kustomize.mjs';
import { multiHop } from './multihop.mjs';
import { sources } from './sources.mjs';
import { workloads } from './workloads.mjs';

const which = process.argv.slice(2);
const all = {
  healthy,
  'image-automation': imageAutomation,
  helm,
  kustomize,
  'multi-hop': multiHop,
  sources,
  workloads,
};
for (const [k, f] of Object.entries(all)) if (which.length === 0 || which.includes(k)) f();
