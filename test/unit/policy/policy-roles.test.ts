import { describe, expect, it } from 'vitest';
import { Policy, policySchema } from '../../../src/policy/policy.ts';

const policy = () =>
  new Policy(
    policySchema.parse({
      roles: {
        '*': { viewer: ['*'], admin: ['alice@contoso.com'] },
        Prod: { approver: ['group:release'], operator: ['carol@contoso.com'] },
      },
      groups: { release: ['bob@contoso.com'] },
    }),
  );

describe('remembered roles', () => {
  it('are the roles the policy gives, asked once or many times, in any case of the environment', () => {
    const p = policy();
    const carol = { id: 'U-CAROL', email: 'carol@contoso.com' };
    expect(p.rolesOf(carol, 'prod').sort()).toEqual(['operator', 'viewer']);
    expect(p.rolesOf(carol, 'PROD').sort()).toEqual(['operator', 'viewer']);
    expect(p.rolesOf(carol, 'dev')).toEqual(['viewer']);
    expect(p.can(carol, 'operate', 'prod').allowed).toBe(true);
    expect(p.can(carol, 'operate', 'dev')).toEqual({
      allowed: false,
      rolesNeeded: ['operator', 'admin'],
      reason: 'carol@contoso.com is viewer in dev; this needs operator or admin.',
    });
  });

  it('follow who the person is: another e-mail or other groups under the same id get their own', () => {
    const p = policy();
    expect(p.rolesOf({ id: 'U-1' }, 'prod')).toEqual(['viewer']);
    expect(p.rolesOf({ id: 'U-1', email: 'alice@contoso.com' }, 'prod').sort()).toEqual(['admin', 'viewer']);
    expect(p.rolesOf({ id: 'U-1', groups: ['release'] }, 'prod').sort()).toEqual(['approver', 'viewer']);
    expect(p.rolesOf({ id: 'U-1' }, 'prod')).toEqual(['viewer']);
  });

  it('follow a person whose e-mail or groups became known after their roles were asked', () => {
    const p = policy();
    const person: { id: string; email?: string; groups?: string[] } = { id: 'U-2' };
    expect(p.rolesOf(person, 'prod')).toEqual(['viewer']);
    person.groups = ['release'];
    expect(p.rolesOf(person, 'prod').sort()).toEqual(['approver', 'viewer']);
    person.email = 'alice@contoso.com';
    expect(p.can(person, 'admin', 'prod').allowed).toBe(true);
  });

  it('cannot be changed by a caller changing what it was given', () => {
    const p = policy();
    const dave = { id: 'U-DAVE' };
    p.rolesOf(dave, 'prod').push('admin');
    p.can(dave, 'admin', 'prod').rolesNeeded.push('viewer');
    expect(p.rolesOf(dave, 'prod')).toEqual(['viewer']);
    expect(p.can(dave, 'admin', 'prod')).toMatchObject({ allowed: false, rolesNeeded: ['admin'] });
  });
});
