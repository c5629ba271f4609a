import { describe, expect, it } from 'vitest';
import { labelSelectorFromObject, parseLabelSelector } from './labelSelector';
import { SelectorParseError } from './selectorParseError';

describe('parseLabelSelector', () => {
  const labels = { app: 'web', tier: 'front', env: 'prod' };

  it('matches equality, inequality and double equals', () => {
    expect(parseLabelSelector('app=web').matches(labels)).toBe(true);
    expect(parseLabelSelector('app==web').matches(labels)).toBe(true);
    expect(parseLabelSelector('app!=web').matches(labels)).toBe(false);
    expect(parseLabelSelector('app!=db').matches(labels)).toBe(true);
    // != also matches objects that lack the key, as in Kubernetes.
    expect(parseLabelSelector('missing!=x').matches(labels)).toBe(true);
  });

  it('matches set-based requirements', () => {
    expect(parseLabelSelector('tier in (front, back)').matches(labels)).toBe(true);
    expect(parseLabelSelector('tier notin (front)').matches(labels)).toBe(false);
    expect(parseLabelSelector('missing notin (front)').matches(labels)).toBe(true);
    expect(parseLabelSelector('missing in (front)').matches(labels)).toBe(false);
  });

  it('matches existence and absence', () => {
    expect(parseLabelSelector('app').matches(labels)).toBe(true);
    expect(parseLabelSelector('!app').matches(labels)).toBe(false);
    expect(parseLabelSelector('!missing').matches(labels)).toBe(true);
    expect(parseLabelSelector('app').matches(undefined)).toBe(false);
  });

  it('ANDs comma-separated requirements', () => {
    expect(parseLabelSelector('app=web,env=prod').matches(labels)).toBe(true);
    expect(parseLabelSelector('app=web,env=dev').matches(labels)).toBe(false);
  });

  it('treats an empty selector as everything', () => {
    const sel = parseLabelSelector('');
    expect(sel.isEverything()).toBe(true);
    expect(sel.matches(undefined)).toBe(true);
    expect(parseLabelSelector('  ').isEverything()).toBe(true);
  });

  it('prints the canonical form sorted by key with sorted values', () => {
    expect(parseLabelSelector('z=1, a in (c,b), !m, k').toString()).toBe('a in (b,c),k,!m,z=1');
  });

  it('accepts the empty value and the words in/notin as values', () => {
    expect(parseLabelSelector('app=').matches({ app: '' })).toBe(true);
    expect(parseLabelSelector('app in (in,notin)').matches({ app: 'notin' })).toBe(true);
    expect(parseLabelSelector('x in (a,,b)').requirements[0]?.values).toEqual(['', 'a', 'b']);
  });

  it('accepts qualified keys with a DNS prefix', () => {
    expect(
      parseLabelSelector('app.kubernetes.io/name=web').matches({ 'app.kubernetes.io/name': 'web' }),
    ).toBe(true);
  });

  it('supports the gt and lt operators on integers', () => {
    expect(parseLabelSelector('n>3').matches({ n: '4' })).toBe(true);
    expect(parseLabelSelector('n<3').matches({ n: '4' })).toBe(false);
    expect(parseLabelSelector('n>3').matches({ n: 'x' })).toBe(false);
  });

  it.each([
    ['app=web extra', "found 'extra', expected: ',' or 'end of string'"],
    ['app in web', "unable to parse requirement: found 'web' expected: '('"],
    ['app=web,', "found '', expected: identifier after ','"],
    ['=web', "found '=', expected: !, identifier, or 'end of string'"],
    ['app in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
  ])('rejects %j with a Kubernetes message', (text, message) => {
    expect(() => parseLabelSelector(text)).toThrow(new SelectorParseError(message));
  });

  it('validates keys and values like Kubernetes', () => {
    expect(() => parseLabelSelector('-bad=x')).toThrow(
      /unable to parse requirement: <nil>: Invalid value: "-bad": name part must consist/,
    );
    expect(() => parseLabelSelector('app=bad value')).toThrow(SelectorParseError);
    expect(() => parseLabelSelector('app=-x')).toThrow(
      /values\[0\]\[app\]: Invalid value: "-x": a valid label must be/,
    );
    expect(() => parseLabelSelector(`app=${'a'.repeat(64)}`)).toThrow(/must be no more than 63 characters/);
    expect(() => parseLabelSelector('Example.com/x=1')).toThrow(/prefix part a lowercase RFC 1123 subdomain/);
  });
});

describe('labelSelectorFromObject', () => {
  it('combines matchLabels and matchExpressions', () => {
    const sel = labelSelectorFromObject({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front', 'edge'] },
        { key: 'legacy', operator: 'DoesNotExist' },
        { key: 'env', operator: 'Exists' },
        { key: 'zone', operator: 'NotIn', values: ['b'] },
      ],
    });
    expect(sel.matches({ app: 'web', tier: 'edge', env: 'x', zone: 'a' })).toBe(true);
    expect(sel.matches({ app: 'web', tier: 'edge', env: 'x', legacy: 'y' })).toBe(false);
    expect(sel.matches({ app: 'web', tier: 'back', env: 'x' })).toBe(false);
    expect(sel.toString()).toBe('app=web,env,!legacy,tier in (edge,front),zone notin (b)');
  });

  it('matches everything for {} and nothing for a missing selector', () => {
    expect(labelSelectorFromObject({}).isEverything()).toBe(true);
    expect(labelSelectorFromObject({}).matches({ a: 'b' })).toBe(true);
    expect(labelSelectorFromObject(undefined).matches({ a: 'b' })).toBe(false);
    expect(labelSelectorFromObject(null).isEverything()).toBe(false);
  });

  it('rejects unknown operators and In without values', () => {
    expect(() =>
      labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }),
    ).toThrow('"Gt" is not a valid label selector operator');
    expect(() =>
      labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }),
    ).toThrow("values set can't be empty");
  });
});
