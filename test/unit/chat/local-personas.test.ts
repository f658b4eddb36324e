import { describe, expect, it } from 'vitest';
import { LocalPersonas, readPlaygroundPeople } from '../../../src/chat/teams/local-personas.ts';

const alice = { id: 'user-id-alice', email: 'alice@contoso.com', displayName: 'Alice Admin' };

describe('acting as a playground person', () => {
  const people = readPlaygroundPeople();

  it('reads the playground’s people, its current user included', () => {
    expect(people.map((p) => p.email)).toEqual(
      expect.arrayContaining([
        'alice@contoso.com',
        'bob@contoso.com',
        'carol@contoso.com',
        'dave@contoso.com',
      ]),
    );
  });

  it.each([
    'act as bob',
    'Act as Bob.',
    'act as bob@contoso.com',
    'act as Bob Approver',
    'act as user-id-bob',
  ])('"%s" makes the sender count as Bob', (text) => {
    const personas = new LocalPersonas(people, true);
    expect(personas.isActAs(text)).toBe(true);
    personas.actAs(text, alice);
    expect(personas.apply(alice)).toEqual({
      id: 'user-id-bob',
      email: 'bob@contoso.com',
      displayName: 'Bob Approver',
    });
  });

  it('"act as me" and acting as oneself give the sender back', () => {
    const personas = new LocalPersonas(people, true);
    personas.actAs('act as carol', alice);
    expect(personas.apply(alice).email).toBe('carol@contoso.com');
    expect(personas.actAs('act as me', alice).text).toMatch(/yourself again/);
    expect(personas.apply(alice)).toBe(alice);
    personas.actAs('act as dave', alice);
    personas.actAs('act as alice', alice);
    expect(personas.apply(alice)).toBe(alice);
  });

  it('only changes the sender who asked', () => {
    const personas = new LocalPersonas(people, true);
    const dave = { id: 'user-id-dave', email: 'dave@contoso.com' };
    personas.actAs('act as bob', dave);
    expect(personas.apply(alice)).toBe(alice);
  });

  it('is not taken for other requests', () => {
    const personas = new LocalPersonas(people, true);
    expect(personas.isActAs('reset contoso-dev in dev')).toBe(false);
    expect(personas.isActAs('who can act as approver')).toBe(false);
  });

  it('has nobody to act as when the playground’s file is absent (a production install)', () => {
    expect(readPlaygroundPeople('/nonexistent/playground.yml')).toEqual([]);
    expect(new LocalPersonas([], true).actAs('act as bob', alice).tone).toBe('warning');
  });
});
