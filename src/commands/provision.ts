/** `provision`: a new site; asks with a form for anything missing, then runs the job. */
import { siteKeyOf } from '../domain/job.ts';
import { defaultAudienceOf, findTemplate } from '../domain/templates.ts';
import { jobView } from '../views/job-views.ts';
import { defineCommand, provisionForm, requesterOf } from './index-helpers.ts';
import { problemsOnForm } from './provision-check.ts';
import { changeValuesAction, provisionSubmitAction } from './provision-form-actions.ts';

export const provisionCommand = defineCommand<'provision'>({
  kind: 'provision',
  title: 'Provision a site',
  summary: 'create a Power Pages site; checks the platform’s rules first',
  examples: ['provision a partner portal called "Partner Hub" at partner-hub in dev', 'provision'],
  permission: 'operate',
  sideEffects: 'creates a website in the environment',
  actions: [changeValuesAction, provisionSubmitAction],
  environmentOf: (intent) => intent.environment,
  async plan(_ctx, intent) {
    return [
      `Check the request against ${intent.environment ?? 'the environment'}: roles, subdomain, language, template, prerequisites`,
      `Create ${intent.subdomain ?? 'the site'} from ${intent.templateId ?? 'the chosen template'} and follow provisioning and the package install`,
      'Check that the site answers and give its address',
    ];
  },
  async run(ctx, intent) {
    const { kind: _kind, environment, ...values } = intent;
    // A name the API does not take (a partner add-on, a typo) goes back to the form, which says why.
    if (
      !environment ||
      !values.name ||
      !values.subdomain ||
      !values.templateId ||
      !findTemplate(values.templateId)
    ) {
      return [{ view: await provisionForm(ctx, environment, values) }];
    }
    const env = ctx.deps.registry.get(environment);
    const requester = requesterOf(ctx.user);
    const audience = values.audience ?? defaultAudienceOf(values.templateId);
    const siteAdministrator = values.siteAdministrator ?? requester.id;
    const languageLcid = values.languageLcid ?? (await ctx.deps.environments.resolve(env.alias)).baseLanguage;
    const errors = await problemsOnForm(ctx, env.alias, {
      name: values.name,
      subdomain: values.subdomain,
      templateId: values.templateId,
      audience,
      languageLcid,
      siteAdministrator,
    });
    if (errors.length > 0) return [{ view: await provisionForm(ctx, environment, values, { errors }) }];
    const job = await ctx.deps.engine.submit({
      kind: 'provision',
      siteKey: siteKeyOf(env.environmentId, values.subdomain),
      requester,
      params: {
        environment: env.alias,
        name: values.name,
        subdomain: values.subdomain,
        templateId: values.templateId,
        audience,
        ...(values.languageLcid ? { languageLcid: values.languageLcid } : {}),
        siteAdministrator,
        requesterUpn: requester.id,
      },
    });
    return [{ view: jobView(job), trackJob: job.id }];
  },
});
