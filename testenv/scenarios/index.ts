// Every scenario, by area.

import { automationScenarios } from './automation.js';
import { controllerScenarios } from './controllers.js';
import { helmScenarios } from './helm.js';
import { kustomizeScenarios } from './kustomize.js';
import type { Scenario } from './lib.js';
import { moreScenarios } from './more.js';
import { sourceScenarios } from './sources.js';
import { verificationScenarios } from './verification.js';
import { workloadScenarios } from './workloads.js';

export const ALL_SCENARIOS: Scenario[] = [
  ...sourceScenarios,
  ...verificationScenarios,
  ...kustomizeScenarios,
  ...helmScenarios,
  ...automationScenarios,
  ...workloadScenarios,
  ...moreScenarios,
  ...controllerScenarios,
];
