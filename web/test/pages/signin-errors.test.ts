import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/api-error';
import { parseFeatures } from '../../src/features';
import { signInErrorText } from '../../src/pages/signin-page';
import { protocolLabel } from '../../src/pages/targets-page';

describe('signInErrorText', () => {
  it('bad credentials', () => {
    expect(signInErrorText(new ApiError(401, 'invalid'))).toBe('Wrong username or password.');
  });
  it('throttled, with the wait in seconds or minutes', () => {
    expect(signInErrorText(new ApiError(429, 'slow down', 30))).toBe('Too many sign-in attempts. Try again in 30 seconds.');
    expect(signInErrorText(new ApiError(429, 'slow down', 1))).toBe('Too many sign-in attempts. Try again in 1 second.');
    expect(signInErrorText(new ApiError(429, 'slow down', 125))).toBe('Too many sign-in attempts. Try again in 3 minutes.');
    expect(signInErrorText(new ApiError(429, 'slow down'))).toBe('Too many sign-in attempts. Try again later.');
  });
  it('network failures', () => {
    expect(signInErrorText(new TypeError('Failed to fetch'))).toMatch(/Cannot reach the gateway/);
  });
});

describe('parseFeatures', () => {
  it('enables known flags only', () => {
    expect([...parseFeatures('novnc')]).toEqual(['novnc']);
    expect([...parseFeatures(' NoVNC , other')]).toEqual(['novnc']);
    expect(parseFeatures('').size).toBe(0);
    expect(parseFeatures(null).size).toBe(0);
  });
});

describe('protocolLabel', () => {
  it('upper-cases known protocols', () => {
    expect(protocolLabel('vnc')).toBe('VNC');
    expect(protocolLabel('rdp')).toBe('RDP');
    expect(protocolLabel('telnet')).toBe('telnet');
  });
});
