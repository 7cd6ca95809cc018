/**
 * One DDS method's loader for one request: DataLoader's contract (keys asked for until the batch is
 * dispatched go out together, each key once per request, a failed batch's keys asked again next
 * time) at the cost of one promise per `loadMany` call rather than three or four per key. A page
 * asks for about 260 titles and as many entitlements, in a few `loadMany` calls each.
 */

/** A key's value once its batch has answered; `failed` when the batch failed. */
interface Entry<V> {
  batch: Batch | undefined;
  value: V | undefined;
  failed: boolean;
  error: unknown;
}

interface Batch {
  keys: string[];
  entries: Array<Entry<unknown>>;
  /** Settles once every key of the batch has its value or error; never rejects. */
  settled: Promise<void>;
}

export class KeyBatcher<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #load: (keys: string[]) => Promise<Map<string, V>>;
  readonly #schedule: (dispatch: () => void) => void;
  #open: (Batch & { resolve(): void }) | undefined;

  /**
   * `load` answers a batch (keys it leaves out get undefined); `schedule` is told when a batch has
   * its first key and calls `dispatch` when the batch is to go out (the wave scheduler decides).
   */
  constructor(load: (keys: string[]) => Promise<Map<string, V>>, schedule: (dispatch: () => void) => void) {
    this.#load = load;
    this.#schedule = schedule;
  }

  /** The key's value (undefined when the DDS does not answer it); rejects with its batch's error. */
  async load(key: string): Promise<V | undefined> {
    const [entry] = await this.#settled([key]);
    if (entry!.failed) throw entry!.error;
    return entry!.value;
  }

  /** Each key's value, or the error of its batch (what it threw, as DataLoader gives it), in the order asked. */
  async loadMany(keys: readonly string[]): Promise<Array<V | undefined | Error>> {
    const entries = await this.#settled(keys);
    return entries.map((entry) => (entry.failed ? (entry.error as Error) : entry.value));
  }

  /** The keys' entries once every one has settled: known ones as they are, the others in the open batch. */
  #settled(keys: readonly string[]): Promise<Array<Entry<V>>> | Array<Entry<V>> {
    const entries: Array<Entry<V>> = [];
    let waitFor: Batch | undefined;
    let more: Set<Batch> | undefined;
    for (const key of keys) {
      let entry = this.#entries.get(key);
      if (!entry) {
        entry = { batch: undefined, value: undefined, failed: false, error: undefined };
        entry.batch = this.#addToBatch(key, entry);
        this.#entries.set(key, entry);
      }
      entries.push(entry);
      if (entry.batch && entry.batch !== waitFor) {
        if (!waitFor) waitFor = entry.batch;
        else (more ??= new Set()).add(entry.batch);
      }
    }
    if (!waitFor) return entries;
    const settled = more ? Promise.all([waitFor.settled, ...[...more].map((batch) => batch.settled)]) : waitFor.settled;
    return settled.then(() => entries);
  }

  /** The open batch with `key` added; a new batch, scheduled, when none is open. */
  #addToBatch(key: string, entry: Entry<V>): Batch {
    if (this.#open) {
      this.#open.keys.push(key);
      this.#open.entries.push(entry);
      return this.#open;
    }
    let resolve!: () => void;
    const settled = new Promise<void>((done) => (resolve = done));
    const batch = { keys: [key], entries: [entry as Entry<unknown>], settled, resolve };
    this.#open = batch;
    this.#schedule(() => this.#dispatch(batch));
    return batch;
  }

  #dispatch(batch: Batch & { resolve(): void }): void {
    if (this.#open === batch) this.#open = undefined;
    const answer = (found: Map<string, V> | undefined, error?: unknown) => {
      batch.keys.forEach((key, i) => {
        const entry = batch.entries[i] as Entry<V>;
        entry.batch = undefined;
        if (found) entry.value = found.get(key);
        else {
          entry.failed = true;
          entry.error = error;
          // As DataLoader does: a key whose batch failed is asked for again by the next load.
          this.#entries.delete(key);
        }
      });
      batch.resolve();
    };
    let loading: Promise<Map<string, V>>;
    try {
      loading = this.#load(batch.keys);
    } catch (error) {
      loading = Promise.reject(error);
    }
    loading.then(answer, (error: unknown) => answer(undefined, error));
  }
}
