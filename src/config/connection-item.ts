import GObject from 'gi://GObject';

import type { Connection } from './connection.js';

/**
 * A connection as a GObject, for binding widgets to. Its properties are read-only: every
 * change goes through the ConnectionStore, which saves it and then updates the item
 * (emitting notify::name, notify::url, notify::is-default).
 */
export class ConnectionItem extends GObject.Object implements Connection {
  static {
    GObject.registerClass(
      {
        GTypeName: 'PaddockConnectionItem',
        Properties: {
          id: GObject.ParamSpec.string('id', null, null, GObject.ParamFlags.READABLE, ''),
          name: GObject.ParamSpec.string('name', null, null, GObject.ParamFlags.READABLE, ''),
          url: GObject.ParamSpec.string('url', null, null, GObject.ParamFlags.READABLE, ''),
          'is-default': GObject.ParamSpec.boolean(
            'is-default',
            null,
            null,
            GObject.ParamFlags.READABLE,
            false,
          ),
        },
      },
      this,
    );
  }

  #id: string;
  #name: string;
  #url: string;
  #isDefault: boolean;
  #hasApiKey: boolean | undefined;
  #ramBytes: number | undefined;
  #gpuBytes: number | undefined;
  #contextLength: number | undefined;

  constructor(connection: Connection) {
    super();
    this.#id = connection.id;
    this.#name = connection.name;
    this.#url = connection.url;
    this.#isDefault = connection.isDefault;
    this.#hasApiKey = connection.hasApiKey;
    this.#ramBytes = connection.ramBytes;
    this.#gpuBytes = connection.gpuBytes;
    this.#contextLength = connection.contextLength;
  }

  /** System memory as the user entered it, in bytes; undefined when not entered. */
  get ramBytes(): number | undefined {
    return this.#ramBytes;
  }

  /** GPU memory as the user entered it, in bytes; undefined when not entered. */
  get gpuBytes(): number | undefined {
    return this.#gpuBytes;
  }

  /** The context length set for this server; undefined when its default applies. */
  get contextLength(): number | undefined {
    return this.#contextLength;
  }

  get id(): string {
    return this.#id;
  }

  get name(): string {
    return this.#name;
  }

  get url(): string {
    return this.#url;
  }

  get isDefault(): boolean {
    return this.#isDefault;
  }

  /** Whether it has an API key in the keyring; undefined when not known yet. */
  get hasApiKey(): boolean | undefined {
    return this.#hasApiKey;
  }

  /** The GObject spelling of isDefault. */
  get is_default(): boolean {
    return this.#isDefault;
  }

  /** A plain copy, detached from the store. */
  toConnection(): Connection {
    const connection = {
      id: this.#id,
      name: this.#name,
      url: this.#url,
      isDefault: this.#isDefault,
    };
    return {
      ...connection,
      ...(this.#hasApiKey === undefined ? {} : { hasApiKey: this.#hasApiKey }),
      ...(this.#ramBytes === undefined ? {} : { ramBytes: this.#ramBytes }),
      ...(this.#gpuBytes === undefined ? {} : { gpuBytes: this.#gpuBytes }),
      ...(this.#contextLength === undefined ? {} : { contextLength: this.#contextLength }),
    };
  }

  /** For the ConnectionStore only, after it has saved the change. */
  assign(connection: Connection): void {
    this.#hasApiKey = connection.hasApiKey;
    this.#ramBytes = connection.ramBytes;
    this.#gpuBytes = connection.gpuBytes;
    this.#contextLength = connection.contextLength;
    this.freeze_notify();
    if (connection.name !== this.#name) {
      this.#name = connection.name;
      this.notify('name');
    }
    if (connection.url !== this.#url) {
      this.#url = connection.url;
      this.notify('url');
    }
    if (connection.isDefault !== this.#isDefault) {
      this.#isDefault = connection.isDefault;
      this.notify('is-default');
    }
    this.thaw_notify();
  }
}
