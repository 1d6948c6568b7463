// libsecret (gir1.2-secret-1) has no @girs package: only what Paddock uses, checked
// against the typelib in the runtime.
declare module 'gi://Secret?version=1' {
  import type Gio from 'gi://Gio';

  namespace Secret {
    const COLLECTION_DEFAULT: string;
    const COLLECTION_SESSION: string;

    enum SchemaFlags {
      NONE = 0,
      DONT_MATCH_NAME = 2,
    }

    enum SchemaAttributeType {
      STRING = 0,
      INTEGER = 1,
      BOOLEAN = 2,
    }

    class Schema {
      // The C constructor secret_schema_new, as GJS exposes it.
      // eslint-disable-next-line @typescript-eslint/no-misused-new
      static new(
        name: string,
        flags: SchemaFlags,
        attributeNamesAndTypes: Record<string, SchemaAttributeType>,
      ): Schema;
      readonly name: string;
      readonly flags: SchemaFlags;
    }

    type Callback = (source: null, result: Gio.AsyncResult) => void;

    function password_lookup(
      schema: Schema,
      attributes: Record<string, string>,
      cancellable: Gio.Cancellable | null,
      callback: Callback,
    ): void;
    function password_lookup_finish(result: Gio.AsyncResult): string | null;

    function password_store(
      schema: Schema,
      attributes: Record<string, string>,
      collection: string | null,
      label: string,
      password: string,
      cancellable: Gio.Cancellable | null,
      callback: Callback,
    ): void;
    function password_store_finish(result: Gio.AsyncResult): boolean;

    function password_clear(
      schema: Schema,
      attributes: Record<string, string>,
      cancellable: Gio.Cancellable | null,
      callback: Callback,
    ): void;
    function password_clear_finish(result: Gio.AsyncResult): boolean;
  }

  export default Secret;
}
