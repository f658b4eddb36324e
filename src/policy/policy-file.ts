/**
 * Reads the policy file (YAML or JSON): roles per environment, groups, approval rules.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { PortalOpsError } from '../domain/errors.ts';
import { type PolicyData, policySchema } from './policy.ts';

/** Parses and validates a policy file; a clear `config_invalid` error names the problem. */
export function readPolicyFile(file: string): PolicyData {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new PortalOpsError(
      'config_invalid',
      `The policy file ${file} cannot be read. Check PORTALOPS_POLICY_FILE.`,
    );
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new PortalOpsError(
      'config_invalid',
      `The policy file ${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const parsed = policySchema.safeParse(data ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PortalOpsError(
      'config_invalid',
      `The policy file ${file} has a problem at ${issue.path.join('.') || '(root)'}: ${issue.message}.`,
    );
  }
  return parsed.data;
}
