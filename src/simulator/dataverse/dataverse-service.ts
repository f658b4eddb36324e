/**
 * One Dataverse Web API request, executed against the simulator's rows: queries, CRUD, upsert,
 * N:N links, metadata, WhoAmI and the caller's roles. Synchronous, so a `$batch` change set can
 * run its requests back to back and undo them all.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { SimApp, SimEnvironment, SimPrincipal, SimTable, SimUser } from '../model.ts';
import type { DataverseRecords, SimRow } from './dataverse-records.ts';
import { enhancedWriteProblem, fileBytesKey, isFileColumn } from './enhanced-rules.ts';
import { entityDefinitionOf } from './entity-definition.ts';
import { compileFilter, FilterSyntaxError, filterColumns } from './odata-filter.ts';

/** What the Dataverse simulator needs from the world. */
export interface DataverseWorld {
  records: DataverseRecords;
  findUser(idOrUpn: string): SimUser | undefined;
  findApp(clientId: string): SimApp | undefined;
  rolesOf(principal: SimPrincipal, environmentId: string): string[];
  users: SimUser[];
}

/** A request relative to the service root (`{org}/api/data/v9.2/`). */
export interface DataverseRequest {
  method: string;
  /** e.g. `adx_webpages(…)` or `EntityDefinitions(LogicalName='x')`, without query. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body?: unknown;
}

/** The answer to a {@link DataverseRequest}. */
export interface DataverseResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** A function that reverts one change (for change-set rollback). */
export type Undo = () => void;

/** A stable GUID derived from text, for simulated ids that must not change between runs. */
export function stableGuid(text: string): string {
  const hex = createHash('sha1').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const error = (status: number, code: string, message: string): DataverseResponse => ({
  status,
  headers: {},
  body: { error: { code, message } },
});

/** Suffix of the annotation that names a lookup's target table. */
const LOOKUP_TABLE = '@Microsoft.Dynamics.CRM.lookuplogicalname';

const notAProperty = (key: string, table: SimTable): DataverseResponse =>
  error(
    400,
    '0x80060888',
    `The property '${key}' does not exist on type 'Microsoft.Dynamics.CRM.${table.logicalName}'. Make sure to only use property names that are defined by the type.`,
  );

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VIRTUAL_SETS = new Set(['systemusers', 'roles', 'organizations', 'solutions']);

/** Executes requests for one caller in one environment. */
export class DataverseService {
  constructor(
    private readonly world: DataverseWorld,
    private readonly env: SimEnvironment,
    private readonly principal: SimPrincipal,
    /** Absolute service root without trailing slash, for OData-EntityId and nextLink. */
    private readonly serviceRoot: string,
  ) {}

  /** The caller's security role names in this environment. */
  roles(): string[] {
    return this.world.rolesOf(this.principal, this.env.id);
  }

  /** The caller's Dataverse user id (an app's application user has one too). */
  callerId(): string {
    return this.principal.kind === 'app' ? stableGuid(`app:${this.principal.id}`) : this.principal.id;
  }

  execute(request: DataverseRequest, undo: Undo[] = []): DataverseResponse {
    try {
      return this.route(request, undo);
    } catch (thrown) {
      if (thrown instanceof FilterSyntaxError) return error(400, '0x80060888', thrown.message);
      throw thrown;
    }
  }

  private route(request: DataverseRequest, undo: Undo[]): DataverseResponse {
    const { method, path } = request;
    if (path === 'WhoAmI' || path === 'WhoAmI()') {
      return this.ok({
        '@odata.context': `${this.serviceRoot}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
        UserId: this.callerId(),
        BusinessUnitId: stableGuid(`bu:${this.env.id}`),
        OrganizationId: this.env.organizationId,
      });
    }
    if (this.roles().length === 0) {
      return error(
        403,
        '0x80040220',
        'The caller has no security role in this environment (missing prvRead privilege).',
      );
    }
    if (path === 'RetrieveProvisionedLanguages()' || path === 'RetrieveProvisionedLanguages') {
      // Shape: retrieveprovisionedlanguages.response.json.
      return this.ok({
        '@odata.context': `${this.serviceRoot}/$metadata#Microsoft.Dynamics.CRM.RetrieveProvisionedLanguagesResponse`,
        RetrieveProvisionedLanguages: this.env.installedLanguages,
      });
    }
    const definition = /^EntityDefinitions\(LogicalName='([^']+)'\)$/.exec(path);
    if (definition) return this.entityDefinition(definition[1]!, request.query.get('$expand') ?? '');
    const match = /^([A-Za-z_]\w*)(?:\(([^)]*)\))?(?:\/([A-Za-z_]\w*))?(\/\$ref|\/\$value)?$/.exec(path);
    if (!match) return error(404, '0x80060888', `Resource not found for the segment '${path}'.`);
    const [, set, rawId, navigation, ref] = match as unknown as [
      string,
      string,
      string | undefined,
      string | undefined,
      string | undefined,
    ];
    const id = rawId?.replace(/^'|'$/g, '').toLowerCase();
    if (VIRTUAL_SETS.has(set)) return this.virtual(method, set, id, navigation, request);
    const table = this.env.tables.find((t) => t.entitySetName === set);
    if (!table) return error(404, '0x80060888', `Resource not found for the segment '${set}'.`);
    if (id !== undefined && !GUID.test(id))
      return error(400, '0x80060888', `'${rawId}' is not a valid record id.`);
    if (navigation && isFileColumn(table, navigation))
      return this.file(method, table, id!, navigation, ref === '/$value', request, undo);
    if (navigation) return this.navigation(method, table, id!, navigation, ref === '/$ref', request, undo);
    if (id === undefined) {
      if (method === 'GET') return this.query(table, this.rowsOf(table), request);
      if (method === 'POST') return this.create(table, request, undo);
      return error(405, '0x80060888', `${method} is not allowed on '${set}'.`);
    }
    if (method === 'GET') {
      const row = this.rowsOf(table).get(id);
      if (!row) return this.notFound(table, id);
      return this.ok(this.project(table, row, request.query.get('$select'), request.headers.prefer));
    }
    if (method === 'PATCH') return this.upsert(table, id, request, undo);
    if (method === 'DELETE') return this.remove(table, id, undo);
    return error(405, '0x80060888', `${method} is not allowed on a record.`);
  }

  private ok(body: unknown, status = 200, headers: Record<string, string> = {}): DataverseResponse {
    return { status, headers, body };
  }

  private notFound(table: SimTable, id: string): DataverseResponse {
    return error(404, '0x80040217', `${table.logicalName} With Id = ${id} Does Not Exist`);
  }

  private rowsOf(table: SimTable): Map<string, SimRow> {
    return this.world.records.table(this.env.id, table.entitySetName);
  }

  /** What `$select` and `$filter` may name: columns, and lookups as `_x_value`. */
  private validColumns(table: SimTable): Set<string> {
    return new Set([
      table.primaryIdAttribute,
      ...table.columns,
      ...(table.lookups ?? []).map((l) => `_${l.attribute}_value`),
    ]);
  }

  private entityDefinition(logicalName: string, expand: string): DataverseResponse {
    const table =
      this.env.tables.find((t) => t.logicalName === logicalName) ??
      (logicalName === 'systemuser'
        ? {
            logicalName: 'systemuser',
            entitySetName: 'systemusers',
            primaryIdAttribute: 'systemuserid',
            primaryNameAttribute: 'fullname',
            columns: ['fullname', 'domainname', 'internalemailaddress'],
          }
        : undefined);
    if (!table) return error(404, '0x80040217', `Could not find an entity with name ${logicalName}.`);
    return this.ok(entityDefinitionOf(table, this.env.tables, this.serviceRoot, expand));
  }

  /**
   * The row as the Web API returns it: the selected columns, and a lookup's
   * `@Microsoft.Dynamics.CRM.lookuplogicalname` only when `Prefer: odata.include-annotations` asks.
   */
  private project(table: SimTable, row: SimRow, select: string | null, prefer = ''): SimRow {
    const annotations = /odata\.include-annotations="([^"]*)"/.exec(prefer)?.[1] ?? '';
    const withLookupTables = annotations === '*' || annotations.includes('lookuplogicalname');
    const keep = (key: string) => !key.startsWith('$') && (!key.includes('@') || withLookupTables);
    if (!select) return Object.fromEntries(Object.entries(row).filter(([key]) => keep(key)));
    const columns = select.split(',').map((c) => c.trim());
    const out: SimRow = { [table.primaryIdAttribute]: row[table.primaryIdAttribute] };
    for (const c of columns) {
      out[c] = row[c] ?? null;
      const target = `${c}${LOOKUP_TABLE}`;
      if (withLookupTables && row[target] !== undefined) out[target] = row[target];
    }
    return out;
  }

  private query(table: SimTable, rows: Map<string, SimRow>, request: DataverseRequest): DataverseResponse {
    const { query } = request;
    const select = query.get('$select');
    const filter = query.get('$filter');
    const valid = this.validColumns(table);
    const mentioned = [
      ...(select ? select.split(',').map((c) => c.trim()) : []),
      ...(filter ? filterColumns(filter) : []),
    ];
    const unknown = mentioned.find((c) => !valid.has(c));
    if (unknown)
      return error(
        400,
        '0x80060888',
        `Could not find a property named '${unknown}' on type 'Microsoft.Dynamics.CRM.${table.logicalName}'.`,
      );
    let result = [...rows.values()];
    if (filter) {
      const predicate = compileFilter(filter);
      result = result.filter(predicate);
    }
    const orderBy = query.get('$orderby');
    if (orderBy) {
      const keys = orderBy.split(',').map((part) => {
        const [column, direction] = part.trim().split(/\s+/) as [string, string | undefined];
        return { column, desc: direction?.toLowerCase() === 'desc' };
      });
      result.sort((a, b) => {
        for (const { column, desc } of keys) {
          const x = a[column] as string | number;
          const y = b[column] as string | number;
          if (x === y) continue;
          const order =
            x === undefined || x === null ? -1 : y === undefined || y === null ? 1 : x < y ? -1 : 1;
          return desc ? -order : order;
        }
        return 0;
      });
    }
    const top = Number.parseInt(query.get('$top') ?? '', 10);
    if (Number.isFinite(top) && top >= 0) result = result.slice(0, top);
    const prefer = /odata\.maxpagesize=(\d+)/.exec(request.headers.prefer ?? '');
    const pageSize = Math.min(5000, prefer ? Number(prefer[1]) : 5000);
    const offset = Number.parseInt(query.get('$skiptoken') ?? '0', 10) || 0;
    const page = result
      .slice(offset, offset + pageSize)
      .map((row) => this.project(table, row, select, request.headers.prefer));
    const body: Record<string, unknown> = {
      '@odata.context': `${this.serviceRoot}/$metadata#${table.entitySetName}`,
      value: page,
    };
    if (offset + pageSize < result.length) {
      const next = new URLSearchParams(query);
      next.set('$skiptoken', String(offset + pageSize));
      body['@odata.nextLink'] = `${this.serviceRoot}/${table.entitySetName}?${next.toString()}`;
    }
    return this.ok(body, 200, prefer ? { 'Preference-Applied': `odata.maxpagesize=${pageSize}` } : {});
  }

  /**
   * Turns a request body into stored columns; `<nav>@odata.bind` becomes `_<lookup>_value`.
   * Refuses what Dataverse refuses (400, `{"error":{code,message}}`): a property the type does not
   * have, a lookup sent as a plain value, a bind through a navigation property the type does not
   * declare, a bind to another table's record. Read-only columns are ignored, as Dataverse ignores
   * values of columns that are not valid for create or update (UpdateRequest.Target docs).
   * Messages are the OData errors Dataverse answers with: "The property '…' does not exist on type
   * 'Microsoft.Dynamics.CRM.…'" (a recorded Web API batch answer in a public SDK's tests), "An
   * undeclared property '…' which only has property annotations…" (OData/WebApi#2410,
   * jlattimer/CRMRESTBuilder#7); code 0x80060888 as Dataverse gives OData parse errors.
   */
  private toColumns(table: SimTable, body: unknown): SimRow | DataverseResponse {
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      return error(400, '0x80048d19', 'The request body must be a JSON object.');
    }
    const plain = new Set([table.primaryIdAttribute, ...table.columns]);
    const readOnly = new Set(table.readOnlyColumns ?? []);
    const row: SimRow = {};
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (key.startsWith('@odata.')) continue;
      const bind = /^(\w+)@odata\.bind$/.exec(key);
      if (!bind) {
        if (!plain.has(key)) return notAProperty(key, table);
        if (!readOnly.has(key)) row[key] = value;
        continue;
      }
      const navigation = bind[1]!;
      const lookup = table.lookups?.find((l) => l.navigationProperty === navigation);
      if (!lookup) {
        return error(
          400,
          '0x80060888',
          `An undeclared property '${navigation}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.`,
        );
      }
      const column = `_${lookup.attribute}_value`;
      if (value === null) {
        row[column] = null;
        row[`${column}${LOOKUP_TABLE}`] = null;
        continue;
      }
      const target = this.env.tables.find((t) => t.logicalName === lookup.targetTable);
      const reference =
        /(?:^|\/)(\w+)\(([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\)\s*$/i.exec(
          String(value),
        );
      if (!target || !reference || reference[1] !== target.entitySetName) {
        return error(
          400,
          '0x80048d19',
          `The value of '${key}' must reference a ${lookup.targetTable} record as /${target?.entitySetName ?? `${lookup.targetTable}s`}(<id>).`,
        );
      }
      row[column] = reference[2]!.toLowerCase();
      row[`${column}${LOOKUP_TABLE}`] = lookup.targetTable;
    }
    return row;
  }

  private setRow(table: SimTable, id: string, row: SimRow | undefined, undo: Undo[]): void {
    const rows = this.rowsOf(table);
    const previous = rows.get(id);
    if (row === undefined) rows.delete(id);
    else rows.set(id, row);
    undo.push(() => {
      if (previous === undefined) rows.delete(id);
      else rows.set(id, previous);
    });
  }

  private entityId(table: SimTable, id: string): string {
    return `${this.serviceRoot}/${table.entitySetName}(${id})`;
  }

  private written(
    table: SimTable,
    id: string,
    request: DataverseRequest,
    created: boolean,
  ): DataverseResponse {
    const headers = { 'OData-EntityId': this.entityId(table, id) };
    if ((request.headers.prefer ?? '').includes('return=representation')) {
      return this.ok(
        this.project(
          table,
          this.rowsOf(table).get(id)!,
          request.query.get('$select'),
          request.headers.prefer,
        ),
        created ? 201 : 200,
        headers,
      );
    }
    return { status: 204, headers };
  }

  private create(table: SimTable, request: DataverseRequest, undo: Undo[]): DataverseResponse {
    const columns = this.toColumns(table, request.body);
    if ('status' in columns && 'headers' in columns) return columns as DataverseResponse;
    const id = String((columns as SimRow)[table.primaryIdAttribute] ?? randomUUID()).toLowerCase();
    if (this.rowsOf(table).has(id))
      return error(412, '0x80040237', `A record with id ${id} already exists in ${table.logicalName}.`);
    const row = { ...createdWith(table, columns as SimRow), [table.primaryIdAttribute]: id };
    const problem = enhancedWriteProblem(table, row, (set, key) => this.exists(set, key));
    if (problem) return error(400, '0x80040203', problem);
    this.setRow(table, id, row, undo);
    return this.written(table, id, request, true);
  }

  private upsert(table: SimTable, id: string, request: DataverseRequest, undo: Undo[]): DataverseResponse {
    const columns = this.toColumns(table, request.body);
    if ('status' in columns && 'headers' in columns) return columns as DataverseResponse;
    const existing = this.rowsOf(table).get(id);
    if (request.headers['if-match'] === '*' && !existing) return this.notFound(table, id);
    if (request.headers['if-none-match'] === '*' && existing) {
      return error(412, '0x80040237', `A record with id ${id} already exists in ${table.logicalName}.`);
    }
    const values = existing ? (columns as SimRow) : createdWith(table, columns as SimRow);
    const row = { ...existing, ...values, [table.primaryIdAttribute]: id };
    const problem = enhancedWriteProblem(table, row, (set, key) => this.exists(set, key));
    if (problem) return error(400, '0x80040203', problem);
    this.setRow(table, id, row, undo);
    return this.written(table, id, request, !existing);
  }

  private exists(entitySet: string, id: string): boolean {
    return this.world.records.table(this.env.id, entitySet).has(id.toLowerCase());
  }

  /**
   * A file column: `PATCH` uploads the body's bytes (named by `x-ms-file-name`), `GET …/$value`
   * downloads them with `x-ms-file-name` and `x-ms-file-size`, `DELETE` removes the file. The row's
   * column holds the file's id and `<column>_name` its name, as Dataverse shows them.
   */
  private file(
    method: string,
    table: SimTable,
    id: string,
    column: string,
    value: boolean,
    request: DataverseRequest,
    undo: Undo[],
  ): DataverseResponse {
    const row = this.rowsOf(table).get(id);
    if (!row) return this.notFound(table, id);
    const key = fileBytesKey(column);
    if (method === 'GET') {
      if (!value) return error(400, '0x80060888', `Read a file column's bytes from ${column}/$value.`);
      const bytes = row[key];
      if (typeof bytes !== 'string')
        return error(404, '0x80060891', `No file attachment found for attribute: ${column} EntityId: ${id}.`);
      const name = String(row[`${column}_name`] ?? '');
      return {
        status: 200,
        headers: {
          'Content-Type': 'application/octet-stream',
          'x-ms-file-name': encodeURIComponent(name),
          'x-ms-file-size': String(Buffer.from(bytes, 'base64').length),
        },
        body: Buffer.from(bytes, 'base64'),
      };
    }
    if (method === 'PATCH') {
      const name = request.headers['x-ms-file-name'];
      if (!name) return error(400, '0x80060891', 'A file upload needs the x-ms-file-name header.');
      if (!Buffer.isBuffer(request.body))
        return error(400, '0x80060891', 'A file upload is sent as application/octet-stream.');
      this.setRow(
        table,
        id,
        {
          ...row,
          [column]: stableGuid(`file:${table.logicalName}:${id}:${column}`),
          [`${column}_name`]: decodeURIComponent(name),
          [key]: request.body.toString('base64'),
        },
        undo,
      );
      return { status: 204, headers: {} };
    }
    if (method === 'DELETE') {
      const { [key]: _bytes, ...rest } = row;
      this.setRow(table, id, { ...rest, [column]: null, [`${column}_name`]: null }, undo);
      return { status: 204, headers: {} };
    }
    return error(405, '0x80060888', `${method} is not allowed on a file column.`);
  }

  private remove(table: SimTable, id: string, undo: Undo[]): DataverseResponse {
    if (!this.rowsOf(table).has(id)) return this.notFound(table, id);
    this.setRow(table, id, undefined, undo);
    return { status: 204, headers: {} };
  }

  private navigation(
    method: string,
    table: SimTable,
    id: string,
    relationship: string,
    ref: boolean,
    request: DataverseRequest,
    undo: Undo[],
  ): DataverseResponse {
    const link = table.manyToMany?.find((m) => (m.navigationProperty ?? m.name) === relationship);
    if (!link) {
      return error(400, '0x80060888', `No navigation property '${relationship}' on '${table.logicalName}'.`);
    }
    if (!this.rowsOf(table).has(id)) return this.notFound(table, id);
    const target = this.env.tables.find((t) => t.logicalName === link.targetTable);
    if (!target) return error(400, '0x80060888', `Table ${link.targetTable} is not in this environment.`);
    const records = this.world.records;
    if (ref && method === 'POST') {
      const url = String((request.body as Record<string, unknown> | undefined)?.['@odata.id'] ?? '');
      const parsed = /\/?(\w+)\(([0-9a-f-]{36})\)\s*$/i.exec(url);
      if (!parsed || parsed[1] !== target.entitySetName) {
        return error(400, '0x80048d19', `@odata.id must point to a ${target.entitySetName} record.`);
      }
      const targetId = parsed[2]!.toLowerCase();
      if (!this.rowsOf(target).has(targetId)) return this.notFound(target, targetId);
      const existed = records
        .related(this.env.id, table.entitySetName, id, relationship)
        .some((r) => r.id === targetId);
      records.associate(this.env.id, table.entitySetName, id, relationship, target.entitySetName, targetId);
      if (!existed)
        undo.push(() => records.disassociate(this.env.id, table.entitySetName, id, relationship, targetId));
      return { status: 204, headers: {} };
    }
    if (ref && method === 'DELETE') {
      const targetId = /\(([0-9a-f-]{36})\)/i.exec(request.query.get('$id') ?? '')?.[1]?.toLowerCase();
      if (!targetId) return error(400, '0x80048d19', 'Pass the related record as $id.');
      if (records.disassociate(this.env.id, table.entitySetName, id, relationship, targetId)) {
        undo.push(() =>
          records.associate(
            this.env.id,
            table.entitySetName,
            id,
            relationship,
            target.entitySetName,
            targetId,
          ),
        );
      }
      return { status: 204, headers: {} };
    }
    if (method !== 'GET') return error(405, '0x80060888', `${method} is not allowed here.`);
    const related = new Map<string, SimRow>();
    for (const r of records.related(this.env.id, table.entitySetName, id, relationship)) {
      const row = this.rowsOf(target).get(r.id);
      if (row) related.set(r.id, row);
    }
    return this.query(target, related, request);
  }

  private virtual(
    method: string,
    set: string,
    id: string | undefined,
    navigation: string | undefined,
    request: DataverseRequest,
  ): DataverseResponse {
    if (method !== 'GET') return error(403, '0x80040220', `The simulator does not allow changing ${set}.`);
    const rows = new Map<string, SimRow>();
    const table: SimTable = {
      logicalName: set,
      entitySetName: set,
      primaryIdAttribute: '',
      primaryNameAttribute: 'name',
      columns: [],
    };
    if (set === 'systemusers') {
      table.primaryIdAttribute = 'systemuserid';
      table.columns = [
        'domainname',
        'fullname',
        'azureactivedirectoryobjectid',
        'applicationid',
        'isdisabled',
      ];
      for (const user of this.world.users.filter((u) => u.tenantId === this.env.tenantId)) {
        rows.set(user.id, {
          systemuserid: user.id,
          domainname: user.userPrincipalName,
          fullname: user.displayName,
          azureactivedirectoryobjectid: user.id,
          applicationid: null,
          isdisabled: false,
        });
      }
      if (id !== undefined && navigation === 'systemuserroles_association') {
        const holder =
          this.world.findUser(id) ??
          (id === this.callerId() && this.principal.kind === 'app'
            ? this.world.findApp(this.principal.id)
            : undefined);
        if (!holder) return error(404, '0x80040217', `systemuser With Id = ${id} Does Not Exist`);
        const roleTable: SimTable = {
          ...table,
          logicalName: 'role',
          entitySetName: 'roles',
          primaryIdAttribute: 'roleid',
          columns: ['name'],
        };
        const roleRows = new Map<string, SimRow>();
        for (const name of holder.securityRoles[this.env.id] ?? []) {
          const roleId = stableGuid(`role:${this.env.id}:${name}`);
          roleRows.set(roleId, { roleid: roleId, name });
        }
        return this.query(roleTable, roleRows, request);
      }
    } else if (set === 'organizations') {
      table.primaryIdAttribute = 'organizationid';
      table.columns = ['languagecode', 'name'];
      rows.set(this.env.organizationId, {
        organizationid: this.env.organizationId,
        languagecode: this.env.baseLanguage,
        name: this.env.orgUniqueName,
      });
    } else if (set === 'solutions') {
      table.primaryIdAttribute = 'solutionid';
      table.columns = ['uniquename', 'version', 'friendlyname', 'ismanaged'];
      for (const solution of this.env.solutions) {
        const solutionId = stableGuid(`solution:${this.env.id}:${solution.uniqueName}`);
        rows.set(solutionId, {
          solutionid: solutionId,
          uniquename: solution.uniqueName,
          version: solution.version,
          friendlyname: solution.uniqueName,
          ismanaged: true,
        });
      }
    } else {
      table.primaryIdAttribute = 'roleid';
      table.columns = ['name'];
    }
    if (id !== undefined) {
      const row = rows.get(id);
      return row
        ? this.ok(this.project(table, row, request.query.get('$select')))
        : error(404, '0x80040217', `${set} With Id = ${id} Does Not Exist`);
    }
    return this.query(table, rows, request);
  }
}

/**
 * The columns a new row takes: those not valid for create are ignored, as Dataverse ignores
 * them (a row is created active; its state is set by an update).
 */
function createdWith(table: SimTable, columns: SimRow): SimRow {
  const updateOnly = table.updateOnlyColumns ?? [];
  if (updateOnly.length === 0) return columns;
  return Object.fromEntries(Object.entries(columns).filter(([column]) => !updateOnly.includes(column)));
}
