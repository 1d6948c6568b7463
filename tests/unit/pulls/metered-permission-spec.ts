import { METERED_LIMIT_BYTES, MeteredPermission } from '../../../src/pulls/metered-permission.js';

const LARGE = METERED_LIMIT_BYTES + 1;

describe('Pulls MeteredPermission', () => {
  let permission: MeteredPermission;

  beforeEach(() => {
    permission = new MeteredPermission();
    permission.attemptStarts(true);
  });

  it('asks only on a metered network, for more than the limit left to download', () => {
    expect(permission.state).toBe('not-asked');
    expect(permission.mustAsk(LARGE)).toBeTrue();
    expect(permission.mustAsk(METERED_LIMIT_BYTES)).toBeFalse();
    expect(permission.mustAsk(null)).toBeFalse();
    permission.attemptStarts(false);
    expect(permission.mustAsk(LARGE)).toBeFalse();
  });

  it('asks no more once approved, on any later attempt', () => {
    permission.ask();
    expect(permission.state).toBe('asking');
    permission.answered(true);
    expect(permission.state).toBe('approved');
    permission.attemptStarts(true);
    expect(permission.mustAsk(LARGE)).toBeFalse();
  });

  it('takes resuming after a refusal as the permission, whatever happened between', () => {
    permission.ask();
    permission.answered(false);
    expect(permission.state).toBe('refused');
    // The pull's status changes (paused, then queued) say nothing to it.
    permission.withdraw();
    permission.answered(true);
    expect(permission.state).toBe('refused');
    permission.resumed();
    expect(permission.state).toBe('approved');
    expect(permission.mustAsk(LARGE)).toBeFalse();
  });

  it('does not take resuming as the permission when nobody refused', () => {
    permission.resumed();
    expect(permission.state).toBe('not-asked');
    permission.ask();
    permission.resumed();
    expect(permission.state).toBe('asking');
    expect(permission.mustAsk(LARGE)).toBeTrue();
  });

  it('counts an answer to a question that lapsed for nothing', () => {
    permission.ask();
    permission.withdraw();
    expect(permission.state).toBe('not-asked');
    permission.answered(true);
    expect(permission.state).toBe('not-asked');
    permission.answered(false);
    expect(permission.state).toBe('not-asked');
    expect(permission.mustAsk(LARGE)).toBeTrue();
  });
});
