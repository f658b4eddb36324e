import { describe, expect, it } from 'vitest';
import {
  compileFilter,
  FilterSyntaxError,
  filterColumns,
} from '../../../src/simulator/dataverse/odata-filter.ts';

const row = {
  adx_name: "O'Brien page",
  adx_displayorder: 3,
  statecode: 0,
  _adx_websiteid_value: 'aaaaaaaa-0000-4000-8000-000000000001',
  adx_hidden: false,
  adx_note: null,
};

describe('OData $filter subset', () => {
  it.each([
    ["adx_name eq 'O''Brien page'", true],
    ['adx_displayorder gt 2 and adx_displayorder le 3', true],
    ['adx_displayorder lt 3 or statecode ne 0', false],
    ['not (adx_displayorder eq 3)', false],
    ["contains(adx_name,'brien')", true],
    ["startswith(adx_name,'page')", false],
    ['_adx_websiteid_value eq AAAAAAAA-0000-4000-8000-000000000001', true],
    ['adx_hidden eq false and adx_note eq null', true],
  ])('%s → %s', (filter, expected) => {
    expect(compileFilter(filter)(row)).toBe(expected);
  });

  it('rejects malformed filters with a readable message', () => {
    expect(() => compileFilter("adx_name eq 'open")).toThrow(FilterSyntaxError);
    expect(() => compileFilter('adx_name is 3')).toThrow(/comparison operator/);
    expect(() => compileFilter('(adx_name eq 1')).toThrow(/Expected '\)'/);
  });

  it('lists the columns a filter mentions', () => {
    expect(filterColumns("adx_name eq 'x' and contains(adx_title,'y')")).toEqual(['adx_name', 'adx_title']);
  });
});
