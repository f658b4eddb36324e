import { PortalOpsError } from '../domain/errors.ts';

/**
 * A disruptive CLI command's `--confirm <site>`: the site typed again, compared without case or
 * surrounding spaces. Refused with `invalid_input` naming what was not done (`nothingDone`, e.g.
 * "Nothing was reset.").
 */
export function assertSiteConfirmed(o: { site: string; confirm: string }, nothingDone: string): void {
  if (o.confirm.trim().toLowerCase() === o.site.trim().toLowerCase()) return;
  throw new PortalOpsError(
    'invalid_input',
    `The confirmation "${o.confirm}" does not match the site "${o.site}". ${nothingDone}`,
  );
}
