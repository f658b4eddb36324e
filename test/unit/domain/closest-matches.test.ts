import { describe, expect, it } from 'vitest';
import { closestMatches, editDistance } from '../../../src/domain/closest-matches.ts';

describe('closestMatches', () => {
  it.each([
    ['prdo', ['dev', 'test', 'prod'], ['prod']],
    ['tset', ['dev', 'test', 'prod'], ['test']],
    ['contoso-dve', ['contoso-dev', 'contoso', 'fabrikam'], ['contoso-dev']],
    ['con', ['contoso-dev', 'contoso', 'fabrikam'], ['contoso', 'contoso-dev']],
    ['xyz', ['dev', 'test', 'prod'], []],
    ['', ['dev'], []],
  ])('suggests for %s', (input, candidates, expected) => {
    expect(closestMatches(input, candidates)).toEqual(expected);
  });

  it('counts a swap of neighbouring letters as one edit', () => {
    expect(editDistance('prdo', 'prod')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
