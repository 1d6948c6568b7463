import type Gio from 'gi://Gio';
import GObject from 'gi://GObject';

import { GioNetworkState } from '../../../src/pulls/gio-network-state.js';

/** Stands in for Gio.NetworkMonitor: the test says whether there is a network, and a metered one. */
class FakeMonitor extends GObject.Object {
  static {
    GObject.registerClass(
      {
        Properties: {
          'network-available': GObject.ParamSpec.boolean(
            'network-available',
            '',
            '',
            GObject.ParamFlags.READWRITE,
            true,
          ),
          'network-metered': GObject.ParamSpec.boolean(
            'network-metered',
            '',
            '',
            GObject.ParamFlags.READWRITE,
            false,
          ),
        },
        Signals: { 'network-changed': { param_types: [GObject.TYPE_BOOLEAN] } },
      },
      this,
    );
  }

  declare network_available: boolean;
  declare network_metered: boolean;

  get_network_available(): boolean {
    return this.network_available;
  }

  get_network_metered(): boolean {
    return this.network_metered;
  }
}

describe('Pulls GioNetworkState', () => {
  let monitor: FakeMonitor;
  let network: GioNetworkState;

  beforeEach(() => {
    monitor = new FakeMonitor();
    network = new GioNetworkState(monitor as unknown as Gio.NetworkMonitor);
  });

  it('always reaches a server on this computer, even with no network', () => {
    monitor.network_available = false;
    for (const url of ['http://127.0.0.1:11434', 'http://localhost:11434', 'http://[::1]:11434'])
      expect(network.isOnline(url)).withContext(url).toBeTrue();
  });

  it('reaches other servers only while the monitor sees a network', () => {
    monitor.network_available = true;
    expect(network.isOnline('http://192.168.1.5:11434')).toBeTrue();
    monitor.network_available = false;
    expect(network.isOnline('http://192.168.1.5:11434')).toBeFalse();
  });

  it('counts only this computer’s own server as metered: others use their own network', () => {
    monitor.network_metered = true;
    expect(network.isMetered('http://192.168.1.5:11434')).toBeFalse();
    expect(network.isMetered('http://127.0.0.1:11434')).toBeTrue();
    monitor.network_metered = false;
    expect(network.isMetered('http://127.0.0.1:11434')).toBeFalse();
  });

  it('hands on the monitor’s changes until told to stop', () => {
    let calls = 0;
    const stop = network.onChanged(() => calls++);
    monitor.emit('network-changed', true);
    monitor.network_metered = true;
    expect(calls).toBe(2);
    stop();
    monitor.emit('network-changed', false);
    monitor.network_metered = false;
    expect(calls).toBe(2);
  });
});
