import { fillTemplate } from '../../../src/util/text.js';

describe('fillTemplate', () => {
  it('fills named placeholders in any order, as often as they appear', () => {
    expect(fillTemplate('{b} then {a}, {b} again', { a: 'one', b: 2 })).toBe('2 then one, 2 again');
  });

  it('leaves unknown placeholders and other braces alone', () => {
    expect(fillTemplate('{missing} {Name} {}', { name: 'x' })).toBe('{missing} {Name} {}');
  });

  it('does not treat replacement text as a pattern', () => {
    expect(fillTemplate('{name}', { name: '$& {name} $1' })).toBe('$& {name} $1');
  });
});
