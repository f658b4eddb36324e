/**
 * The provisioning form's buttons: "Change values" (a failed provisioning's form, filled with
 * its values) and the form's submit. Registered by the provision command.
 */
import type { Intent, SiteValues } from '../intents/intent.ts';
import { siteOfClick } from './alert-fix.ts';
import { provisionForm } from './ask.ts';
import { cantAct } from './card-access.ts';
import { defineCardAction } from './card-action.ts';
import { requireFailedProvisioning, siteValuesOf } from './restartable-site.ts';

/** "Change values" / "Change values and restart": the form, with the values it failed with. */
export const changeValuesAction = defineCardAction({
  verbs: ['site.change-values'],
  async handle(click) {
    const { ctx, data } = click;
    if (data.jobId) {
      // The form is filled from the job's values only for the person who asked for it.
      const { job, environment } = click.access.job(data.jobId);
      if (!click.access.isRequester(ctx.user, job))
        throw cantAct('only the person who asked for that job can change its values');
      click.access.require(ctx.user, 'operate', environment);
      const values = job.params as SiteValues;
      return { replies: [{ view: await provisionForm(ctx, environment, values) }] };
    }
    const where = siteOfClick(click);
    click.access.requireIn(ctx.user, 'operate', where.site.environment);
    // Every value the site has is kept: only what should differ is changed.
    const env = ctx.deps.registry.get(where.site.environment);
    const site = await requireFailedProvisioning(ctx, env.environmentId, where.site.site);
    return {
      replies: [
        {
          view: await provisionForm(ctx, env.alias, siteValuesOf(site), {
            kind: 'change-and-restart',
            site: site.subdomain,
          }),
        },
      ],
    };
  },
});

/** The values a submitted form carries. */
function formValues(inputs: Record<string, string>): SiteValues {
  return {
    ...(inputs.name ? { name: inputs.name } : {}),
    ...(inputs.subdomain ? { subdomain: inputs.subdomain } : {}),
    ...(inputs.templateId ? { templateId: inputs.templateId } : {}),
    ...(inputs.audience ? { audience: inputs.audience as SiteValues['audience'] & string } : {}),
    ...(inputs.languageLcid ? { languageLcid: Number(inputs.languageLcid) } : {}),
    ...(inputs.siteAdministrator ? { siteAdministrator: inputs.siteAdministrator } : {}),
  };
}

/** The form's submit: a provision, or a change-and-restart of the site it names. */
export const provisionSubmitAction = defineCardAction({
  verbs: ['provision.submit'],
  async handle(click) {
    const { data, inputs } = click;
    const values = formValues(inputs);
    const environment = inputs.environment;
    const intent: Intent =
      data.kind === 'change-and-restart'
        ? {
            kind: 'change-and-restart',
            ...(environment ? { environment } : {}),
            ...(data.site ? { site: data.site } : {}),
            changes: values,
          }
        : { kind: 'provision', ...(environment ? { environment } : {}), ...values };
    return { replies: await click.run(intent) };
  },
});
