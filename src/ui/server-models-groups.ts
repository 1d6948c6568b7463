import type Adw from 'gi://Adw';

import type { PaddockApplication } from '../application.js';
import { connectObject, disconnectObject } from '../util/signals.js';
import { ServerModelsGroup, type ServerModelsGroupOptions } from './server-models-group.js';

/** One ServerModelsGroup per connection on the Preferences Models page, following the library. */
export class ServerModelsGroups {
  private groups: ServerModelsGroup[] = [];

  constructor(
    private readonly page: Adw.PreferencesPage,
    private readonly paddock: PaddockApplication,
    private readonly options: ServerModelsGroupOptions,
  ) {
    connectObject(this, paddock.library, {
      'servers-changed': () => this.rebuild(),
      'server-changed': (_library: unknown, connectionId: string) =>
        this.groups.find((group) => group.connectionId === connectionId)?.show(),
    });
    this.rebuild();
  }

  filter(query: string): void {
    for (const group of this.groups) group.filter(query);
  }

  /** The page is going away: nothing more is asked or followed. */
  close(): void {
    disconnectObject(this);
    for (const group of this.groups) group.close();
  }

  /** The model rows of the groups above this server's, made or on their way. */
  private rowsAbove(connectionId: string): number {
    let rows = 0;
    for (const group of this.groups) {
      if (group.connectionId === connectionId) break;
      rows += group.rowCount;
    }
    return rows;
  }

  private rebuild(): void {
    for (const group of this.groups) {
      group.close();
      this.page.remove(group.widget);
    }
    this.groups = this.paddock.connections.list().map(
      (connection) =>
        new ServerModelsGroup(this.paddock, connection, {
          ...this.options,
          rowsAbove: () => this.rowsAbove(connection.id),
        }),
    );
    for (const group of this.groups) {
      this.page.add(group.widget);
      group.show();
    }
  }
}
