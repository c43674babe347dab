// Type declarations for MYCELIUM-SYNC: the global `MyceliumSync` of mycelium-sync.js and the
// default export (plus named exports) of mycelium-sync.mjs.

/** A JSON value: what lists, maps and updates carry. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One step of a sequence change, as in Quill/Yjs deltas. */
export type TextDelta = { retain: number } | { insert: string } | { delete: number };
/** List deltas carry inserted values as JSON (a nested type appears as a snapshot of its JSON). */
export type ListDelta = { retain: number } | { insert: JsonValue[] } | { delete: number };

export interface SharedEvent<T, D> {
  /** The type that changed. */
  target: T;
  /** The origin passed to transact or applyUpdate (null when none). */
  origin: unknown;
  /** True when the change was made on this replica, false when it came in an update. */
  local: boolean;
  delta: D;
}
export interface MapKeyChange { action: 'add' | 'update' | 'delete'; oldValue?: JsonValue | SharedType; }
export interface MapEvent extends SharedEvent<YMap, undefined> { keys: { [key: string]: MapKeyChange }; }

declare abstract class Shared<E> {
  readonly doc: Doc;
  /** Calls fn after each transaction that changed this type; returns a function that unsubscribes. */
  observe(fn: (event: E) => void): () => void;
  unobserve(fn: (event: E) => void): void;
}

/** Shared text. Indices and lengths count UTF-16 code units, as JavaScript strings do. */
export declare class Text extends Shared<SharedEvent<Text, TextDelta[]>> {
  readonly length: number;
  /** Inserts text at index (0..length). TypeError for wrong types, RangeError out of range. */
  insert(index: number, text: string): void;
  /** Deletes length code units from index. */
  delete(index: number, length: number): void;
  toString(): string;
  toJSON(): string;
}

/** A shared list of JSON values and nested shared types. */
export declare class List extends Shared<SharedEvent<List, ListDelta[]>> {
  readonly length: number;
  insert(index: number, values: JsonValue[]): void;
  push(values: JsonValue[]): void;
  unshift(values: JsonValue[]): void;
  /** Deletes length (default 1) items from index. */
  delete(index: number, length?: number): void;
  /** The value at index, or undefined past the end. */
  get(index: number): JsonValue | SharedType | undefined;
  insertMap(index: number): YMap;
  insertList(index: number): List;
  insertText(index: number): Text;
  toArray(): Array<JsonValue | SharedType>;
  toJSON(): JsonValue[];
  forEach(fn: (value: JsonValue | SharedType, index: number, list: List) => void): void;
  map<R>(fn: (value: JsonValue | SharedType, index: number, list: List) => R): R[];
}

/** A shared map from string keys to JSON values and nested types; last writer wins per key. */
export declare class YMap extends Shared<MapEvent> {
  readonly size: number;
  set<V extends JsonValue>(key: string, value: V): V;
  get(key: string): JsonValue | SharedType | undefined;
  has(key: string): boolean;
  delete(key: string): void;
  /** The keys, sorted. */
  keys(): string[];
  values(): Array<JsonValue | SharedType>;
  entries(): Array<[string, JsonValue | SharedType]>;
  forEach(fn: (value: JsonValue | SharedType, key: string, map: YMap) => void): void;
  setMap(key: string): YMap;
  setList(key: string): List;
  setText(key: string): Text;
  toJSON(): { [key: string]: JsonValue };
}

/** A shared counter: increments from every replica add up. */
export declare class Counter extends Shared<SharedEvent<Counter, number>> {
  readonly value: number;
  increment(amount?: number): void;
  decrement(amount?: number): void;
  toJSON(): number;
}

export type SharedType = Text | List | YMap | Counter;

export interface DocOptions {
  /** This replica's id, an integer in [0, 2^31); random by default. */
  clientId?: number;
  /** Drop the content of deleted items (their ids stay). Default true. */
  gc?: boolean;
}

/** A replica of a shared document. */
export declare class Doc {
  constructor(options?: DocOptions);
  readonly clientId: number;
  /** True while some received items wait for updates they depend on. */
  readonly hasPending: boolean;
  getText(name: string): Text;
  getList(name: string): List;
  getArray(name: string): List;
  getMap(name: string): YMap;
  getCounter(name: string): Counter;
  /** Runs fn as one transaction: one 'update' event and one event per changed type, after it. */
  transact<R>(fn: () => R, origin?: unknown): R;
  on(event: 'update', fn: (update: Uint8Array, origin: unknown, doc: Doc) => void): this;
  off(event: 'update', fn: (update: Uint8Array, origin: unknown, doc: Doc) => void): this;
  encodeStateVector(): Uint8Array;
  /** Everything a replica with this state vector lacks (everything when omitted). */
  encodeStateAsUpdate(stateVector?: Uint8Array): Uint8Array;
  /** Applies an update; a malformed one throws an Error and changes nothing. */
  applyUpdate(update: Uint8Array, origin?: unknown): void;
  toJSON(): { [name: string]: JsonValue };
}

/** An ICE server for WebRTC (STUN or TURN), as RTCPeerConnection takes it. */
export interface IceServer {
  /** stun:, stuns:, turn: or turns: URLs. */
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface WebrtcProviderOptions {
  /** Signaling URLs (ws:// or wss://). Default: this page's host + /signal. [] for none (tabs only). */
  signaling?: string | string[];
  /** Direct WebRTC data channels; false sends everything through the relay. Default true. */
  webrtc?: boolean;
  /** Link tabs of this origin over BroadcastChannel `mycelium-sync:<room>`. Default true. */
  tabs?: boolean;
  /** STUN/TURN servers; default none (host candidates: loopback and LAN). */
  iceServers?: IceServer[];
  /** The most WebRTC connections; peers beyond it use the relay. Default 20. */
  maxConns?: number;
  /** Milliseconds for a data channel to open before the peer falls back to the relay. Default 5000. */
  connectTimeout?: number;
  /**
   * Ask the server to keep this room (dev server started with `--keep-rooms`): it stores the
   * room and syncs late joiners when no other peer is online, and acknowledges each stored
   * update ('kept' event, `keeper`). Default false.
   */
  keep?: boolean;
  /**
   * A credit account per peer (docs/CREDIT.md): true (default, the default policy), false (no
   * accounting; a backoff from a peer is still honoured), or some rates of the policy.
   */
  credit?: boolean | CreditOptions;
  /**
   * Emit 'debug' events: one line each (time in ms, then what happened) for path changes,
   * signals in and out, data channel events and the first messages to and from each peer.
   * For diagnosing a connection; the lines are not a stable format. Default false.
   */
  debug?: boolean;
}

/** Rates of the credit policy; each one not given keeps its default (docs/CREDIT.md). */
export interface CreditOptions {
  /** Credits regained per second. Default 262144 (256 KiB/s). */
  refillPerSecond?: number;
  /** Highest balance. Default 8388608 (8 MiB). */
  capacity?: number;
  /** Starting balance, at most the capacity. Default: the capacity. */
  initialBalance?: number;
  /** Default 64. */
  costPerMessage?: number;
  /** Default 1. */
  costPerByte?: number;
  /** Default 8. */
  costPerOp?: number;
  /** Credits back per credit of cost of content new to us. Default 1.25. */
  newReward?: number;
  /** Credits back per byte of a syncStep2 we asked for. Default 1. */
  servedReward?: number;
  /** Redundant content costs this many times its price, >= 1. Default 3. */
  redundantMultiplier?: number;
  /** Default 65536. */
  malformedPenalty?: number;
  /** Default 16384. */
  violationPenalty?: number;
  /** Cut off when a message in debt takes the debt past this. Default 67108864. */
  debtFloor?: number;
  /** Cut off when still sending after this many ms in debt. Default 10000. */
  maxThrottledMs?: number;
  /** Cut off at this many malformed messages (an integer >= 1). Default 10. */
  maxViolations?: number;
  /** Milliseconds a cut-off peer is refused. Default 60000. */
  banMs?: number;
}

export type PeerPath = 'webrtc' | 'tab' | 'relay';
export interface PeerInfo {
  /** The remote provider's id. */
  id: string;
  path: PeerPath;
  /** The two-step sync with this peer has completed (its state has been applied here). */
  synced: boolean;
  bytesIn: number;
  bytesOut: number;
  messagesIn: number;
  messagesOut: number;
  /** Malformed frames or messages from this peer, counted and dropped. */
  dropped: number;
  /** Its credit balance (credits of one received byte); null when accounting is off. */
  credit: number | null;
  /** 'throttled' while in debt (its messages wait, it was told to back off). */
  state: 'ok' | 'throttled' | 'cut-off';
  /** Ops received: structs and delete ranges of updates, entries of presence. */
  opsIn: number;
  opsOut: number;
  /** Messages refused: malformed, or after the cut-off. */
  rejected: number;
  /** Messages that brought nothing new. */
  redundant: number;
}
/** A peer cut off by the credit gate, and why. */
export interface DroppedPeer { id: string; reason: string; }
export interface StatusEvent { connected: boolean; status: 'connecting' | 'connected' | 'disconnected'; }
export interface PeersEvent { added: string[]; removed: string[]; peers: PeerInfo[]; dropped: DroppedPeer[]; }
export interface SyncedEvent { synced: boolean; peers: number; }
/** The server's room keeper: `unacked` updates sent to it are not stored yet; `kept` when synced and none is. */
export interface KeeperStatus { id: string; synced: boolean; unacked: number; kept: boolean; }
export interface AwarenessChange { added: number[]; updated: number[]; removed: number[]; }

/** Presence: one JSON state per client, renewed while the provider runs, dropped after 30 s of silence. */
export declare class Awareness {
  /** This client's id (the doc's clientId). */
  readonly clientId: number;
  readonly clientID: number;
  /** Sets this client's state and sends it to every peer; null removes it. */
  setLocalState(state: JsonValue | null): void;
  setLocalStateField(key: string, value: JsonValue): void;
  getLocalState(): JsonValue | null;
  /** Every client's state, this one included. */
  getStates(): Map<number, JsonValue>;
  on(event: 'change', fn: (change: AwarenessChange) => void): this;
  off(event: 'change', fn: (change: AwarenessChange) => void): this;
}

/**
 * Syncs a doc with every other provider in a room: WebRTC data channels between browsers,
 * BroadcastChannel between tabs, the signaling server's relay where no direct path opens.
 * Events are delivered asynchronously (a microtask after the change).
 */
export declare class WebrtcProvider {
  constructor(room: string, doc: Doc, options?: WebrtcProviderOptions);
  readonly room: string;
  readonly doc: Doc;
  /** This provider's id, as other peers list it. */
  readonly id: string;
  readonly awareness: Awareness;
  readonly status: 'connecting' | 'connected' | 'disconnected';
  readonly connected: boolean;
  /** True when every known peer has completed the two-step sync (or there is none). */
  readonly synced: boolean;
  /** True when WebRTC is enabled and the browser has it. */
  readonly webrtc: boolean;
  /** Malformed frames and messages dropped, all peers and servers together. */
  readonly malformed: number;
  /** The peers with an open path. */
  readonly peers: PeerInfo[];
  /** The server's room keeper when one is connected (the room is kept), else null. */
  readonly keeper: KeeperStatus | null;
  on(event: 'status', fn: (e: StatusEvent) => void): this;
  on(event: 'peers', fn: (e: PeersEvent) => void): this;
  on(event: 'synced', fn: (e: SyncedEvent) => void): this;
  /** The keeper acknowledged a stored update (only with `keep: true`). */
  on(event: 'kept', fn: (e: KeeperStatus) => void): this;
  /** One line of trace (only with `debug: true`). */
  on(event: 'debug', fn: (line: string) => void): this;
  off(event: 'status' | 'peers' | 'synced' | 'kept' | 'debug', fn: (e: any) => void): this;
  /** Leaves the room, closes channels and sockets, clears timers, stops listening to the doc. */
  destroy(): void;
}

export interface MyceliumSyncNamespace {
  /** Resolves once the engine is loaded. */
  readonly ready: Promise<MyceliumSyncNamespace>;
  /** Which engine loaded: WebAssembly GC, or the JavaScript fallback. */
  readonly engine: 'wasm' | 'js' | null;
  readonly version: string;
  /** Milliseconds from script start to ready. */
  readonly readyMs: number | null;
  Doc: typeof Doc;
  Text: typeof Text;
  List: typeof List;
  Map: typeof YMap;
  Counter: typeof Counter;
  WebrtcProvider: typeof WebrtcProvider;
  mergeUpdates(updates: Uint8Array[]): Uint8Array;
  diffUpdate(update: Uint8Array, stateVector: Uint8Array): Uint8Array;
  encodeStateVectorFromUpdate(update: Uint8Array): Uint8Array;
  applyUpdate(doc: Doc, update: Uint8Array, origin?: unknown): void;
  encodeStateAsUpdate(doc: Doc, stateVector?: Uint8Array): Uint8Array;
  encodeStateVector(doc: Doc): Uint8Array;
}

declare const MyceliumSync: MyceliumSyncNamespace;
export default MyceliumSync;
export declare const ready: Promise<MyceliumSyncNamespace>;
export declare const engine: 'wasm' | 'js';
export declare const version: string;
export declare function mergeUpdates(updates: Uint8Array[]): Uint8Array;
export declare function diffUpdate(update: Uint8Array, stateVector: Uint8Array): Uint8Array;
export declare function encodeStateVectorFromUpdate(update: Uint8Array): Uint8Array;
export declare function applyUpdate(doc: Doc, update: Uint8Array, origin?: unknown): void;
export declare function encodeStateAsUpdate(doc: Doc, stateVector?: Uint8Array): Uint8Array;
export declare function encodeStateVector(doc: Doc): Uint8Array;

declare global {
  // The classic script defines this global.
  var MyceliumSync: MyceliumSyncNamespace;
}
