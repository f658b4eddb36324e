/**
 * How the client reads the Power Platform API's application package answers: the package list,
 * the install answer (200 `InstancePackage` or 202 with no body), the operation poll and the
 * error body. Shapes from test/contracts/samples/power-platform-api/ (the tutorial's list entry
 * and install response, Terraform's recorded poll, the Learn 2024-10-01 schema, the 400 text
 * quoted in pac issues); the contract tests validate the samples and the simulator with these
 * same schemas.
 *
 * Lenient the way a real client must be: enums are read as text and kept verbatim, optional
 * fields get defaults, extra fields are ignored; a field of the wrong type is refused.
 */
import { z } from 'zod';
import type {
  ApplicationPackage,
  PackageErrorDetails,
  PackageInstallOperation,
} from '../../domain/application-package.ts';

const text = z
  .string()
  .nullish()
  .transform((v) => v ?? '');

/** `ErrorDetails` (Learn); the 2022-03-01-preview list calls it `errorDetails`, 2024-10-01 `lastError`. */
export const errorDetailsSchema = z
  .object({
    errorCode: z.union([z.number(), z.string()]).nullish(),
    errorName: z.string().nullish(),
    message: z.string().nullish(),
    source: z.string().nullish(),
    statusCode: z.number().nullish(),
    type: z.string().nullish(),
  })
  .nullish()
  .transform((v): PackageErrorDetails | undefined => {
    if (!v) return undefined;
    const code = typeof v.errorCode === 'string' ? Number(v.errorCode) : v.errorCode;
    return {
      message: v.message ?? v.errorName ?? 'The platform gave no reason.',
      ...(v.errorName ? { errorName: v.errorName } : {}),
      ...(typeof code === 'number' && Number.isFinite(code) ? { errorCode: code } : {}),
    };
  });

/** One `ApplicationPackage` of an environment's list. */
export const applicationPackageSchema = z
  .object({
    id: text,
    uniqueName: z.string().min(1),
    version: text,
    applicationName: text,
    localizedName: text,
    publisherName: text,
    applicationVisibility: text,
    state: text,
    instancePackageId: z.string().nullish(),
    lastError: errorDetailsSchema,
    errorDetails: errorDetailsSchema,
  })
  .transform(
    (p): ApplicationPackage => ({
      id: p.id,
      uniqueName: p.uniqueName,
      version: p.version,
      applicationName: p.applicationName,
      localizedName: p.localizedName,
      publisherName: p.publisherName,
      applicationVisibility: p.applicationVisibility,
      state: p.state || 'None',
      instancePackageId: p.instancePackageId ?? null,
      ...((p.lastError ?? p.errorDetails) ? { lastError: (p.lastError ?? p.errorDetails)! } : {}),
    }),
  );

/** `ApplicationPackageContinuationResponse`. */
export const applicationPackageListSchema = z.object({
  value: z
    .array(applicationPackageSchema)
    .nullish()
    .transform((v) => v ?? []),
  '@odata.nextLink': z.string().nullish(),
});

/** `InstancePackage`, the 200 answer of an install: the operation to follow is `lastOperation.operationId`. */
export const instancePackageSchema = z.object({
  id: text,
  packageUniqueName: text,
  lastOperation: z
    .object({
      operationId: z.string().min(1),
      state: text,
      instancePackageId: z.string().nullish(),
      errorDetails: errorDetailsSchema,
    })
    .nullish(),
});

/** `InstancePackageOperationPollingResponse`. */
export const packageOperationSchema = z
  .object({
    operationId: text,
    status: z.string().min(1),
    createdDateTime: text,
    lastActionDateTime: text,
    statusMessage: text,
    error: errorDetailsSchema,
  })
  .transform(
    (o): PackageInstallOperation => ({
      operationId: o.operationId,
      status: o.status,
      createdDateTime: o.createdDateTime,
      lastActionDateTime: o.lastActionDateTime,
      statusMessage: o.statusMessage,
      ...(o.error ? { error: o.error } : {}),
    }),
  );

/**
 * The reason in an error answer: the 400 of an install is `{"StatusCode":400,"Message":"…"}`
 * (captured in pac issues), other answers `{"code","message"}` or `{"error":{"code","message"}}`.
 */
export function errorReasonOf(data: unknown): { code?: string; message?: string } {
  if (!data || typeof data !== 'object') return {};
  const body = data as Record<string, unknown>;
  const nested =
    body.error && typeof body.error === 'object' ? (body.error as Record<string, unknown>) : body;
  const message = nested.message ?? nested.Message;
  const code = nested.code ?? nested.Code;
  return {
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof message === 'string' ? { message } : {}),
  };
}
