// Every rule, one file per diagnosis code (see docs/ARCHITECTURE.md). Keep this list sorted by code.

import { rule as adviceHelmChartUnpinned } from './advice-helm-chart-unpinned.js';
import { rule as adviceNoTimeout } from './advice-no-timeout.js';
import { rule as adviceShortInterval } from './advice-short-interval.js';
import { rule as fluxControllerUnavailable } from './flux-controller-unavailable.js';
import { rule as fluxCrdMissing } from './flux-crd-missing.js';
import { rule as fluxDependencyCycle } from './flux-dependency-cycle.js';
import { rule as fluxReconcileFailed } from './flux-reconcile-failed.js';
import { rule as fluxReferenceMissing } from './flux-reference-missing.js';
import { rule as fluxStaleGeneration } from './flux-stale-generation.js';
import { rule as fluxSuspended } from './flux-suspended.js';
import { rule as helmChartDependency } from './helm-chart-dependency.js';
import { rule as helmChartNotFound } from './helm-chart-not-found.js';
import { rule as helmInstallFailed } from './helm-install-failed.js';
import { rule as helmReleasePending } from './helm-release-pending.js';
import { rule as helmSecretMissing } from './helm-secret-missing.js';
import { rule as helmTestFailed } from './helm-test-failed.js';
import { rule as helmUpgradeFailed } from './helm-upgrade-failed.js';
import { rule as helmValuesInvalid } from './helm-values-invalid.js';
import { rule as imageGitPushFailed } from './image-git-push-failed.js';
import { rule as imagePolicyNoMatch } from './image-policy-no-match.js';
import { rule as imageScanFailed } from './image-scan-failed.js';
import { rule as kustomizeBuildFailed } from './kustomize-build-failed.js';
import { rule as kustomizeDecryptionFailed } from './kustomize-decryption-failed.js';
import { rule as kustomizeDependencyNotReady } from './kustomize-dependency-not-ready.js';
import { rule as kustomizeHealthCheckFailed } from './kustomize-health-check-failed.js';
import { rule as kustomizeImmutableField } from './kustomize-immutable-field.js';
import { rule as kustomizeRbacForbidden } from './kustomize-rbac-forbidden.js';
import { rule as kustomizeSourceNotReady } from './kustomize-source-not-ready.js';
import { rule as kustomizeSubstitutionFailed } from './kustomize-substitution-failed.js';
import { rule as kustomizeValidationFailed } from './kustomize-validation-failed.js';
import { rule as notificationProviderFailed } from './notification-provider-failed.js';
import { rule as notificationReceiverSecretMissing } from './notification-receiver-secret-missing.js';
import { rule as sourceAuth } from './source-auth.js';
import { rule as sourceRefNotFound } from './source-ref-not-found.js';
import { rule as sourceSecretMissing } from './source-secret-missing.js';
import { rule as sourceTls } from './source-tls.js';
import { rule as sourceUnreachable } from './source-unreachable.js';
import { rule as sourceVerificationFailed } from './source-verification-failed.js';
import type { Rule } from './types.js';
import { rule as workloadCrashloop } from './workload-crashloop.js';
import { rule as workloadImagePull } from './workload-image-pull.js';
import { rule as workloadNotReady } from './workload-not-ready.js';
import { rule as workloadOom } from './workload-oom.js';
import { rule as workloadUnschedulable } from './workload-unschedulable.js';

export const ALL_RULES: Rule[] = [
  sourceAuth,
  sourceRefNotFound,
  sourceUnreachable,
  sourceSecretMissing,
  sourceTls,
  sourceVerificationFailed,
  helmChartNotFound,
  helmValuesInvalid,
  helmChartDependency,
  helmSecretMissing,
  helmInstallFailed,
  helmUpgradeFailed,
  helmTestFailed,
  helmReleasePending,
  kustomizeSourceNotReady,
  kustomizeBuildFailed,
  kustomizeValidationFailed,
  kustomizeRbacForbidden,
  kustomizeImmutableField,
  kustomizeHealthCheckFailed,
  kustomizeDependencyNotReady,
  kustomizeDecryptionFailed,
  kustomizeSubstitutionFailed,
  imageScanFailed,
  imagePolicyNoMatch,
  imageGitPushFailed,
  notificationReceiverSecretMissing,
  notificationProviderFailed,
  workloadCrashloop,
  workloadImagePull,
  workloadUnschedulable,
  workloadOom,
  workloadNotReady,
  fluxSuspended,
  fluxControllerUnavailable,
  fluxCrdMissing,
  fluxReferenceMissing,
  fluxDependencyCycle,
  fluxStaleGeneration,
  fluxReconcileFailed,
  adviceHelmChartUnpinned,
  adviceNoTimeout,
  adviceShortInterval,
];

export const RULES_BY_CODE = new Map<string, Rule>(ALL_RULES.map((r) => [r.meta.code, r]));
