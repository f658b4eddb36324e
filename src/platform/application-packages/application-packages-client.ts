/**
 * The Power Platform API client for an environment's application packages
 * (`/appmanagement/environments/{environmentId}/applicationPackages`, api-version 2024-10-01):
 * the package list with install states, install (which is also how a failed install is
 * retried) and the install operation. Shapes: test/contracts/samples/power-platform-api/.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AxiosError, type AxiosInstance } from 'axios';
import {
  type AcceptedPackageInstall,
  type ApplicationPackage,
  isFinalOperationStatus,
  type PackageInstallOperation,
} from '../../domain/application-package.ts';
import { PortalOpsError } from '../../domain/errors.ts';
import { type CallContext, toPortalOpsError } from '../http/platform-error.ts';
import { createPowerPlatformApiHttp, type PowerPlatformApiOptions } from '../http/power-platform-api.ts';
import type { ApplicationPackagesApi, InstallWaitOptions } from '../ports.ts';
import {
  applicationPackageListSchema,
  errorReasonOf,
  instancePackageSchema,
  packageOperationSchema,
} from './application-package-schema.ts';

/** The API version this client speaks (Learn "Applications - …", 2024-10-01). */
export const APP_MANAGEMENT_API_VERSION = '2024-10-01';

/** Options of {@link ApplicationPackagesClient}. */
export type ApplicationPackagesClientOptions = PowerPlatformApiOptions;

const SERVICE = 'Power Platform API';

/** The real client over HTTP. */
export class ApplicationPackagesClient implements ApplicationPackagesApi {
  private readonly http: AxiosInstance;
  private readonly baseUrl: string;

  constructor(options: ApplicationPackagesClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.http = createPowerPlatformApiHttp(options);
  }

  private async call<T>(context: CallContext, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toPortalOpsError(error, context);
    }
  }

  private environmentPath(environmentId: string): string {
    return `/appmanagement/environments/${encodeURIComponent(environmentId)}`;
  }

  async listPackages(environmentId: string): Promise<ApplicationPackage[]> {
    return this.call(
      { service: SERVICE, action: 'list the environment’s application packages' },
      async () => {
        const packages: ApplicationPackage[] = [];
        let url: string | undefined = `${this.environmentPath(environmentId)}/applicationPackages`;
        let params: Record<string, string> | undefined = {
          appInstallState: 'All',
          'api-version': APP_MANAGEMENT_API_VERSION,
        };
        while (url) {
          const response: { data: unknown } = await this.http.get(url, params ? { params } : {});
          const page = applicationPackageListSchema.parse(response.data ?? {});
          packages.push(...page.value);
          url = page['@odata.nextLink'] ?? undefined;
          params = undefined;
        }
        return packages;
      },
    );
  }

  async installPackage(environmentId: string, uniqueName: string): Promise<AcceptedPackageInstall> {
    const action = `install the package ${uniqueName}`;
    try {
      // Learn: the body is TpsInstallRequestPayload {payloadValue}; the portal package needs none.
      const response = await this.http.post(
        `${this.environmentPath(environmentId)}/applicationPackages/${encodeURIComponent(uniqueName)}/install`,
        {},
        { params: { 'api-version': APP_MANAGEMENT_API_VERSION } },
      );
      return this.accepted(environmentId, response.headers as Record<string, unknown>, response.data, action);
    } catch (error) {
      if (error instanceof AxiosError && error.response?.status === 400) {
        const reason = errorReasonOf(error.response.data).message ?? 'the platform refused the request';
        throw new PortalOpsError('package_install_unavailable', `${SERVICE} would not ${action}: ${reason}`, {
          status: 400,
          details: { uniqueName, reason },
        });
      }
      throw toPortalOpsError(error, { service: SERVICE, action });
    }
  }

  /**
   * Where to follow an accepted install. Learn documents 200 with an `InstancePackage` (the
   * operation is `lastOperation.operationId`, as in the tutorial's example) and 202 (Microsoft's
   * Terraform provider reads `Operation-Location`); both are handled.
   */
  private accepted(
    environmentId: string,
    headers: Record<string, unknown>,
    data: unknown,
    action: string,
  ): AcceptedPackageInstall {
    const location = headers['operation-location'];
    if (typeof location === 'string' && location !== '') {
      const operationId = new URL(location, this.baseUrl).pathname.split('/').filter(Boolean).at(-1) ?? '';
      return { operationId, operationUrl: new URL(location, this.baseUrl).toString() };
    }
    const body = instancePackageSchema.safeParse(data ?? {});
    const operationId = body.success ? body.data.lastOperation?.operationId : undefined;
    if (!operationId) {
      throw new PortalOpsError(
        'platform_error',
        `${SERVICE} accepted the request to ${action} but gave no operation to follow.`,
      );
    }
    return { operationId, operationUrl: this.operationUrl(environmentId, operationId) };
  }

  /** `GET /appmanagement/environments/{environmentId}/operations/{operationId}`, absolute. */
  operationUrl(environmentId: string, operationId: string): string {
    return `${this.baseUrl}${this.environmentPath(environmentId)}/operations/${encodeURIComponent(operationId)}?api-version=${APP_MANAGEMENT_API_VERSION}`;
  }

  async getInstallOperation(operationUrl: string): Promise<PackageInstallOperation> {
    return this.call({ service: SERVICE, action: 'read the package install status' }, async () => {
      const response = await this.http.get(operationUrl, {
        // Microsoft's Terraform provider treats 409 while polling as "not finished yet".
        validateStatus: (status) => (status >= 200 && status < 300) || status === 409,
      });
      if (response.status === 409) {
        return {
          operationId: '',
          status: 'Running',
          createdDateTime: '',
          lastActionDateTime: '',
          statusMessage: '',
        };
      }
      return packageOperationSchema.parse(response.data ?? {});
    });
  }

  async waitForInstall(
    operationUrl: string,
    options: InstallWaitOptions = {},
  ): Promise<PackageInstallOperation> {
    const deadline =
      options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeoutMs;
    for (;;) {
      options.signal?.throwIfAborted();
      const operation = await this.getInstallOperation(operationUrl);
      options.onPoll?.(operation);
      if (isFinalOperationStatus(operation.status)) return operation;
      const wait = options.pollIntervalMs ?? 5_000;
      if (Date.now() + wait > deadline) {
        throw new PortalOpsError(
          'request_timeout',
          'The package install did not finish in the time allowed.',
          { retryable: true, details: { operationUrl, lastStatus: operation.status } },
        );
      }
      await sleep(wait, undefined, options.signal ? { signal: options.signal } : {});
    }
  }
}
