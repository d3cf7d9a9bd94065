import { describe, expect, it } from 'vitest';
import { EMPTY_FORM, formToFilter, isIpOrSubnet, parseFlowTime, toggleIn } from './filter.js';

describe('alert filter form', () => {
  it('accepts IPv4 / IPv6 addresses and subnets, refuses the rest', () => {
    for (const ok of ['10.0.0.1', '10.0.0.0/8', '192.168.10.50/32', 'fe80::1', 'fe80::/10', '2001:db8:0:0:0:0:0:1', '::ffff:10.0.0.1']) expect(isIpOrSubnet(ok), ok).toBe(true);
    for (const bad of ['', '10.0.0', '10.0.0.256', '10.0.0.0/33', 'host.example', '1::2::3', 'fe80::/129', '10.0.0.1/']) expect(isIpOrSubnet(bad), bad).toBe(false);
  });

  it('reads flow times as UTC unless a zone is given', () => {
    expect(parseFlowTime('2017-07-07 15:02')).toBe('2017-07-07T15:02:00.000Z');
    expect(parseFlowTime('2017-07-07')).toBe('2017-07-07T00:00:00.000Z');
    expect(parseFlowTime('2017-07-07T15:02:11+02:00')).toBe('2017-07-07T13:02:11.000Z');
    expect(parseFlowTime('yesterday')).toBeNull();
  });

  it('turns the form into the API filter, with a sentence per wrong field', () => {
    const { filter, errors } = formToFilter({ ...EMPTY_FORM, severity: ['high', 'critical'], className: 'PortScan', src: '10.0.0.0/8', port: '443', status: ['open'], verdict: ['none'], modelId: '3', from: '2017-07-07 09:00' });
    expect(errors).toEqual({});
    expect(filter).toEqual({ severity: ['high', 'critical'], classes: ['PortScan'], src: '10.0.0.0/8', port: 443, status: ['open'], verdict: ['none'], modelId: 3, from: '2017-07-07T09:00:00.000Z' });
    const bad = formToFilter({ ...EMPTY_FORM, src: '10.0.0', port: '70000', from: '2017-07-08', to: '2017-07-07' });
    expect(Object.keys(bad.errors).sort()).toEqual(['port', 'src', 'to']);
    expect(formToFilter(EMPTY_FORM).filter).toEqual({});
  });

  it('toggles values in a list', () => {
    expect(toggleIn(['a', 'b'], 'a')).toEqual(['b']);
    expect(toggleIn(['a'], 'b')).toEqual(['a', 'b']);
  });
});
