import Gio from 'gi://Gio';

import { GioNetworkState } from '../../../src/pulls/gio-network-state.js';

describe('Pulls GioNetworkState', () => {
  const monitor = Gio.NetworkMonitor.get_default();
  const network = new GioNetworkState(monitor);

  it('always reaches a server on this computer', () => {
    for (const url of ['http://127.0.0.1:11434', 'http://localhost:11434', 'http://[::1]:11434'])
      expect(network.isOnline(url)).withContext(url).toBeTrue();
  });

  it('asks the monitor about other servers', () => {
    expect(network.isOnline('http://192.168.1.5:11434')).toBe(monitor.get_network_available());
  });

  it('counts only this computer’s own server as metered: others use their own network', () => {
    expect(network.isMetered('http://192.168.1.5:11434')).toBeFalse();
    expect(network.isMetered('http://127.0.0.1:11434')).toBe(monitor.get_network_metered());
  });

  it('hands on the monitor’s changes until told to stop', () => {
    let calls = 0;
    const stop = network.onChanged(() => calls++);
    monitor.emit('network-changed', true);
    monitor.notify('network-metered');
    expect(calls).toBe(2);
    stop();
    monitor.emit('network-changed', true);
    expect(calls).toBe(2);
  });
});
