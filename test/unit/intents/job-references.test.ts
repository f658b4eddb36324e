import { describe, expect, it } from 'vitest';
import { approvalIdIn, jobReferenceIn } from '../../../src/intents/job-references.ts';

describe('jobReferenceIn', () => {
  it.each([
    ['J-7K2Q9', 'J-7K2Q9'],
    ['j-7k2q9', 'J-7K2Q9'],
    ['J7K2Q9', 'J-7K2Q9'],
    ['#7K2Q9', 'J-7K2Q9'],
    ['#J-7K2Q9', 'J-7K2Q9'],
    ['job 7k2q9', 'J-7K2Q9'],
    ['job #J-7K2Q9', 'J-7K2Q9'],
    ['job 42', '42'],
    ['job #42', '42'],
    ['job number 42', '42'],
    ['#42', '42'],
    ['how is job 42 doing', '42'],
    ['rerun job #J-6PL9Z', 'J-6PL9Z'],
  ])('reads %s as %s', (text, jobId) => {
    expect(jobReferenceIn(text)?.jobId).toBe(jobId);
  });

  it.each([
    'jquery is slow',
    'reset contoso-dev',
    'language 1036',
    'provision contoso-42 in dev',
    'how is contoso doing',
  ])('finds no job in %s', (text) => {
    expect(jobReferenceIn(text)).toBeUndefined();
  });

  it('reads approval ids in any case', () => {
    expect(approvalIdIn('approve a-3f9kx')).toBe('A-3F9KX');
    expect(approvalIdIn('approve it')).toBeUndefined();
  });
});
