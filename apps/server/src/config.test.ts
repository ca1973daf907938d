import { describe, expect, it } from 'vitest';
import { loadConfig, protectionOptions } from './config';

describe('the configuration', () => {
  it('reads the trusted proxies as addresses, ranges and named ranges', () => {
    const config = loadConfig({ MATCHLOOP_TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.4,loopback,fd00::/8' });
    expect(protectionOptions(config).trustedProxies).toEqual([
      '10.0.0.0/8',
      '192.168.1.4',
      'loopback',
      'fd00::/8',
    ]);
    expect(protectionOptions(loadConfig({})).trustedProxies).toEqual([]);
  });

  it('names the variable and what is wrong with it when a proxy is not an address', () => {
    expect(() => loadConfig({ MATCHLOOP_TRUSTED_PROXIES: '10.0.0.0/8,lb.internal' })).toThrow(
      /MATCHLOOP_TRUSTED_PROXIES\.1: must be an IP address, a CIDR range/,
    );
  });
});
