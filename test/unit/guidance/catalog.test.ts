import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../src/domain/error-codes.ts';
import { guidanceFor, searchGuidance } from '../../../src/guidance/catalog.ts';

describe('guidance catalog', () => {
  it.each(ERROR_CODES)('has plain-words guidance with at least one step for %s', (code) => {
    const guidance = guidanceFor(code);
    expect(guidance.title).not.toBe('Something went wrong');
    expect(guidance.steps.length).toBeGreaterThan(0);
  });

  it('answers an unknown code with generic advice instead of nothing', () => {
    expect(guidanceFor('no_such_code').steps[0]).toMatch(/Try again/);
  });

  it('offers the fitting buttons for provisioning and package install failures', () => {
    expect(guidanceFor('provisioning_failed').actions).toEqual(['restart_provisioning', 'change_values']);
    expect(guidanceFor('package_install_failed').actions).toContain('retry_package_install');
    expect(guidanceFor('missing_site_app_permission').actions).toContain('contact_global_admin');
  });

  it('finds entries by the symptom people describe', () => {
    expect(searchGuidance('site stuck on getting set up')[0]?.code).toBe('package_install_failed');
    expect(searchGuidance('reset request could not be submitted')[0]?.code).toBe('reset_not_submitted');
    expect(searchGuidance('throttled')[0]?.code).toBe('throttled');
    expect(searchGuidance('')).toEqual([]);
  });
});
