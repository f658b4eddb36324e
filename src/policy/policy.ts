/**
 * Who may do what where: roles per environment (viewer, operator, approver, admin) given to
 * people by user id or e-mail, or to groups, and the approval rules for destructive work.
 */
import { z } from 'zod';
import type { Identity } from '../domain/identity.ts';

export type { Identity } from '../domain/identity.ts';

/** A role in an environment. Admin includes everything; approver and operator include viewer. */
export type Role = 'viewer' | 'operator' | 'approver' | 'admin';

/** What an action needs. */
export type Permission = 'view' | 'operate' | 'approve' | 'admin';

const roleList = z.array(z.string().min(1)).default([]);

/** The policy file's shape (YAML or JSON). */
export const policySchema = z.object({
  roles: z
    .record(
      z.string(),
      z.object({ viewer: roleList, operator: roleList, approver: roleList, admin: roleList }).partial(),
    )
    .default({}),
  groups: z.record(z.string(), z.array(z.string())).default({}),
  approvals: z
    .object({
      required: z.number().int().min(1).default(1),
      expiresAfterHours: z.number().positive().default(24),
      reminderBeforeHours: z.number().nonnegative().default(2),
      /** Unanswered this long, a request goes to the environment's admins too; 0 turns it off. */
      escalateAfterHours: z.number().nonnegative().default(4),
    })
    .default({ required: 1, expiresAfterHours: 24, reminderBeforeHours: 2, escalateAfterHours: 4 }),
});

/** Parsed policy data. */
export type PolicyData = z.infer<typeof policySchema>;

const GRANTS: Record<Role, Permission[]> = {
  viewer: ['view'],
  operator: ['view', 'operate'],
  approver: ['view', 'approve'],
  admin: ['view', 'operate', 'approve', 'admin'],
};

/** The answer to "may this person do this here?". */
export interface Decision {
  allowed: boolean;
  /** One sentence for the person, when refused. */
  reason?: string;
  /** The roles that would allow it. */
  rolesNeeded: Role[];
}

/** Roles that grant each permission, in {@link GRANTS} order. */
const ROLES_GRANTING = Object.fromEntries(
  (['view', 'operate', 'approve', 'admin'] as Permission[]).map((p) => [
    p,
    (Object.keys(GRANTS) as Role[]).filter((r) => GRANTS[r].includes(p)),
  ]),
) as Record<Permission, Role[]>;

/** The roles worked out for one person, by lower-cased environment, and who they were then. */
interface KnownRoles {
  id: string;
  email: string | undefined;
  groups: string[] | undefined;
  byEnvironment: Map<string, readonly Role[]>;
}

/**
 * Policy decisions over {@link PolicyData}. The data is fixed for the policy's life, so the
 * roles of a person in an environment are worked out once per identity and remembered with it
 * (help alone asks for them dozens of times a turn).
 */
export class Policy {
  private readonly known = new WeakMap<Identity, KnownRoles>();

  constructor(readonly data: PolicyData) {}

  private matches(identity: Identity, entry: string): boolean {
    const key = entry.toLowerCase();
    if (key === '*') return true;
    if (key.startsWith('group:')) {
      const group = key.slice(6);
      const members = this.data.groups[group] ?? this.data.groups[entry.slice(6)] ?? [];
      return (
        (identity.groups ?? []).some((g) => g.toLowerCase() === group) ||
        members.some((m) => m !== entry && this.matches(identity, m))
      );
    }
    return identity.id.toLowerCase() === key || identity.email?.toLowerCase() === key;
  }

  /** Roles a person holds in an environment (entries under `*` apply everywhere). */
  rolesOf(identity: Identity, environment: string): Role[] {
    return [...this.heldRoles(identity, environment)];
  }

  /**
   * {@link rolesOf}, remembered with the identity object; worked out again when its id, e-mail
   * or groups are no longer those the roles were worked out for.
   */
  private heldRoles(identity: Identity, environment: string): readonly Role[] {
    let known = this.known.get(identity);
    if (
      !known ||
      known.id !== identity.id ||
      known.email !== identity.email ||
      known.groups !== identity.groups
    ) {
      known = { id: identity.id, email: identity.email, groups: identity.groups, byEnvironment: new Map() };
      this.known.set(identity, known);
    }
    const key = environment.toLowerCase();
    let held = known.byEnvironment.get(key);
    if (held === undefined) {
      held = Object.freeze(this.workOutRoles(identity, environment));
      known.byEnvironment.set(key, held);
    }
    return held;
  }

  private workOutRoles(identity: Identity, environment: string): Role[] {
    const roles = new Set<Role>();
    for (const scope of ['*', environment.toLowerCase()]) {
      const byRole =
        Object.entries(this.data.roles).find(([name]) => name.toLowerCase() === scope)?.[1] ?? {};
      for (const [role, members] of Object.entries(byRole) as [Role, string[] | undefined][]) {
        if ((members ?? []).some((m) => this.matches(identity, m))) roles.add(role);
      }
    }
    return [...roles];
  }

  /** Whether a person may do something needing `permission` in `environment`. */
  can(identity: Identity, permission: Permission, environment: string): Decision {
    const rolesNeeded = [...(ROLES_GRANTING[permission] ?? [])];
    const held = this.heldRoles(identity, environment);
    if (held.some((r) => GRANTS[r].includes(permission))) return { allowed: true, rolesNeeded };
    const who = identity.displayName ?? identity.email ?? identity.id;
    return {
      allowed: false,
      rolesNeeded,
      reason: `${who} ${held.length > 0 ? `is ${held.join(' and ')}` : 'has no role'} in ${environment}; this needs ${rolesNeeded.join(' or ')}.`,
    };
  }

  /** Everyone named as approver or admin for an environment (e-mails or ids as configured). */
  /** The admins of an environment (people named directly or through groups). */
  adminsFor(environment: string): string[] {
    const names = new Set<string>();
    for (const [scope, byRole] of Object.entries(this.data.roles)) {
      if (scope !== '*' && scope.toLowerCase() !== environment.toLowerCase()) continue;
      for (const member of byRole.admin ?? []) {
        if (member === '*') continue;
        if (member.startsWith('group:'))
          for (const m of this.data.groups[member.slice(6)] ?? [member]) names.add(m);
        else names.add(member);
      }
    }
    return [...names];
  }

  approversFor(environment: string): string[] {
    const names = new Set<string>();
    for (const [scope, byRole] of Object.entries(this.data.roles)) {
      if (scope !== '*' && scope.toLowerCase() !== environment.toLowerCase()) continue;
      for (const member of [...(byRole.approver ?? []), ...(byRole.admin ?? [])]) {
        if (member === '*') continue;
        if (member.startsWith('group:'))
          for (const m of this.data.groups[member.slice(6)] ?? [member]) names.add(m);
        else names.add(member);
      }
    }
    return [...names];
  }

  /** Approvals a destructive request needs before it runs. */
  get approvalsRequired(): number {
    return this.data.approvals.required;
  }
}

/** The policy for the local simulator's people (see config/policy.example.yml). */
export const LOCAL_POLICY: PolicyData = policySchema.parse({
  roles: {
    '*': {
      viewer: ['*'],
      admin: ['alice@contoso.com'],
      approver: ['bob@contoso.com'],
      operator: ['bob@contoso.com'],
    },
    dev: { operator: ['carol@contoso.com'] },
    test: { operator: ['carol@contoso.com'] },
  },
  approvals: { required: 1, expiresAfterHours: 24, reminderBeforeHours: 2, escalateAfterHours: 4 },
});
